#include <cstdlib>
#include <ctime>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/environment.h"
#include "kprof/process.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/tables.h"

#ifndef KPROF_VERSION
#define KPROF_VERSION "0.0.0"
#endif

namespace kprof::cli {
namespace {

// KPROF_GIT_COMMIT (set by CI scripts) wins; otherwise ask git about the current folder. Empty
// when there is no git, no repository, or git does not answer within seconds.
std::string git_commit() {
  if (const char* env = std::getenv("KPROF_GIT_COMMIT")) return env;
  if (find_program("git").empty()) return "";
  Command command;
  command.argv = {"git", "rev-parse", "HEAD"};
  command.stdin_file = command.stderr_file = "/dev/null";
  command.capture_stdout = true;
  command.timeout_seconds = 10;
  ProcessResult git = run_process(command);
  std::string out = git.ok() ? git.out : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

Run new_run(const Context& ctx, int threads) {
  Run run;
  run.kprof_version = KPROF_VERSION;
  run.created_utc = utc_now();
  run.command = ctx.command_line;
  run.git_commit = git_commit();
  run.environment = collect_environment(threads);
  return run;
}

std::vector<std::filesystem::path> write_reports(const Run& run, const std::filesystem::path& dir,
                                                 const std::string& stem, const std::string& extra_text,
                                                 const std::string& extra_markdown) {
  ensure_writable_dir(dir);
  std::vector<std::filesystem::path> paths = {dir / (stem + ".json"), dir / (stem + ".md"), dir / (stem + ".txt")};
  write_run(paths[0], run);
  write_file_atomically(paths[1], render_markdown(run) + extra_markdown);
  write_file_atomically(paths[2], render_text(run) + extra_text);
  return paths;
}

}  // namespace kprof::cli
