#pragma once
// The subcommands of kprof's command line. Each lives in its own file and adds itself to the app
// in main.cpp; a subcommand reports bad input by throwing UsageError (exit 2) and sets
// Context::exit_code for anything else (1 = regression found).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "kprof/run.h"

namespace kprof::cli {

struct Context {
  std::string command_line;  // for the Run document
  int exit_code = 0;
  std::vector<std::string> passthrough;  // arguments after "--" (a program to profile, benchmark flags)
};

void add_run_command(CLI::App& app, Context& ctx);
void add_list_command(CLI::App& app, Context& ctx);
void add_env_command(CLI::App& app, Context& ctx);
void add_bench_command(CLI::App& app, Context& ctx);
void add_callgrind_command(CLI::App& app, Context& ctx);
void add_region_command(CLI::App& app, Context& ctx);  // hidden: the child process profilers re-run
void add_cpu_command(CLI::App& app, Context& ctx);
void add_mem_command(CLI::App& app, Context& ctx);
void add_lines_command(CLI::App& app, Context& ctx);
void add_regress_command(CLI::App& app, Context& ctx);
void add_history_command(CLI::App& app, Context& ctx);
void add_report_command(CLI::App& app, Context& ctx);
void add_annotate_command(CLI::App& app, Context& ctx);

// Where a command that profiles one kernel job (lines, mem, callgrind, cpu) keeps -s, -t,
// --iterations and --threads; add_job_options declares the four options the same way for all.
struct JobOptions {
  std::string& size;
  std::string& dtype;
  std::int64_t& iterations;  // 0 as the default: the command decides (and says so in its help)
  int& threads;
};
void add_job_options(CLI::App* sub, JobOptions options, const std::string& iterations_help);

// The job of `kprof lines` (and of the profilers `lines --with` runs on it).
struct LinesJobArgs {
  std::string target;
  std::string size;
  std::string dtype = "f64";
  std::int64_t iterations = 1;
  int threads = 1;
  std::string out_dir;
};

// `kprof lines --with callgrind,cpu,mem`: each profiler (and the line timers) as its own kprof process
// on the job into job.out_dir, then the folder's per-line figures merged (kprof annotate).
// Returns 0, or the exit status of a profiler that a Ctrl-C ended (then nothing is merged).
int run_lines_with(const LinesJobArgs& job, const std::vector<std::string>& profilers, const std::string& format);

// A Run with environment, version, time, command and git commit filled in.
Run new_run(const Context& ctx, int threads);

// Writes <dir>/<stem>.json, <stem>.md and <stem>.txt atomically; returns the paths written. A
// profiler appends its own section's renderings with `extra_text` and `extra_markdown`.
std::vector<std::filesystem::path> write_reports(const Run& run, const std::filesystem::path& dir,
                                                 const std::string& stem, const std::string& extra_text = "",
                                                 const std::string& extra_markdown = "");

}  // namespace kprof::cli
