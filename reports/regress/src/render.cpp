#include "kprof/regress/render.h"

#include <cmath>
#include <cstdio>

#include "kprof/reports/markup.h"
#include "kprof/reports/tables.h"

namespace kprof::regress {
namespace {

std::string verdict_mark(Verdict v) {
  switch (v) {
    case Verdict::regression:
      return "REGRESSION";
    case Verdict::improvement:
      return "improved";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::unchanged:
      return "ok";
  }
  return "?";
}

std::string short_commit(const std::string& c) { return c.size() > 12 ? c.substr(0, 12) : c; }

std::string headline(const Comparison& c) {
  int regressions = c.regressions();
  std::size_t added = 0;
  for (const auto& b : c.benchmarks) added += b.is_new;
  std::string s = regressions ? std::to_string(regressions) + " regression" + (regressions == 1 ? "" : "s")
                              : std::string("no regression");
  s += " in " + std::to_string(c.benchmarks.size() - added) + " benchmark" +
       (c.benchmarks.size() - added == 1 ? "" : "s") + " compared";
  if (c.improvements()) s += ", " + std::to_string(c.improvements()) + " improvement(s)";
  if (added) s += ", " + std::to_string(added) + " new";
  if (!c.removed.empty()) s += ", " + std::to_string(c.removed.size()) + " no longer run";
  return s;
}

int decimals_for(Metric m) { return m == Metric::instructions ? 2 : 1; }

Table findings_table(const Comparison& c) {
  Table t;
  t.header = {"benchmark", "metric", "baseline", "current", "change", "threshold", "verdict"};
  t.left_aligned = {true, true, false, false, false, false, true};
  for (const auto& b : c.benchmarks) {
    if (b.is_new) {
      t.rows.push_back({b.key, "-", "-", "-", "-", "-", "new"});
      continue;
    }
    for (const auto& f : b.findings) {
      auto value = [&](double v) {
        switch (f.metric) {
          case Metric::time:
            return format_duration_ns(v);
          case Metric::correctness: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.2e", v);
            return std::string(buf);
          }
          case Metric::allocations:
            return format_fixed(v, 2);
          default:
            return format_fixed(v, 0);
        }
      };
      t.rows.push_back(
          {b.key, std::string(to_string(f.metric)), value(f.baseline), value(f.current),
           f.metric == Metric::correctness ? "-" : format_signed_pct(f.change_pct, decimals_for(f.metric)),
           f.metric == Metric::correctness ? "tolerance" : format_fixed(f.threshold_pct, decimals_for(f.metric)) + "%",
           verdict_mark(f.verdict)});
    }
  }
  return t;
}

// "time across the suite: geometric mean of current/baseline over 3 benchmarks 1.010 (+1.0%)".
std::string suite_time_line(const Comparison& c) {
  const std::optional<SuiteTime> t = c.suite_time();
  if (!t) return "";
  return "time across the suite: geometric mean of current/baseline over " + std::to_string(t->benchmarks) +
         " benchmarks " + format_fixed(t->geomean_ratio, 3) + " (" + format_signed_pct(t->change_pct()) + ")";
}

std::string alert_title(const BenchmarkComparison& b, const Finding& f) {
  return "kprof: " + std::string(to_string(f.metric)) + " " + std::string(to_string(f.verdict)) + " in " + b.key;
}

std::string full_explanation(const BenchmarkComparison& b, const Finding& f, const std::string& sep) {
  std::string s = f.explanation;
  for (const auto& d : f.details) s += sep + "  " + d;
  for (const auto& n : b.notes) s += sep + n;
  return s;
}

}  // namespace

std::string escape_annotation(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '%')
      out += "%25";
    else if (ch == '\r')
      out += "%0D";
    else if (ch == '\n')
      out += "%0A";
    else
      out += ch;
  }
  return out;
}

std::string render_text(const Comparison& c) {
  std::string s = "kprof regress: " + headline(c) + "\n";
  s += "baseline: " + c.baseline_source + (c.baseline_commit.empty() ? "" : " @ " + short_commit(c.baseline_commit)) +
       "\n";
  s +=
      "current:  " + c.current_source + (c.current_commit.empty() ? "" : " @ " + short_commit(c.current_commit)) + "\n";
  for (const auto& w : c.warnings) s += "warning: " + w + "\n";
  s += "\n" + findings_table(c).text();
  if (std::string suite = suite_time_line(c); !suite.empty()) s += suite + "\n";
  bool any = false;
  for (const auto& b : c.benchmarks)
    for (const auto& f : b.findings)
      if (f.verdict == Verdict::regression || f.verdict == Verdict::inconclusive) {
        if (!any) s += "\n";
        any = true;
        s += (f.verdict == Verdict::regression ? "REGRESSION " : "inconclusive ") + b.key + " [" +
             std::string(to_string(f.metric)) + "]: " + full_explanation(b, f, "\n    ") + "\n";
      }
  std::string notes;
  for (const auto& b : c.benchmarks)
    if (!b.has_regression())
      for (const auto& n : b.notes)
        if (!b.is_new) notes += "note " + b.key + ": " + n + "\n";
  for (const auto& r : c.removed) notes += "note " + r + ": in the baseline but not in the current run\n";
  if (!notes.empty()) s += (any ? "" : "\n") + notes;  // a blank line after the table, as before alerts
  return s;
}

std::string render_markdown(const Comparison& c) {
  std::string s = std::string("## kprof regression gate: ") + (c.regressions() ? "❌ " : "✅ ") + headline(c) + "\n\n";
  s += "Baseline `" + c.baseline_source + "`" +
       (c.baseline_commit.empty() ? "" : " (" + short_commit(c.baseline_commit) + ")") + ", current `" +
       c.current_source + "`" + (c.current_commit.empty() ? "" : " (" + short_commit(c.current_commit) + ")") +
       (c.paired ? "; wall time from interleaved runs of both binaries on this machine" : "") + ".\n\n";
  for (const auto& w : c.warnings) s += "> ⚠️ " + w + "\n\n";
  bool any = false;
  for (const auto& b : c.benchmarks)
    for (const auto& f : b.findings)
      if (f.verdict == Verdict::regression) {
        if (!any) s += "### Regressions\n\n";
        any = true;
        s += "- **" + b.key + "** — " + std::string(to_string(f.metric)) + ": " + f.explanation + "\n";
        for (const auto& d : f.details) s += "  - `" + d + "`\n";
        for (const auto& n : b.notes) s += "  - " + n + "\n";
      }
  if (any) s += "\n";
  s += "### All comparisons\n\n" + findings_table(c).markdown() + "\n";
  if (std::string suite = suite_time_line(c); !suite.empty()) s += suite + "\n\n";
  std::string notes;
  for (const auto& b : c.benchmarks)
    if (!b.has_regression())
      for (const auto& n : b.notes) notes += "- " + b.key + ": " + n + "\n";
  for (const auto& r : c.removed) notes += "- " + r + ": in the baseline but not in the current run\n";
  if (!notes.empty()) s += "### Notes\n\n" + notes;  // the table ends with a blank line already
  return s;
}

std::string render_annotations(const Comparison& c) {
  std::string s;
  for (const auto& w : c.warnings) {
    const bool environment = w.rfind("current environment:", 0) == 0;
    s += std::string("::warning title=kprof: ") + (environment ? "unreliable environment" : "runs not comparable") +
         "::" + escape_annotation(w) + "\n";
  }
  for (const auto& b : c.benchmarks)
    for (const auto& f : b.findings) {
      if (f.verdict == Verdict::regression)
        s += "::error title=" + escape_annotation(alert_title(b, f)) +
             "::" + escape_annotation(full_explanation(b, f, "\n")) + "\n";
      else if (f.verdict == Verdict::inconclusive)
        s += "::warning title=" + escape_annotation(alert_title(b, f)) +
             "::" + escape_annotation(full_explanation(b, f, "\n")) + "\n";
    }
  return s;
}

std::string render_junit(const Comparison& c) {
  int tests = 0, failures = 0;
  std::string cases;
  for (const auto& b : c.benchmarks) {
    if (b.is_new) {
      ++tests;
      cases += "    <testcase classname=\"kprof." + escape_markup(b.family) + "\" name=\"" + escape_markup(b.key) +
               "\"><skipped message=\"new benchmark: not in the baseline\"/></testcase>\n";
      continue;
    }
    for (const auto& f : b.findings) {
      ++tests;
      cases += "    <testcase classname=\"kprof." + escape_markup(b.family.empty() ? "sections" : b.family) +
               "\" name=\"" + escape_markup(b.key + " " + std::string(to_string(f.metric))) + "\">";
      if (f.verdict == Verdict::regression) {
        ++failures;
        cases += "<failure message=\"" + escape_markup(f.explanation) + "\" type=\"regression\">" +
                 escape_markup(full_explanation(b, f, "\n")) + "</failure>";
      } else {
        cases += "<system-out>" + escape_markup(f.explanation) + "</system-out>";
      }
      cases += "</testcase>\n";
    }
  }
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites name=\"kprof regress\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\">\n";
  s += "  <testsuite name=\"kprof regress\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"0\">\n";
  if (!c.warnings.empty()) {
    s += "    <system-err>";
    for (const auto& w : c.warnings) s += escape_markup(w) + "\n";
    s += "</system-err>\n";
  }
  s += cases + "  </testsuite>\n</testsuites>\n";
  return s;
}

namespace {

nlohmann::json suite_time_json(const Comparison& c) {
  const std::optional<SuiteTime> t = c.suite_time();
  if (!t) return nullptr;
  return {{"benchmarks", t->benchmarks}, {"geomean_ratio", t->geomean_ratio}, {"change_pct", t->change_pct()}};
}

}  // namespace

nlohmann::json to_json(const Comparison& c) {
  using nlohmann::json;
  json benchmarks = json::array();
  for (const auto& b : c.benchmarks) {
    json findings = json::array();
    for (const auto& f : b.findings) {
      json jf = {{"metric", to_string(f.metric)},
                 {"verdict", to_string(f.verdict)},
                 {"baseline", f.baseline},
                 {"current", f.current},
                 {"change_pct", f.change_pct},
                 {"threshold_pct", f.threshold_pct},
                 {"threshold_source", f.threshold_source},
                 {"explanation", f.explanation},
                 {"details", f.details}};
      if (f.p_value) jf["p_value"] = *f.p_value;
      if (f.ci_low_pct) jf["ci_low_pct"] = *f.ci_low_pct;
      if (f.ci_high_pct) jf["ci_high_pct"] = *f.ci_high_pct;
      if (f.profiles)
        jf["profiles"] = {{"baseline_file", f.profiles->baseline_file},
                          {"current_file", f.profiles->current_file},
                          {"baseline_iterations", f.profiles->baseline_iterations},
                          {"current_iterations", f.profiles->current_iterations}};
      findings.push_back(jf);
    }
    benchmarks.push_back({{"key", b.key},
                          {"family", b.family},
                          {"variant", b.variant},
                          {"dtype", b.dtype},
                          {"size", b.size},
                          {"new", b.is_new},
                          {"findings", findings},
                          {"notes", b.notes}});
  }
  return {{"kind", "kprof-regress"},
          {"schema_version", 1},
          {"baseline", c.baseline_source},
          {"current", c.current_source},
          {"baseline_commit", c.baseline_commit},
          {"current_commit", c.current_commit},
          {"paired", c.paired},
          {"regressions", c.regressions()},
          {"improvements", c.improvements()},
          {"warnings", c.warnings},
          {"removed", c.removed},
          {"benchmarks", benchmarks},
          {"suite_time", suite_time_json(c)}};
}

}  // namespace kprof::regress
