#include "kprof/job.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
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
  // One size given twice (`-s 64 -s n=64`, overlapping sweeps) is measured once: one result per key.
  for (const auto& spec : chosen) {
    Size size = parse_size(family.params, spec);
    if (std::find(sizes.begin(), sizes.end(), size) == sizes.end()) sizes.push_back(std::move(size));
  }
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

namespace {

// MemAvailable from /proc/meminfo, in bytes; 0 when unknown (then nothing is refused).
double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key, unit;
  double kib = 0;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024.0;
  return 0;
}

std::string gib(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return text;
}

}  // namespace

void check_fits_in_memory(const FamilyRecord& family, const Size& size, DType dtype) {
  if (!family.bytes) return;
  const double needed = family.bytes(size, element_bytes(dtype));
  const double available = available_memory_bytes();
  if (available <= 0 || needed <= available) return;
  throw UsageError(family.name + " at " + size.str() + " (" + std::string(to_string(dtype)) + ") needs about " +
                   gib(needed) + " (the data one call reads and writes), and " + gib(available) +
                   " of memory is available here: use a smaller size");
}

std::vector<DType> parse_dtypes(std::string_view text) {
  if (text == "both") return {DType::f64, DType::f32};
  return {dtype_from_string(text)};
}

Job resolve_job(std::string_view target, std::string_view size, DType dtype, int threads) {
  if (threads < 1) throw UsageError("threads must be >= 1, got " + std::to_string(threads));
  VariantRef ref = select_one(target);
  Job job{ref, size_for(*ref.family, size), dtype, threads};
  check_fits_in_memory(*ref.family, job.size, dtype);
  return job;
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
      for (DType dtype : dtypes) {
        check_fits_in_memory(*selection.family, size, dtype);
        for (int threads : plan.threads) add_thread_group(selection, size, dtype, threads, plan.blas_threads, jobs);
      }
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
    check_fits_in_memory(*selection.family, chosen, dtype);
    for (std::size_t v : selection.variants) jobs.push_back(Job{{selection.family, v}, chosen, dtype, threads});
  }
  return jobs;
}

}  // namespace kprof
