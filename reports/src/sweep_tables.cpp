// The sweep part of a run's report (kprof/reports/sweep_tables.h), from the sweep analysis.
#include "kprof/reports/sweep_tables.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "kprof/job.h"
#include "kprof/reports/sweep.h"
#include "sweep_parts.h"

namespace kprof {
namespace {

// The sizes of one family and dtype in the order a sweep grows: by work per call, then by name.
std::vector<Size> sizes_in_order(const std::vector<const Result*>& results) {
  std::vector<std::pair<double, Size>> sizes;
  for (const Result* r : results)
    if (std::none_of(sizes.begin(), sizes.end(), [&](const auto& s) { return s.second == r->size; }))
      sizes.emplace_back(r->flops > 0 ? r->flops : r->bytes, r->size);
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.first, a.second.str()) < std::make_pair(b.first, b.second.str());
  });
  std::vector<Size> out;
  for (auto& s : sizes) out.push_back(std::move(s.second));
  return out;
}

SizeSweep sweep_of(const std::vector<const Result*>& results) {
  const Result& first = *results.front();
  SizeSweep sweep{first.family, first.dtype, first.threads, first.blas_threads, sizes_in_order(results), {}};
  std::vector<sweep::Point> points;
  for (const Result* r : results) {
    auto at = std::find(sweep.sizes.begin(), sweep.sizes.end(), r->size) - sweep.sizes.begin();
    points.push_back({r->variant, static_cast<std::int64_t>(at), r->time.median_ns});
  }
  for (const sweep::Crossover& c : sweep::crossovers(points))
    sweep.crossovers.push_back({c.from, c.to, sweep.sizes[c.x], sweep.sizes[c.previous_x]});
  return sweep;
}

Table dtype_ratio_table(const Run& run) {
  Table t{{"variant", "size", "f64/f32 time", "error f32", "error f64"}, {true, true}, {}};
  // The key without its dtype: the same job in the other precision.
  auto same_job = [](const Result& r) {
    return job_key(r.family, r.variant, DType::f64, r.size, r.threads, r.blas_threads);
  };
  std::map<std::string, const Result*> f64;
  for (const Result& r : run.results)
    if (r.status == Status::ok && r.dtype == DType::f64) f64[same_job(r)] = &r;
  for (const Result& r : run.results) {
    if (r.status != Status::ok || r.dtype != DType::f32) continue;
    auto it = f64.find(same_job(r));
    if (it == f64.end() || r.time.median_ns <= 0) continue;
    t.rows.push_back({r.family + "/" + r.variant, r.size.str() + threads_suffix(r.threads, r.blas_threads),
                      format_fixed(it->second->time.median_ns / r.time.median_ns, 2) + "x",
                      format_error(r.max_rel_error), format_error(it->second->max_rel_error)});
  }
  return t;
}

}  // namespace

std::vector<SizeSweep> size_sweeps(const Run& run) {
  std::map<std::tuple<std::string, DType, int, int>, std::vector<const Result*>> groups;
  for (const Result& r : run.results)
    if (r.status == Status::ok) groups[{r.family, r.dtype, r.threads, r.blas_threads}].push_back(&r);
  std::vector<SizeSweep> sweeps;
  for (const auto& [key, results] : groups) {
    SizeSweep sweep = sweep_of(results);
    if (sweep.sizes.size() >= 2) sweeps.push_back(std::move(sweep));
  }
  return sweeps;
}

SweepReport sweep_report(const Run& run) {
  SweepReport report;
  for (const SizeSweep& sweep : size_sweeps(run))
    for (const auto& c : sweep.crossovers)
      report.crossovers.push_back(sweep.family + " " + std::string(to_string(sweep.dtype)) +
                                  threads_suffix(sweep.threads, sweep.blas_threads) + ": " + c.to + " overtakes " +
                                  c.from + " from " + c.at.str() + " (" + c.from + " best at " + c.previous.str() +
                                  ")");
  report.dtype_ratio = dtype_ratio_table(run);
  add_thread_parts(run, report);
  add_chunk_parts(run, report);
  return report;
}

std::string SweepReport::text() const {
  std::string out;
  if (!crossovers.empty()) {
    out += "\nCrossovers (the fastest variant changes as the size grows):\n";
    for (const std::string& c : crossovers) out += "  " + c + "\n";
  }
  if (!dtype_ratio.rows.empty())
    out += "\nfloat32 against float64 (time ratio; max relative error of each):\n" + dtype_ratio.text();
  if (!scaling.rows.empty()) {
    out += "\nThread scaling (speed-up over one thread; ideal = threads; efficiency = speed-up / threads):\n" +
           scaling.text();
    for (const std::string& note : scaling_notes) out += "  " + note + "\n";
  }
  if (!grid.rows.empty()) out += "\nJob threads x BLAS threads:\n" + grid.text();
  for (const std::string& w : warnings) out += "WARNING: " + w + "\n";
  if (!chunks.rows.empty()) {
    out += "\nChunk sweep (one chunk's working set against the caches):\n" + chunks.text();
    for (const std::string& k : knees) out += "  " + k + "\n";
  }
  return out;
}

std::string SweepReport::markdown() const {
  std::string out;
  if (!crossovers.empty()) {
    out += "\n### Crossovers\n\n";
    for (const std::string& c : crossovers) out += "- " + c + "\n";
  }
  if (!dtype_ratio.rows.empty()) out += "\n### float32 against float64\n\n" + dtype_ratio.markdown();
  if (!scaling.rows.empty()) {
    out += "\n### Thread scaling\n\nSpeed-up over one thread; ideal = threads; efficiency = speed-up / threads.\n\n" +
           scaling.markdown() + "\n";
    for (const std::string& note : scaling_notes) out += "- " + note + "\n";
  }
  if (!grid.rows.empty()) out += "\n### Job threads x BLAS threads\n\n" + grid.markdown();
  if (!warnings.empty()) out += "\n";
  for (const std::string& w : warnings) out += "> **Warning:** " + w + "\n>\n";
  if (!chunks.rows.empty()) {
    out += "\n### Chunk sweep\n\nOne chunk's working set against the caches.\n\n" + chunks.markdown() + "\n";
    for (const std::string& k : knees) out += "- " + k + "\n";
  }
  return out;
}

}  // namespace kprof
