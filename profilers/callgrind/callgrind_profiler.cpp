#include "callgrind_profiler.h"

#include <valgrind/callgrind.h>

#include <fstream>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/process.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/run_json.h"

namespace kprof {
namespace {

std::vector<std::string> valgrind_args(const std::filesystem::path& valgrind, const CallgrindOptions& options,
                                       const std::filesystem::path& out, const std::filesystem::path& log) {
  std::vector<std::string> args = {valgrind.string(), "--tool=callgrind", "--dump-instr=yes",
                                   "--callgrind-out-file=" + out.string(), "--log-file=" + log.string()};
  if (options.cache_sim) args.push_back("--cache-sim=yes");
  if (options.branch_sim) args.push_back("--branch-sim=yes");
  return args;
}

// The end of valgrind's log, which says why it failed.
std::string log_tail(const std::filesystem::path& log) {
  std::string text;
  try {
    text = read_file(log);
  } catch (const UsageError&) {
    return "(no valgrind log at " + log.string() + ")";
  }
  if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
  return text;
}

ProcessResult run_valgrind(const std::vector<std::string>& args, const std::filesystem::path& stdout_file) {
  Command command;
  command.argv = args;
  command.stdout_file = stdout_file;
  return run_process(command);
}

// Moves the finished file into place (the rename is atomic) and reads it.
CallgrindRun finish(const std::filesystem::path& tmp, const std::filesystem::path& final_path) {
  CallgrindRun run;
  run.profile = read_callgrind_file(tmp);
  std::filesystem::rename(tmp, final_path);
  run.file = final_path;
  return run;
}

nlohmann::json events_json(const CallgrindProfile& p, const std::vector<std::int64_t>& costs, double divide) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < p.events.size() && i < costs.size(); ++i)
    j[p.events[i]] = divide == 1.0 ? nlohmann::json(costs[i]) : nlohmann::json(static_cast<double>(costs[i]) / divide);
  return j;
}

nlohmann::json top_functions_json(const CallgrindProfile& p, std::size_t top) {
  Hotspots h = compute_hotspots(p);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < h.functions.size() && i < top; ++i) {
    const auto& f = h.functions[i];
    if (f.self[0] == 0) break;
    list.push_back({{"function", f.name},
                    {"file", f.file},
                    {"object", f.object},
                    {"self", events_json(p, f.self, 1.0)},
                    {"inclusive", events_json(p, f.inclusive, 1.0)}});
  }
  return list;
}

}  // namespace

void CallgrindRegionHooks::on_enter() {
  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_TOGGLE_COLLECT;
}

void CallgrindRegionHooks::on_exit() {
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_STOP_INSTRUMENTATION;
}

std::filesystem::path require_valgrind() {
  std::filesystem::path valgrind = find_program("valgrind");
  if (valgrind.empty())
    throw ToolError(
        "valgrind is not installed (or not in PATH). Install it with `sudo apt-get install valgrind` (Debian, "
        "Ubuntu), `sudo dnf install valgrind` (Fedora) or `brew install valgrind` (Linux Homebrew), then run "
        "this again.");
  return valgrind;
}

std::string callgrind_file_name(const KernelTarget& t) {
  const Job& job = t.job;
  return file_safe("callgrind.out." + job.family().name + "." + job.variant().name + "." +
                   std::string(to_string(job.dtype)) + "." + job.size.str());
}

CallgrindRun run_callgrind_kernel(const KernelTarget& t, const CallgrindOptions& options) {
  auto valgrind = require_valgrind();
  ensure_writable_dir(options.out_dir);
  const std::string name = callgrind_file_name(t);
  const auto tmp = options.out_dir / (".tmp." + name);
  const auto log = options.out_dir / (".tmp." + name + ".log");
  const auto report = options.out_dir / (".tmp." + name + ".json");
  // Valgrind (up to 3.22 at least) does not emulate AVX-512 and hides it from CPUID, so such a
  // variant would only fail inside valgrind with a confusing log: say why up front instead.
  if (t.job.variant().isa == Isa::avx512)
    throw UsageError(t.job.name() +
                     " needs AVX-512, which valgrind does not emulate: profile an avx2 or blas variant under "
                     "callgrind, or this one with `kprof cpu` / `kprof lines`");
  RemoveOnExit cleanup({tmp, log, report});  // tmp is renamed away once it is complete
  auto args = valgrind_args(valgrind, options, tmp, log);
  args.insert(args.begin() + 2, {"--instr-atstart=no", "--collect-atstart=no"});
  args.insert(args.end(), {self_exe().string(), "region"});
  for (const std::string& a : t.job.to_args()) args.push_back(a);
  args.insert(args.end(),
              {"--iterations", std::to_string(t.iterations), "--collector", "callgrind", "--report", report.string()});
  ProcessResult valgrind_run = run_valgrind(args, "/dev/null");
  if (!valgrind_run.ok())
    throw ToolError("valgrind, asked to run the region of " + t.job.name() + " under callgrind (" + join_argv(args) +
                    "), " + valgrind_run.how_it_ended() + ":\n" + log_tail(log));
  CallgrindRun run = finish(tmp, options.out_dir / name);
  run.total_seconds = valgrind_run.wall_seconds;
  auto region = nlohmann::json::parse(read_file(report));
  run.region_seconds = region.value("seconds", 0.0);
  return run;
}

CallgrindRun run_callgrind_program(const std::vector<std::string>& argv, const CallgrindOptions& options) {
  if (argv.empty()) throw UsageError("no program given after --");
  require_program(argv[0]);
  auto valgrind = require_valgrind();
  ensure_writable_dir(options.out_dir);
  const std::string name = file_safe("callgrind.out." + std::filesystem::path(argv[0]).filename().string());
  const auto tmp = options.out_dir / (".tmp." + name);
  const auto log = options.out_dir / (".tmp." + name + ".log");
  RemoveOnExit cleanup({tmp, log});  // tmp is renamed away once it is complete
  auto args = valgrind_args(valgrind, options, tmp, log);
  if (!options.toggle_collect.empty()) {
    args.push_back("--collect-atstart=no");
    for (const auto& fn : options.toggle_collect) args.push_back("--toggle-collect=" + fn);
  }
  args.insert(args.end(), argv.begin(), argv.end());
  ProcessResult valgrind_run = run_valgrind(args, "");
  // valgrind ends as its program ends (same status, same signal), after callgrind has written its
  // file: a program that fails is still profiled, and only a missing file means valgrind failed.
  std::error_code ec;
  if (!std::filesystem::exists(tmp, ec))
    throw ToolError("valgrind, asked to run " + join_argv(argv) + " under callgrind, " + valgrind_run.how_it_ended() +
                    " without writing a profile:\n" + log_tail(log));
  CallgrindRun run = finish(tmp, options.out_dir / name);
  run.total_seconds = valgrind_run.wall_seconds;
  run.exit_status = valgrind_run.status();
  return run;
}

nlohmann::json callgrind_result_json(const KernelTarget& t, const CallgrindRun& run, std::size_t top) {
  const Job& job = t.job;
  nlohmann::json j = result_identity_json(job.family().name, job.variant().name, job.dtype, job.size);
  auto totals = run.profile.totals();
  double flops = job.family().flops ? job.family().flops(job.size) : 0.0;
  j.update({{"iterations", t.iterations},
            {"threads", job.threads},
            {"events", events_json(run.profile, totals, 1.0)},
            {"per_call", events_json(run.profile, totals, static_cast<double>(t.iterations))},
            {"flops_per_call", flops},
            {"file", run.file.string()},
            {"region_seconds_under_valgrind", run.region_seconds},
            {"top_functions", top_functions_json(run.profile, top)}});
  if (flops > 0 && !totals.empty())
    j["ir_per_flop"] = static_cast<double>(totals[0]) / (flops * static_cast<double>(t.iterations));
  return j;
}

nlohmann::json callgrind_program_json(const std::vector<std::string>& argv, const CallgrindRun& run, std::size_t top) {
  std::string command;
  for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
  return {{"key", "program/" + std::filesystem::path(argv[0]).filename().string()},
          {"program", command},
          {"exit_status", run.exit_status},
          {"events", events_json(run.profile, run.profile.totals(), 1.0)},
          {"file", run.file.string()},
          {"top_functions", top_functions_json(run.profile, top)}};
}

}  // namespace kprof
