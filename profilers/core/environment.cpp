#include "kprof/environment.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "kprof/caches.h"
#include "kprof/isa.h"
#include "kprof/registry.h"
#include "kprof/runner.h"
#include "kprof/thread_pools.h"

#ifndef KPROF_CXX_FLAGS
#define KPROF_CXX_FLAGS "unknown"
#endif
#ifndef KPROF_BUILD_TYPE
#define KPROF_BUILD_TYPE "unknown"
#endif

namespace kprof {
namespace {

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\n");
  auto e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string getenv_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

// Hardware counters: open an instructions counter on ourselves. VMs often refuse (ENOENT/EOPNOTSUPP).
bool perf_counters_available() {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = PERF_COUNT_HW_INSTRUCTIONS;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd < 0) return false;
  close(static_cast<int>(fd));
  return true;
}

// OpenBLAS core names whose widest kernels are AVX2 or narrower.
bool core_narrower_than_avx512(const std::string& core) {
  static const std::set<std::string> narrow = {"Haswell",   "Zen",        "Sandybridge", "Nehalem",    "Core2",
                                               "Prescott",  "Atom",       "Penryn",      "Dunnington", "Barcelona",
                                               "Bulldozer", "Piledriver", "Steamroller", "Excavator",  "Katmai"};
  return narrow.count(core) > 0;
}

// "OpenBLAS", "BLIS", "MKL": how a thread pool's API is named to people.
std::string blas_name(const std::string& api) {
  if (api == "openblas") return "OpenBLAS";
  if (api == "blis") return "BLIS";
  if (api == "mkl") return "MKL";
  return api;
}

// The first BLAS pool loaded (kprof/thread_pools.h: found by symbol, so the core links no BLAS).
std::optional<ThreadPool> loaded_blas() {
  for (ThreadPool& pool : thread_pools())
    if (pool.is_blas()) return std::move(pool);
  return std::nullopt;
}

}  // namespace

std::string blas_code_path() {
  const std::optional<ThreadPool> blas = loaded_blas();
  if (!blas) return "no BLAS linked into this binary";
  std::string out = blas_name(blas->api) + " " + blas->version;
  if (!blas->core.empty()) out += " core " + blas->core;
  if (cpu_supports(Isa::avx512) && core_narrower_than_avx512(blas->core)) out += " (AVX2 kernels on an AVX-512 CPU)";
  return out + ", " + std::to_string(blas->threads) + " thread(s)";
}

namespace {

// Model name, the SIMD-relevant flags and the hypervisor bit from /proc/cpuinfo.
void read_cpuinfo(Environment& e) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  static const std::set<std::string> interesting = {"sse4_2",      "avx",         "avx2",     "fma",
                                                    "avx512f",     "avx512dq",    "avx512vl", "avx512bw",
                                                    "avx512_fp16", "avx512_bf16", "amx_tile", "hypervisor"};
  while (std::getline(cpuinfo, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(line.substr(0, colon));
    std::string value = trim(line.substr(colon + 1));
    if (key == "model name" && e.cpu_model.empty()) e.cpu_model = value;
    if (key == "flags" && e.cpu_flags.empty()) {
      std::istringstream words(value);
      std::string flag;
      while (words >> flag) {
        if (flag == "hypervisor")
          e.hypervisor = true;
        else if (interesting.count(flag))
          e.cpu_flags.push_back(flag);
      }
    }
  }
}

std::string collapse_spaces(const std::string& text) {
  std::istringstream words(text);
  std::string word, out;
  while (words >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

// Adds `value` to a " | "-separated list of distinct values.
void add_distinct(std::string& list, const std::string& value) {
  if (list == value || list.find(value + " | ") == 0 || list.find(" | " + value) != std::string::npos) return;
  list += (list.empty() ? "" : " | ") + value;
}

// How kprof itself was built: for a binary without families (`kprof mem -- ./program`).
void read_kprof_build(Environment& e) {
  e.compiler = std::string("g++ ") + __VERSION__;
#ifdef __clang__
  e.compiler = std::string("clang ") + __clang_version__;
#endif
  e.cxx_flags = collapse_spaces(KPROF_CXX_FLAGS);
  e.build_type = KPROF_BUILD_TYPE;
#ifdef __OPTIMIZE__
  e.optimized = true;
#else
  e.optimized = false;
#endif
#ifdef NDEBUG
  e.assertions = false;
#else
  e.assertions = true;
#endif
}

// The build of the code being measured: the registered families' translation units (their
// KPROF_FAMILY recorded it, kprof::BuildInfo). Families built differently are listed together
// (" | "); it is optimised only if all are, and assertions are on if any has them.
void read_build(Environment& e) {
  const auto families = registry().families();
  if (families.empty()) return read_kprof_build(e);
  e.compiler = e.cxx_flags = e.build_type = "";
  e.optimized = true;
  e.assertions = false;
  for (const FamilyRecord* f : families) {
    add_distinct(e.compiler, f->build.compiler);
    add_distinct(e.build_type, f->build.build_type.empty() ? "not recorded" : f->build.build_type);
    add_distinct(e.cxx_flags, f->build.build_type.empty() ? "not recorded (not built with kprof_add_kernels)"
                                                          : collapse_spaces(f->build.cxx_flags));
    e.optimized = e.optimized && f->build.optimized;
    e.assertions = e.assertions || f->build.assertions;
  }
}

// The libraries that variants call, and the thread settings they obey.
// The BLAS is the one the binary loaded (a family's), "none" in a binary without one.
void read_libraries(Environment& e) {
  if (const std::optional<ThreadPool> blas = loaded_blas()) {
    e.blas_library = blas_name(blas->api);
    e.blas_version = blas->version;
    e.blas_config = blas->config;
    e.blas_core = blas->core;
    e.blas_threads = blas->threads;
  } else {
    e.blas_library = "none";
    e.blas_threads = 0;
  }
  e.thread_pools = thread_pools();
  e.openblas_coretype_env = getenv_or("OPENBLAS_CORETYPE", "");
  e.omp_threads = std::atoi(getenv_or("OMP_NUM_THREADS", "1").c_str());
  e.eigen_version = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                    std::to_string(EIGEN_MINOR_VERSION);
}

// What makes this environment's figures unreliable, each with its fix.
std::vector<std::string> warnings_for(const Environment& e) {
  std::vector<std::string> w;
  if (!e.optimized || e.build_type == "Debug")
    w.push_back("UNOPTIMISED BUILD of the measured code (" + e.build_type + ", flags '" + e.cxx_flags +
                "'): timings are meaningless; build with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Release");
  if (e.assertions)
    w.push_back(
        "ASSERTIONS ENABLED in the measured code (NDEBUG not defined): assert() checks are timed with the kernel; "
        "build with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Release");
  bool has_avx512 = false;
  for (const auto& f : e.cpu_flags) has_avx512 |= f == "avx512f";
  if (has_avx512 && core_narrower_than_avx512(e.blas_core)) {
    std::string cause = e.openblas_coretype_env.empty()
                            ? "OpenBLAS picked its " + e.blas_core + " (AVX2) kernels on this AVX-512 CPU"
                            : "OPENBLAS_CORETYPE=" + e.openblas_coretype_env +
                                  " in the environment makes OpenBLAS run its " + e.blas_core +
                                  " (AVX2) kernels on this AVX-512 CPU";
    w.push_back(cause +
                ": BLAS variants run at about half the speed the CPU allows. Fix: export "
                "OPENBLAS_CORETYPE=SkylakeX before running (measured here: dgemm n=2048 ~30 -> ~60 GFLOP/s)");
  }
  if (!e.governor.empty() && e.governor != "performance")
    w.push_back("CPU frequency governor is '" + e.governor + "', not 'performance': timings drift with clock scaling");
  if (e.hypervisor)
    w.push_back("running in a virtual machine: wall times are noisier; compare medians and ratios from one run");
  if (!e.perf_counters)
    w.push_back(
        "hardware performance counters are unavailable here: use `kprof callgrind` instruction counts for "
        "deterministic figures");
  if (e.threads > e.logical_cpus && e.logical_cpus > 0)
    w.push_back("--threads " + std::to_string(e.threads) + " exceeds the " + std::to_string(e.logical_cpus) +
                " logical CPUs: oversubscribed");
  return w;
}

}  // namespace

Environment collect_environment(int threads) {
  Environment e;
  utsname u{};
  if (uname(&u) == 0) {
    e.hostname = u.nodename;
    e.os = std::string(u.sysname) + " " + u.release;
  }
  read_cpuinfo(e);
  e.widest_isa = std::string(to_string(widest_supported_isa()));
  e.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  e.caches = machine_caches().levels;
  e.cache_source = machine_caches().source;
  e.governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  e.perf_counters = perf_counters_available();
  read_build(e);
  read_libraries(e);
  e.threads = threads;
  e.warnings = warnings_for(e);
  e.fingerprint = fnv1a_hex(e.cpu_model + "|" + e.widest_isa + "|" + e.compiler + "|" + e.cxx_flags + "|" +
                            e.build_type + "|" + (e.optimized ? "O" : "-") + (e.assertions ? "A" : "-") + "|" +
                            e.blas_version + "|" + e.blas_core + "|" + std::to_string(threads));
  return e;
}

std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace kprof
