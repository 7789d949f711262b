#include "callgrind_profiler.h"

#include <valgrind/callgrind.h>

#include <chrono>
#include <fstream>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/run_json.h"
#include "subprocess.h"

namespace kprof {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::string> valgrind_args(const std::filesystem::path& valgrind, const CallgrindOptions& options,
                                       const std::filesystem::path& out, const std::filesystem::path& log) {
  std::vector<std::string> args = {valgrind.string(), "--tool=callgrind", "--dump-instr=yes",
                                   "--callgrind-out-file=" + out.string(), "--log-file=" + log.string()};
  if (options.cache_sim) args.push_back("--cache-sim=yes");
  if (options.branch_sim) args.push_back("--branch-sim=yes");
  return args;
}

// Runs valgrind; on failure, the end of its log says why.
void run_valgrind(const std::vector<std::string>& args, const std::filesystem::path& log,
                  const std::filesystem::path& stdout_file, const std::string& what) {
  ProcessOptions po;
  po.stdout_file = stdout_file;
  int rc = run_process(args, po);
  if (rc != 0) {
    std::string text;
    try {
      text = read_file(log);
    } catch (const UsageError&) {
    }
    if (text.size() > 2000) text = "..." + text.substr(text.size() - 2000);
    throw ToolError(what + " under callgrind failed (exit " + std::to_string(rc) + "):\n" + text);
  }
}

// Removes a failed run's temporaries, so that a failure leaves nothing half-written behind.
struct RemoveOnFailure {
  std::vector<std::filesystem::path> paths;
  bool armed = true;
  ~RemoveOnFailure() {
    if (!armed) return;
    std::error_code ec;
    for (const auto& p : paths) std::filesystem::remove(p, ec);
  }
};

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
  RemoveOnFailure cleanup{{tmp, log, report}};
  auto args = valgrind_args(valgrind, options, tmp, log);
  args.insert(args.begin() + 2, {"--instr-atstart=no", "--collect-atstart=no"});
  args.insert(args.end(), {self_exe().string(), "region"});
  for (const std::string& a : t.job.to_args()) args.push_back(a);
  args.insert(args.end(),
              {"--iterations", std::to_string(t.iterations), "--collector", "callgrind", "--report", report.string()});
  auto start = std::chrono::steady_clock::now();
  run_valgrind(args, log, "/dev/null", t.job.name());
  double total = seconds_since(start);
  CallgrindRun run = finish(tmp, options.out_dir / name);
  run.total_seconds = total;
  auto region = nlohmann::json::parse(read_file(report));
  run.region_seconds = region.value("seconds", 0.0);
  std::filesystem::remove(report);
  std::filesystem::remove(log);
  cleanup.armed = false;
  return run;
}

CallgrindRun run_callgrind_program(const std::vector<std::string>& argv, const CallgrindOptions& options) {
  if (argv.empty()) throw UsageError("no program given after --");
  if (find_program(argv[0]).empty()) throw UsageError("program '" + argv[0] + "' not found or not executable");
  auto valgrind = require_valgrind();
  ensure_writable_dir(options.out_dir);
  const std::string name = file_safe("callgrind.out." + std::filesystem::path(argv[0]).filename().string());
  const auto tmp = options.out_dir / (".tmp." + name);
  const auto log = options.out_dir / (".tmp." + name + ".log");
  RemoveOnFailure cleanup{{tmp, log}};
  auto args = valgrind_args(valgrind, options, tmp, log);
  if (!options.toggle_collect.empty()) {
    args.push_back("--collect-atstart=no");
    for (const auto& fn : options.toggle_collect) args.push_back("--toggle-collect=" + fn);
  }
  args.insert(args.end(), argv.begin(), argv.end());
  auto start = std::chrono::steady_clock::now();
  run_valgrind(args, log, "", argv[0]);
  double total = seconds_since(start);
  CallgrindRun run = finish(tmp, options.out_dir / name);
  run.total_seconds = total;
  std::filesystem::remove(log);
  cleanup.armed = false;
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
          {"events", events_json(run.profile, run.profile.totals(), 1.0)},
          {"file", run.file.string()},
          {"top_functions", top_functions_json(run.profile, top)}};
}

}  // namespace kprof
