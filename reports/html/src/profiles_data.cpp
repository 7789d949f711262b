#include "profiles_data.h"

#include <map>

#include "flame.h"
#include "kprof/errors.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/sections.h"
#include "profile_files.h"

namespace kprof::html {
namespace {

using nlohmann::json;

std::string subject_label(const Subject& s) {
  if (s.is_program()) return s.key;
  return s.family + "/" + s.variant + " " + std::string(to_string(s.dtype)) + " " + s.size.str();
}

// One flame graph from the kcachegrind file an entry names, or null and a note saying why there is none.
json read_flame(const Document& doc, const std::filesystem::path& dir, const Subject& subject, const std::string& file,
                const std::string& detail, std::vector<std::string>& notes) {
  const auto path = find_named_file(dir, doc.file, file);
  if (!path) {
    notes.push_back(doc.file + ": " + subject.key + ": its profile '" + file + "' is not in the folder");
    return nullptr;
  }
  try {
    json graph = flame_graph(read_callgrind_file(*path), subject_label(subject));
    graph["label"] = subject_label(subject) + detail;
    graph["key"] = subject.key;
    graph["document"] = doc.file;
    return graph;
  } catch (const UsageError& e) {
    notes.push_back(doc.file + ": " + subject.key + ": " + e.what());
    return nullptr;
  }
}

void add_flame(json graph, json& graphs) {
  if (!graph.is_null()) graphs.push_back(std::move(graph));
}

// A callgrind profile of a kernel, kept with what pairs it with another variant's.
struct KernelProfile {
  Subject subject;
  double iterations;
  json graph;
};

// Per (document, family, dtype, size): the first variant as the base, each other one against it.
void add_variant_differentials(const std::vector<KernelProfile>& profiles, json& out) {
  std::map<std::string, std::vector<const KernelProfile*>> groups;
  std::vector<std::string> order;
  for (const auto& p : profiles) {
    if (p.subject.is_program()) continue;
    const std::string group = p.graph["document"].get<std::string>() + "|" + p.subject.family + "|" +
                              std::string(to_string(p.subject.dtype)) + "|" + p.subject.size.str();
    if (groups[group].empty()) order.push_back(group);
    groups[group].push_back(&p);
  }
  for (const auto& group : order) {
    const auto& members = groups[group];
    for (std::size_t i = 1; i < members.size(); ++i) {
      const KernelProfile& base = *members[0];
      const KernelProfile& now = *members[i];
      const std::string label = now.subject.family + " " + std::string(to_string(now.subject.dtype)) + " " +
                                now.subject.size.str() + ": " + base.subject.variant + " \u2192 " + now.subject.variant;
      json diff = differential_flame(base.graph, base.iterations, now.graph, now.iterations, label);
      diff["label"] = label + " (per call)";
      diff["base_label"] = base.subject.variant;
      diff["current_label"] = now.subject.variant;
      out.push_back(std::move(diff));
    }
  }
}

// A flame graph of a callgrind file a comparison names, or null and a note.
json comparison_flame(const Comparison& comparison, const std::filesystem::path& dir, const std::string& file,
                      const std::string& root, std::vector<std::string>& notes) {
  const auto path = find_named_file(dir, comparison.file, file);
  if (!path) {
    notes.push_back(comparison.file + ": the profile '" + file + "' is not there: no differential flame graph");
    return nullptr;
  }
  try {
    return flame_graph(read_callgrind_file(*path), root);
  } catch (const UsageError& e) {
    notes.push_back(comparison.file + ": " + e.what());
    return nullptr;
  }
}

// The regression gate's baseline against its current build, per benchmark whose instructions it
// compared from callgrind files.
void add_gate_differentials(const Comparison& comparison, const std::filesystem::path& dir, json& out,
                            std::vector<std::string>& notes) {
  for (const auto& benchmark : comparison.json.at("benchmarks"))
    for (const auto& finding : benchmark.value("findings", json::array())) {
      if (!finding.contains("profiles")) continue;
      const json& p = finding["profiles"];
      const std::string key = benchmark.value("key", "");
      json base = comparison_flame(comparison, dir, p.value("baseline_file", ""), key, notes);
      json now = comparison_flame(comparison, dir, p.value("current_file", ""), key, notes);
      if (base.is_null() || now.is_null()) continue;
      const std::string label = "regress: " + key + ": baseline \u2192 current (" + finding.value("verdict", "") + ")";
      json diff =
          differential_flame(base, p.value("baseline_iterations", 1.0), now, p.value("current_iterations", 1.0), label);
      diff["label"] = label + " (per call)";
      diff["base_label"] = "the baseline";
      diff["current_label"] = "the current build";
      diff["document"] = comparison.file;
      out.push_back(std::move(diff));
    }
}

}  // namespace

FlameGraphs flame_graphs(const Documents& documents, const std::filesystem::path& dir) {
  FlameGraphs out;
  std::vector<KernelProfile> kernels;
  for (const auto& doc : documents.runs) {
    if (auto cpu = doc.run.section<CpuSection>())
      for (const auto& e : cpu->results)
        add_flame(read_flame(doc, dir, e.subject, e.file, " · " + std::to_string(e.samples) + " samples", out.notes),
                  out.cpu);
    if (auto callgrind = doc.run.section<CallgrindSection>())
      for (const auto& e : callgrind->results) {
        json graph = read_flame(doc, dir, e.subject, e.file, "", out.notes);
        if (graph.is_null()) continue;
        kernels.push_back({e.subject, static_cast<double>(e.iterations), graph});
        out.callgrind.push_back(std::move(graph));
      }
    if (auto memory = doc.run.section<MemorySection>())
      for (const auto& e : memory->results)
        if (!e.allocations_file.empty())
          add_flame(read_flame(doc, dir, e.subject, e.allocations_file, "", out.notes), out.allocations);
  }
  // The gate's comparisons first: a regression is what a reader of the page looks for first.
  for (const auto& comparison : documents.comparisons)
    add_gate_differentials(comparison, dir, out.differential, out.notes);
  add_variant_differentials(kernels, out.differential);
  return out;
}

namespace {

json memory_entry(const MemoryEntry& e, const std::string& document) {
  json sites = json::array();
  for (const auto& s : e.top_sites)
    sites.push_back({{"function", s.frame.function},
                     {"file", s.frame.file},
                     {"line", s.frame.line},
                     {"bytes", s.bytes},
                     {"count", s.count},
                     {"peak_bytes", s.peak_bytes},
                     {"temporary", s.temporary}});
  json timeline = json::array();
  for (const auto& [t, heap] : e.timeline) timeline.push_back({t, heap});
  return {{"key", e.subject.key},
          {"label", subject_label(e.subject)},
          {"family", e.subject.family},
          {"variant", e.subject.is_program() ? e.subject.key : e.subject.variant},
          {"document", document},
          {"iterations", e.iterations},
          {"peak_bytes", e.peak_bytes},
          {"bytes_allocated", e.bytes_allocated},
          {"allocations", e.allocations},
          {"temporary_allocations", e.temporary_allocations},
          {"leaked_bytes", e.leaked_bytes},
          {"truncated", e.truncated},
          {"per_call",
           {{"bytes_allocated", e.per_call.bytes_allocated},
            {"allocations", e.per_call.allocations},
            {"temporary_allocations", e.per_call.temporary_allocations}}},
          {"timeline", timeline},
          {"sites", sites}};
}

}  // namespace

json memory_entries(const Documents& documents) {
  json entries = json::array();
  for (const auto& doc : documents.runs)
    if (auto memory = doc.run.section<MemorySection>())
      for (const auto& e : memory->results) entries.push_back(memory_entry(e, doc.file));
  return entries;
}

}  // namespace kprof::html
