// `kprof callgrind`: callgrind profiles of a kernel region (or a program), hotspot tables, diffs
// and side-by-side comparisons of a family's variants.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "callgrind_profiler.h"
#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/frame.h"
#include "kprof/job.h"
#include "kprof/reports/callgrind_diff.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/callgrind_writer.h"
#include "kprof/reports/pprof.h"
#include "kprof/reports/profile_samples.h"
#include "kprof/reports/speedscope.h"
#include "kprof/reports/tables.h"
#include "kprof/runner.h"

namespace kprof::cli {
namespace {

struct CallgrindArgs {
  std::string target;
  std::string size;
  std::string dtype = "f64";
  std::int64_t iterations = 1;
  int threads = 1;
  bool cache_sim = false;
  bool branch_sim = false;
  std::string out_dir;
  std::size_t top = 10;
  bool compare = false;
  std::string annotate;
  std::vector<std::string> diff;
  std::vector<std::string> toggle_collect;
  bool quiet = false;
};

const char* kCacheNote =
    "note: valgrind's cache model is simple (two levels, LRU, no prefetcher, no timing): its miss counts show "
    "trends, not this CPU's real misses.\n";

// `kernel_region`: kprof's driver (runner, std::function glue), through which the whole region
// passes, is left out of the inclusive table so that it starts at the kernel (as kprof cpu does).
std::string hotspot_report(const CallgrindProfile& profile, std::size_t top, bool markdown,
                           bool kernel_region = false) {
  Hotspots h = compute_hotspots(profile);
  std::ostringstream out;
  auto table = [&](const Table& t) { return markdown ? t.markdown() : t.text(); };
  out << (markdown ? "\n#### " : "\n") << "Top functions by exclusive cost\n"
      << table(hot_functions_table(h, top, false));
  Hotspots inclusive = h;
  if (kernel_region) std::erase_if(inclusive.functions, [](const HotFunction& f) { return is_driver_frame(f.name); });
  out << (markdown ? "\n#### " : "\n") << "Top functions by inclusive cost"
      << (kernel_region ? " (kprof's driver hidden)" : "") << "\n"
      << table(hot_functions_table(inclusive, top, true));
  out << (markdown ? "\n#### " : "\n") << "Top source lines\n" << table(hot_lines_table(h, top));
  return out.str();
}

std::string totals_line(const CallgrindProfile& p, std::int64_t iterations, double flops) {
  auto totals = p.totals();
  std::ostringstream out;
  for (std::size_t i = 0; i < p.events.size(); ++i) {
    out << (i ? "  " : "") << p.events[i] << " " << format_count(totals[i]);
    if (iterations > 1) out << " (" << format_count(totals[i] / iterations) << "/call)";
  }
  if (flops > 0 && !totals.empty())
    out << "  " << p.events[0] << "/FLOP " << format_fixed(static_cast<double>(totals[0]) / (flops * iterations), 3);
  return out.str() + "\n";
}

// callgrind.<key>.pb.gz and callgrind.<key>.speedscope.json next to callgrind.out.<key>: every event
// for `go tool pprof` and speedscope.
struct ExportedFiles {
  std::string pprof, speedscope;
};
ExportedFiles write_callgrind_exports(const CallgrindRun& run) {
  std::string name = run.file.filename().string();
  if (name.rfind("callgrind.out.", 0) == 0) name = "callgrind." + name.substr(std::string("callgrind.out.").size());
  const StackSamples samples = callgrind_samples(run.profile);
  const std::filesystem::path pprof = run.file.parent_path() / (name + ".pb.gz");
  write_pprof_file(pprof, samples);
  const std::filesystem::path speedscope = run.file.parent_path() / (name + ".speedscope.json");
  write_speedscope_file(speedscope, samples, {}, name);
  return {pprof.string(), speedscope.string()};
}

void finish_run(Context& ctx, const CallgrindArgs& a, const CallgrindSection& section, const std::string& text,
                const std::string& markdown) {
  if (a.out_dir.empty()) return;
  Run run = new_run(ctx, a.threads);
  run.set_section(section);
  for (const auto& path : write_reports(run, a.out_dir, "callgrind", text, markdown))
    if (!a.quiet) std::cerr << "kprof: wrote " << path.string() << "\n";
}

CallgrindOptions options_from(const CallgrindArgs& a) {
  CallgrindOptions o;
  o.cache_sim = a.cache_sim;
  o.branch_sim = a.branch_sim;
  o.toggle_collect = a.toggle_collect;
  o.out_dir = a.out_dir.empty() ? "." : a.out_dir;
  return o;
}

void annotate_file(const CallgrindArgs& a) {
  CallgrindProfile p = read_callgrind_file(a.annotate);
  std::cout << a.annotate << ": " << totals_line(p, 1, 0) << hotspot_report(p, a.top, false);
}

void diff_files(Context& ctx, const CallgrindArgs& a) {
  CallgrindProfile pa = read_callgrind_file(a.diff[0]);
  CallgrindProfile pb = read_callgrind_file(a.diff[1]);
  CallgrindDiff d = diff_callgrind(pa, pb);
  std::ostringstream out;
  out << "a: " << a.diff[0] << "\nb: " << a.diff[1] << "\n";
  for (std::size_t i = 0; i < d.events.size(); ++i)
    out << d.events[i] << ": " << format_count(d.totals_a[i]) << " -> " << format_count(d.totals_b[i]) << "\n";
  if (d.zero()) {
    out << "no function and no line changed\n";
  } else {
    out << "\nFunctions that changed most\n" << diff_functions_table(d, a.top).text();
    out << "\nLines that changed most\n" << diff_lines_table(d, a.top).text();
  }
  std::cout << out.str();
  if (!a.out_dir.empty()) {
    ensure_writable_dir(a.out_dir);
    auto path = std::filesystem::path(a.out_dir) / "callgrind.out.diff";
    write_callgrind_file(path, diff_profile(d));
    if (!a.quiet) std::cerr << "kprof: wrote " << path.string() << " (costs are b - a)\n";
  }
  (void)ctx;
}

void profile_program(Context& ctx, const CallgrindArgs& a) {
  if (!a.target.empty()) throw UsageError("give either a kernel (" + a.target + ") or a program after --, not both");
  CallgrindRun run = run_callgrind_program(ctx.passthrough, options_from(a));
  CallgrindEntry entry = callgrind_program_entry(ctx.passthrough, run, a.top);
  const ExportedFiles exported = write_callgrind_exports(run);
  entry.pprof_file = exported.pprof;
  std::ostringstream out;
  out << "callgrind: " << ctx.passthrough[0]
      << (a.toggle_collect.empty() ? " (whole program)" : " (inside the --toggle-collect functions)") << "\n"
      << "file: " << run.file.string() << "\npprof: " << entry.pprof_file << "\nspeedscope: " << exported.speedscope
      << "\n"
      << totals_line(run.profile, 1, 0) << (a.cache_sim ? kCacheNote : "") << hotspot_report(run.profile, a.top, false);
  std::cout << out.str();
  finish_run(ctx, a, CallgrindSection{{entry}}, out.str(),
             "\n### callgrind\n" + hotspot_report(run.profile, a.top, true));
  // A program that failed is still reported (its status in the section), and kprof then exits 3
  // as `kprof mem --` does: the program could not do its job (said even with -q: it is an error).
  if (run.exit_status != 0)
    std::cerr << "kprof: " << ctx.passthrough[0] << " ended with status " << run.exit_status
              << "; reported what was recorded (exit_status in the callgrind section), then exiting " << kExitToolFailed
              << "\n";
  if (run.exit_status != 0) ctx.exit_code = kExitToolFailed;
}

void profile_kernel(Context& ctx, const CallgrindArgs& a) {
  KernelTarget t{resolve_job(a.target, a.size, dtype_from_string(a.dtype), a.threads), a.iterations};
  const Job& job = t.job;
  if (!a.quiet) std::cerr << "kprof: running " << a.target << " under callgrind (region only)...\n";
  CallgrindRun run = run_callgrind_kernel(t, options_from(a));
  CallgrindEntry entry = callgrind_entry(t, run, a.top);
  const ExportedFiles exported = write_callgrind_exports(run);
  entry.pprof_file = exported.pprof;
  double flops = job.family().flops ? job.family().flops(job.size) : 0.0;
  std::ostringstream out;
  out << "callgrind: " << job.name() << " " << to_string(job.dtype) << " " << job.size.str() << ", " << t.iterations
      << " iteration(s), kernel region only\n"
      << "file: " << run.file.string() << "\npprof: " << entry.pprof_file << "\nspeedscope: " << exported.speedscope
      << "\nbuild: " << run.build.label << "\n"
      << totals_line(run.profile, t.iterations, flops) << (a.cache_sim ? kCacheNote : "")
      << hotspot_report(run.profile, a.top, false, /*kernel_region=*/true);
  std::cout << out.str();
  finish_run(ctx, a, CallgrindSection{{entry}}, out.str(),
             "\n### callgrind\n" + hotspot_report(run.profile, a.top, true, /*kernel_region=*/true));
}

// The hottest line of a profile and where it is, for the comparison table. Code without debug
// information (a distribution's OpenBLAS) has no line to name: then say which function and library
// the cost is in instead of "???:0" (the "???" line sums every such function's cost; name the
// largest of them).
std::pair<std::string, std::string> hottest_line(const Hotspots& h, const Table& lines) {
  std::string hottest = h.lines.empty() ? "-" : lines.rows.empty() ? "-" : lines.rows[0][lines.rows[0].size() - 3];
  std::string source = h.lines.empty() || lines.rows.empty() ? "" : lines.rows[0][lines.rows[0].size() - 2];
  if (hottest.rfind("???", 0) == 0)
    for (const HotFunction& f : h.functions)
      if (f.file.empty() || f.file.rfind("???", 0) == 0) {
        hottest = f.name + " (no line info)";
        source = f.object.empty() ? "" : "in " + std::filesystem::path(f.object).filename().string();
        break;
      }
  return {hottest, source};
}

// One row of the comparison: Ir per call (-1 when not ranked: the variant cannot run here, or its
// output is wrong) and the cells.
using CompareRow = std::pair<double, std::vector<std::string>>;

CompareRow compare_one(const Job& job, const CallgrindArgs& a, CallgrindSection& results, std::ostringstream& details) {
  const std::string name = job.name();
  KernelTarget t{job, a.iterations};
  if (!a.quiet) std::cerr << "kprof: running " << name << " under callgrind...\n";
  // A variant that cannot run here (an ISA this CPU or valgrind lacks) is reported, the others
  // still compared; a missing or failing valgrind is a ToolError and ends the comparison.
  // (callgrind_build_for decides, and picks the valgrind-safe build for a variant that needs AVX-512.)
  std::string refused;
  CallgrindRun run;
  try {
    run = run_callgrind_kernel(t, options_from(a));
  } catch (const UsageError& e) {
    refused = e.what();
  }
  if (!refused.empty()) {
    std::string why = refused;
    if (why.rfind(name + " ", 0) == 0) why = why.substr(name.size() + 1);
    why = why.substr(0, why.find('\n'));
    details << "\n" << name << ": skipped: " << refused << "\n";
    return {-1, {name, "-", "-", "-", "skipped", why.size() > 70 ? why.substr(0, 67) + "..." : why, "-"}};
  }
  // Correctness first, as in `kprof run`: a wrong variant's counts are shown but never ranked.
  CallgrindEntry entry = callgrind_entry(t, run, a.top);
  entry.pprof_file = write_callgrind_exports(run).pprof;
  const CheckResult check = check_in_build(run.build, job);  // the code valgrind ran
  entry.matches_reference = check.ok;
  if (!check.ok) entry.mismatch = check.reason;
  results.results.push_back(std::move(entry));
  auto totals = run.profile.totals();
  double per_call = static_cast<double>(totals.empty() ? 0 : totals[0]) / static_cast<double>(t.iterations);
  double flops = job.family().flops ? job.family().flops(job.size) : 0.0;
  Hotspots h = compute_hotspots(run.profile);
  Table lines = hot_lines_table(h, 3);
  auto [hottest, source] = hottest_line(h, lines);
  details << "\n" << name << ": hottest lines\n" << lines.text();
  return {check.ok ? per_call : -1,
          {name, format_count(static_cast<std::int64_t>(per_call)), flops > 0 ? format_fixed(per_call / flops, 3) : "-",
           check.ok ? "" : "WRONG", hottest, source, run.build.label}};
}

// Instruction counts of two builds compare code compiled for different ISAs: say so under the
// table when the variants did not all run in one build ("" when they did).
std::string mixed_builds_note(const CallgrindSection& results) {
  std::map<std::string, std::vector<std::string>> variants_by_build;
  for (const CallgrindEntry& e : results.results) variants_by_build[e.build].push_back(e.subject.variant);
  if (variants_by_build.size() < 2) return "";
  std::string note = "note: the variants ran in different builds, so their Ir count code compiled for different ISAs:";
  for (const auto& [build, variants] : variants_by_build) {
    note += " " + build + ":";
    for (std::size_t i = 0; i < variants.size(); ++i) note += (i ? ", " : " ") + variants[i];
    note += ";";
  }
  note.back() = '.';
  return note +
         " The valgrind-safe build runs AVX-512 variants' portable code (Eigen) compiled for AVX2, which "
         "valgrind emulates; `kprof run` times the native build.\n";
}

void compare_variants(Context& ctx, const CallgrindArgs& a) {
  const std::vector<Job> jobs = plan_jobs_at({a.target}, a.size, dtype_from_string(a.dtype), a.threads);
  CallgrindSection results;
  std::ostringstream details;
  std::vector<CompareRow> rows;
  for (const Job& job : jobs) rows.push_back(compare_one(job, a, results, details));
  double best = 0;
  for (const auto& [ir, row] : rows)
    if (ir > 0 && (best == 0 || ir < best)) best = ir;
  Table summary;
  summary.header = {"variant", "Ir/call", "Ir/FLOP", "vs best", "hottest line", "source", "build"};
  summary.left_aligned = {true, false, false, false, true, true, true};
  for (auto& [ir, row] : rows) {
    if (ir > 0) row[3] = format_fixed(ir / best, 2) + "x";
    summary.rows.push_back(row);
  }
  std::ostringstream out;
  out << "callgrind comparison: " << a.target << ", " << a.dtype << ", " << a.iterations
      << " iteration(s) per variant, kernel region only (Ir: instructions executed)\n"
      << summary.text() << mixed_builds_note(results);
  for (const CallgrindEntry& e : results.results)
    if (e.matches_reference == false) {
      out << "WRONG: " << e.subject.family << "/" << e.subject.variant << ": " << e.mismatch << " (not ranked)\n";
      ctx.exit_code = kExitFinding;
    }
  out << details.str();
  std::cout << out.str();
  finish_run(ctx, a, results, out.str(),
             "\n### callgrind comparison\n" + summary.markdown() + mixed_builds_note(results));
}

// The command does one job: a kernel, a program, --annotate or --diff. Two at once were silently
// reduced to the first; say which were given instead.
void refuse_mixed_jobs(const CallgrindArgs& a, bool program) {
  std::vector<std::string> jobs;
  if (!a.target.empty()) jobs.push_back("a kernel (" + a.target + ")");
  if (program) jobs.push_back("a program after --");
  if (!a.annotate.empty()) jobs.push_back("--annotate");
  if (!a.diff.empty()) jobs.push_back("--diff");
  if (jobs.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < jobs.size(); ++i)
      list += (i == 0 ? "" : i + 1 == jobs.size() ? " and " : ", ") + jobs[i];
    throw UsageError("callgrind does one job at a time; got " + list);
  }
  if (a.compare && a.target.empty())
    throw UsageError("--compare compares the variants of a kernel family (e.g. `callgrind gemm --compare`), not " +
                     (jobs.empty() ? std::string("nothing") : jobs.front()));
}

}  // namespace

void add_callgrind_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CallgrindArgs>();
  CLI::App* sub = app.add_subcommand(
      "callgrind", "Count instructions of a kernel region (or a program after --) with valgrind's callgrind");
  sub->add_option("target", a->target, "family/variant (with --compare: family or a filter such as gemm/scalar,blas)");
  add_job_options(sub, {a->size, a->dtype, a->iterations, a->threads}, "kernel calls inside the region");
  sub->add_flag("--cache-sim", a->cache_sim, "simulate caches (valgrind's simple model: I1/D1/LL misses)");
  sub->add_flag("--branch-sim", a->branch_sim, "simulate branch prediction");
  sub->add_option(
      "-o,--out", a->out_dir,
      "folder for callgrind.out.*, callgrind.*.pb.gz (pprof), callgrind.*.speedscope.json and callgrind.json/.md/.txt "
      "(default: the profiles in .)");
  sub->add_option("--top", a->top, "rows per table")->capture_default_str()->check(CLI::Range(1, 10000));
  sub->add_flag("--compare", a->compare, "profile every selected variant and compare them side by side");
  sub->add_option("--annotate", a->annotate, "print hotspot tables of an existing callgrind file");
  sub->add_option("--diff", a->diff, "compare two callgrind files: --diff A B (table; with -o also callgrind.out.diff)")
      ->expected(2);
  // One function per --toggle-collect, so that it does not take the kernel's name after it as a second one.
  sub->add_option("--toggle-collect", a->toggle_collect, "program mode: collect only inside this function (repeatable)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_flag("-q,--quiet", a->quiet, "no progress lines on stderr");
  sub->callback([a, &ctx] {
    refuse_mixed_jobs(*a, !ctx.passthrough.empty());
    if (!a->out_dir.empty()) ensure_writable_dir(a->out_dir);
    if (!a->annotate.empty()) return annotate_file(*a);
    if (!a->diff.empty()) return diff_files(ctx, *a);
    if (!ctx.passthrough.empty()) return profile_program(ctx, *a);
    if (a->target.empty()) throw UsageError("name a kernel (family/variant), a program after --, --annotate or --diff");
    if (!a->toggle_collect.empty()) throw UsageError("--toggle-collect applies to a program after --");
    if (a->compare) return compare_variants(ctx, *a);
    profile_kernel(ctx, *a);
  });
}

}  // namespace kprof::cli
