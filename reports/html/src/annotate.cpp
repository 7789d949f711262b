#include "kprof/html/annotate.h"

#include <algorithm>

#include "documents.h"
#include "kprof/errors.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/tables.h"
#include "source_view.h"

namespace kprof::html {
namespace {

using json = nlohmann::json;

// A cell: the figure in the column's unit, and its share of the column's region.
std::string cell(const json& value, const json& column) {
  if (value.is_null()) return "";
  const double v = value.get<double>();
  const std::string kind = column["kind"];
  std::string text = kind == "ns" ? format_duration_ns(v) : kind == "bytes" ? format_bytes(v) : format_count(static_cast<std::int64_t>(v));
  const double total = column["total"].get<double>();
  if (kind != "hits" && total > 0) text += " (" + format_fixed(100.0 * v / total, 1) + "%)";
  return text;
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  return first == std::string::npos ? "" : s.substr(first);
}

// "Ir · callgrind nmf/scalar f64 k=8,..." -> {"Ir · callgrind", "nmf/scalar f64 k=8,..."}.
std::pair<std::string, std::string> split_label(const std::string& label) {
  const auto dot = label.find(" · ");
  const auto space = dot == std::string::npos ? std::string::npos : label.find(' ', dot + 4);
  if (space == std::string::npos) return {label, ""};
  return {label.substr(0, space), label.substr(space + 1)};
}

// The profiled job once, when every column profiled the same one ("" otherwise).
std::string common_subject(const json& view) {
  std::string subject;
  for (const json& c : view["columns"]) {
    const std::string s = split_label(c["label"]).second;
    if (!subject.empty() && s != subject) return "";
    subject = s;
  }
  return subject;
}

Table function_table(const json& view, std::size_t max_lines) {
  Table t;
  t.header = {"Line"};
  const bool shared = !common_subject(view).empty();
  for (const json& c : view["columns"])
    t.header.push_back(shared ? split_label(c["label"]).first : c["label"].get<std::string>());
  t.header.push_back("Line Contents");
  t.left_aligned.assign(t.header.size(), false);
  t.left_aligned.back() = true;
  for (const json& line : view["lines"]) {
    if (max_lines && t.rows.size() == max_lines) break;
    std::vector<std::string> row{std::to_string(line["line"].get<std::uint32_t>())};
    for (std::size_t i = 0; i < view["columns"].size(); ++i) row.push_back(cell(line["values"][i], view["columns"][i]));
    row.push_back(trimmed(line["text"].get<std::string>()));
    t.rows.push_back(std::move(row));
  }
  return t;
}

bool selected(const json& view, const AnnotateOptions& options) {
  return options.function.empty() || view["function"].get<std::string>().find(options.function) != std::string::npos;
}

std::string heading(const json& view, std::size_t max_lines) {
  const std::size_t lines = view["lines"].size();
  const std::string subject = common_subject(view);
  return view["function"].get<std::string>() + "  (" + view["file"].get<std::string>() + ")  " +
         (subject.empty() ? "" : subject + "  ") + std::to_string(lines) + " lines with figures" +
         (max_lines && lines > max_lines ? ", the " + std::to_string(max_lines) + " hottest shown" : "");
}

}  // namespace

Annotated annotate(const std::filesystem::path& dir, const AnnotateOptions& options) {
  const Documents documents = collect_documents(dir);
  Annotated out;
  out.notes = documents.notes;
  out.functions = source_views(documents, dir, out.notes);
  const bool any = std::any_of(out.functions.begin(), out.functions.end(),
                               [&](const json& view) { return selected(view, options); });
  if (!any)
    throw UsageError(dir.string() + " has no per-line figures" +
                     (options.function.empty() ? "" : " for a function named like '" + options.function + "'") +
                     ": they come from kprof lines, callgrind, cpu and mem documents (-o " + dir.string() +
                     "), whose source files must be readable here");
  return out;
}

std::string render_annotated_text(const Annotated& annotated, const AnnotateOptions& options) {
  std::string out;
  for (const json& view : annotated.functions) {
    if (!selected(view, options)) continue;
    out += heading(view, options.max_lines) + "\n" + function_table(view, options.max_lines).text() + "\n";
  }
  for (const auto& note : annotated.notes) out += "note: " + note + "\n";
  return out;
}

std::string render_annotated_markdown(const Annotated& annotated, const AnnotateOptions& options) {
  std::string out;
  for (const json& view : annotated.functions) {
    if (!selected(view, options)) continue;
    out +=
        "### " + heading(view, options.max_lines) + "\n\n" + function_table(view, options.max_lines).markdown() + "\n";
  }
  for (const auto& note : annotated.notes) out += "- note: " + note + "\n";
  return out;
}

}  // namespace kprof::html
