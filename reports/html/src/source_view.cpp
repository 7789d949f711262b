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

// A function as the views group lines: its bare name ("nls_scalar", the same for every instantiation
// and every profiler's way of naming it) in the file that holds the lines.
struct FunctionKey {
  std::string function;
  std::string file;
  auto operator<=>(const FunctionKey&) const = default;
};

// What one profile says about one line, and the function it names for it ("" when the profile's
// function is kprof's driver, into which the kernel's code was inlined).
struct Cell {
  double value = 0;
  std::string function;
};

// One column of figures: what one profile says about each line of the files it touches.
struct Column {
  std::string label;  // "time · lines nmf/scalar f64 k=8,m=32,n=300"
  std::string kind;   // "ns", "hits", "Ir", "samples", "bytes"
  std::string document;
  double total = 0;                                            // of the whole region
  bool names_inlined_functions = true;                         // false for callgrind: its fn= is the outer function
  std::map<std::string, std::map<std::uint32_t, Cell>> cells;  // file -> line -> figure

  void add(const std::string& file, std::uint32_t line, double value, const std::string& function) {
    Cell& c = cells[file][line];
    c.value += value;
    if (c.function.empty() && !is_driver_frame(function)) c.function = bare_function_name(function);
  }
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
  Column time{"time · lines " + subject_label(s.subject), "ns", doc.file};
  Column hits{"hits · lines " + subject_label(s.subject), "hits", doc.file};
  for (const auto& f : s.functions) {
    time.total += f.total_ns;
    for (const auto& l : f.lines) {
      time.add(f.file, l.line, l.ns, f.function);
      hits.add(f.file, l.line, static_cast<double>(l.hits), f.function);
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
    Column c{label, kind, doc.file, h.totals.empty() ? 0.0 : static_cast<double>(h.totals[0])};
    c.names_inlined_functions = kind != "Ir";
    for (const auto& l : h.lines)
      if (l.line > 0 && own_file(l.file)) c.add(l.file, static_cast<std::uint32_t>(l.line), l.self[0], l.function);
    columns.push_back(std::move(c));
  } catch (const UsageError& e) {
    notes.push_back(doc.file + ": " + label + ": " + e.what());
  }
}

void add_memory(const Document& doc, const MemoryEntry& e, std::vector<Column>& columns) {
  Column c{"bytes · mem " + subject_label(e.subject), "bytes", doc.file, static_cast<double>(e.bytes_allocated)};
  for (const auto& site : e.top_sites)
    if (site.frame.line > 0 && own_file(site.frame.file))
      c.add(site.frame.file, static_cast<std::uint32_t>(site.frame.line), static_cast<double>(site.bytes),
            site.frame.function);
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

// file -> line -> the function each line belongs to. The line timers, CPU samples and allocation
// sites name the innermost function, inlined or not; callgrind names the function the code was
// compiled into, which for a kernel inlined into kprof's driver is the driver's. So lines are named
// by the first, then by callgrind where its function is the user's, and a line still unnamed takes
// the function of the nearest named line above it in its file: the function whose body it is in.
// A line with no named line above it is left out: code of kprof's driver itself.
using LineFunctions = std::map<std::string, std::map<std::uint32_t, std::string>>;

LineFunctions name_lines(const std::vector<Column>& columns) {
  LineFunctions named;
  for (bool inline_aware : {true, false})
    for (const Column& c : columns)
      if (c.names_inlined_functions == inline_aware)
        for (const auto& [file, lines] : c.cells)
          for (const auto& [line, cell] : lines)
            if (!cell.function.empty()) named[file].emplace(line, cell.function);
  return named;
}

std::optional<std::string> function_of(const LineFunctions& named, const std::string& file, std::uint32_t line) {
  auto f = named.find(file);
  if (f == named.end()) return std::nullopt;
  auto at_or_above = f->second.upper_bound(line);
  if (at_or_above == f->second.begin()) return std::nullopt;
  return std::prev(at_or_above)->second;
}

// Each column's figures regrouped by function: function -> column index -> line -> figure.
using FunctionFigures = std::map<FunctionKey, std::map<std::size_t, std::map<std::uint32_t, double>>>;

FunctionFigures group_by_function(const std::vector<Column>& columns) {
  const LineFunctions named = name_lines(columns);
  FunctionFigures out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    for (const auto& [file, lines] : columns[i].cells)
      for (const auto& [line, cell] : lines)
        if (auto function = function_of(named, file, line)) out[{*function, file}][i][line] += cell.value;
  return out;
}

// A line's weight for "hottest first": its largest share of any column's region (hits aside).
double line_weight(const std::vector<const Column*>& used, const std::vector<std::optional<double>>& values) {
  double weight = 0;
  for (std::size_t i = 0; i < used.size(); ++i)
    if (values[i] && used[i]->kind != "hits" && used[i]->total > 0)
      weight = std::max(weight, *values[i] / used[i]->total);
  return weight;
}

// The view of one function: the columns that have figures in it, its lines with any figure (the
// hottest first), each column's hottest line and the largest share of a region one line has.
json function_view(const FunctionKey& key, const std::map<std::size_t, std::map<std::uint32_t, double>>& figures,
                   const std::vector<std::string>& text, const std::vector<Column>& columns, double& largest_share) {
  std::vector<const Column*> used;
  std::map<std::uint32_t, std::vector<std::optional<double>>> rows;
  json cols = json::array(), hottest = json::array();
  for (const auto& [index, lines] : figures) {
    const Column& c = columns[index];
    used.push_back(&c);
    cols.push_back({{"label", c.label}, {"kind", c.kind}, {"total", c.total}, {"document", c.document}});
    auto hot =
        std::max_element(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    hottest.push_back({{"column", used.size() - 1}, {"line", hot->first}});
    for (const auto& [line, value] : lines) {
      auto& row = rows[line];
      row.resize(used.size());
      row.back() = value;
    }
  }
  std::vector<std::pair<double, json>> ordered;
  for (auto& [line, values] : rows) {
    values.resize(used.size());
    json v = json::array();
    for (const auto& x : values) v.push_back(x ? json(*x) : json(nullptr));
    const double weight = line_weight(used, values);
    largest_share = std::max(largest_share, weight);
    ordered.emplace_back(weight,
                         json{{"line", line}, {"text", line <= text.size() ? text[line - 1] : ""}, {"values", v}});
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json lines = json::array();
  for (auto& [weight, row] : ordered) lines.push_back(std::move(row));
  return {{"function", key.function}, {"file", key.file}, {"columns", cols}, {"lines", lines}, {"hottest", hottest}};
}

}  // namespace

json source_views(const Documents& documents, const std::filesystem::path& dir, std::vector<std::string>& notes) {
  const std::vector<Column> columns = collect_columns(documents, dir, notes);
  std::map<std::string, std::vector<std::string>> texts;
  std::vector<std::pair<double, json>> views;
  for (const auto& [key, figures] : group_by_function(columns)) {
    auto text = texts.find(key.file);
    if (text == texts.end()) text = texts.emplace(key.file, read_source_lines(key.file)).first;
    if (text->second.empty()) continue;  // not readable here: figures without their lines would not help
    double share = 0;
    json view = function_view(key, figures, text->second, columns, share);
    views.emplace_back(share, std::move(view));
  }
  std::stable_sort(views.begin(), views.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  json out = json::array();
  for (auto& [share, view] : views) out.push_back(std::move(view));
  return out;
}

}  // namespace kprof::html
