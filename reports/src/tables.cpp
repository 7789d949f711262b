#include "kprof/reports/tables.h"

#include "kprof/sections/figures.h"

#include "kprof/reports/sweep_tables.h"
#include "sweep_parts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

namespace kprof {
namespace {

std::string cell_error(const Result& r) { return r.status == Status::skipped ? "-" : format_error(r.max_rel_error); }

std::string status_cell(const Result& r) {
  if (r.status == Status::ok) return "ok";
  return std::string(to_string(r.status));
}

std::vector<std::string> result_row(const Result& r) {
  const bool timed = r.status == Status::ok;
  auto num = [&](double v, int d) { return timed ? format_fixed(v, d) : std::string("-"); };
  std::string spread =
      timed && r.time.median_ns > 0 ? "±" + format_fixed(100.0 * r.time.mad_ns / r.time.median_ns, 1) + "%" : "-";
  std::string speedup = timed && r.speedup_vs_scalar ? format_fixed(*r.speedup_vs_scalar, 1) + "x" : "-";
  return {r.family,
          r.variant,
          std::string(to_string(r.dtype)),
          r.size.str() + threads_suffix(r.threads, r.blas_threads),
          status_cell(r),
          timed ? format_duration_ns(r.time.median_ns) : "-",
          spread,
          num(r.gflops, 2),
          num(r.gbps, 2),
          speedup,
          timed ? format_fixed(r.pct_peak, 1) + (r.bound == "memory"  ? "% bw"
                                                 : r.bound == "cache" ? "% bw*"
                                                                      : "%")
                : "-",
          cell_error(r),
          r.code_path};
}

// "accuracy 0.912": the figures a family reports besides the time (FiguresSection), "" for none.
std::string figures_cell(const std::map<std::string, double>& figures) {
  std::string cell;
  for (const auto& [name, value] : figures) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", value);
    cell += (cell.empty() ? "" : ", ") + name + " " + buf;
  }
  return cell;
}

Table results_table(const Run& run) {
  Table t;
  t.header = {"family",  "variant", "dtype",     "size",   "status",      "median",   "±MAD",
              "GFLOP/s", "GB/s",    "vs scalar", "% peak", "max rel err", "code path"};
  t.left_aligned = {true, true, true, true, true, false, false, false, false, false, false, false, true};
  for (const auto& r : run.results) t.rows.push_back(result_row(r));
  // A column beside the time only for runs whose families report figures: other tables keep their layout.
  const std::optional<FiguresSection> figures = run.section<FiguresSection>();
  if (figures && !figures->figures.empty()) {
    t.header.insert(t.header.begin() + 7, "figures");
    t.left_aligned.insert(t.left_aligned.begin() + 7, true);
    for (std::size_t i = 0; i < run.results.size(); ++i) {
      auto it = figures->figures.find(run.results[i].key());
      t.rows[i].insert(t.rows[i].begin() + 7, it == figures->figures.end() ? "" : figures_cell(it->second));
    }
  }
  return t;
}

std::string peak_line(const MachinePeak& p) {
  return "peak (1 core, " + p.isa + "): " + format_fixed(p.f64_gflops, 1) + " GFLOP/s f64, " +
         format_fixed(p.f32_gflops, 1) + " GFLOP/s f32, STREAM triad " + format_fixed(p.triad_gbps, 1) + " GB/s" +
         (p.from_cache ? " (cached " + p.measured_at + ")" : " (measured now)");
}

bool peak_measured(const MachinePeak& p) { return !p.isa.empty() && p.f64_gflops > 0; }

std::string blas_line(const Environment& e) {
  return e.blas_library + " " + e.blas_version + ", core " + e.blas_core + ", " + std::to_string(e.blas_threads) +
         " thread(s)" + (e.openblas_coretype_env.empty() ? "" : ", OPENBLAS_CORETYPE=" + e.openblas_coretype_env);
}

bool any_in_cache(const Run& run) {
  return std::any_of(run.results.begin(), run.results.end(),
                     [](const Result& r) { return r.status == Status::ok && r.bound == "cache"; });
}

// Why a memory-bound kernel can show more than 100% of the STREAM roof.
constexpr const char* kInCacheNote =
    "* memory-bound, but its bytes per call fit in the last-level cache: repeated calls stream from cache, so "
    "more than 100% of DRAM (STREAM triad) bandwidth is expected; use a larger size to measure DRAM-bound speed.";

std::vector<const Result*> not_ok(const Run& run) {
  std::vector<const Result*> out;
  for (const auto& r : run.results)
    if (r.status != Status::ok) out.push_back(&r);
  return out;
}

}  // namespace

std::string format_error(double relative_error) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1e", relative_error);
  return buf;
}

std::string format_fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string format_signed_pct(double pct, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f%%", decimals, pct);
  return buf;
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  const bool negative = bytes < 0;
  double b = negative ? -bytes : bytes;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  std::string s = u == 0 ? std::to_string(static_cast<long long>(b)) : format_fixed(b, b < 10 ? 2 : 1);
  return (negative ? "-" : "") + s + " " + units[u];
}

std::string format_duration_ns(double ns) {
  char buf[32];
  if (ns < 1e3)
    std::snprintf(buf, sizeof buf, "%.0f ns", ns);
  else if (ns < 1e6)
    std::snprintf(buf, sizeof buf, "%.3g us", ns / 1e3);
  else if (ns < 1e9)
    std::snprintf(buf, sizeof buf, "%.3g ms", ns / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.3g s", ns / 1e9);
  return buf;
}

std::string Table::text() const {
  std::vector<std::size_t> width(header.size(), 0);
  // Width in code points, so that "±" and "·" align.
  auto cols = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = cols(header[c]);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], cols(row[c]));
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      std::string pad(width[c] - cols(cell), ' ');
      bool left = c < left_aligned.size() && left_aligned[c];
      bool last = c + 1 == header.size();
      out += left ? cell + (last ? "" : pad) : pad + cell;
      if (!last) out += "  ";
    }
    return out + "\n";
  };
  std::string out = line(header);
  std::size_t total = 0;
  for (auto w : width) total += w + 2;
  out += std::string(total - 2, '-') + "\n";
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string Table::markdown() const {
  auto escape = [](const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string out = "|";
  for (const auto& h : header) out += " " + escape(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < header.size(); ++c)
    out += (c < left_aligned.size() && left_aligned[c]) ? " :--- |" : " ---: |";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const auto& cell : row) out += " " + escape(cell) + " |";
    out += "\n";
  }
  return out;
}

std::string render_text(const Run& run) {
  const Environment& e = run.environment;
  std::string out;
  out += "kprof " + run.kprof_version + " · " + e.cpu_model + " · " + std::to_string(e.logical_cpus) +
         " CPUs · widest ISA " + e.widest_isa + " · " + e.build_type + "\n";
  // Profilers' reports (lines, mem, callgrind, cpu) carry no timing results and no peak: no empty
  // table, and no peak line of zeros that would read as a measurement.
  if (peak_measured(run.peak)) out += peak_line(run.peak) + "\n";
  out += "BLAS: " + blas_line(e) + " · threads " + std::to_string(e.threads) + "\n";
  for (const auto& w : e.warnings) out += "WARNING: " + w + "\n";
  if (!run.results.empty()) out += "\n" + results_table(run).text();
  if (any_in_cache(run)) out += std::string(kInCacheNote) + "\n";
  out += sweep_report(run).text();
  auto bad = not_ok(run);
  if (!bad.empty()) {
    out += "\n";
    for (const Result* r : bad)
      out += std::string(to_string(r->status)) + ": " + r->family + "/" + r->variant + " " +
             std::string(to_string(r->dtype)) + " " + r->size.str() + ": " + r->reason + "\n";
  }
  return out;
}

std::string render_markdown(const Run& run) {
  const Environment& e = run.environment;
  std::string out = run.results.empty() ? "## Environment\n\n" : "## kprof run\n\n";
  out += "| | |\n| :--- | :--- |\n";
  out += "| CPU | " + e.cpu_model + " (" + std::to_string(e.logical_cpus) + " logical CPUs, widest ISA " +
         e.widest_isa + ") |\n";
  if (peak_measured(run.peak)) out += "| Peak | " + peak_line(run.peak) + " |\n";
  out += "| BLAS | " + blas_line(e) + " |\n";
  out += "| Build | " + e.compiler + ", " + e.build_type + " `" + e.cxx_flags + "` |\n";
  out += "| Threads | " + std::to_string(e.threads) + " |\n";
  if (!run.git_commit.empty()) out += "| Commit | `" + run.git_commit + "` |\n";
  out += "\n";
  for (const auto& w : e.warnings) out += "> **Warning:** " + w + "\n>\n";
  if (!e.warnings.empty()) out += "\n";
  if (run.results.empty()) return out;
  out += results_table(run).markdown();
  auto bad = not_ok(run);
  if (!bad.empty()) {
    out += "\n";
    for (const Result* r : bad)
      out += "- **" + std::string(to_string(r->status)) + "** `" + r->family + "/" + r->variant + "` " +
             std::string(to_string(r->dtype)) + " " + r->size.str() + ": " + r->reason + "\n";
  }
  out +=
      "\n% peak: share of the roofline bound at the kernel's arithmetic intensity (FMA peak for compute-bound "
      "kernels, STREAM triad bandwidth for memory-bound ones, marked \"bw\"). ±MAD: median absolute deviation "
      "of the interleaved rounds.\n";
  if (any_in_cache(run)) out += "\n" + std::string(kInCacheNote) + "\n";
  out += sweep_report(run).markdown();
  return out;
}

}  // namespace kprof
