#include "cpu_profiler.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <string_view>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/process.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_writer.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/stack_graph.h"
#include "symbolize.h"

namespace kprof {
namespace {

const char* kInstallHint =
    "gperftools' CPU profiler (libprofiler.so) is not installed: `sudo apt-get install libgoogle-perftools-dev` "
    "(Debian, Ubuntu) or `sudo dnf install gperftools-devel` (Fedora)";

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void* load_libprofiler() {
  for (const char* name : {"libprofiler.so.0", "libprofiler.so"})
    if (void* h = dlopen(name, RTLD_NOW | RTLD_GLOBAL)) return h;
  throw ToolError(kInstallHint);
}

std::filesystem::path libprofiler_path() {
  void* h = load_libprofiler();
  void* sym = dlsym(h, "ProfilerStart");
  Dl_info info{};
  if (sym == nullptr || dladdr(sym, &info) == 0 || info.dli_fname == nullptr) throw ToolError(kInstallHint);
  return info.dli_fname;
}

void add_top(const CallgrindProfile& p, std::size_t top, CpuEntry& e) {
  Hotspots h = compute_hotspots(p);
  for (std::size_t i = 0; i < h.functions.size() && i < top && h.functions[i].self[0] > 0; ++i)
    e.top_functions.push_back(
        {h.functions[i].name, h.functions[i].file, h.functions[i].self[0], h.functions[i].inclusive[0]});
  for (std::size_t i = 0; i < h.lines.size() && i < top && h.lines[i].self[0] > 0; ++i)
    e.top_lines.push_back(
        {h.lines[i].file, static_cast<int>(h.lines[i].line), h.lines[i].function, h.lines[i].self[0]});
}

// What kernel and program entries share.
CpuEntry entry_of(Subject subject, const CpuRun& run, std::size_t top) {
  CpuEntry e;
  e.subject = std::move(subject);
  e.period_us = run.raw.period_us;
  e.samples = run.raw.total_samples();
  e.region_seconds = run.region_seconds;
  e.cpu_seconds = run.cpu_seconds;
  e.samples_per_cpu_second = samples_per_cpu_second(run);
  e.profile_file = run.profile_file.string();
  e.file = run.callgrind_file.string();
  add_top(run.profile, top, e);
  return e;
}

// The frames a sample's cost goes through, innermost first: each PC's frames with inlined calls
// expanded, but the runtime's code inlined into the program's (std:: templates, intrinsics) left
// out, so that it is charged to the program's line that inlined it, as `kprof mem` charges an
// allocation made by an inlined std::vector to the line that grew the vector.
std::vector<Frame> sample_frames(Symbolizer& sym, const GperfSample& s) {
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < s.pcs.size(); ++i)
    for (const Frame& f : sym.frames(s.pcs[i], i == 0 ? AddressKind::pc : AddressKind::return_address))
      if (!is_inlined_runtime_frame(f)) frames.push_back(f);
  return frames;
}

CpuRun convert(const std::filesystem::path& prof, const std::filesystem::path& cg_file, const std::string& command) {
  CpuRun run;
  run.profile_file = prof;
  run.raw = read_gperf_profile_file(prof);
  run.stacks = symbolise_samples(run.raw);
  run.profile = cpu_stacks_to_callgrind(run.stacks, run.raw.period_us, command);
  write_callgrind_file(cg_file, run.profile);
  run.callgrind_file = cg_file;
  return run;
}

}  // namespace

CpuProfilerHooks::CpuProfilerHooks(std::filesystem::path profile) : profile_(std::move(profile)) {
  void* h = load_libprofiler();
  start_ = reinterpret_cast<int (*)(const char*)>(dlsym(h, "ProfilerStart"));
  stop_ = reinterpret_cast<void (*)()>(dlsym(h, "ProfilerStop"));
  if (start_ == nullptr || stop_ == nullptr) throw ToolError(kInstallHint);
}

void CpuProfilerHooks::on_enter() {
  if (start_(profile_.c_str()) == 0) throw ToolError("gperftools could not start profiling into " + profile_.string());
  cpu_start_ = process_cpu_seconds();
}

void CpuProfilerHooks::on_exit() {
  cpu_seconds_ = process_cpu_seconds() - cpu_start_;
  // ProfilerStop() logs "PROFILE: interrupts/evictions/bytes = ..." on stderr whatever
  // PERFTOOLS_VERBOSE says; kprof reports the samples itself, so that line is dropped and anything
  // else gperftools says at stop is passed on. The kernel's threads have finished by now, so no
  // other output can land in the capture.
  std::fflush(stderr);
  FILE* capture = std::tmpfile();
  const int saved = capture ? ::dup(STDERR_FILENO) : -1;
  if (saved < 0 || ::dup2(::fileno(capture), STDERR_FILENO) < 0) {
    if (saved >= 0) ::close(saved);
    if (capture) std::fclose(capture);
    stop_();
    return;
  }
  stop_();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::rewind(capture);
  char line[1024];
  while (std::fgets(line, sizeof line, capture))
    if (std::string_view(line).rfind("PROFILE: interrupts/evictions/bytes", 0) != 0) std::fputs(line, stderr);
  std::fclose(capture);
}

double samples_per_cpu_second(const CpuRun& run) {
  return run.cpu_seconds > 0 ? static_cast<double>(run.raw.total_samples()) / run.cpu_seconds : 0.0;
}

std::string sampling_rate_note(const CpuRun& run, int frequency) {
  // Below ~50 expected samples the count is too noisy to tell a capped timer from chance.
  if (run.cpu_seconds * frequency < 50) return "";
  const double rate = samples_per_cpu_second(run);
  if (rate >= 0.75 * frequency) return "";
  char text[512];
  std::snprintf(text, sizeof text,
                "note: %llu samples in %.2f s of CPU time: %.0f per CPU second, not the %d Hz asked for. The kernel "
                "fires CPU-time timers at most once per scheduler tick (CONFIG_HZ), so here --frequency above ~%.0f "
                "gives no more samples, and each sample stands for ~%.0f us of CPU, not %.0f.\n",
                static_cast<unsigned long long>(run.raw.total_samples()), run.cpu_seconds, rate, frequency, rate,
                1e6 / std::max(rate, 1e-9), 1e6 / frequency);
  return text;
}

void set_cpu_profile_frequency(int hz) {
  if (hz < 1 || hz > 4000) throw UsageError("CPU profile frequency must be 1..4000 Hz, got " + std::to_string(hz));
  ::setenv("CPUPROFILE_FREQUENCY", std::to_string(hz).c_str(), 1);
}

std::vector<SampledStack> symbolise_samples(const GperfProfile& raw) {
  Symbolizer sym(modules_from_maps(raw.maps));
  std::vector<SampledStack> stacks;
  for (const auto& s : raw.samples) stacks.push_back({sample_frames(sym, s), s.count});
  return stacks;
}

CallgrindProfile cpu_stacks_to_callgrind(const std::vector<SampledStack>& stacks, std::uint64_t period_us,
                                         const std::string& command) {
  CallgrindProfile p;
  p.creator = "kprof cpu (gperftools samples, symbolised by kprof)";
  p.command = command;
  p.events = {"Samples"};
  p.event_names = {"CPU profiler samples (" + std::to_string(period_us) + " us each)"};
  p.instr_positions = true;
  p.descriptions.push_back("Sampling period: " + std::to_string(period_us) + " us");
  StackGraph graph(p);
  std::vector<const Frame*> frames;
  for (const SampledStack& s : stacks) {
    frames.clear();
    for (const Frame& f : s.frames) frames.push_back(&f);
    graph.add(frames, {static_cast<std::int64_t>(s.count)});
  }
  graph.finish();
  return p;
}

CallgrindProfile cpu_profile_to_callgrind(const GperfProfile& raw, const std::string& command) {
  return cpu_stacks_to_callgrind(symbolise_samples(raw), raw.period_us, command);
}

namespace {

// A file in memory (memfd), opened by name through /proc/self/fd. gperftools aborts the process
// (SIGABRT, no message) when it cannot write its profile, on a full disk for one; written to
// memory, the profile then goes to its folder like every file kprof writes (atomically, exit 2
// naming the file when the disk is full).
class MemoryFile {
 public:
  explicit MemoryFile(const char* name) : fd_(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd_ < 0)
      throw ToolError(std::string("cannot create an in-memory file for the CPU profile: ") + std::strerror(errno));
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() { ::close(fd_); }
  std::filesystem::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }
  std::string contents() const {
    std::string out;
    char buffer[65536];
    for (off_t at = 0;;) {
      const ssize_t got = ::pread(fd_, buffer, sizeof buffer, at);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw ToolError(std::string("cannot read the in-memory CPU profile: ") + std::strerror(errno));
      if (got == 0) return out;
      out.append(buffer, static_cast<std::size_t>(got));
      at += got;
    }
  }

 private:
  int fd_;
};

}  // namespace

namespace {

// gperftools writes the profile of each child process the program forks to <file>_<pid>; kprof
// reports the program itself, so they go (they are temporaries of this run).
void remove_child_profiles(const std::filesystem::path& profile) {
  const std::string prefix = profile.filename().string() + "_";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(profile.parent_path(), ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove(entry.path(), ec);
}

}  // namespace

CpuRun run_cpu_kernel(CpuKernelTarget& t, const std::filesystem::path& out_dir) {
  ensure_writable_dir(out_dir);
  set_cpu_profile_frequency(t.frequency);
  const Job& job = t.job;
  const std::string stem = file_safe(job.family().name + "." + job.variant().name + "." +
                                     std::string(to_string(job.dtype)) + "." + job.size.str());
  const auto prof = out_dir / ("cpu." + stem + ".prof");
  MemoryFile profile("kprof-cpu-profile");
  CpuProfilerHooks hooks(profile.path());
  // Without --iterations: enough calls to fill `seconds`, so that the profile holds about
  // seconds * frequency samples.
  RegionOptions o{t.iterations, true, t.iterations == 0 ? t.seconds : 0.0};
  double seconds = run_region(job, o, hooks, &t.iterations);
  write_file_atomically(prof, profile.contents());
  CpuRun run = convert(prof, out_dir / ("callgrind.out.cpu." + stem), self_exe().string() + " cpu");
  run.region_seconds = seconds;
  run.cpu_seconds = hooks.cpu_seconds();
  return run;
}

CpuRun run_cpu_program(const std::vector<std::string>& argv, int frequency, const std::filesystem::path& out_dir) {
  if (argv.empty()) throw UsageError("no program given after --");
  require_program(argv[0]);
  if (frequency < 1 || frequency > 4000) throw UsageError("CPU profile frequency must be 1..4000 Hz");
  ensure_writable_dir(out_dir);
  const std::string stem = file_safe(std::filesystem::path(argv[0]).filename().string());
  const auto prof = std::filesystem::absolute(out_dir / ("cpu." + stem + ".prof"));
  const auto tmp = temporary_name_for(prof);
  const auto exec_log = temporary_name_for(out_dir / ("cpu." + stem + ".execs"));
  RemoveOnExit cleanup({tmp, exec_log});  // tmp is renamed away once the program has written it
  Command command;
  command.argv = argv;
  command.env = {{"LD_PRELOAD", ld_preload_with({libprofiler_path(), exec_guard_library()})},
                 {"CPUPROFILE", tmp.string()},
                 {"CPUPROFILE_FREQUENCY", std::to_string(frequency)},
                 {"KPROF_EXEC_LOG", std::filesystem::absolute(exec_log).string()},
                 {"KPROF_PARENT_PID", std::to_string(::getpid())}};  // profilers/process/exec_guard.cpp
  ProcessResult program = run_process(command);
  remove_child_profiles(tmp);
  // gperftools writes the profile when the program exits, whatever its status; a program killed
  // by a signal, or one that leaves with _exit (a shell), leaves none, an empty one or half of one.
  std::error_code ec;
  if (program.signal != 0 || !std::filesystem::exists(tmp, ec) || std::filesystem::file_size(tmp, ec) == 0)
    throw ToolError(join_argv(argv) + ", run with gperftools' CPU profiler, " + program.how_it_ended() +
                    " without writing a CPU profile" +
                    (program.ok() ? " (it ran too briefly for a sample, or it is statically linked)" : ""));
  std::filesystem::rename(tmp, prof);
  CpuRun run = convert(prof, out_dir / ("callgrind.out.cpu." + stem), join_argv(argv));
  run.region_seconds = program.wall_seconds;
  run.cpu_seconds = program.cpu_seconds;
  run.exit_status = program.status();
  run.execs = execs_logged(exec_log);
  return run;
}

CpuEntry cpu_entry(const CpuKernelTarget& t, const CpuRun& run, std::size_t top) {
  const Job& job = t.job;
  CpuEntry e = entry_of(Subject::kernel(job.family().name, job.variant().name, job.dtype, job.size), run, top);
  e.iterations = t.iterations;
  e.threads = job.threads;
  e.frequency_hz = t.frequency;
  return e;
}

CpuEntry cpu_program_entry(const std::vector<std::string>& argv, const CpuRun& run, std::size_t top) {
  Subject program = Subject::of_program(argv);
  program.exit_status = run.exit_status;
  return entry_of(std::move(program), run, top);
}

}  // namespace kprof
