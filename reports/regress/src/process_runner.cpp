#include "kprof/regress/process_runner.h"

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/process.h"
#include "kprof/reports/run_json.h"

namespace kprof::regress {
namespace {

std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (auto nl = text.rfind('\n'); nl != std::string::npos) text = text.substr(nl + 1);
  return text;
}

// Runs one kprof command; returns the Run document from `document` (stdout when empty).
Run invoke(const std::vector<std::string>& argv, const std::string& label, const std::filesystem::path& document) {
  Command command;
  command.argv = argv;
  command.stdin_file = "/dev/null";
  command.capture_stdout = command.capture_stderr = true;
  const ProcessResult child = run_process(command);
  const std::string what = label + " (" + join_argv(argv) + ")";
  const std::string errors = last_line(child.err);
  if (child.exit_code != 0 && child.exit_code != 1)  // 1: a wrong variant, reported in the document
    throw ToolError(what + " " + child.how_it_ended() + (errors.empty() ? "" : ": " + errors));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(document.empty() ? child.out : read_file(document));
  } catch (const nlohmann::json::parse_error& e) {
    throw ToolError(what + " gave no valid Run JSON at byte " + std::to_string(e.byte) +
                    (errors.empty() ? "" : ": " + errors));
  }
  return run_from_json(j, label);
}

std::vector<std::string> profiler_dtypes(const std::string& dtype) {
  if (dtype.empty() || dtype == "both") return {"f64", "f32"};
  return {dtype};
}

}  // namespace

Run ProcessBenchmarkRunner::run(const BenchmarkRequest& r) {
  if (r.subcommand != "run") return run_profiler(r);
  std::vector<std::string> argv = {r.binary, "run", "--format", "json", "-q"};
  argv.insert(argv.end(), r.filters.begin(), r.filters.end());
  for (const auto& size : r.sizes) argv.insert(argv.end(), {"-s", size});
  if (!r.dtype.empty()) argv.insert(argv.end(), {"-t", r.dtype});
  argv.insert(argv.end(), {"--rounds", std::to_string(r.rounds), "--min-time-ms", std::to_string(r.min_time_ms)});
  return invoke(argv, r.label, {});
}

Run ProcessBenchmarkRunner::run_profiler(const BenchmarkRequest& r) {
  const std::vector<std::string> sizes = r.sizes.empty() ? std::vector<std::string>{""} : r.sizes;
  const std::string document = r.subcommand == "mem" ? "memory.json" : "callgrind.json";
  std::vector<Run> runs;
  for (const auto& filter : r.filters)
    for (const auto& size : sizes)
      for (const auto& dtype : profiler_dtypes(r.dtype)) {
        const std::filesystem::path dir = scratch_ / (r.subcommand + std::to_string(profiler_runs_++));
        std::vector<std::string> argv = {r.binary, r.subcommand, "-q", filter, "-t", dtype, "-o", dir.string()};
        if (!size.empty()) argv.insert(argv.end(), {"-s", size});
        if (r.subcommand == "callgrind") argv.push_back("--compare");
        if (r.subcommand == "mem") argv.insert(argv.end(), {"-f", "none"});
        runs.push_back(invoke(argv, r.label, dir / document));
      }
  return merge_runs(runs, std::vector<std::string>(runs.size(), r.label));
}

}  // namespace kprof::regress
