#include "profiles_data.h"

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

// One flame graph from the kcachegrind file an entry names, or a note saying why there is none.
void add_flame(const Document& doc, const std::filesystem::path& dir, const Subject& subject, const std::string& file,
               const std::string& detail, json& graphs, std::vector<std::string>& notes) {
  const auto path = find_named_file(dir, doc.file, file);
  if (!path) {
    notes.push_back(doc.file + ": " + subject.key + ": its profile '" + file + "' is not in the folder");
    return;
  }
  try {
    json graph = flame_graph(read_callgrind_file(*path), subject_label(subject));
    graph["label"] = subject_label(subject) + detail;
    graph["key"] = subject.key;
    graph["document"] = doc.file;
    graphs.push_back(std::move(graph));
  } catch (const UsageError& e) {
    notes.push_back(doc.file + ": " + subject.key + ": " + e.what());
  }
}

}  // namespace

FlameGraphs flame_graphs(const Documents& documents, const std::filesystem::path& dir) {
  FlameGraphs out;
  for (const auto& doc : documents.runs) {
    if (auto cpu = doc.run.section<CpuSection>())
      for (const auto& e : cpu->results)
        add_flame(doc, dir, e.subject, e.file, " · " + std::to_string(e.samples) + " samples", out.cpu, out.notes);
    if (auto callgrind = doc.run.section<CallgrindSection>())
      for (const auto& e : callgrind->results) add_flame(doc, dir, e.subject, e.file, "", out.callgrind, out.notes);
  }
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
