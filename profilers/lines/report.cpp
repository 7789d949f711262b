// From merged per-site sums to line_profiler-style tables. The markers' own cost was measured
// (calibrate()) and is subtracted here, after the region, never on the hot path.
#include "kprof/lines/report.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "kprof/reports/tables.h"
#include "kprof/source_lines.h"

namespace kprof::lines {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool ends_with_any(const std::string& s, const char* chars) {
  std::string t = trim(s);
  return !t.empty() && std::string(chars).find(t.back()) != std::string::npos;
}

// The first line to show: the KPROF_FUNCTION line, extended up over the function's signature
// (lines that do not end a statement or a block), at most six lines up.
std::uint32_t signature_start(const std::vector<std::string>& src, std::uint32_t marker_line) {
  std::uint32_t start = marker_line;
  for (int step = 0; step < 6 && start > 1; ++step) {
    const std::string& prev = src[start - 2];
    std::string t = trim(prev);
    if (t.empty() || t.rfind("//", 0) == 0 || t[0] == '#') break;
    if (step > 0 && ends_with_any(prev, ";}")) break;
    if (step == 0 && !ends_with_any(prev, "{)")) break;
    --start;
    if (t.find('(') != std::string::npos && t.find(')') == std::string::npos) continue;
    if (t.find('(') != std::string::npos) break;  // the line with the name and its parameters
  }
  return start;
}

// The last line to show: the closing brace of the function body, by counting braces from the
// marker line (inside the body, at depth 1; an automatic marker's line holds the body's '{' itself,
// so counting starts outside it). Never before the last marked line.
std::uint32_t body_end(const std::vector<std::string>& src, std::uint32_t marker_line, std::uint32_t last_marked,
                       bool automatic) {
  int depth = automatic ? 0 : 1;
  for (std::uint32_t l = marker_line; l <= src.size() && l <= last_marked + 400; ++l) {
    const std::string& s = src[l - 1];
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '"' && (i == 0 || s[i - 1] != '\\')) in_string = !in_string;
      if (in_string) continue;
      if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') break;
      if (c == '{') ++depth;
      if (c == '}' && --depth == 0) return std::max(l, last_marked);
    }
  }
  return last_marked;
}

// "KPROF_LINE;" with nothing after it but a comment.
bool marker_alone(const std::string& text) {
  std::string t = trim(text);
  if (t.rfind("KPROF_LINE;", 0) != 0) return false;
  std::string rest = trim(t.substr(11));
  return rest.empty() || rest.rfind("//", 0) == 0;
}

bool holds_marker(const std::string& text, bool header) {
  return text.find(header ? "KPROF_FUNCTION" : "KPROF_LINE") != std::string::npos;
}

using Key = std::tuple<std::string, std::string, std::uint32_t>;  // file, function, line

void add(Cell& to, const Cell& c) {
  to.ticks += c.ticks;
  to.hits += c.hits;
  to.marks += c.marks;
  to.repeats += c.repeats;
  to.calls += c.calls;
}

// The lines of the function marked at `fkey`: those below its marker, in the same file and
// function, and above the next marker of a function of the same name in that file.
std::map<std::uint32_t, const Cell*> own_lines(const std::map<Key, Cell>& functions, const Key& fkey,
                                               const std::map<Key, Cell>& lines) {
  const auto& [file, name, marker_line] = fkey;
  auto next = functions.upper_bound(fkey);
  const bool has_next = next != functions.end() && std::get<0>(next->first) == file && std::get<1>(next->first) == name;
  std::map<std::uint32_t, const Cell*> own;
  for (const auto& [lkey, lcell] : lines) {
    const auto& [lfile, lname, lline] = lkey;
    if (lfile != file || lname != name || lline < marker_line) continue;
    if (has_next && lline >= std::get<2>(next->first)) continue;
    own[lline] = &lcell;
  }
  return own;
}

// Whether the source file still matches the markers the binary was built with; if not, why.
void check_source(FunctionReport& fr, const std::vector<std::string>& src,
                  const std::map<std::uint32_t, const Cell*>& own) {
  const std::uint32_t last_marked = own.rbegin()->first;
  fr.source_available = !src.empty() && src.size() >= last_marked;
  if (src.empty()) {
    fr.source_note = "source file " + fr.file + " not found (moved, or built on another machine): no line text";
  } else if (src.size() < last_marked) {
    fr.source_note =
        "source file " + fr.file + " has fewer lines than the markers (changed since the build): no line text";
  } else if (!fr.automatic_markers) {  // automatic markers are in the build's copy, not in the file
    for (const auto& [l, cell] : own) {
      if (!holds_marker(src[l - 1], l == fr.line)) {
        fr.source_available = false;
        fr.source_note = "source file " + fr.file + " changed since the build (line " + std::to_string(l) +
                         " holds no marker): no line text";
        break;
      }
    }
  }
}

// Where each marked line's figures are shown. A marker alone on its line (clang-format puts
// `KPROF_LINE;` on a line of its own) times the statement below it: its row is that statement's
// line, and the marker's own line is hidden.
class RowPlacement {
 public:
  RowPlacement(const FunctionReport& fr, const std::vector<std::string>& src,
               const std::map<std::uint32_t, const Cell*>& own)
      : fr_(fr), src_(src) {
    for (const auto& [l, cell] : own) {
      std::uint32_t at = l;
      if (std::uint32_t below = statement_below(l)) {
        at = below;
        hidden_.insert(l);
      }
      add(shown_[at], *cell);
      marker_of_.emplace(at, l);
    }
  }

  // The statement line a marker alone on line l times, or 0 if it times its own line.
  std::uint32_t statement_below(std::uint32_t l) const {
    if (!fr_.source_available || fr_.automatic_markers || l == fr_.line || !marker_alone(src_[l - 1])) return 0;
    std::uint32_t next = l + 1;
    while (next <= src_.size() && trim(src_[next - 1]).empty()) ++next;
    return next <= src_.size() && !holds_marker(src_[next - 1], false) ? next : 0;
  }
  bool hidden(std::uint32_t l) const { return hidden_.count(l) > 0; }
  const std::map<std::uint32_t, Cell>& shown() const { return shown_; }

  LineRow row(std::uint32_t l, const ClockInfo& clock) const {
    LineRow row;
    row.line = l;
    if (auto it = shown_.find(l); it != shown_.end()) {
      row.marked = true;
      row.marker_line = marker_of_.at(l);
      row.hits = it->second.hits;
      row.ns = net_ns(it->second, clock);
    }
    if (fr_.source_available) row.text = src_[l - 1];
    return row;
  }

 private:
  const FunctionReport& fr_;
  const std::vector<std::string>& src_;
  std::map<std::uint32_t, Cell> shown_;
  std::map<std::uint32_t, std::uint32_t> marker_of_;
  std::set<std::uint32_t> hidden_;
};

// The rows of one function: its whole source from signature to closing brace when the source
// matches the build, else the marked lines alone.
void fill_rows(FunctionReport& fr, const std::vector<std::string>& src, const std::map<std::uint32_t, const Cell*>& own,
               const ClockInfo& clock) {
  const RowPlacement placement(fr, src, own);
  for (const auto& [l, cell] : placement.shown()) fr.total_ns += net_ns(cell, clock);
  if (!fr.source_available) {
    for (const auto& [l, cell] : placement.shown()) fr.rows.push_back(placement.row(l, clock));
    return;
  }
  // An automatic KPROF_FUNCTION is on the body's '{' line, a manual one on the line below it.
  const std::uint32_t first = signature_start(src, fr.automatic_markers ? fr.line + 1 : fr.line);
  const std::uint32_t last = body_end(src, fr.line, own.rbegin()->first, fr.automatic_markers);
  // A marker never reached has no site record; its line is hidden all the same (its statement
  // shows, without numbers), so that the table looks the same whichever lines ran.
  for (std::uint32_t l = first; l <= last; ++l)
    if (!placement.hidden(l) && (own.count(l) || placement.statement_below(l) == 0))
      fr.rows.push_back(placement.row(l, clock));
}

// The lines kprof-mark left without a marker inside the function's rows (automatic markers only).
void attach_not_instrumented(FunctionReport& fr) {
  if (!fr.automatic_markers || fr.rows.empty()) return;
  for (NotInstrumented& u : unmarked_lines(fr.file))
    if (u.line >= fr.rows.front().line && u.line <= fr.rows.back().line) fr.not_instrumented.push_back(std::move(u));
}

}  // namespace

Report build_report(const Snapshot& snapshot) {
  Report report;
  report.clock = snapshot.clock;
  report.threads = snapshot.threads;
  report.unregistered_sites = snapshot.unregistered_sites;

  // Instantiations of a template (float and double) have their own sites: merge by position.
  std::map<Key, Cell> functions;
  std::map<Key, Cell> lines;
  std::set<Key> automatic;  // functions whose markers kprof-mark inserted
  for (const SiteTotals& s : snapshot.sites) {
    Key key{s.location->file, s.location->function, s.location->line};
    add((s.location->is_function ? functions : lines)[key], s.cell);
    if (s.location->is_function && s.location->automatic) automatic.insert(key);
  }

  for (const auto& [fkey, fcell] : functions) {
    const std::map<std::uint32_t, const Cell*> own = own_lines(functions, fkey, lines);
    if (own.empty()) continue;
    FunctionReport fr;
    std::tie(fr.file, fr.function, fr.line) = fkey;
    fr.calls = fcell.hits;
    fr.wall_ns = net_ns(fcell, snapshot.clock);
    fr.automatic_markers = automatic.contains(fkey);
    const std::vector<std::string> src = read_source_lines(fr.file);
    check_source(fr, src, own);
    fill_rows(fr, src, own, snapshot.clock);
    attach_not_instrumented(fr);
    if (!fr.source_available) report.notes.push_back(fr.function + ": " + fr.source_note);
    for (const LineRow& row : fr.rows) {
      if (!row.marked) continue;
      report.ranked.push_back({fr.function, fr.file, row.line, row.hits, row.ns,
                               fr.total_ns > 0 ? 100.0 * row.ns / fr.total_ns : 0.0, trim(row.text)});
    }
    report.functions.push_back(std::move(fr));
  }
  std::stable_sort(report.functions.begin(), report.functions.end(),
                   [](const FunctionReport& a, const FunctionReport& b) { return a.total_ns > b.total_ns; });
  std::stable_sort(report.ranked.begin(), report.ranked.end(),
                   [](const RankedLine& a, const RankedLine& b) { return a.ns > b.ns; });
  if (snapshot.unregistered_sites > 0)
    report.notes.push_back(std::to_string(snapshot.unregistered_sites) + " marker sites beyond " +
                           std::to_string(kMaxSites - 2) + " share the <overflow> row");
  return report;
}

namespace {

Table line_table(const FunctionReport& fr) {
  Table t;
  t.header = {"Line #", "Hits", "Time (us)", "Per Hit (ns)", "% Time", "Line Contents"};
  t.left_aligned = {false, false, false, false, false, true};
  for (const LineRow& r : fr.rows) {
    if (!r.marked) {
      t.rows.push_back({std::to_string(r.line), "", "", "", "", r.text});
      continue;
    }
    t.rows.push_back({std::to_string(r.line), std::to_string(r.hits), format_fixed(r.ns / 1e3, 1),
                      format_fixed(r.hits ? r.ns / static_cast<double>(r.hits) : 0.0, 1),
                      format_fixed(fr.total_ns > 0 ? 100.0 * r.ns / fr.total_ns : 0.0, 1), r.text});
  }
  return t;
}

Table ranked_table(const Report& report, std::size_t limit) {
  Table t;
  t.header = {"Rank", "Time (us)", "% of function", "Hits", "Function", "Line", "Line Contents"};
  t.left_aligned = {false, false, false, false, true, false, true};
  for (std::size_t i = 0; i < report.ranked.size() && i < limit; ++i) {
    const RankedLine& r = report.ranked[i];
    t.rows.push_back({std::to_string(i + 1), format_fixed(r.ns / 1e3, 1), format_fixed(r.percent_of_function, 1),
                      std::to_string(r.hits), r.function, std::to_string(r.line), r.text});
  }
  return t;
}

std::string clock_line(const ClockInfo& c) {
  return "Timer: " + c.source + " (" + c.why + "), " + format_fixed(c.ticks_per_ns, 3) +
         " ticks/ns; marker cost subtracted: " + format_fixed(c.line_mark_ns, 1) + " ns per line, " +
         format_fixed(c.repeat_mark_ns, 2) + " ns per repeated line, " + format_fixed(c.call_ns, 1) + " ns per call";
}

// Under a function's table: where the time of its unmarked statements went.
std::string not_instrumented_line(const FunctionReport& fr) {
  if (fr.not_instrumented.empty()) return "";
  std::string out = "Not instrumented (their time counts on the line timed before them):";
  for (std::size_t i = 0; i < fr.not_instrumented.size(); ++i)
    out += (i ? ", " : " ") + std::string("line ") + std::to_string(fr.not_instrumented[i].line) + " (" +
           fr.not_instrumented[i].why + ")";
  return out + "\n";
}

std::string function_heading(const FunctionReport& fr) {
  return "Function: " + fr.function + " at line " + std::to_string(fr.line) + "\nCalls: " + std::to_string(fr.calls) +
         "   Total time: " + format_duration_ns(fr.total_ns) +
         "   Wall (entry to exit): " + format_duration_ns(fr.wall_ns);
}

}  // namespace

std::string render_text(const Report& report) {
  std::string out = clock_line(report.clock) + "\n";
  for (const FunctionReport& fr : report.functions) {
    out += "\nFile: " + fr.file + "\n" + function_heading(fr) + "\n";
    if (!fr.source_note.empty()) out += "Note: " + fr.source_note + "\n";
    out += "\n" + line_table(fr).text() + not_instrumented_line(fr);
  }
  if (!report.ranked.empty()) out += "\nLines ranked by time:\n" + ranked_table(report, 10).text();
  for (const std::string& n : report.notes) out += "note: " + n + "\n";
  return out;
}

std::string render_markdown(const Report& report) {
  std::string out = "\n## Line timings\n\n" + clock_line(report.clock) + "\n";
  for (const FunctionReport& fr : report.functions) {
    out += "\n### `" + fr.function + "` (" + fr.file + ":" + std::to_string(fr.line) + ")\n\n";
    out += "Calls: " + std::to_string(fr.calls) + ", total time " + format_duration_ns(fr.total_ns) +
           ", wall (entry to exit) " + format_duration_ns(fr.wall_ns) + "\n\n";
    if (!fr.source_note.empty()) out += "> " + fr.source_note + "\n\n";
    Table t = line_table(fr);
    for (auto& row : t.rows) row.back() = row.back().empty() ? "" : "`" + row.back() + "`";
    out += t.markdown();
    if (const std::string note = not_instrumented_line(fr); !note.empty()) out += "\n> " + note;
  }
  if (!report.ranked.empty()) {
    Table t = ranked_table(report, 10);
    for (auto& row : t.rows) row.back() = row.back().empty() ? "" : "`" + row.back() + "`";
    out += "\n### Lines ranked by time\n\n" + t.markdown();
  }
  for (const std::string& n : report.notes) out += "\n> note: " + n + "\n";
  return out;
}

LinesSection to_section(const Report& report) {
  LinesSection s;
  const ClockInfo& c = report.clock;
  s.clock = {c.source, c.why, c.ticks_per_ns, c.line_mark_ns, c.repeat_mark_ns, c.call_ns, c.clock_read_ns};
  s.threads = report.threads;
  s.unregistered_sites = report.unregistered_sites;
  for (const FunctionReport& fr : report.functions) {
    LinesFunction f{fr.function,         fr.file,        fr.line, fr.calls, fr.total_ns, fr.wall_ns,
                    fr.source_available, fr.source_note, {}};
    for (const LineRow& r : fr.rows)
      if (r.marked)
        f.lines.push_back({r.line, r.marker_line, r.hits, r.ns, r.hits ? r.ns / static_cast<double>(r.hits) : 0.0,
                           fr.total_ns > 0 ? 100.0 * r.ns / fr.total_ns : 0.0, r.text});
    for (const NotInstrumented& u : fr.not_instrumented) f.not_instrumented.push_back({u.line, u.why});
    s.functions.push_back(std::move(f));
  }
  for (const RankedLine& r : report.ranked)
    s.ranked.push_back({r.function, r.file, r.line, r.ns, r.hits, r.percent_of_function});
  s.notes = report.notes;
  return s;
}

}  // namespace kprof::lines
