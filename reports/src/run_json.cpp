#include "kprof/reports/run_json.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/reports/gbench_json.h"
#include "kprof/sections.h"

namespace kprof {
namespace {

using nlohmann::json;

json stats_json(const TimingStats& t) {
  return {{"iterations_per_round", t.iterations_per_round},
          {"round_ns", t.round_ns},
          {"median_ns", t.median_ns},
          {"min_ns", t.min_ns},
          {"max_ns", t.max_ns},
          {"mad_ns", t.mad_ns},
          {"q1_ns", t.q1_ns},
          {"q3_ns", t.q3_ns}};
}

json result_json(const Result& r) {
  json j = {{"family", r.family},
            {"variant", r.variant},
            {"kind", to_string(r.kind)},
            {"isa", to_string(r.isa)},
            {"dtype", to_string(r.dtype)},
            {"size", size_to_json(r.size)},
            {"threads", r.threads},
            {"blas_threads", r.blas_threads},
            {"status", to_string(r.status)},
            {"reason", r.reason},
            {"code_path", r.code_path},
            // JSON has no infinity: an unbounded error (NaN output, size mismatch) is written as null.
            {"max_rel_error", std::isfinite(r.max_rel_error) ? json(r.max_rel_error) : json(nullptr)},
            {"tolerance", r.tolerance},
            {"flops", r.flops},
            {"bytes", r.bytes},
            {"working_set", r.working_set},
            {"time", stats_json(r.time)},
            {"gflops", r.gflops},
            {"gbps", r.gbps},
            {"pct_peak", r.pct_peak},
            {"bound", r.bound}};
  j["speedup_vs_scalar"] = r.speedup_vs_scalar ? json(*r.speedup_vs_scalar) : json(nullptr);
  return j;
}

json caches_json(const std::vector<CacheLevel>& caches) {
  json out = json::array();
  for (const auto& c : caches) out.push_back({{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}});
  return out;
}

json pools_json(const std::vector<ThreadPool>& pools) {
  json out = json::array();
  for (const ThreadPool& p : pools)
    out.push_back({{"api", p.api},
                   {"library", p.library},
                   {"version", p.version},
                   {"threads", p.threads},
                   {"core", p.core},
                   {"threading", p.threading},
                   {"config", p.config}});
  return out;
}

json env_json(const Environment& e) {
  return {{"hostname", e.hostname},
          {"os", e.os},
          {"cpu_model", e.cpu_model},
          {"cpu_flags", e.cpu_flags},
          {"widest_isa", e.widest_isa},
          {"logical_cpus", e.logical_cpus},
          {"caches", caches_json(e.caches)},
          {"cache_source", e.cache_source},
          {"governor", e.governor},
          {"hypervisor", e.hypervisor},
          {"perf_counters", e.perf_counters},
          {"compiler", e.compiler},
          {"cxx_flags", e.cxx_flags},
          {"build_type", e.build_type},
          {"optimized", e.optimized},
          {"assertions", e.assertions},
          {"blas_library", e.blas_library},
          {"blas_version", e.blas_version},
          {"blas_config", e.blas_config},
          {"blas_core", e.blas_core},
          {"blas_threads", e.blas_threads},
          {"thread_pools", pools_json(e.thread_pools)},
          {"openblas_coretype_env", e.openblas_coretype_env},
          {"omp_threads", e.omp_threads},
          {"threads", e.threads},
          {"eigen_version", e.eigen_version},
          {"warnings", e.warnings},
          {"fingerprint", e.fingerprint}};
}

// Reads fields with errors that name the document and the JSON path.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  template <class T>
  T get(const json& j, const char* key, const std::string& where) const {
    if (!j.is_object() || !j.contains(key))
      throw UsageError(std::string(source_) + ": missing field '" + where + key + "'");
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return whole<T>(j.at(key), key, where);
    try {
      return j.at(key).get<T>();
    } catch (const json::exception&) {
      throw UsageError(std::string(source_) + ": field '" + where + key + "' has the wrong type (" +
                       j.at(key).type_name() + ")");
    }
  }

  // A whole number that fits T. nlohmann's get<int>() converts a float such as 1e93 with a cast,
  // which is undefined behaviour when it does not fit (found by fuzz_report_page).
  template <class T>
  T whole(const json& value, const char* key, const std::string& where) const {
    const std::string field = std::string(source_) + ": field '" + where + key + "'";
    if (!value.is_number_integer())
      throw UsageError(field + " has the wrong type (" + value.type_name() + "): a whole number is expected");
    const bool fits = value.is_number_unsigned()
                          ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                          : std::in_range<T>(value.get<std::int64_t>());
    if (!fits) throw UsageError(field + " is " + value.dump() + ", out of range");
    return value.is_number_unsigned() ? static_cast<T>(value.get<std::uint64_t>())
                                      : static_cast<T>(value.get<std::int64_t>());
  }

  const json& obj(const json& j, const char* key, const std::string& where) const {
    if (!j.is_object() || !j.contains(key) || !j.at(key).is_object())
      throw UsageError(std::string(source_) + ": missing object '" + where + key + "'");
    return j.at(key);
  }

  // A figure that is a count, a size or a time: finite and not negative.
  double non_negative(const json& j, const char* key, const std::string& where) const {
    const double value = get<double>(j, key, where);
    if (!std::isfinite(value) || value < 0)
      throw UsageError(std::string(source_) + ": field '" + where + key + "' is " + json(value).dump() +
                       ": a count, size or time cannot be negative");
    return value;
  }

  [[noreturn]] void fail(const std::string& what) const { throw UsageError(std::string(source_) + ": " + what); }

  template <class F>
  auto wrap(const std::string& where, F&& f) const {
    try {
      return f();
    } catch (const UsageError& e) {
      std::string what = e.what();
      if (what.rfind(std::string(source_), 0) == 0) throw;
      throw UsageError(std::string(source_) + ": " + where + ": " + what);
    }
  }

 private:
  std::string_view source_;
};

Environment env_from(const json& j, const Reader& r) {
  const std::string w = "environment.";
  Environment e;
  e.hostname = r.get<std::string>(j, "hostname", w);
  e.os = r.get<std::string>(j, "os", w);
  e.cpu_model = r.get<std::string>(j, "cpu_model", w);
  e.cpu_flags = r.get<std::vector<std::string>>(j, "cpu_flags", w);
  e.widest_isa = r.get<std::string>(j, "widest_isa", w);
  e.logical_cpus = r.get<int>(j, "logical_cpus", w);
  // Documents written before the caches were recorded have none.
  if (j.contains("caches"))
    for (const json& c : r.get<json>(j, "caches", w)) {
      const std::string at = w + "caches[].";
      e.caches.push_back(
          {r.get<int>(c, "level", at), r.get<std::string>(c, "type", at), r.get<std::int64_t>(c, "bytes", at)});
    }
  if (j.contains("cache_source")) e.cache_source = r.get<std::string>(j, "cache_source", w);
  e.governor = r.get<std::string>(j, "governor", w);
  e.hypervisor = r.get<bool>(j, "hypervisor", w);
  e.perf_counters = r.get<bool>(j, "perf_counters", w);
  e.compiler = r.get<std::string>(j, "compiler", w);
  e.cxx_flags = r.get<std::string>(j, "cxx_flags", w);
  e.build_type = r.get<std::string>(j, "build_type", w);
  e.optimized = r.get<bool>(j, "optimized", w);
  // Documents written before the build of the measured code was recorded have no "assertions".
  if (j.contains("assertions")) e.assertions = r.get<bool>(j, "assertions", w);
  e.blas_library = r.get<std::string>(j, "blas_library", w);
  e.blas_version = r.get<std::string>(j, "blas_version", w);
  e.blas_config = r.get<std::string>(j, "blas_config", w);
  e.blas_core = r.get<std::string>(j, "blas_core", w);
  e.blas_threads = r.get<int>(j, "blas_threads", w);
  // Documents written before the thread pools were recorded have none.
  if (j.contains("thread_pools"))
    for (const json& p : r.get<json>(j, "thread_pools", w)) {
      const std::string at = w + "thread_pools[].";
      e.thread_pools.push_back({r.get<std::string>(p, "api", at), r.get<std::string>(p, "library", at),
                                r.get<std::string>(p, "version", at), r.get<int>(p, "threads", at),
                                r.get<std::string>(p, "core", at), r.get<std::string>(p, "threading", at),
                                r.get<std::string>(p, "config", at)});
    }
  e.openblas_coretype_env = r.get<std::string>(j, "openblas_coretype_env", w);
  e.omp_threads = r.get<int>(j, "omp_threads", w);
  e.threads = r.get<int>(j, "threads", w);
  e.eigen_version = r.get<std::string>(j, "eigen_version", w);
  e.warnings = r.get<std::vector<std::string>>(j, "warnings", w);
  e.fingerprint = r.get<std::string>(j, "fingerprint", w);
  return e;
}

// A timed result's rounds and their summary: times are not negative, and a result timed `ok` has
// its rounds (the gate compares them; an empty list would drop the comparison silently).
void read_time(const json& t, const Reader& r, const std::string& tw, Result& x) {
  x.time.iterations_per_round = r.get<std::int64_t>(t, "iterations_per_round", tw);
  x.time.round_ns = r.get<std::vector<double>>(t, "round_ns", tw);
  for (std::size_t i = 0; i < x.time.round_ns.size(); ++i)
    if (!std::isfinite(x.time.round_ns[i]) || x.time.round_ns[i] < 0)
      r.fail("field '" + tw + "round_ns[" + std::to_string(i) + "]' is " + json(x.time.round_ns[i]).dump() +
             ": a time cannot be negative");
  if (x.status == Status::ok && x.time.round_ns.empty())
    r.fail("field '" + tw + "round_ns' is empty, but the result's status is ok: a timed result has its rounds");
  x.time.median_ns = r.non_negative(t, "median_ns", tw);
  x.time.min_ns = r.non_negative(t, "min_ns", tw);
  x.time.max_ns = r.non_negative(t, "max_ns", tw);
  x.time.mad_ns = r.non_negative(t, "mad_ns", tw);
  x.time.q1_ns = r.non_negative(t, "q1_ns", tw);
  x.time.q3_ns = r.non_negative(t, "q3_ns", tw);
}

Result result_from(const json& j, const Reader& r, const std::string& w) {
  Result x;
  x.family = r.get<std::string>(j, "family", w);
  x.variant = r.get<std::string>(j, "variant", w);
  x.kind = [&] {
    auto k = r.get<std::string>(j, "kind", w);
    for (Kind kind : {Kind::scalar, Kind::simd, Kind::blas, Kind::eigen, Kind::other})
      if (to_string(kind) == k) return kind;
    throw UsageError("unknown kind '" + k + "' at " + w + "kind");
  }();
  x.isa = r.wrap(w + "isa", [&] { return isa_from_string(r.get<std::string>(j, "isa", w)); });
  x.dtype = r.wrap(w + "dtype", [&] { return dtype_from_string(r.get<std::string>(j, "dtype", w)); });
  std::vector<std::pair<std::string, std::int64_t>> dims;
  for (const auto& [name, value] : r.obj(j, "size", w).items()) {
    if (!value.is_number_integer()) throw UsageError("size '" + name + "' at " + w + "size is not an integer");
    dims.emplace_back(name, value.get<std::int64_t>());
  }
  x.size = Size(std::move(dims));
  // Documents written before thread sweeps ran everything on one thread and had no working sets.
  if (j.contains("threads")) x.threads = r.get<int>(j, "threads", w);
  x.blas_threads = j.contains("blas_threads") ? r.get<int>(j, "blas_threads", w) : x.threads;
  if (x.threads < 1 || x.blas_threads < 1)
    r.fail("field '" + w + (x.threads < 1 ? "threads" : "blas_threads") + "' is " +
           std::to_string(std::min(x.threads, x.blas_threads)) + ": a run has at least one thread");
  if (j.contains("working_set")) x.working_set = r.non_negative(j, "working_set", w);
  x.status = r.wrap(w + "status", [&] { return status_from_string(r.get<std::string>(j, "status", w)); });
  x.reason = r.get<std::string>(j, "reason", w);
  x.code_path = r.get<std::string>(j, "code_path", w);
  x.max_rel_error = j.contains("max_rel_error") && j.at("max_rel_error").is_null()
                        ? std::numeric_limits<double>::infinity()
                        : r.get<double>(j, "max_rel_error", w);
  x.tolerance = r.get<double>(j, "tolerance", w);
  x.flops = r.non_negative(j, "flops", w);
  x.bytes = r.non_negative(j, "bytes", w);
  read_time(r.obj(j, "time", w), r, w + "time.", x);
  x.gflops = r.get<double>(j, "gflops", w);
  x.gbps = r.get<double>(j, "gbps", w);
  x.pct_peak = r.get<double>(j, "pct_peak", w);
  x.bound = r.get<std::string>(j, "bound", w);
  if (j.contains("speedup_vs_scalar") && !j.at("speedup_vs_scalar").is_null())
    x.speedup_vs_scalar = r.get<double>(j, "speedup_vs_scalar", w);
  return x;
}

}  // namespace

json to_json(const Run& run) {
  json results = json::array();
  for (const auto& r : run.results) results.push_back(result_json(r));
  json sections = json::object();
  for (const auto& [name, value] : run.sections) sections[name] = value;
  return {{"schema_version", run.schema_version},
          {"kprof_version", run.kprof_version},
          {"created_utc", run.created_utc},
          {"command", run.command},
          {"git_commit", run.git_commit},
          {"environment", env_json(run.environment)},
          {"machine_peak",
           {{"f64_gflops", run.peak.f64_gflops},
            {"f32_gflops", run.peak.f32_gflops},
            {"triad_gbps", run.peak.triad_gbps},
            {"isa", run.peak.isa},
            {"measured_at", run.peak.measured_at},
            {"from_cache", run.peak.from_cache}}},
          {"results", results},
          {"sections", sections}};
}

// Known sections are validated as they are read (kprof/sections.h): a malformed one is refused
// with the file and the field named.
Run run_from_json(const json& j, std::string_view source) {
  Reader r(source);
  if (!j.is_object()) throw UsageError(std::string(source) + ": not a kprof run document (expected a JSON object)");
  int version = r.get<int>(j, "schema_version", "");
  if (version != kRunSchemaVersion)
    throw UsageError(std::string(source) + ": schema_version " + std::to_string(version) +
                     " is not supported (this kprof reads " + std::to_string(kRunSchemaVersion) + ")");
  Run run;
  run.schema_version = version;
  run.kprof_version = r.get<std::string>(j, "kprof_version", "");
  run.created_utc = r.get<std::string>(j, "created_utc", "");
  run.command = r.get<std::string>(j, "command", "");
  run.git_commit = r.get<std::string>(j, "git_commit", "");
  run.environment = env_from(r.obj(j, "environment", ""), r);
  const json& p = r.obj(j, "machine_peak", "");
  run.peak.f64_gflops = r.get<double>(p, "f64_gflops", "machine_peak.");
  run.peak.f32_gflops = r.get<double>(p, "f32_gflops", "machine_peak.");
  run.peak.triad_gbps = r.get<double>(p, "triad_gbps", "machine_peak.");
  run.peak.isa = r.get<std::string>(p, "isa", "machine_peak.");
  run.peak.measured_at = r.get<std::string>(p, "measured_at", "machine_peak.");
  run.peak.from_cache = r.get<bool>(p, "from_cache", "machine_peak.");
  if (!j.contains("results") || !j.at("results").is_array())
    throw UsageError(std::string(source) + ": missing array 'results'");
  const json& results = j.at("results");
  std::map<std::string, std::size_t> keys;  // one result per key: the gate would compare a twin twice
  for (std::size_t i = 0; i < results.size(); ++i) {
    run.results.push_back(result_from(results[i], r, "results[" + std::to_string(i) + "]."));
    auto [first, added] = keys.emplace(run.results.back().key(), i);
    if (!added)
      r.fail("results[" + std::to_string(first->second) + "] and results[" + std::to_string(i) + "] are both " +
             first->first + ": a run has one result per key");
  }
  for (const auto& [name, value] : r.obj(j, "sections", "").items()) run.sections[name] = value;
  validate_sections(run, source);
  return run;
}

Run read_run(const std::filesystem::path& path) {
  std::string text = read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw UsageError(path.string() + ": not valid JSON (truncated or corrupt) at byte " + std::to_string(e.byte) +
                     ": " + e.what());
  } catch (const json::exception& e) {  // valid syntax nlohmann cannot hold: a number like 1e400
    throw UsageError(path.string() + ": not a usable JSON document: " + e.what());
  }
  // A Google Benchmark suite's output is read as a Run too, so every reader of runs takes it.
  if (is_gbench_json(j)) return run_from_gbench_json(j, path.string());
  return run_from_json(j, path.string());
}

void write_run(const std::filesystem::path& path, const Run& run) {
  write_file_atomically(path, to_json(run).dump(2) + "\n");
}

}  // namespace kprof
