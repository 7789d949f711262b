#include "kprof/environment.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "blas_probe.h"
#include "kprof/isa.h"
#include "kprof/registry.h"
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

// The build of the code being measured: the registered families' translation units (their
// KPROF_FAMILY recorded it, kprof::BuildInfo). Families built differently are listed together
// (" | "); it is optimised only if all are, and assertions are on if any has them. A binary
// without families (e.g. `kprof mem -- ./program`) describes kprof's own build.
void describe_measured_build(Environment& e) {
  const auto families = registry().families();
  if (families.empty()) {
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
    return;
  }
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

// The loud warnings about the measured code's build (shown by run, env and regress).
void warn_about_build(Environment& e) {
  if (!e.optimized || e.build_type == "Debug")
    e.warnings.push_back("UNOPTIMISED BUILD of the measured code (" + e.build_type + ", flags '" + e.cxx_flags +
                         "'): timings are meaningless; build with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Release");
  if (e.assertions)
    e.warnings.push_back(
        "ASSERTIONS ENABLED in the measured code (NDEBUG not defined): assert() checks are timed "
        "with the kernel; build with -DCMAKE_BUILD_TYPE=RelWithDebInfo or Release");
}

// "0.3.21" from openblas_get_config() ("OpenBLAS 0.3.21 NO_AFFINITY Haswell MAX_THREADS=64"): the
// library really loaded, not the header kprof was compiled with.
std::string openblas_version() {
  std::istringstream words(openblas_get_config());
  std::string name, version;
  words >> name >> version;
  return version;
}

// What BLAS the binary links (a family's), and the warning when its kernels are narrower than the CPU.
void describe_blas(Environment& e) {
  e.openblas_coretype_env = getenv_or("OPENBLAS_CORETYPE", "");
  if (!detail::openblas_linked()) {
    e.blas_library = "none";
    e.blas_threads = 0;
    return;
  }
  e.blas_library = "OpenBLAS";
  e.blas_version = openblas_version();
  e.blas_config = trim(openblas_get_config());
  e.blas_core = trim(openblas_get_corename());
  e.blas_threads = openblas_get_num_threads();
  bool has_avx512 = false;
  for (const auto& f : e.cpu_flags) has_avx512 |= f == "avx512f";
  if (has_avx512 && core_narrower_than_avx512(e.blas_core)) {
    std::string cause = e.openblas_coretype_env.empty()
                            ? "OpenBLAS picked its " + e.blas_core + " (AVX2) kernels on this AVX-512 CPU"
                            : "OPENBLAS_CORETYPE=" + e.openblas_coretype_env +
                                  " in the environment makes OpenBLAS run its " + e.blas_core +
                                  " (AVX2) kernels on this AVX-512 CPU";
    e.warnings.push_back(cause +
                         ": BLAS variants run at about half the speed the CPU allows. Fix: export "
                         "OPENBLAS_CORETYPE=SkylakeX before running (measured here: dgemm n=2048 ~30 -> ~60 GFLOP/s)");
  }
}

// "48K", "1024K", "32M" (sysfs) in bytes; 0 when unreadable.
std::int64_t parse_cache_size(const std::string& text) {
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || value <= 0) return 0;
  switch (*end) {
    case 'K':
      return value << 10;
    case 'M':
      return value << 20;
    case 'G':
      return value << 30;
    default:
      return value;
  }
}

}  // namespace

std::vector<CacheLevel> read_cpu_caches(const std::filesystem::path& dir) {
  std::vector<CacheLevel> caches;
  for (int index = 0;; ++index) {
    std::filesystem::path entry = dir / ("index" + std::to_string(index));
    std::error_code ec;
    if (!std::filesystem::is_directory(entry, ec)) break;
    CacheLevel c;
    c.level = std::atoi(first_line((entry / "level").c_str()).c_str());
    c.type = trim(first_line((entry / "type").c_str()));
    c.bytes = parse_cache_size(trim(first_line((entry / "size").c_str())));
    if (c.level > 0 && c.bytes > 0) caches.push_back(c);
  }
  return caches;
}

double last_level_cache_bytes() {
  static const double bytes = [] {
    const CacheLevel* last = nullptr;
    static const std::vector<CacheLevel> caches = read_cpu_caches();
    for (const auto& c : caches)
      if (c.type != "Instruction" && (last == nullptr || c.level > last->level)) last = &c;
    return last ? static_cast<double>(last->bytes) : 0.0;
  }();
  return bytes;
}

std::string blas_code_path() {
  if (!detail::openblas_linked()) return "no BLAS linked into this binary";
  std::string core = trim(openblas_get_corename());
  std::string out = "OpenBLAS " + openblas_version() + " core " + core;
  if (cpu_supports(Isa::avx512) && core_narrower_than_avx512(core)) out += " (AVX2 kernels on an AVX-512 CPU)";
  out += ", " + std::to_string(openblas_get_num_threads()) + " thread(s)";
  return out;
}

Environment collect_environment(int threads) {
  Environment e;
  utsname u{};
  if (uname(&u) == 0) {
    e.hostname = u.nodename;
    e.os = std::string(u.sysname) + " " + u.release;
  }
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
  e.widest_isa = std::string(to_string(widest_supported_isa()));
  e.logical_cpus = static_cast<int>(std::thread::hardware_concurrency());
  e.caches = read_cpu_caches();
  e.governor = first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  e.perf_counters = perf_counters_available();
  describe_measured_build(e);
  e.omp_threads = std::atoi(getenv_or("OMP_NUM_THREADS", "1").c_str());
  e.threads = threads;
  e.eigen_version = std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
                    std::to_string(EIGEN_MINOR_VERSION);

  warn_about_build(e);
  describe_blas(e);
  if (!e.governor.empty() && e.governor != "performance")
    e.warnings.push_back("CPU frequency governor is '" + e.governor +
                         "', not 'performance': timings drift with clock scaling");
  if (e.hypervisor)
    e.warnings.push_back(
        "running in a virtual machine: wall times are noisier; compare medians and ratios from one run");
  if (!e.perf_counters)
    e.warnings.push_back(
        "hardware performance counters are unavailable here: use `kprof callgrind` instruction counts for "
        "deterministic figures");
  if (threads > e.logical_cpus && e.logical_cpus > 0)
    e.warnings.push_back("--threads " + std::to_string(threads) + " exceeds the " + std::to_string(e.logical_cpus) +
                         " logical CPUs: oversubscribed");

  e.fingerprint = fnv1a_hex(e.cpu_model + "|" + e.widest_isa + "|" + e.compiler + "|" + e.cxx_flags + "|" +
                            e.build_type + "|" + (e.optimized ? "O" : "-") + (e.assertions ? "A" : "-") + "|" +
                            e.blas_version + "|" + e.blas_core + "|" + std::to_string(threads));
  return e;
}

}  // namespace kprof
