// `kprof annotate DIR`: every per-line figure of the documents in DIR in one table per function
// (the page's annotated source, in the terminal), and `kprof lines --with callgrind,cpu,mem`, which
// runs those profilers on the same job into the same folder first.
#include <iostream>

#include "commands.h"
#include "kprof/errors.h"
#include "kprof/html/annotate.h"
#include "kprof/process.h"

namespace kprof::cli {
namespace {

void print_annotated(const std::filesystem::path& dir, const html::AnnotateOptions& options,
                     const std::string& format) {
  const html::Annotated annotated = html::annotate(dir, options);
  if (format == "table")
    std::cout << html::render_annotated_text(annotated, options);
  else if (format == "markdown")
    std::cout << html::render_annotated_markdown(annotated, options);
  else if (format == "json")
    std::cout << nlohmann::json{{"functions", annotated.functions}, {"notes", annotated.notes}}.dump(2) << "\n";
}

// A Ctrl-C from the terminal reaches the whole foreground group: the profiler ends with 130 (or
// with SIGINT itself) while this kprof, which survives it, is waiting for it.
bool ended_by_interrupt(const ProcessResult& result) { return result.status() == kExitInterrupted; }

// One profiler on the job, as its own kprof process (so that each sees the kernel as a plain run
// would: no line markers under callgrind, no malloc hooks under the CPU profiler). Returns 0, or
// the profiler's status when a Ctrl-C ended it.
int run_profiler(const std::string& profiler, const LinesJobArgs& job, const std::string& dir) {
  Command command;
  command.argv = {self_exe().string(),         profiler, job.target, "-t", job.dtype, "--threads",
                  std::to_string(job.threads), "-o",     dir};
  if (!job.size.empty()) command.argv.insert(command.argv.end(), {"-s", job.size});
  // cpu runs for its default second: a few calls would give a handful of samples.
  if (profiler != "cpu") command.argv.insert(command.argv.end(), {"--iterations", std::to_string(job.iterations)});
  if (profiler != "lines") command.argv.push_back("-q");
  if (profiler == "lines" || profiler == "mem") command.argv.insert(command.argv.end(), {"-f", "none"});
  command.stdout_file = "/dev/null";  // each profiler's own tables are in its files; ours is the merged one
  command.survive_interrupt = true;
  std::cerr << "kprof: " << join_argv(command.argv) << "\n";
  const ProcessResult result = run_process(command);
  if (ended_by_interrupt(result)) return result.status();
  if (result.status() != 0)
    throw ToolError("kprof " + profiler + " on " + job.target + " " + result.how_it_ended() + " (" +
                    join_argv(command.argv) + ")");
  return 0;
}

}  // namespace

int run_lines_with(const LinesJobArgs& job, const std::vector<std::string>& profilers, const std::string& format) {
  if (job.out_dir.empty()) throw UsageError("--with needs -o DIR: every profile goes there, and the table merges them");
  std::vector<std::string> all{"lines"};
  all.insert(all.end(), profilers.begin(), profilers.end());
  for (const auto& profiler : all)
    if (const int status = run_profiler(profiler, job, job.out_dir); status != 0) {
      std::cerr << "kprof: interrupted (SIGINT) during kprof " << profiler
                << "; the profiles finished before it are in " << job.out_dir << "\n";
      return status;
    }
  print_annotated(job.out_dir, {}, format);
  return 0;
}

void add_annotate_command(CLI::App& app, Context& /*ctx*/) {
  auto dir = std::make_shared<std::string>();
  auto options = std::make_shared<html::AnnotateOptions>();
  auto format = std::make_shared<std::string>("table");
  CLI::App* sub = app.add_subcommand(
      "annotate",
      "Every per-line figure of the documents in a folder (lines, callgrind, cpu, mem) in one table per function");
  sub->add_option("dir", *dir, "the folder kprof wrote its documents in (-o)")->required();
  sub->add_option("--function", options->function, "only functions whose name contains this");
  sub->add_option("--lines", options->max_lines, "lines per function, the hottest first (0: all)")
      ->capture_default_str();
  sub->add_option("-f,--format", *format, "stdout: table, markdown or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "markdown", "json"}));
  sub->callback([dir, options, format] { print_annotated(*dir, *options, *format); });
}

}  // namespace kprof::cli
