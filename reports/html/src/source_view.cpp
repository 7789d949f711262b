#include "source_view.h"

#include <algorithm>
#include <map>
#include <optional>

#include "kprof/errors.h"
#include "kprof/frame.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/sections.h"
#include "kprof/source_lines.h"
#include "profile_files.h"

namespace kprof::html {
namespace {

using nlohmann::json;

// One column of figures: what one profile says about each line of the files it touches.
struct Column {
  std::string label;  // "time · lines nmf/scalar f64 k=8,m=32,n=300"
  std::string kind;   // "ns", "hits", "Ir", "samples", "bytes"
  std::string document;
  double total = 0;                                              // of the whole region
  std::map<std::string, std::map<std::uint32_t, double>> cells;  // file -> line -> figure
};

std::string subject_label(const Subject& s) {
  return s.is_program() ? s.key
                        : s.family + "/" + s.variant + " " + std::string(to_string(s.dtype)) + " " + s.size.str();
}

bool own_file(const std::string& file) {
  Frame f;
  f.file = file;
  return !file.empty() && file.front() == '/' && !is_runtime_frame(f);
}

void add_lines(const Document& doc, const LinesSection& s, std::vector<Column>& columns) {
  Column time{"time · lines " + subject_label(s.subject), "ns", doc.file, 0, {}};
  Column hits{"hits · lines " + subject_label(s.subject), "hits", doc.file, 0, {}};
  for (const auto& f : s.functions) {
    time.total += f.total_ns;
    for (const auto& l : f.lines) {
      time.cells[f.file][l.line] += l.ns;
      hits.cells[f.file][l.line] += static_cast<double>(l.hits);
    }
  }
  columns.push_back(std::move(time));
  columns.push_back(std::move(hits));
}

// The self cost of the first event per line, from the kcachegrind file the entry names.
void add_profile(const Document& doc, const std::filesystem::path& dir, const std::string& named,
                 const std::string& label, const std::string& kind, std::vector<Column>& columns,
                 std::vector<std::string>& notes) {
  const auto path = find_named_file(dir, doc.file, named);
  if (!path) return;  // the flame graphs already note a missing profile
  try {
    const Hotspots h = compute_hotspots(read_callgrind_file(*path));
    Column c{label, kind, doc.file, h.totals.empty() ? 0.0 : static_cast<double>(h.totals[0]), {}};
    for (const auto& l : h.lines)
      if (l.line > 0 && own_file(l.file) && !is_driver_frame(l.function))
        c.cells[l.file][static_cast<std::uint32_t>(l.line)] += l.self[0];
    columns.push_back(std::move(c));
  } catch (const UsageError& e) {
    notes.push_back(doc.file + ": " + label + ": " + e.what());
  }
}

void add_memory(const Document& doc, const MemoryEntry& e, std::vector<Column>& columns) {
  Column c{"bytes · mem " + subject_label(e.subject), "bytes", doc.file, static_cast<double>(e.bytes_allocated), {}};
  for (const auto& site : e.top_sites)
    if (site.frame.line > 0 && own_file(site.frame.file))
      c.cells[site.frame.file][static_cast<std::uint32_t>(site.frame.line)] += static_cast<double>(site.bytes);
  columns.push_back(std::move(c));
}

std::vector<Column> collect_columns(const Documents& documents, const std::filesystem::path& dir,
                                    std::vector<std::string>& notes) {
  std::vector<Column> columns;
  for (const auto& doc : documents.runs) {
    if (auto lines = doc.run.section<LinesSection>()) add_lines(doc, *lines, columns);
    if (auto callgrind = doc.run.section<CallgrindSection>())
      for (const auto& e : callgrind->results)
        add_profile(doc, dir, e.file, "Ir · callgrind " + subject_label(e.subject), "Ir", columns, notes);
    if (auto cpu = doc.run.section<CpuSection>())
      for (const auto& e : cpu->results)
        add_profile(doc, dir, e.file, "samples · cpu " + subject_label(e.subject), "samples", columns, notes);
    if (auto memory = doc.run.section<MemorySection>())
      for (const auto& e : memory->results) add_memory(doc, e, columns);
  }
  return columns;
}

// The view of one file: the columns that have figures in it, its lines with any figure, and each
// column's hottest line.
json file_view(const std::string& file, const std::vector<std::string>& text, const std::vector<Column>& columns,
               double& largest_share) {
  std::vector<const Column*> used;
  std::map<std::uint32_t, std::vector<std::optional<double>>> rows;
  json cols = json::array(), hottest = json::array();
  for (const Column& c : columns) {
    auto it = c.cells.find(file);
    if (it == c.cells.end()) continue;
    const std::size_t index = used.size();
    used.push_back(&c);
    cols.push_back({{"label", c.label}, {"kind", c.kind}, {"total", c.total}, {"document", c.document}});
    auto hot = std::max_element(it->second.begin(), it->second.end(),
                                [](const auto& a, const auto& b) { return a.second < b.second; });
    hottest.push_back({{"column", index}, {"line", hot->first}});
    if (c.total > 0 && c.kind != "hits") largest_share = std::max(largest_share, hot->second / c.total);
    for (const auto& [line, value] : it->second) {
      auto& row = rows[line];
      row.resize(index + 1);
      row[index] = value;
    }
  }
  json lines = json::array();
  for (auto& [line, values] : rows) {
    values.resize(used.size());
    json v = json::array();
    for (const auto& x : values) v.push_back(x ? json(*x) : json(nullptr));
    lines.push_back({{"line", line}, {"text", line <= text.size() ? text[line - 1] : ""}, {"values", v}});
  }
  return {{"file", file}, {"columns", cols}, {"lines", lines}, {"hottest", hottest}};
}

}  // namespace

json source_views(const Documents& documents, const std::filesystem::path& dir, std::vector<std::string>& notes) {
  const std::vector<Column> columns = collect_columns(documents, dir, notes);
  std::map<std::string, bool> files;
  for (const Column& c : columns)
    for (const auto& [file, cells] : c.cells) files[file] = true;
  std::vector<std::pair<double, json>> views;
  for (const auto& [file, _] : files) {
    const std::vector<std::string> text = read_source_lines(file);
    if (text.empty()) continue;  // not readable here: figures without their lines would not help
    double share = 0;
    json view = file_view(file, text, columns, share);
    views.emplace_back(share, std::move(view));
  }
  std::stable_sort(views.begin(), views.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json out = json::array();
  for (auto& [share, view] : views) out.push_back(std::move(view));
  return out;
}

}  // namespace kprof::html
