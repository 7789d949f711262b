// The memory tracer's own overhead (docs/PERFORMANCE.md, "## memory tracing"):
//  1. an allocation-heavy program, native vs traced through LD_PRELOAD (recording only, and the
//     whole `kprof mem --` including the analysis) vs heaptrack on the same program;
//  2. a kernel region that does not allocate, plain vs inside an active kprof::MemoryScope.
// Rounds are interleaved (A B C A B C ...) and medians compared, in one run.
//   memory_overhead [rounds] [program]   (program: default the built memory_alloc_heavy)
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kprof/memory.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Times {
  double wall = 0, cpu = 0;  // cpu: user + system of the command and its children
};

double children_cpu() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// On a shared, oversubscribed machine wall time is mostly waiting for a core: CPU time is the
// figure that compares; both are reported.
Times times_of(const std::string& command) {
  double cpu0 = children_cpu();
  auto start = Clock::now();
  int status = std::system(command.c_str());
  Times t{std::chrono::duration<double>(Clock::now() - start).count(), children_cpu() - cpu0};
  if (status != 0) std::fprintf(stderr, "warning: '%s' exited with %d\n", command.c_str(), status);
  return t;
}

struct Series {
  std::vector<double> wall, cpu;
  void add(Times t) {
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

__attribute__((noinline)) double dot(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += x[i] * y[i];
  return s;
}

double region_seconds(const std::vector<double>& x, const std::vector<double>& y, bool traced) {
  volatile double sink = 0;
  auto run = [&] {
    auto start = Clock::now();
    for (int i = 0; i < 200; ++i) sink = sink + dot(x, y);
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  if (!traced) return run();
  kprof::MemoryScope scope("region");
  double s = run();
  scope.stop();
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::string program = argc > 2 ? argv[2] : KPROF_ALLOC_HEAVY;
  const std::string kprof = KPROF_EXE_PATH;
  const std::string preload = KPROF_PRELOAD_PATH;
  const bool heaptrack = std::system("command -v heaptrack >/dev/null 2>&1") == 0;
  const bool have_kprof = std::system(("test -x " + kprof).c_str()) == 0;
  const std::string quiet = " >/dev/null 2>&1";

  Series native, recording, kprof_mem, heaptrack_s;
  for (int r = 0; r < rounds; ++r) {
    native.add(times_of(program + quiet));
    // The program alone under the preload library, started by the shell whose pid says which
    // process to trace (kprof mem sets its own pid); `; exit` keeps sh from exec'ing the program.
    recording.add(times_of("KPROF_MEM_TRACE=/tmp/kprof-overhead.trace LD_PRELOAD=" + preload +
                           " sh -c 'KPROF_PARENT_PID=$$ " + program + "; exit $?'" + quiet));
    if (have_kprof) kprof_mem.add(times_of(kprof + " mem -q -f none -- " + program + quiet));
    if (heaptrack) heaptrack_s.add(times_of("heaptrack -o /tmp/kprof-overhead-heaptrack " + program + quiet));
  }
  std::remove("/tmp/kprof-overhead.trace");
  (void)std::system("rm -f /tmp/kprof-overhead-heaptrack*");
  double nw = median(native.wall), nc = median(native.cpu);
  std::printf("allocation-heavy program (%s), %d interleaved rounds, medians (wall | cpu = user+sys):\n",
              program.c_str(), rounds);
  auto row = [&](const char* name, const Series& s) {
    std::printf("  %-34s %7.3f s %5.2fx | %7.3f s %5.2fx\n", name, median(s.wall), median(s.wall) / nw, median(s.cpu),
                median(s.cpu) / nc);
  };
  row("native", native);
  row("kprof preload, recording only", recording);
  if (have_kprof) row("kprof mem -- (record + analyse)", kprof_mem);
  if (heaptrack) row("heaptrack (record + interpret)", heaptrack_s);

  std::vector<double> x(1 << 16, 1.0), y(1 << 16, 2.0);
  std::vector<double> plain, traced, ratios;
  region_seconds(x, y, false);  // warm-up
  for (int r = 0; r < 4 * rounds + 1; ++r) {
    plain.push_back(region_seconds(x, y, false));
    traced.push_back(region_seconds(x, y, true));
    ratios.push_back(traced.back() / plain.back());
  }
  std::printf("non-allocating region (200 x dot of 65536 doubles), %d interleaved rounds, medians:\n", 4 * rounds + 1);
  std::printf("  plain %.3f ms, inside MemoryScope %.3f ms, median ratio %.4f\n", median(plain) * 1e3,
              median(traced) * 1e3, median(ratios));
  return 0;
}
