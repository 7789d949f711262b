#include "kprof/job.h"

#include <charconv>
#include <string>

#include "kprof/errors.h"

namespace kprof {
namespace {

int parse_threads(std::string_view text) {
  int threads = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), threads);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || threads < 1)
    throw UsageError("bad --threads '" + std::string(text) + "': expected a whole number >= 1");
  return threads;
}

}  // namespace

std::string job_key(std::string_view family, std::string_view variant, DType dtype, const Size& size, int threads,
                    int blas_threads) {
  std::string key =
      std::string(family) + "/" + std::string(variant) + "/" + std::string(to_string(dtype)) + "/" + size.str();
  const std::string threads_part = threads_label(threads, blas_threads);
  return threads_part.empty() ? key : key + "/" + threads_part;
}

std::string threads_label(int threads, int blas_threads) {
  const int blas = blas_threads > 0 ? blas_threads : threads;
  if (threads == 1 && blas == 1) return "";
  return "threads=" + std::to_string(threads) + (blas == threads ? "" : ",blas=" + std::to_string(blas));
}

std::string Job::name() const { return family().name + "/" + variant().name; }

std::string Job::key() const { return job_key(family().name, variant().name, dtype, size, threads, blas()); }

std::vector<std::string> Job::to_args() const {
  std::vector<std::string> args = {name(), "-s", size.str(), "-t", std::string(to_string(dtype))};
  // One thread is every command's default: left out, the arguments also suit a kprof built
  // before a command had --threads (a regression baseline).
  if (threads != 1) args.insert(args.end(), {"--threads", std::to_string(threads)});
  if (blas() != threads) args.insert(args.end(), {"--blas-threads", std::to_string(blas())});
  return args;
}

Job Job::from_args(const std::vector<std::string>& args) {
  std::string target, size, dtype = "f64", threads = "1", blas;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* value = a == "-s"               ? &size
                         : a == "-t"             ? &dtype
                         : a == "--threads"      ? &threads
                         : a == "--blas-threads" ? &blas
                                                 : nullptr;
    if (value) {
      if (i + 1 == args.size()) throw UsageError("job argument " + a + " needs a value");
      *value = args[++i];
    } else if (target.empty() && !a.empty() && a[0] != '-') {
      target = a;
    } else {
      throw UsageError("unexpected job argument '" + a +
                       "' (a job is: family/variant -s SIZE -t DTYPE --threads N --blas-threads M)");
    }
  }
  if (target.empty()) throw UsageError("a job needs a family/variant");
  Job job = resolve_job(target, size, dtype_from_string(dtype), parse_threads(threads));
  if (!blas.empty()) job.blas_threads = parse_threads(blas);
  return job;
}

std::vector<Size> sizes_for(const FamilyRecord& family, const std::vector<std::string>& specs) {
  const std::vector<std::string> mine = specs_for_family(family.name, specs);  // "family:size" or unprefixed
  const std::vector<std::string>& chosen = mine.empty() ? family.default_sizes : mine;
  std::vector<Size> sizes;
  for (const auto& spec : chosen) sizes.push_back(parse_size(family.params, spec));
  if (sizes.empty()) sizes.push_back(default_size(family.params));
  return sizes;
}

Size size_for(const FamilyRecord& family, std::string_view spec) {
  if (spec.empty()) return sizes_for(family, {}).front();
  const std::vector<std::string> mine = specs_for_family(family.name, {std::string(spec)});
  if (mine.empty())
    throw UsageError("size '" + std::string(spec) + "' is for family '" + std::string(spec_family(spec)) + "', not " +
                     family.name);
  return parse_size(family.params, mine.front());
}

std::vector<DType> parse_dtypes(std::string_view text) {
  if (text == "both") return {DType::f64, DType::f32};
  return {dtype_from_string(text)};
}

Job resolve_job(std::string_view target, std::string_view size, DType dtype, int threads) {
  if (threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(threads));
  VariantRef ref = select_one(target);
  return Job{ref, size_for(*ref.family, size), dtype, threads};
}

bool runs_threads_calling_blas(const VariantSpec& variant) { return variant.threaded && variant.kind == Kind::blas; }

namespace {

// The jobs of one thread count, consecutive per BLAS pool size so that the runner interleaves as
// many variants as possible: every variant with BLAS as wide as its threads, or, when a BLAS list
// is given, the variants that are not on the grid and then the grid's variants once per BLAS size.
void add_thread_group(const Selection& selection, const Size& size, DType dtype, int threads,
                      const std::vector<int>& blas_list, std::vector<Job>& jobs) {
  auto on_grid = [&](std::size_t v) {
    return !blas_list.empty() && runs_threads_calling_blas(selection.family->variants[v].spec);
  };
  for (std::size_t v : selection.variants)
    if (!on_grid(v)) jobs.push_back(Job{{selection.family, v}, size, dtype, threads});
  for (int blas : blas_list)
    for (std::size_t v : selection.variants)
      if (on_grid(v)) jobs.push_back(Job{{selection.family, v}, size, dtype, threads, blas});
}

}  // namespace

std::vector<Job> plan_jobs(const std::vector<std::string>& filters, const std::vector<std::string>& sizes,
                           const std::vector<DType>& dtypes, const ThreadPlan& plan) {
  for (const std::vector<int>* counts : {&plan.threads, &plan.blas_threads})
    for (int t : *counts)
      if (t < 1) throw UsageError("threads must be >= 1, got " + std::to_string(t));
  std::vector<Job> jobs;
  const std::vector<Selection> selections = select(filters);
  check_size_specs(selections, sizes);
  for (const Selection& selection : selections)
    for (const Size& size : sizes_for(*selection.family, sizes))
      for (DType dtype : dtypes)
        for (int threads : plan.threads) add_thread_group(selection, size, dtype, threads, plan.blas_threads, jobs);
  return jobs;
}

std::vector<Job> plan_jobs(const std::vector<std::string>& filters, const std::vector<std::string>& sizes,
                           const std::vector<DType>& dtypes, int threads) {
  return plan_jobs(filters, sizes, dtypes, ThreadPlan{{threads}, {}});
}

std::vector<Job> plan_jobs_at(const std::vector<std::string>& filters, std::string_view size, DType dtype,
                              int threads) {
  if (threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(threads));
  std::vector<Job> jobs;
  for (const Selection& selection : select(filters)) {
    const Size chosen = size_for(*selection.family, size);
    for (std::size_t v : selection.variants) jobs.push_back(Job{{selection.family, v}, chosen, dtype, threads});
  }
  return jobs;
}

}  // namespace kprof
