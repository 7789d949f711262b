#include "summary_markdown.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "kprof/reports/tables.h"

namespace kprof::html {
namespace {

std::string case_name(const Result& r) { return r.size.str() + " " + std::string(to_string(r.dtype)); }

template <class T>
void add_once(std::vector<T>& list, const T& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// The family's throughput: GFLOP/s when it counts FLOPs, else GB/s.
bool counts_flops(const std::vector<const Result*>& results) {
  return std::any_of(results.begin(), results.end(), [](const Result* r) { return r->flops > 0; });
}

std::string cell(const Result& r, bool gflops, bool best) {
  if (r.status != Status::ok) return std::string(to_string(r.status));
  const std::string value = format_fixed(gflops ? r.gflops : r.gbps, 2);
  return (best ? "**" + value + "**" : value) + " (" + format_fixed(r.pct_peak, 0) + "%)";
}

// Variants down, (size, dtype) across; the fastest of each column in bold.
std::string family_table(const std::string& family, const std::vector<const Result*>& results) {
  std::vector<std::string> variants, cases;
  for (const Result* r : results) add_once(variants, r->variant), add_once(cases, case_name(*r));
  const bool gflops = counts_flops(results);
  std::map<std::string, double> best;
  for (const Result* r : results)
    if (r->status == Status::ok) best[case_name(*r)] = std::max(best[case_name(*r)], gflops ? r->gflops : r->gbps);
  Table t;
  t.header = {"variant"};
  t.left_aligned = {true};
  for (const auto& c : cases) t.header.push_back(c);
  for (const auto& v : variants) {
    std::vector<std::string> row = {v};
    for (const auto& c : cases) {
      auto it = std::find_if(results.begin(), results.end(),
                             [&](const Result* r) { return r->variant == v && case_name(*r) == c; });
      row.push_back(it == results.end() ? "" : cell(**it, gflops, (gflops ? (*it)->gflops : (*it)->gbps) == best[c]));
    }
    t.rows.push_back(row);
  }
  std::string out = "### " + family + "\n\n" + std::string(gflops ? "GFLOP/s" : "GB/s") +
                    " (% of the roofline bound); the fastest of each column in bold.\n\n" + t.markdown();
  for (const Result* r : results)
    if (r->status != Status::ok)
      out += "- **" + std::string(to_string(r->status)) + "** " + r->variant + " " + case_name(*r) + ": " + r->reason +
             "\n";
  return out + "\n";
}

std::string comparisons(const Documents& documents) {
  std::vector<std::string> families;
  std::map<std::string, std::vector<const Result*>> by_family;
  for (const auto& doc : documents.runs)
    for (const auto& r : doc.run.results) add_once(families, r.family), by_family[r.family].push_back(&r);
  if (families.empty()) return "";
  std::string out = "## Variants per family\n\n";
  for (const auto& f : families) out += family_table(f, by_family[f]);
  return out;
}

// Each document with its own Markdown report next to it (run.md next to run.json) and its command.
std::string pointers(const Documents& documents, const std::string& page_file) {
  std::string out = "## Everything else\n\n- **" + page_file +
                    "**: this summary as charts, with flame graphs and annotated source (one file, opens offline)\n";
  for (const auto& doc : documents.runs) {
    const std::string md = std::filesystem::path(doc.file).replace_extension(".md").generic_string();
    out += "- " + md + ": `" + doc.run.command + "`\n";
  }
  for (const auto& note : documents.notes) out += "- left out: " + note + "\n";
  return out;
}

}  // namespace

std::string summary_markdown(const Documents& documents, const std::string& page_file) {
  std::string out = "# kprof report\n\n";
  const Document* main = nullptr;
  for (const auto& doc : documents.runs)
    if (!main || (main->run.results.empty() && !doc.run.results.empty())) main = &doc;
  if (main) {
    Run environment_only = main->run;
    environment_only.results.clear();
    out += render_markdown(environment_only) + "\n";
  }
  return out + comparisons(documents) + pointers(documents, page_file);
}

}  // namespace kprof::html
