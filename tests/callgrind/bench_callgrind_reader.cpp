// Reader throughput for PERFORMANCE.md: writes a callgrind file of about the requested size with
// kprof's writer (functions with many cost lines and calls, two events, instr+line positions),
// then times read_callgrind_file on it (median of 3), in wall and CPU time: on a shared machine
// (autogroup scheduling shares the cores between login sessions whatever their nice values) the
// single-threaded reader's CPU time is what it takes alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <time.h>

#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/callgrind_writer.h"

namespace {
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path path = argc > 1 ? argv[1] : "callgrind.out.big";
  double target_mb = argc > 2 ? std::atof(argv[2]) : 100.0;
  if (!std::filesystem::exists(path)) {
    kprof::CallgrindProfile p;
    p.events = {"Ir", "Dr"};
    p.instr_positions = true;
    std::uint64_t addr = 0x400000;
    // Nominal 18.5 bytes per cost line; relative positions make them ~10, so 187 gives ~100 MB.
    const std::int64_t lines = static_cast<std::int64_t>(target_mb * 1e6 / 18.5);
    const int per_fn = 500;
    for (std::int64_t i = 0, fn = 0; i < lines; ++fn) {
      auto& f = p.function("/usr/lib/libbig.so", "/src/file" + std::to_string(fn % 400) + ".cpp",
                           "namespace::function_" + std::to_string(fn) + "(double const*, long)");
      for (int k = 0; k < per_fn && i < lines; ++k, ++i) {
        addr += 1 + (k % 7);
        f.add_cost(10 + k / 3, {1 + k % 13, k % 5}, addr);
      }
      f.add_call("/src/file0.cpp", "namespace::function_" + std::to_string(fn / 2) + "(double const*, long)", 3,
                 {1000, 200}, 12, addr);
    }
    kprof::write_callgrind_file(path, p);
  }
  double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  std::vector<double> times, cpu;
  std::int64_t total = 0;
  for (int rep = 0; rep < 3; ++rep) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = cpu_now();
    kprof::CallgrindProfile p = kprof::read_callgrind_file(path);
    cpu.push_back(cpu_now() - c0);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    total = p.totals()[0];
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf(
      "file %.1f MB, read in %.3f s wall median of 3 (min %.3f, max %.3f): %.0f MB/s; CPU %.3f s median (min %.3f, "
      "max %.3f): %.0f MB/s; Ir total %lld\n",
      mb, times[1], times[0], times[2], mb / times[1], cpu[1], cpu[0], cpu[2], mb / cpu[1],
      static_cast<long long>(total));
  return 0;
}
