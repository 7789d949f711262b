#pragma once
// The Run document: one versioned record of a kprof command, its environment and its results.
// Every profiler adds to it; reports/ reads and writes it (reports/include/kprof/reports/run_json.h).
// Sections owned by a single profiler (line timers, memory, callgrind, gperftools, regression)
// live in `sections` under their own key: one typed struct each (kprof/sections.h, documented in
// docs/FORMATS.md), written with run.set_section(s) and read with run.section<T>().
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/caches.h"
#include "kprof/kernel.h"
#include "kprof/sections/section.h"
#include "kprof/size.h"
#include "kprof/thread_pools.h"

namespace kprof {

inline constexpr int kRunSchemaVersion = 1;

struct Environment {
  std::string hostname;
  std::string os;  // uname sysname + release
  std::string cpu_model;
  std::vector<std::string> cpu_flags;  // the SIMD-relevant subset of /proc/cpuinfo flags
  std::string widest_isa;              // what kprof's dispatch would use
  int logical_cpus = 0;
  std::vector<CacheLevel> caches;  // kprof/caches.h; empty when neither sysfs nor CPUID describes them
  std::string cache_source;        // "sysfs", "cpuid" or "" (unknown)
  std::string governor;            // "" when not readable (VMs often hide cpufreq)
  bool hypervisor = false;
  bool perf_counters = false;  // false: hardware counters unavailable (perf_event_open)
  // The build of the measured code (the families' translation units, kprof::BuildInfo).
  std::string compiler;
  std::string cxx_flags;
  std::string build_type;
  bool optimized = true;     // false: an unoptimised build; numbers are meaningless
  bool assertions = false;   // true: NDEBUG was not defined, assert() runs inside the kernels
  std::string blas_library;  // "OpenBLAS"
  std::string blas_version;
  std::string blas_config;  // openblas_get_config()
  std::string blas_core;    // openblas_get_corename(): the kernels really used
  int blas_threads = 1;
  std::vector<ThreadPool> thread_pools;  // kprof::thread_pools() when the run started
  std::string openblas_coretype_env;     // OPENBLAS_CORETYPE as set, "" when unset
  int omp_threads = 1;
  int threads = 1;  // kprof --threads for the run
  std::string eigen_version;
  std::vector<std::string> warnings;  // what makes these figures unreliable, and the fix
  std::string fingerprint;            // hash of what makes two runs comparable

  bool operator==(const Environment&) const = default;
};

struct MachinePeak {
  double f64_gflops = 0;  // FMA throughput, one core, widest ISA
  double f32_gflops = 0;
  double triad_gbps = 0;  // STREAM triad, one core
  std::string isa;
  std::string measured_at;  // ISO time; cached per CPU model and kprof build
  bool from_cache = false;
  bool operator==(const MachinePeak&) const = default;
};

struct TimingStats {
  std::int64_t iterations_per_round = 0;
  std::vector<double> round_ns;  // time per call in each round, in round order
  double median_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
  double mad_ns = 0;  // median absolute deviation
  double q1_ns = 0;
  double q3_ns = 0;
  bool operator==(const TimingStats&) const = default;
};

enum class Status { ok, wrong, skipped, failed };
std::string_view to_string(Status s);
Status status_from_string(std::string_view s);

struct Result {
  std::string family;
  std::string variant;
  Kind kind = Kind::scalar;
  Isa isa = Isa::baseline;
  DType dtype = DType::f64;
  Size size;
  int threads = 1;       // the job's threads (kprof::Job): the variant's own, or BLAS's for the others
  int blas_threads = 1;  // the BLAS pool's size while it ran
  Status status = Status::ok;
  std::string reason;        // why wrong / skipped / failed
  std::string code_path;     // what really ran
  double max_rel_error = 0;  // normwise: max|out-ref| / max|ref|
  double tolerance = 0;
  double flops = 0;  // per call
  double bytes = 0;  // per call
  // Bytes one chunk of the kernel works on (FamilyRecord::working_set), what must fit a cache for a
  // chunked kernel to run from it; 0 when the family declares none.
  double working_set = 0;
  TimingStats time;  // empty unless status == ok
  double gflops = 0;
  double gbps = 0;
  std::optional<double> speedup_vs_scalar;
  double pct_peak = 0;  // % of the roofline bound at this kernel's arithmetic intensity
  std::string bound;    // "compute" or "memory": which roof applies
  bool operator==(const Result&) const = default;

  std::string key() const;  // job_key(): "family/variant/dtype/size[/threads=N[,blas=M]]", unique within a run
};

struct Run {
  int schema_version = kRunSchemaVersion;
  std::string kprof_version;
  std::string created_utc;
  std::string command;     // the command line that made it
  std::string git_commit;  // KPROF_GIT_COMMIT or `git rev-parse HEAD` of the cwd, if any
  Environment environment;
  MachinePeak peak;
  std::vector<Result> results;
  // Sections by name, as JSON: kprof reads and writes them through the typed accessors below;
  // a section this kprof does not know (from a newer writer) is kept as it is.
  std::map<std::string, nlohmann::json> sections;
  bool operator==(const Run&) const = default;

  template <RunSection T>
  void set_section(const T& section) {
    sections[std::string(T::kName)] = section.to_json();
  }
  // nullopt when the run has no such section; UsageError when it is malformed (documents read
  // with read_run were validated already, with the file's name in the message).
  template <RunSection T>
  std::optional<T> section() const {
    auto it = sections.find(std::string(T::kName));
    if (it == sections.end()) return std::nullopt;
    return T::from_json(JsonField(it->second, "run document", "sections." + std::string(T::kName)));
  }
  template <RunSection T>
  bool has_section() const {
    return sections.count(std::string(T::kName)) != 0;
  }
};

}  // namespace kprof
