#include "kprof/reports/gbench_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/stats.h"

namespace kprof {
namespace {

using nlohmann::json;

// Reads fields with errors that name the document and the field ("benchmarks[3].real_time").
class Fields {
 public:
  explicit Fields(std::string_view source) : source_(source) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw UsageError(std::string(source_) + ": field '" + field + "' " + what);
  }
  [[noreturn]] void fail(const std::string& what) const { throw UsageError(std::string(source_) + ": " + what); }

  const json& at(const json& j, const char* key, const std::string& where) const {
    if (!j.contains(key)) fail(where + key, "is missing");
    return j.at(key);
  }
  std::string text(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_string()) fail(where + key, std::string("is a ") + v.type_name() + ", not a string");
    return v.get<std::string>();
  }
  std::string text_or(const json& j, const char* key, const std::string& where, const std::string& absent) const {
    return j.contains(key) ? text(j, key, where) : absent;
  }
  // A time or a count: a finite number, not negative.
  double non_negative(const json& j, const char* key, const std::string& where) const {
    const json& v = at(j, key, where);
    if (!v.is_number()) fail(where + key, std::string("is a ") + v.type_name() + ", not a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < 0) fail(where + key, "is " + v.dump() + ": a time or a count cannot be negative");
    return x;
  }
  std::int64_t whole(const json& j, const char* key, const std::string& where, std::int64_t min) const {
    const json& v = at(j, key, where);
    if (!v.is_number_integer() || v.get<std::int64_t>() < min)
      fail(where + key, "is " + v.dump() + ": expected a whole number >= " + std::to_string(min));
    return v.get<std::int64_t>();
  }

 private:
  std::string_view source_;
};

// Nanoseconds per unit of Google Benchmark's time_unit (benchmark::TimeUnit: ns, us, ms, s).
double ns_per_unit(const std::string& unit, const Fields& f, const std::string& field) {
  if (unit == "ns") return 1;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  f.fail(field, "is '" + unit + "': Google Benchmark's time units are ns, us, ms and s");
}

// "2026-11-30T20:01:02+01:00" (Google Benchmark's context.date) in UTC as kprof stamps records
// ("2026-11-30T19:01:02Z"), so that history orders runs of every time zone; another spelling is
// kept as written.
std::string utc_date(const std::string& date) {
  std::tm t{};
  int consumed = 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
                  &t.tm_sec, &consumed) != 6)
    return date;
  long offset_s = 0;
  const std::string zone = date.substr(static_cast<std::size_t>(consumed));
  int hours = 0, minutes = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') &&
      std::sscanf(zone.c_str() + 1, "%2d:%2d", &hours, &minutes) == 2)
    offset_s = (zone[0] == '-' ? -1L : 1L) * (hours * 3600L + minutes * 60L);
  else if (zone != "Z" && !zone.empty())
    return date;
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  const std::time_t utc = timegm(&t) - offset_s;
  std::tm out{};
  gmtime_r(&utc, &out);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &out);
  return buf;
}

std::vector<CacheLevel> caches_from(const json& context, const Fields& f) {
  std::vector<CacheLevel> caches;
  if (!context.contains("caches")) return caches;
  const json& list = context.at("caches");
  if (!list.is_array()) f.fail("context.caches", "is not an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "context.caches[" + std::to_string(i) + "].";
    if (!list[i].is_object()) f.fail(at.substr(0, at.size() - 1), "is not an object");
    caches.push_back({static_cast<int>(f.whole(list[i], "level", at, 0)), f.text(list[i], "type", at),
                      f.whole(list[i], "size", at, 0)});
  }
  return caches;
}

// What Google Benchmark's context says about the machine. Its fingerprint hashes what makes two
// suites' times comparable as far as the context tells: host, CPUs, caches, library build.
Environment environment_from(const json& context, const Fields& f) {
  Environment e;
  e.hostname = f.text_or(context, "host_name", "context.", "");
  if (context.contains("num_cpus")) e.logical_cpus = static_cast<int>(f.whole(context, "num_cpus", "context.", 0));
  e.caches = caches_from(context, f);
  if (!e.caches.empty()) e.cache_source = "google-benchmark";
  e.build_type = f.text_or(context, "library_build_type", "context.", "");
  const bool scaling = context.contains("cpu_scaling_enabled") && context.at("cpu_scaling_enabled").is_boolean() &&
                       context.at("cpu_scaling_enabled").get<bool>();
  if (scaling)
    e.warnings.push_back(
        "CPU frequency scaling was on while Google Benchmark ran (context.cpu_scaling_enabled): times move with "
        "the clock; set the governor to performance");
  if (e.build_type == "debug")
    e.warnings.push_back(
        "the Google Benchmark library was built without NDEBUG (context.library_build_type is debug): Google "
        "Benchmark warns that its timings may be affected (Debian's libbenchmark is built so)");
  std::string caches;
  for (const CacheLevel& c : e.caches) caches += c.name() + "=" + std::to_string(c.bytes) + ";";
  e.fingerprint = fnv1a_hex("google-benchmark|" + e.hostname + "|" + std::to_string(e.logical_cpus) + "|" + caches +
                            "|" + e.build_type);
  return e;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Google Benchmark's own settings in a name ("iterations:100"), never a problem size.
bool is_setting(std::string_view name) {
  return name == "iterations" || name == "repeats" || name == "min_time" || name == "min_warmup_time" ||
         name == "threads";
}

// One segment of a name as sizes: "1024" (the next argN), "n:64" (ArgNames), "k=64,m=64,n=64"
// (kprof bench's keys); nullopt when it is something else (real_time, a label).
std::optional<std::vector<std::pair<std::string, std::int64_t>>> size_segment(std::string_view segment, int& args) {
  std::vector<std::pair<std::string, std::int64_t>> dims;
  int next_arg = args;
  for (std::size_t start = 0; start <= segment.size();) {
    std::size_t comma = segment.find(',', start);
    if (comma == std::string_view::npos) comma = segment.size();
    std::string_view part = segment.substr(start, comma - start);
    start = comma + 1;
    const std::size_t eq = part.find_first_of(":=");
    std::string name =
        eq == std::string_view::npos ? "arg" + std::to_string(next_arg++) : std::string(part.substr(0, eq));
    auto value = whole_number(eq == std::string_view::npos ? part : part.substr(eq + 1));
    if (!value || name.empty() || is_setting(name)) return std::nullopt;
    dims.emplace_back(std::move(name), *value);
  }
  args = next_arg;
  return dims;
}

// A benchmark's run_name as a kprof key: family = the part before the first '/', sizes from the
// arguments, dtype from an "f32"/"f64" segment (f64 otherwise), threads:N, real_time and
// process_time left out, every other segment (manual_time, min_time:0.5, a label) in the variant,
// "gbench" when there is none. kprof bench's own names
// ("gemm/blas/f64/n=64") come back as the keys `kprof run` gives them.
void name_result(const std::string& run_name, Result& r) {
  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const std::size_t slash = run_name.find('/', start);
    segments.push_back(run_name.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  r.family = segments.front();
  std::vector<std::pair<std::string, std::int64_t>> dims;
  std::string variant;
  bool dtype_seen = false;
  int args = 0;
  for (std::size_t i = 1; i < segments.size(); ++i) {
    const std::string& s = segments[i];
    if (s.rfind("threads:", 0) == 0 && whole_number(std::string_view(s).substr(8))) continue;  // the threads field
    // Which clock cpu_time is (process_time), or that real_time is the headline (real_time): the
    // samples are real_time either way, so the key stays what `kprof run` calls the benchmark.
    if (s == "real_time" || s == "process_time") continue;
    if ((s == "f32" || s == "f64") && !dtype_seen) {
      r.dtype = dtype_from_string(s);
      dtype_seen = true;
      continue;
    }
    auto sizes = size_segment(s, args);
    bool repeated = false;
    for (const auto& d : sizes ? *sizes : decltype(dims){})
      for (const auto& have : dims) repeated = repeated || have.first == d.first;
    if (sizes && !repeated)
      dims.insert(dims.end(), sizes->begin(), sizes->end());
    else
      variant += (variant.empty() ? "" : ",") + s;
  }
  r.variant = variant.empty() ? "gbench" : variant;
  r.size = Size(std::move(dims));
}

// One benchmark instance while the document is read: its result and where its entries were.
struct Entry {
  Result result;
  std::size_t first = 0;  // index in benchmarks[] of its first entry
  std::string run_name;
  std::optional<std::int64_t> family_index, instance_index;
  std::set<std::int64_t> repetitions;
  bool aggregates_only = true;
};

Entry& instance_for(const json& b, const std::string& at, std::size_t i, const Fields& f, std::vector<Entry>& instances,
                    std::map<std::string, std::size_t>& by_name) {
  const std::string name = f.text(b, "name", at);
  const std::string run_name = f.text_or(b, "run_name", at, name);
  if (run_name.empty() || run_name.front() == '/') f.fail(at + "run_name", "is '" + run_name + "': no benchmark name");
  std::optional<std::int64_t> family_index, instance_index;
  if (b.contains("family_index")) family_index = f.whole(b, "family_index", at, 0);
  if (b.contains("per_family_instance_index")) instance_index = f.whole(b, "per_family_instance_index", at, 0);
  auto [it, added] = by_name.emplace(run_name, instances.size());
  if (added) {
    Entry x;
    x.first = i;
    x.run_name = run_name;
    x.family_index = family_index;
    x.instance_index = instance_index;
    name_result(run_name, x.result);
    x.result.kind = Kind::other;
    x.result.code_path = "Google Benchmark";
    x.result.threads = x.result.blas_threads =
        b.contains("threads") ? static_cast<int>(f.whole(b, "threads", at, 1)) : 1;
    instances.push_back(std::move(x));
    return instances.back();
  }
  Entry& x = instances[it->second];
  if (x.family_index != family_index || x.instance_index != instance_index)
    f.fail("benchmarks[" + std::to_string(x.first) + "] and benchmarks[" + std::to_string(i) +
           "] are two benchmarks named '" + run_name + "': a suite has one benchmark per name");
  return x;
}

// One repetition: its time per iteration (real_time, in time_unit) is one sample of the result.
void add_repetition(const json& b, const std::string& at, const Fields& f, Entry& x) {
  x.aggregates_only = false;
  const std::int64_t repetition = b.contains("repetition_index") ? f.whole(b, "repetition_index", at, 0)
                                                                 : static_cast<std::int64_t>(x.repetitions.size());
  if (!x.repetitions.insert(repetition).second)
    f.fail(at + "repetition_index", "is " + std::to_string(repetition) + " a second time for '" + x.run_name +
                                        "': two benchmarks of one name, or a repetition written twice");
  if (b.contains("error_occurred") && b.at("error_occurred").is_boolean() && b.at("error_occurred").get<bool>()) {
    x.result.status = Status::failed;
    x.result.reason = f.text_or(b, "error_message", at, "Google Benchmark reported an error");
    return;
  }
  const double unit = ns_per_unit(f.text(b, "time_unit", at), f, at + "time_unit");
  const std::int64_t iterations = f.whole(b, "iterations", at, 1);
  const double real_ns = f.non_negative(b, "real_time", at) * unit;
  f.non_negative(b, "cpu_time", at);  // not a sample (the gate compares wall time), but checked
  if (!std::isfinite(real_ns)) f.fail(at + "real_time", "overflows in nanoseconds");
  if (x.result.time.round_ns.empty()) x.result.time.iterations_per_round = iterations;
  x.result.time.round_ns.push_back(real_ns);
}

}  // namespace

bool is_gbench_json(const json& j) { return j.is_object() && j.contains("context") && j.contains("benchmarks"); }

// Reads every entry, then checks the whole: an instance has samples and a key of its own.
Run run_from_gbench_json(const json& j, std::string_view source) {
  Fields f(source);
  if (!is_gbench_json(j)) f.fail("not a Google Benchmark JSON document (it has \"context\" and \"benchmarks\")");
  const json& context = j.at("context");
  const json& benchmarks = j.at("benchmarks");
  if (!context.is_object()) f.fail("context", "is not an object");
  if (!benchmarks.is_array()) f.fail("benchmarks", "is not an array");
  if (context.contains("json_schema_version") && f.whole(context, "json_schema_version", "context.", 0) != 1)
    f.fail("context.json_schema_version", "is " + context.at("json_schema_version").dump() + ": this kprof reads 1");
  Run run;
  run.environment = environment_from(context, f);
  run.created_utc = utc_date(f.text_or(context, "date", "context.", ""));
  run.command = "Google Benchmark " + f.text_or(context, "executable", "context.", "");
  std::vector<Entry> instances;
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < benchmarks.size(); ++i) {
    const std::string at = "benchmarks[" + std::to_string(i) + "].";
    if (!benchmarks[i].is_object()) f.fail(at.substr(0, at.size() - 1), "is not an object");
    Entry& x = instance_for(benchmarks[i], at, i, f, instances, by_name);
    const std::string run_type = f.text_or(benchmarks[i], "run_type", at, "iteration");
    if (run_type == "aggregate")
      f.text(benchmarks[i], "aggregate_name", at);  // mean, median, stddev, cv...: kprof summarises the samples
    else if (run_type == "iteration")
      add_repetition(benchmarks[i], at, f, x);
    else
      f.fail(at + "run_type", "is '" + run_type + "': Google Benchmark writes iteration or aggregate");
  }
  std::map<std::string, std::size_t> keys;
  for (Entry& x : instances) {
    if (x.aggregates_only)
      f.fail("benchmarks[" + std::to_string(x.first) + "] ('" + x.run_name +
             "') has only aggregates: the gate needs every repetition (run without "
             "--benchmark_report_aggregates_only)");
    x.result.time = summarize(x.result.time.iterations_per_round, std::move(x.result.time.round_ns));
    auto [other, added] = keys.emplace(x.result.key(), x.first);
    if (!added)
      f.fail("benchmarks[" + std::to_string(other->second) + "] and benchmarks[" + std::to_string(x.first) +
             "] are both " + other->first + " in kprof's keys: a run has one result per key");
    run.results.push_back(std::move(x.result));
  }
  return run;
}

}  // namespace kprof
