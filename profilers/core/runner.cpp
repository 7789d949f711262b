#include "kprof/runner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <map>
#include <optional>

#include "kprof/caches.h"
#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/stats.h"
#include "kprof/thread_pools.h"

namespace kprof {
namespace {

std::atomic<int> g_threads{1};

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Seconds for one batch of `iterations` calls.
double time_batch(Instance& instance, std::size_t variant, std::int64_t iterations) {
  auto start = Clock::now();
  instance.run(variant, iterations);
  return seconds_since(start);
}

// Warm-up, then the batch size that makes one round last at least `min_seconds`.
std::int64_t calibrate(Instance& instance, std::size_t variant, const RunOptions& options) {
  std::int64_t iterations = 1;
  double spent = 0;
  double elapsed = time_batch(instance, variant, 1);
  spent += elapsed;
  while (elapsed < options.min_round_seconds * 0.5 && iterations < (std::int64_t{1} << 40)) {
    iterations *= 2;
    elapsed = time_batch(instance, variant, iterations);
    spent += elapsed;
  }
  while (spent < options.warmup_seconds) spent += time_batch(instance, variant, iterations);
  double per_call = elapsed / static_cast<double>(iterations);
  auto needed = static_cast<std::int64_t>(std::ceil(options.min_round_seconds / std::max(per_call, 1e-12)));
  return std::max<std::int64_t>(1, needed);
}

template <class T>
double max_rel_error_typed(const T* out, const T* ref, std::size_t n) {
  double max_diff = 0;
  double max_ref = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double o = static_cast<double>(out[i]);
    double r = static_cast<double>(ref[i]);
    if (std::isnan(o) != std::isnan(r)) return std::numeric_limits<double>::infinity();
    max_diff = std::max(max_diff, std::fabs(o - r));
    max_ref = std::max(max_ref, std::fabs(r));
  }
  return max_diff / std::max(max_ref, std::numeric_limits<double>::min());
}

Result base_result(const FamilyRecord& family, std::size_t v, const Size& size, DType dtype) {
  const VariantSpec& spec = family.variants[v].spec;
  Result r;
  r.family = family.name;
  r.variant = spec.name;
  r.kind = spec.kind;
  r.isa = spec.isa;
  r.dtype = dtype;
  r.size = size;
  r.tolerance = family.tolerance(size, dtype);
  r.flops = family.flops ? family.flops(size) : 0;
  r.bytes = family.bytes ? family.bytes(size, element_bytes(dtype)) : 0;
  r.working_set = family.working_set ? family.working_set(size, element_bytes(dtype)) : 0;
  return r;
}

void add_rates(Result& r, const MachinePeak& peak, int threads) {
  double seconds = r.time.median_ns * 1e-9;
  if (seconds <= 0) return;
  r.gflops = r.flops / seconds * 1e-9;
  r.gbps = r.bytes / seconds * 1e-9;
  double peak_flops = (r.dtype == DType::f32 ? peak.f32_gflops : peak.f64_gflops) * threads;
  double peak_bw = peak.triad_gbps * threads;
  if (peak_flops <= 0 || peak_bw <= 0) return;
  // Roofline: a kernel moving `bytes` for `flops` can go no faster than the lower roof.
  double intensity = r.bytes > 0 ? r.flops / r.bytes : std::numeric_limits<double>::infinity();
  double memory_roof = intensity * peak_bw;
  bool compute_bound = peak_flops <= memory_roof;
  const double llc = last_level_cache_bytes();
  r.bound = compute_bound ? "compute" : (llc > 0 && r.bytes <= llc ? "cache" : "memory");
  r.pct_peak = 100.0 * (compute_bound ? r.gflops / peak_flops : r.gbps / peak_bw);
}

// Jobs that are measured together: one family, size, dtype and thread count (job and BLAS).
struct Group {
  const FamilyRecord* family;
  Size size;
  DType dtype;
  int threads;
  int blas_threads;
  std::vector<std::size_t> variants;
};

std::vector<Group> group_jobs(const std::vector<Job>& jobs) {
  std::vector<Group> groups;
  for (const Job& job : jobs) {
    if (groups.empty() || groups.back().family != job.target.family || !(groups.back().size == job.size) ||
        groups.back().dtype != job.dtype || groups.back().threads != job.threads ||
        groups.back().blas_threads != job.blas())
      groups.push_back({job.target.family, job.size, job.dtype, job.threads, job.blas(), {}});
    groups.back().variants.push_back(job.target.variant);
  }
  return groups;
}

// The correctness phase: one result per variant, `ok` only for those that matched the reference.
std::vector<Result> check_group(const Group& g, const RunOptions& options, std::FILE* log, FiguresSection* figures) {
  const FamilyRecord& family = *g.family;
  std::string label = family.name + " " + std::string(to_string(g.dtype)) + " " + g.size.str();
  if (g.threads != 1 || g.blas_threads != 1)
    label += " threads=" + std::to_string(g.threads) + ",blas=" + std::to_string(g.blas_threads);
  std::vector<Result> group;
  ReferenceCheck checker(family, g.size, g.dtype);  // released before timing: its memory is not kept
  for (std::size_t v : g.variants) {
    Result r = base_result(family, v, g.size, g.dtype);
    r.threads = g.threads;
    r.blas_threads = g.blas_threads;
    r.code_path = describe_code_path(family, v);
    if (std::string why = isa_skip_reason(family.variants[v].spec.isa); !why.empty()) {
      r.status = Status::skipped;
      r.reason = why;
    } else if (options.check) {
      try {
        CheckResult c = checker.check(v);
        r.max_rel_error = c.max_rel_error;
        if (!c.ok) {
          r.status = Status::wrong;
          r.reason = c.reason;
        }
        if (figures && !c.figures.empty()) figures->figures[r.key()] = c.figures;
      } catch (const std::exception& e) {
        r.status = Status::failed;
        r.reason = std::string("threw: ") + e.what();
      }
    }
    if (log)
      std::fprintf(log, "kprof: %s %-14s %s%s%s\n", label.c_str(), r.variant.c_str(),
                   std::string(to_string(r.status)).c_str(), r.reason.empty() ? "" : ": ", r.reason.c_str());
    group.push_back(std::move(r));
  }
  return group;
}

// The timing phase for the results whose status is ok: calibration, interleaved rounds, rates
// and the speed-up against the scalar variant.
void time_group(const Group& g, const RunOptions& options, const MachinePeak& peak, std::vector<Result>& group) {
  std::vector<std::size_t> timed;  // indices into `group` and `g.variants`
  for (std::size_t i = 0; i < group.size(); ++i)
    if (group[i].status == Status::ok) timed.push_back(i);
  if (timed.empty()) return;
  auto instance = g.family->make_instance(g.size, g.dtype);
  std::vector<std::int64_t> iterations(group.size(), 0);
  for (std::size_t i : timed) iterations[i] = calibrate(*instance, g.variants[i], options);
  std::vector<std::vector<double>> samples(group.size());
  // Interleaved rounds (A B C A B C ...): drift in clock speed or load hits every variant alike.
  for (int round = 0; round < options.rounds; ++round) {
    for (std::size_t i : timed) {
      double s = time_batch(*instance, g.variants[i], iterations[i]);
      samples[i].push_back(s * 1e9 / static_cast<double>(iterations[i]));
    }
  }
  for (std::size_t i : timed) {
    group[i].time = summarize(iterations[i], std::move(samples[i]));
    add_rates(group[i], peak, g.threads);
  }
  const Result* scalar = nullptr;
  for (std::size_t i : timed)
    if (group[i].kind == Kind::scalar && (!scalar || group[i].variant == "scalar")) scalar = &group[i];
  if (scalar)
    for (std::size_t i : timed) group[i].speedup_vs_scalar = scalar->time.median_ns / group[i].time.median_ns;
}

void run_group(const Group& g, const RunOptions& options, const MachinePeak& peak, std::FILE* log,
               std::vector<Result>& out, FiguresSection* figures) {
  set_threads(g.threads, g.blas_threads);
  std::vector<Result> group = check_group(g, options, log, figures);
  time_group(g, options, peak, group);
  for (auto& r : group) out.push_back(std::move(r));
}

}  // namespace

double max_rel_error(const OutputView& out, const OutputView& ref) {
  if (out.size != ref.size || out.dtype != ref.dtype) return std::numeric_limits<double>::infinity();
  if (out.dtype == DType::f32)
    return max_rel_error_typed(static_cast<const float*>(out.data), static_cast<const float*>(ref.data), out.size);
  return max_rel_error_typed(static_cast<const double*>(out.data), static_cast<const double*>(ref.data), out.size);
}

ReferenceCheck::ReferenceCheck(const FamilyRecord& family, Size size, DType dtype)
    : family_(family), size_(std::move(size)), dtype_(dtype) {}

ReferenceCheck::~ReferenceCheck() = default;

CheckResult ReferenceCheck::check(std::size_t variant) {
  if (!reference_) {
    reference_ = family_.make_instance(size_, dtype_);
    reference_->run_reference();
  }
  auto instance = family_.make_instance(size_, dtype_);
  instance->run(variant, 1);
  CheckResult c;
  c.max_rel_error = max_rel_error(instance->output(), reference_->output());
  const std::vector<double> values = instance->figures();
  for (std::size_t i = 0; i < values.size() && i < family_.figures.size(); ++i)
    c.figures[family_.figures[i]] = values[i];
  const double tolerance = family_.tolerance(size_, dtype_);
  c.ok = c.max_rel_error <= tolerance;  // false for NaN too
  if (!c.ok) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "max relative error %.3g exceeds tolerance %.3g", c.max_rel_error, tolerance);
    c.reason = buf;
  }
  return c;
}

CheckResult check_variant(const FamilyRecord& family, std::size_t variant, const Size& size, DType dtype) {
  return ReferenceCheck(family, size, dtype).check(variant);
}

std::string describe_code_path(const FamilyRecord& family, std::size_t variant) {
  const VariantSpec& spec = family.variants.at(variant).spec;
  if (spec.code_path) return spec.code_path();
  switch (spec.kind) {
    case Kind::blas:
      return blas_code_path();
    case Kind::simd:
      return std::string(to_string(spec.isa)) + " intrinsics";
    case Kind::scalar:
      return "plain C++ at the x86-64 baseline (SSE2 autovectorisation)";
    default:
      return std::string(to_string(spec.kind));
  }
}

std::vector<Result> run_benchmarks(const std::vector<Job>& jobs, const RunOptions& options, const MachinePeak& peak,
                                   std::FILE* log, FiguresSection* figures) {
  std::vector<Result> results;
  for (const Group& group : group_jobs(jobs)) {
    run_group(group, options, peak, log, results, figures);
    if (options.on_progress) options.on_progress(results.size(), jobs.size());
  }
  return results;
}

double run_region(const Job& job, const RegionOptions& options, RegionHooks& hooks, std::int64_t* calls) {
  set_threads(job.threads, job.blas());
  const VariantRef& ref = job.target;
  if (std::string why = isa_skip_reason(job.variant().isa); !why.empty())
    throw UsageError(job.name() + " cannot run here: " + why);
  const bool fill = options.iterations == 0;
  if (fill && !(options.fill_seconds > 0))
    throw UsageError("a kernel region needs --iterations >= 1 or a duration to fill");
  auto instance = ref.family->make_instance(job.size, job.dtype);
  std::int64_t iterations = options.iterations;
  if (options.warmup || fill) instance->run(ref.variant, 1);
  if (fill) {
    // Warm calls, doubling until a batch lasts 10 ms: the warm-up call alone is up to 3x slower
    // (first touch, cold caches) and would make the region that much shorter than asked.
    std::int64_t batch = 1;
    double took = 0;
    for (;; batch *= 2) {
      auto begin = Clock::now();
      instance->run(ref.variant, batch);
      took = seconds_since(begin);
      if (took >= 0.01 || took >= options.fill_seconds) break;
    }
    const double per_call = std::max(took / static_cast<double>(batch), 1e-9);
    iterations = std::max<std::int64_t>(1, static_cast<std::int64_t>(options.fill_seconds / per_call));
  }
  hooks.on_enter();
  auto start = Clock::now();
  instance->run(ref.variant, iterations);
  double seconds = seconds_since(start);
  hooks.on_exit();
  if (calls) *calls = iterations;
  return seconds;
}

void set_threads(int threads, int blas_threads) {
  if (threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(threads));
  if (blas_threads < 0) throw UsageError("BLAS threads must be >= 1, got " + std::to_string(blas_threads));
  g_threads = threads;
  // Every BLAS pool loaded (OpenBLAS, BLIS, MKL), found by symbol: the core links no BLAS, and a
  // user's binary without one has none to size. Held until the next call; never destroyed, so the
  // pools keep this size until the process exits.
  static auto* blas_limit = new std::optional<ThreadLimits>();
  blas_limit->reset();
  blas_limit->emplace(ThreadCaps{.blas = blas_threads > 0 ? blas_threads : threads});
}

int current_threads() { return g_threads; }

}  // namespace kprof
