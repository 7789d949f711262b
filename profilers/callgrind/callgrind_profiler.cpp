#include "callgrind_profiler.h"

#include <unistd.h>
#include <valgrind/callgrind.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/isa.h"
#include "kprof/process.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/callgrind_writer.h"
#include "symbolize.h"

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

// The exec guard preloaded into the program valgrind runs, logging its execs into `exec_log`.
std::vector<std::pair<std::string, std::string>> exec_guard_env(const std::filesystem::path& exec_log) {
  return {{"LD_PRELOAD", ld_preload_with({exec_guard_library()})},
          {"KPROF_EXEC_LOG", std::filesystem::absolute(exec_log).string()},
          {"KPROF_PARENT_PID", std::to_string(::getpid())}};
}

ProcessResult run_valgrind(const std::vector<std::string>& args, const std::filesystem::path& stdout_file,
                           std::vector<std::pair<std::string, std::string>> env = {}) {
  Command command;
  command.argv = args;
  command.env = std::move(env);
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

// The first frame of an address's inline chain that is the program's own code: the line that
// inlined an intrinsic or a std:: template. Null when the whole chain is runtime code.
const Frame* inlining_line(const std::vector<Frame>& chain) {
  for (const Frame& frame : chain)
    if (!is_inlined_runtime_frame(frame)) return frame.line > 0 ? &frame : nullptr;
  return nullptr;
}

// Valgrind's line table charges an inlined intrinsic to its header (fmaintrin.h:49 for a SIMD
// kernel's FMAs); kprof charges it to the user's line that inlined it, as `kprof cpu` does with
// samples, so that every reader of the kept file (hot lines, the page's source view, regress)
// names that line. Function totals do not change. Callgrind writes instruction addresses as the
// object's own (ELF) addresses, so each object is symbolised on its own at bias 0.
void charge_inlined_runtime_code_to_callers(CallgrindProfile& profile) {
  std::map<std::string, std::unique_ptr<Symbolizer>> objects;
  std::int64_t moved = 0;
  for (CallgrindFunction& fn : profile.functions) {
    auto& symbols = objects[fn.object];
    for (CallgrindCost& cost : fn.costs) {
      if (cost.address == 0 || !is_inlined_runtime_frame(Frame{.file = fn.files[cost.file], .inlined = true})) continue;
      if (!symbols) symbols = std::make_unique<Symbolizer>(std::vector<LoadedModule>{{fn.object, 0}});
      if (const Frame* line = inlining_line(symbols->frames(cost.address, AddressKind::pc))) {
        cost.file = fn.file_index(line->file);
        cost.line = line->line;
        ++moved;
      }
    }
  }
  if (moved > 0)
    profile.descriptions.push_back("kprof: " + std::to_string(moved) +
                                   " instructions of inlined runtime code charged to the line that inlined them");
}

EventCosts event_costs(const CallgrindProfile& p, const std::vector<std::int64_t>& costs) {
  EventCosts out;
  for (std::size_t i = 0; i < p.events.size() && i < costs.size(); ++i) out[p.events[i]] = costs[i];
  return out;
}

std::vector<CallgrindFunctionCost> top_functions(const CallgrindProfile& p, std::size_t top) {
  Hotspots h = compute_hotspots(p);
  std::vector<CallgrindFunctionCost> list;
  for (std::size_t i = 0; i < h.functions.size() && i < top; ++i) {
    const auto& f = h.functions[i];
    if (f.self[0] == 0) break;
    list.push_back({f.name, f.file, f.object, event_costs(p, f.self), event_costs(p, f.inclusive)});
  }
  return list;
}

// A valgrind-safe flavour is named <binary>-valgrind: then the binary running is one itself.
bool is_valgrind_safe_flavour(const std::filesystem::path& binary) {
  return binary.filename().string().ends_with("-valgrind");
}

// The ISA `job`'s variant needs in another build of kprof (`region --print-isa`), or nullopt when
// that build does not have the variant or fails.
std::optional<Isa> isa_in(const std::filesystem::path& binary, const Job& job) {
  Command command;
  command.argv = {binary.string(), "region"};
  for (const std::string& a : job.to_args()) command.argv.push_back(a);
  command.argv.push_back("--print-isa");
  command.capture_stdout = true;
  command.capture_stderr = true;
  const ProcessResult result = run_process(command);
  if (!result.ok()) return std::nullopt;
  try {
    return isa_from_string(result.out.substr(0, result.out.find('\n')));
  } catch (const UsageError&) {
    return std::nullopt;
  }
}

}  // namespace

CallgrindBuild callgrind_build_for(const Job& job) {
  const std::filesystem::path self = self_exe();
  const Isa isa = job.variant().isa;
  const std::string self_label(is_valgrind_safe_flavour(self) ? kValgrindSafeBuild : kNativeBuild);
  if (isa != Isa::avx512) {
    if (std::string why = isa_skip_reason(isa); !why.empty()) throw UsageError(job.name() + " cannot run here: " + why);
    return {self, self_label};
  }
  // Valgrind (up to 3.22 at least) does not emulate AVX-512 and hides it from CPUID, so such a
  // variant would only fail inside valgrind with a confusing log: say why up front instead.
  std::filesystem::path flavour = self;
  flavour += "-valgrind";
  std::error_code ec;
  const bool has_flavour = std::filesystem::exists(flavour, ec);
  if (has_flavour)
    if (std::optional<Isa> there = isa_in(flavour, job); there && *there != Isa::avx512 && cpu_supports(*there))
      return {flavour, std::string(kValgrindSafeBuild)};
  throw UsageError(
      job.name() + " needs AVX-512, which valgrind does not emulate" +
      (has_flavour ? " (written with AVX-512 intrinsics: its valgrind-safe build " + flavour.string() + " needs it too)"
                   : " (and there is no valgrind-safe build next to this binary: " + flavour.string() + ")") +
      ": profile an avx2 or blas variant under callgrind, or this one with `kprof cpu` / `kprof lines`");
}

CheckResult check_in_build(const CallgrindBuild& build, const Job& job) {
  if (build.binary == self_exe()) return check_variant(job.family(), job.target.variant, job.size, job.dtype);
  Command command;
  command.argv = {build.binary.string(), "region"};
  for (const std::string& a : job.to_args()) command.argv.push_back(a);
  command.argv.push_back("--check");
  command.capture_stdout = true;
  command.capture_stderr = true;
  const ProcessResult result = run_process(command);
  try {
    if (!result.ok()) throw std::runtime_error(result.how_it_ended());
    const auto j = nlohmann::json::parse(result.out);
    CheckResult check;
    check.ok = j.at("ok").get<bool>();
    check.reason = j.at("reason").get<std::string>();
    check.max_rel_error = j.at("max_rel_error").get<double>();
    return check;
  } catch (const std::exception& e) {
    throw ToolError(build.binary.string() + ", asked to check " + job.name() + " against its reference, failed (" +
                    e.what() + "):\n" + result.err);
  }
}

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
  const auto tmp = temporary_name_for(options.out_dir / name);
  const auto log = temporary_name_for(options.out_dir / (name + ".log"));
  const auto report = temporary_name_for(options.out_dir / (name + ".json"));
  const CallgrindBuild build = callgrind_build_for(t.job);  // before anything is written
  RemoveOnExit cleanup({tmp, log, report});                 // tmp is renamed away once it is complete
  auto args = valgrind_args(valgrind, options, tmp, log);
  args.insert(args.begin() + 2, {"--instr-atstart=no", "--collect-atstart=no"});
  args.insert(args.end(), {build.binary.string(), "region"});
  for (const std::string& a : t.job.to_args()) args.push_back(a);
  args.insert(args.end(),
              {"--iterations", std::to_string(t.iterations), "--collector", "callgrind", "--report", report.string()});
  // Every symbol bound when the program loads, so that the dynamic linker resolving a function on
  // its first call (lazy binding: 2,147 Ir of ld.so in the region of dot/scalar at n=2000, 2 calls, 11% of
  // its count) is not charged to the kernel's region.
  ProcessResult valgrind_run = run_valgrind(args, "/dev/null", {{"LD_BIND_NOW", "1"}});
  // The kprof under valgrind has named bad input or an unwritable file on stderr (a full disk):
  // that is the problem, not valgrind.
  if (valgrind_run.exit_code == kExitUsage)
    throw UsageError("the kprof that valgrind ran for " + t.job.name() + " stopped on the error above");
  if (!valgrind_run.ok())
    throw ToolError("valgrind, asked to run the region of " + t.job.name() + " under callgrind (" + join_argv(args) +
                    "), " + valgrind_run.how_it_ended() + ":\n" + log_tail(log));
  auto region = nlohmann::json::parse(read_file(report));
  CallgrindRun run;
  run.profile = read_callgrind_file(tmp);
  charge_inlined_runtime_code_to_callers(run.profile);
  run.file = options.out_dir / name;
  write_callgrind_file(run.file, run.profile);
  run.total_seconds = valgrind_run.wall_seconds;
  run.region_seconds = region.value("seconds", 0.0);
  run.build = build;
  return run;
}

CallgrindRun run_callgrind_program(const std::vector<std::string>& argv, const CallgrindOptions& options) {
  if (argv.empty()) throw UsageError("no program given after --");
  require_program(argv[0]);
  auto valgrind = require_valgrind();
  ensure_writable_dir(options.out_dir);
  const std::string name = file_safe("callgrind.out." + std::filesystem::path(argv[0]).filename().string());
  const auto tmp = temporary_name_for(options.out_dir / name);
  const auto log = temporary_name_for(options.out_dir / (name + ".log"));
  const auto exec_log = temporary_name_for(options.out_dir / (name + ".execs"));
  RemoveOnExit cleanup({tmp, log, exec_log});  // tmp is renamed away once it is complete
  auto args = valgrind_args(valgrind, options, tmp, log);
  if (!options.toggle_collect.empty()) {
    args.push_back("--collect-atstart=no");
    for (const auto& fn : options.toggle_collect) args.push_back("--toggle-collect=" + fn);
  }
  args.insert(args.end(), argv.begin(), argv.end());
  ProcessResult valgrind_run = run_valgrind(args, "", exec_guard_env(exec_log));
  // valgrind follows no exec (--trace-children=no, so that children are not profiled): the image
  // that exec'd never writes its file, and the program it exec'd ran unprofiled.
  std::vector<std::string> execs = execs_logged(exec_log);
  // The first are valgrind's own: its launcher (Debian's valgrind runs valgrind.bin) starting its
  // tool, callgrind-<platform>, which then runs the program.
  auto tool = std::find_if(execs.begin(), execs.end(), [](const std::string& e) {
    return std::filesystem::path(e).filename().string().starts_with("callgrind-");
  });
  if (tool != execs.end()) execs.erase(execs.begin(), tool + 1);
  if (!execs.empty())
    throw ToolError(join_argv(argv) + " exec'd " + execs.back() +
                    ", and callgrind stops at an exec (valgrind follows none, so that child processes are not "
                    "profiled): nothing was recorded. Profile the program it runs: kprof callgrind -- " +
                    execs.back() + " ...");
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

CallgrindEntry callgrind_entry(const KernelTarget& t, const CallgrindRun& run, std::size_t top) {
  const Job& job = t.job;
  CallgrindEntry e;
  e.subject = Subject::kernel(job.family().name, job.variant().name, job.dtype, job.size);
  auto totals = run.profile.totals();
  e.events = event_costs(run.profile, totals);
  for (const auto& [event, cost] : e.events)
    e.per_call[event] = static_cast<double>(cost) / static_cast<double>(t.iterations);
  e.file = run.file.string();
  e.top_functions = top_functions(run.profile, top);
  e.iterations = t.iterations;
  e.threads = job.threads;
  e.flops_per_call = job.family().flops ? job.family().flops(job.size) : 0.0;
  if (e.flops_per_call > 0 && !totals.empty())
    e.ir_per_flop = static_cast<double>(totals[0]) / (e.flops_per_call * static_cast<double>(t.iterations));
  e.region_seconds_under_valgrind = run.region_seconds;
  e.build = run.build.label;
  return e;
}

CallgrindEntry callgrind_program_entry(const std::vector<std::string>& argv, const CallgrindRun& run, std::size_t top) {
  CallgrindEntry e;
  e.subject = Subject::of_program(argv);
  e.subject.exit_status = run.exit_status;
  e.events = event_costs(run.profile, run.profile.totals());
  e.file = run.file.string();
  e.top_functions = top_functions(run.profile, top);
  return e;
}

}  // namespace kprof
