// `kprof lines <family/variant>`: C++'s %lprun. Runs an instrumented variant inside the kernel
// region and prints, per marked function, line_profiler's table (Line #, Hits, Time, Per Hit,
// % Time, Line Contents), then the lines ranked. A binary without markers hands the command to
// its instrumented flavour (`<binary>-instrumented`, built next to it) when there is one.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/job.h"
#include "kprof/lines.h"
#include "kprof/lines/callgrind.h"
#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"
#include "kprof/lines/trace.h"
#include "kprof/process.h"
#include "kprof/registry.h"
#include "kprof/reports/callgrind_writer.h"
#include "kprof/reports/tables.h"
#include "kprof/runner.h"

namespace kprof::cli {
namespace {

struct LinesArgs : LinesJobArgs {
  std::string format = "table";
  std::vector<std::string> with;  // profilers whose per-line figures join the table
  std::filesystem::path trace;    // Chrome trace-event JSON of the intervals ("": no trace)
  std::uint64_t trace_events = 100'000;
};

class LineHooks final : public RegionHooks {
 public:
  LineHooks(const lines::ClockInfo& clock, bool tracing) : clock_(clock), tracing_(tracing) {}
  void on_enter() override { lines::reset(); }
  void on_exit() override {
    snapshot = lines::collect(clock_);
    if (tracing_) trace = lines::collect_trace();
  }
  lines::Snapshot snapshot;
  lines::Trace trace;

 private:
  lines::ClockInfo clock_;
  bool tracing_;
};

std::vector<std::string> own_argv() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  std::size_t start = 0;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == '\0') {
      args.push_back(all.substr(start, i - start));
      start = i + 1;
    }
  return args;
}

// This binary has no markers compiled in: runs `<this binary>-instrumented` with the same
// arguments through the process runner (its output goes straight to ours; Ctrl-C reaches it) and
// returns its status, or explains how to get an instrumented build when there is none.
int hand_over_to_instrumented_flavour() {
  const std::filesystem::path self = self_exe();
  std::filesystem::path flavour = self;
  flavour += "-instrumented";
  if (std::getenv("KPROF_LINES_HANDED_OVER") == nullptr && std::filesystem::exists(flavour)) {
    Command command;
    command.argv = own_argv();
    command.argv[0] = flavour.string();
    command.env = {{"KPROF_LINES_HANDED_OVER", "1"}};  // an instrumented flavour without markers must not loop
    command.survive_interrupt = true;
    std::cout.flush();
    const ProcessResult flavour_run = run_process(command);
    return flavour_run.status();
  }
  throw UsageError(self.filename().string() +
                   " has no line markers compiled in and there is no instrumented flavour next to it (" +
                   flavour.string() +
                   "). Build it (`ninja kprof-instrumented`), configure with -DKPROF_INSTRUMENT=ON, or compile "
                   "your kernels with kprof_instrument(<target>); see docs/LINES.md");
}

// What one timed region gave: the report, and the intervals when tracing.
struct TimedLines {
  lines::Report report;
  lines::Trace trace;
  double seconds = 0;
};

// The region with the line timers on (tracing when `trace_events` > 0); UsageError when the
// variant has no markers.
TimedLines time_lines(const Job& job, std::int64_t iterations, std::uint64_t trace_events) {
  if (trace_events > 0) lines::start_tracing(trace_events);  // before calibrating: its cost is measured too
  lines::ClockInfo clock = lines::calibrate();
  LineHooks hooks(clock, trace_events > 0);
  RegionOptions options;
  options.iterations = iterations;
  TimedLines timed;
  timed.seconds = run_region(job, options, hooks);
  if (hooks.snapshot.sites.empty())
    throw UsageError(job.name() + " ran " + std::to_string(iterations) +
                     " time(s) without reaching a single KPROF_LINE marker: it has no markers. Put KPROF_FUNCTION "
                     "and KPROF_LINE in its source (docs/LINES.md); this binary is an instrumented build, so they "
                     "will be compiled in");
  timed.report = lines::build_report(hooks.snapshot);
  timed.trace = std::move(hooks.trace);
  return timed;
}

// Before the kernel runs: the trace's folder can take files, and the path is not a folder itself.
void check_trace_path(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path))
    throw UsageError("--trace " + path.string() + " is a folder; give a file name, e.g. " +
                     (path / "lines.trace.json").string());
  ensure_writable_dir(std::filesystem::absolute(path).parent_path());
}

void write_trace(const TimedLines& timed, const Job& job, const std::filesystem::path& path) {
  const std::string process =
      "kprof lines " + job.name() + " " + std::string(to_string(job.dtype)) + " " + job.size.str();
  write_file_atomically(path, lines::to_chrome_trace(timed.trace, timed.report.clock, timed.report, process).dump());
  std::cerr << "kprof: wrote " << path.string()
            << " (Chrome trace-event JSON: Perfetto, chrome://tracing, speedscope)\n";
}

// The section, the text and the Markdown of one `kprof lines` run.
struct LinesOutput {
  LinesSection section;
  std::string text, markdown;
};

LinesOutput render(const lines::Report& report, const Job& job, std::int64_t iterations, double seconds) {
  LinesOutput out;
  out.section = lines::to_section(report);
  out.section.subject = Subject::kernel(job.family().name, job.variant().name, job.dtype, job.size);
  out.section.iterations = iterations;
  out.section.region_wall_ns = seconds * 1e9;
  const std::string heading = "kprof lines " + job.name() + "  " + std::string(to_string(job.dtype)) + "  " +
                              job.size.str() + "  iterations=" + std::to_string(iterations) +
                              (job.threads > 1 ? "  threads=" + std::to_string(job.threads) : "") + "  region wall " +
                              format_duration_ns(seconds * 1e9) + "\n";
  out.text = heading + lines::render_text(report);
  out.markdown = "\n# kprof lines " + job.name() + "\n\n" + heading + lines::render_markdown(report);
  return out;
}

// lines.json/.md/.txt and callgrind.out.lines in `dir`.
void write_outputs(const Context& ctx, const Job& job, const lines::Report& report, const LinesOutput& out,
                   const std::filesystem::path& dir) {
  Run run = new_run(ctx, job.threads);
  run.set_section(out.section);
  std::filesystem::path callgrind = dir / "callgrind.out.lines";
  std::error_code ec;
  std::string object = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  write_callgrind_file(callgrind, lines::to_callgrind(report, ctx.command_line, object));
  for (const auto& path : write_reports(run, dir, "lines", out.text, out.markdown))
    std::cerr << "kprof: wrote " << path.string() << "\n";
  std::cerr << "kprof: wrote " << callgrind.string() << " (kcachegrind, callgrind_annotate)\n";
}

}  // namespace

void add_lines_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<LinesArgs>();
  CLI::App* sub = app.add_subcommand(
      "lines", "Line-level timings of an instrumented variant (KPROF_LINE markers), like line_profiler's %lprun");
  sub->add_option("target", args->target, "family/variant, e.g. nmf/scalar")->required();
  add_job_options(sub, {args->size, args->dtype, args->iterations, args->threads},
                  "calls of the variant inside the region");
  sub->add_option("-o,--out", args->out_dir, "folder for lines.json, lines.md, lines.txt and callgrind.out.lines");
  sub->add_option("-f,--format", args->format, "stdout: table, markdown, json or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "markdown", "json", "none"}));
  auto* trace = sub->add_option("--trace", args->trace,
                                "also write every line's and call's intervals, per thread, to this file as Chrome "
                                "trace-event JSON (a timeline in Perfetto, chrome://tracing or speedscope)");
  sub->add_option("--trace-events", args->trace_events,
                  "intervals each thread keeps for --trace (the first ones; the rest are counted): 24 bytes each")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  sub->add_option("--with", args->with,
                  "also profile the job with these (callgrind, cpu, mem; into -o) and print one table per function "
                  "with every per-line figure (kprof annotate)")
      ->delimiter(',')
      ->check(CLI::IsMember({"callgrind", "cpu", "mem"}))
      ->excludes(trace);
  sub->callback([args, &ctx] {
    const Job job = resolve_job(args->target, args->size, dtype_from_string(args->dtype), args->threads);
    if (!args->out_dir.empty()) ensure_writable_dir(args->out_dir);
    if (!args->trace.empty()) check_trace_path(args->trace);
    if (!args->with.empty()) {
      ctx.exit_code = run_lines_with(*args, args->with, args->format);
      return;
    }
    if (!lines::binary_is_instrumented()) {
      ctx.exit_code = hand_over_to_instrumented_flavour();
      return;
    }
    const TimedLines timed = time_lines(job, args->iterations, args->trace.empty() ? 0 : args->trace_events);
    LinesOutput out = render(timed.report, job, args->iterations, timed.seconds);
    if (!args->trace.empty()) {
      out.text += lines::trace_summary(timed.trace);
      write_trace(timed, job, args->trace);
    }
    if (!args->out_dir.empty()) write_outputs(ctx, job, timed.report, out, args->out_dir);
    if (args->format == "table")
      std::cout << out.text;
    else if (args->format == "markdown")
      std::cout << out.markdown;
    else if (args->format == "json")
      std::cout << out.section.to_json().dump(2) << "\n";
  });
}

}  // namespace kprof::cli
