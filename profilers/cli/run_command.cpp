// `kprof run`: correctness first, then interleaved timing of the selected variants.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <thread>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/reports/progress.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/sweep_tables.h"
#include "kprof/reports/tables.h"
#include "kprof/runner.h"
#include "kprof/sweep.h"

namespace kprof::cli {
namespace {

struct RunArgs {
  std::vector<std::string> filters;
  std::vector<std::string> sizes;
  std::string dtype = "both";
  int rounds = 11;
  double min_time_ms = 20;
  std::string threads = "1";
  std::string blas_threads;  // "" : BLAS as wide as the job's threads
  std::string out_dir;
  std::string format = "table";
  bool refresh_peak = false;
  bool quiet = false;
  std::size_t max_points = 200;
  bool yes = false;
};

// Size specs with their ranges and lists expanded (kprof/sweep.h): `-s n=64..4096:*2` is 7 sizes.
std::vector<std::string> expanded_sizes(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const std::string& spec : specs)
    for (std::string& point : expand_size_spec(spec)) out.push_back(std::move(point));
  return out;
}

// --threads and --blas-threads as lists, each count within the sane limit for this machine.
ThreadPlan thread_plan(const RunArgs& args) {
  const int limit = thread_limit(static_cast<int>(std::thread::hardware_concurrency()));
  ThreadPlan plan{parse_thread_list(args.threads, limit), {}};
  if (!args.blas_threads.empty()) plan.blas_threads = parse_thread_list(args.blas_threads, limit, "--blas-threads");
  return plan;
}

// A progress line after each group of points for a person at a terminal; none otherwise
// (kprof/reports/progress.h).
std::function<void(std::size_t, std::size_t)> progress_reporter(bool quiet) {
  if (!progress_wanted(quiet, isatty(STDERR_FILENO) == 1, std::getenv("CI"))) return {};
  return [start = std::chrono::steady_clock::now()](std::size_t done, std::size_t total) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << progress_line(done, total, elapsed) << "\n";
  };
}

// Oversubscription is said on stderr, where the user looks as the run ends, and again in every report.
void warn_of_oversubscription(const Run& run) {
  for (const ThreadGrid& grid : thread_grids(run))
    for (const auto& o : grid.oversubscribed)
      std::cerr << "kprof run: warning: " << oversubscription_warning(grid, o) << "\n";
}

}  // namespace

void add_run_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub =
      app.add_subcommand("run", "Check every selected variant against its reference, then time them side by side");
  sub->add_option("filters", args->filters, "family, family/variant, family/simd-* or family/a,b (default: all)");
  sub->add_option("-s,--size", args->sizes,
                  "size: 1024 | 1000x64x256 | n=1000,d=64, or a sweep: n=64..4096:*2, n=0..1000:+100, "
                  "n=100,1000 (repeatable; default: the family's)");
  sub->add_option("-t,--dtype", args->dtype, "f32, f64 or both")->capture_default_str();
  sub->add_option("--rounds", args->rounds, "interleaved timing rounds (odd)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1001));
  sub->add_option("--min-time-ms", args->min_time_ms, "minimum duration of one variant's batch per round")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 60000.0));
  sub->add_option("--threads", args->threads,
                  "threads for BLAS and threaded variants, or a sweep: 1..8, 1,2,4, 1..8:*2 (speed-up and "
                  "efficiency per variant)")
      ->capture_default_str();
  sub->add_option("--blas-threads", args->blas_threads,
                  "BLAS pool sizes for variants that run their own threads and call BLAS: the job threads x "
                  "BLAS threads grid, e.g. 1..2 (default: as many as --threads)");
  sub->add_option("-o,--out", args->out_dir, "folder for run.json, run.md and run.txt");
  sub->add_option("-f,--format", args->format, "stdout: table, markdown, json or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "markdown", "json", "none"}));
  sub->add_flag("--refresh-peak", args->refresh_peak, "measure the machine's peak again instead of using the cache");
  sub->add_flag("-q,--quiet", args->quiet, "no progress lines on stderr");
  sub->add_option("--max-points", args->max_points,
                  "largest sweep (variants x sizes x dtypes x threads) run without --yes")
      ->capture_default_str();
  sub->add_flag("--yes", args->yes, "run a sweep larger than --max-points");
  sub->callback([args, &ctx] {
    // Everything that can be rejected is rejected before minutes of measuring.
    const ThreadPlan threads = thread_plan(*args);
    const std::vector<Job> jobs =
        plan_jobs(args->filters, expanded_sizes(args->sizes), parse_dtypes(args->dtype), threads);
    check_sweep_size(jobs.size(), args->max_points, args->yes);
    RunOptions options;
    options.rounds = args->rounds;
    options.min_round_seconds = args->min_time_ms / 1000.0;
    options.on_progress = progress_reporter(args->quiet);
    if (!args->out_dir.empty()) ensure_writable_dir(args->out_dir);

    Run run = new_run(ctx, *std::max_element(threads.threads.begin(), threads.threads.end()));
    run.peak = machine_peak(args->refresh_peak);
    FiguresSection figures;  // what families report besides the time (forest_fit's accuracy)
    run.results = run_benchmarks(jobs, options, run.peak, args->quiet ? nullptr : stderr, &figures);
    if (!figures.figures.empty()) run.set_section(figures);
    if (!args->out_dir.empty()) {
      for (const auto& path : write_reports(run, args->out_dir, "run"))
        if (!args->quiet) std::cerr << "kprof: wrote " << path.string() << "\n";
    }
    if (!args->quiet) warn_of_oversubscription(run);
    if (args->format == "table")
      std::cout << render_text(run);
    else if (args->format == "markdown")
      std::cout << render_markdown(run);
    else if (args->format == "json")
      std::cout << to_json(run).dump(2) << "\n";
    // Exit 1 is a finding: say which, on stderr, whatever the stdout format.
    for (const auto& r : run.results)
      if (r.status == Status::wrong || r.status == Status::failed) {
        std::cerr << "kprof run: finding: " << r.key() << " is " << to_string(r.status) << ": " << r.reason << "\n";
        ctx.exit_code = kExitFinding;
      }
  });
}

}  // namespace kprof::cli
