#include "kprof/environment.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cblas.h>
#include <Eigen/Core>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "kprof/isa.h"
#include "kprof/runner.h"

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

std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// OpenBLAS core names whose widest kernels are AVX2 or narrower.
bool core_narrower_than_avx512(const std::string& core) {
  static const std::set<std::string> narrow = {"Haswell",   "Zen",        "Sandybridge", "Nehalem",    "Core2",
                                               "Prescott",  "Atom",       "Penryn",      "Dunnington", "Barcelona",
                                               "Bulldozer", "Piledriver", "Steamroller", "Excavator",  "Katmai"};
  return narrow.count(core) > 0;
}

}  // namespace

std::string blas_code_path() {
  std::string core = trim(openblas_get_corename());
  std::string out = std::string(OPENBLAS_VERSION) + " core " + core;
  if (cpu_supports(Isa::avx512) && core_narrower_than_avx512(core)) out += " (AVX2 kernels on an AVX-512 CPU)";
  out += ", " + std::to_string(openblas_get_num_threads()) + " thread(s)";
  // Collapse the double spaces of OPENBLAS_VERSION (" OpenBLAS 0.3.21 ").
  std::string clean;
  for (char c : out)
    if (!(c == ' ' && !clean.empty() && clean.back() == ' ')) clean += c;
  return trim(clean);
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

// How kprof itself was built: compiler, flags, optimisation.
void read_build(Environment& e) {
  e.compiler = std::string("g++ ") + __VERSION__;
#ifdef __clang__
  e.compiler = std::string("clang ") + __clang_version__;
#endif
  e.cxx_flags = KPROF_CXX_FLAGS;
  e.build_type = KPROF_BUILD_TYPE;
#ifdef __OPTIMIZE__
  e.optimized = true;
#else
  e.optimized = false;
#endif
}

// The libraries that variants call, and the thread settings they obey.
void read_libraries(Environment& e) {
  e.blas_library = "OpenBLAS";
  e.blas_version = trim(OPENBLAS_VERSION);
  if (e.blas_version.rfind("OpenBLAS ", 0) == 0) e.blas_version = e.blas_version.substr(9);
  e.blas_config = trim(openblas_get_config());
  e.blas_core = trim(openblas_get_corename());
  e.blas_threads = openblas_get_num_threads();
  e.openblas_coretype_env = getenv_or("OPENBLAS_CORETYPE", "");
  e.omp_threads = std::atoi(getenv_or("OMP_NUM_THREADS", "1").c_str());
  e.eigen_version = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                    std::to_string(EIGEN_MINOR_VERSION);
}

// What makes this environment's figures unreliable, each with its fix.
std::vector<std::string> warnings_for(const Environment& e) {
  std::vector<std::string> w;
  if (!e.optimized || e.build_type == "Debug")
    w.push_back("UNOPTIMISED BUILD (" + e.build_type +
                "): timings are meaningless; build with -DCMAKE_BUILD_TYPE=RelWithDebInfo");
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
  e.governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  e.perf_counters = perf_counters_available();
  read_build(e);
  read_libraries(e);
  e.threads = threads;
  e.warnings = warnings_for(e);
  e.fingerprint = fnv1a_hex(e.cpu_model + "|" + e.widest_isa + "|" + e.compiler + "|" + e.cxx_flags + "|" +
                            e.build_type + "|" + e.blas_version + "|" + e.blas_core + "|" + std::to_string(threads));
  return e;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace kprof
