#include "page_data.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "kprof/reports/run_json.h"
#include "kprof/sections.h"
#include "profiles_data.h"
#include "source_view.h"
#include "sweeps_data.h"

namespace kprof::html {
namespace {

using nlohmann::json;

json document_summary(const Document& doc) {
  json sections = json::array();
  for (const auto& [name, _] : doc.run.sections) sections.push_back(name);
  return {{"file", doc.file},
          {"command", doc.run.command},
          {"created_utc", doc.run.created_utc},
          {"git_commit", doc.run.git_commit},
          {"kprof_version", doc.run.kprof_version},
          {"results", doc.run.results.size()},
          {"sections", sections}};
}

// The document whose machine the page describes: the first with timing results, else the first.
const Run* main_run(const Documents& documents) {
  for (const auto& doc : documents.runs)
    if (!doc.run.results.empty()) return &doc.run;
  return documents.runs.empty() ? nullptr : &documents.runs.front().run;
}

json environment_json(const Environment& e) {
  return {{"cpu_model", e.cpu_model},
          {"widest_isa", e.widest_isa},
          {"logical_cpus", e.logical_cpus},
          {"os", e.os},
          {"compiler", e.compiler},
          {"build_type", e.build_type},
          {"blas", e.blas_library + " " + e.blas_version},
          {"blas_core", e.blas_core},
          {"threads", e.threads},
          {"governor", e.governor},
          {"hypervisor", e.hypervisor},
          {"warnings", e.warnings},
          {"fingerprint", e.fingerprint}};
}

// A family is charted in GFLOP/s when it counts floating-point operations, else in GB/s.
std::map<std::string, bool> families_counting_flops(const Documents& documents) {
  std::map<std::string, bool> counts;
  for (const auto& doc : documents.runs)
    for (const auto& r : doc.run.results) counts[r.family] = counts[r.family] || r.flops > 0;
  return counts;
}

// Throughput of one call taking `ns`: work units (FLOPs or bytes) per nanosecond = G.../s.
double per_ns(double work, double ns) { return ns > 0 ? work / ns : 0; }

json result_row(const Result& r, const std::string& document, bool in_gflops, bool name_document) {
  const double work = in_gflops ? r.flops : r.bytes;
  json row = {
      {"document", document},
      {"key", r.key()},
      {"family", r.family},
      {"variant", r.variant},
      {"kind", to_string(r.kind)},
      {"isa", to_string(r.isa)},
      {"dtype", to_string(r.dtype)},
      {"size", r.size.str()},
      {"case", r.size.str() + " · " + std::string(to_string(r.dtype)) + (name_document ? " · " + document : "")},
      {"status", to_string(r.status)},
      {"reason", r.reason},
      {"code_path", r.code_path},
      {"metric", in_gflops ? "GFLOP/s" : "GB/s"},
      {"value", in_gflops ? r.gflops : r.gbps},
      // The spread of the rounds, as a throughput: the slow quartile to the fast one.
      {"lo", per_ns(work, r.time.q3_ns)},
      {"hi", per_ns(work, r.time.q1_ns)},
      {"median_ns", r.time.median_ns},
      {"threads", r.threads},
      {"blas_threads", r.blas_threads},
      {"working_set", r.working_set},
      {"pct_peak", r.pct_peak},
      {"bound", r.bound},
      {"gflops", r.gflops},
      {"intensity", r.flops > 0 && r.bytes > 0 ? json(r.flops / r.bytes) : json(nullptr)},
      {"max_rel_error", std::isfinite(r.max_rel_error) ? json(r.max_rel_error) : json(nullptr)},
      {"tolerance", r.tolerance}};
  row["speedup"] = r.speedup_vs_scalar ? json(*r.speedup_vs_scalar) : json(nullptr);
  return row;
}

json figures_of(const std::optional<FiguresSection>& figures, const std::string& key) {
  if (!figures) return json::object();
  const auto it = figures->figures.find(key);
  return it == figures->figures.end() ? json::object() : json(it->second);
}

json result_rows(const Documents& documents) {
  const auto in_gflops = families_counting_flops(documents);
  const auto with_results = std::count_if(documents.runs.begin(), documents.runs.end(),
                                          [](const Document& d) { return !d.run.results.empty(); });
  json rows = json::array();
  for (const auto& doc : documents.runs) {
    // What a family reports besides the time (forest_fit's held-out accuracy), by result key.
    const auto figures = doc.run.section<FiguresSection>();
    for (const auto& r : doc.run.results) {
      json row = result_row(r, doc.file, in_gflops.at(r.family), with_results > 1);
      row["figures"] = figures_of(figures, r.key());
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// The roofline's ceilings as polylines over intensities (FLOP per byte) from 1/64 to 1024, wider
// than any kernel here: the bandwidth slope up to the ridge point, then the FMA peak of each type.
json roofs(const MachinePeak& peak) {
  json lines = json::array();
  if (peak.triad_gbps <= 0) return lines;
  const std::pair<std::string, double> ceilings[] = {{"f64 FMA peak", peak.f64_gflops},
                                                     {"f32 FMA peak", peak.f32_gflops}};
  for (const auto& [name, gflops] : ceilings) {
    if (gflops <= 0) continue;
    const double ridge = gflops / peak.triad_gbps;
    constexpr double lowest = 1.0 / 64, highest = 1024;
    for (double ai : {lowest, std::clamp(ridge, lowest, highest), highest})
      lines.push_back({{"roof", name}, {"intensity", ai}, {"gflops", std::min(gflops, peak.triad_gbps * ai)}});
  }
  return lines;
}

json peak_json(const MachinePeak& p) {
  return {{"f64_gflops", p.f64_gflops},
          {"f32_gflops", p.f32_gflops},
          {"triad_gbps", p.triad_gbps},
          {"isa", p.isa},
          {"measured_at", p.measured_at}};
}

}  // namespace

json page_data(const Documents& documents, const std::filesystem::path& dir, const std::string& folder) {
  json documents_json = json::array();
  for (const auto& doc : documents.runs) documents_json.push_back(document_summary(doc));
  const Run* run = main_run(documents);
  json data = {
      {"page_data_version", kPageDataVersion}, {"folder", folder},         {"kprof_version", KPROF_VERSION},
      {"documents", documents_json},           {"notes", documents.notes}, {"results", result_rows(documents)}};
  FlameGraphs flames = flame_graphs(documents, dir);
  data["flames_cpu"] = std::move(flames.cpu);
  data["flames_callgrind"] = std::move(flames.callgrind);
  data["flames_allocations"] = std::move(flames.allocations);
  data["flames_differential"] = std::move(flames.differential);
  for (auto& note : flames.notes) data["notes"].push_back(std::move(note));
  data["regressions"] = json::array();
  for (const auto& comparison : documents.comparisons)
    data["regressions"].push_back({{"file", comparison.file}, {"comparison", comparison.json}});
  data["histories"] = json::array();
  for (const auto& history : documents.histories)
    data["histories"].push_back({{"file", history.file}, {"history", history.json}});
  data["memory"] = memory_entries(documents);
  std::vector<std::string> source_notes;
  data["sources"] = source_views(documents, dir, source_notes);
  for (auto& note : source_notes) data["notes"].push_back(std::move(note));
  if (run) {
    data["environment"] = environment_json(run->environment);
    data["peak"] = peak_json(run->peak);
    data["roofs"] = roofs(run->peak);
    data["sweeps"] = size_sweeps_json(*run);
    data["thread_sweeps"] = thread_sweeps_json(*run);
    data["thread_grids"] = thread_grids_json(*run);
    data["chunk_sweeps"] = chunk_sweeps_json(*run);
  }
  return data;
}

}  // namespace kprof::html
