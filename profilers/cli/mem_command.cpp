// `kprof mem`: memory tracing of a registered kernel's region (setup excluded), or of any program.
//   kprof mem sgd/full-blas [-s size] [-t dtype] [--iterations N] [-o dir]
//   kprof mem [-o dir] -- ./program args
#include <unistd.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/job.h"
#include "kprof/memory.h"
#include "kprof/process.h"
#include "kprof/registry.h"
#include "kprof/reports/pprof.h"
#include "kprof/reports/profile_samples.h"
#include "kprof/reports/run_json.h"
#include "kprof/reports/speedscope.h"
#include "kprof/runner.h"

namespace kprof::cli {
namespace {

struct MemArgs {
  std::vector<std::string> filters;
  std::string size;
  std::string dtype = "f64";
  std::int64_t iterations = 1;
  int threads = 1;
  std::string out_dir;
  std::string format = "table";
  bool quiet = false;
};

struct Traced {
  MemoryReport report;
  MemoryEntry entry;
  std::string stem;  // file-name-safe key, for the massif file
};

class MemoryRegion : public RegionHooks {
 public:
  MemoryRegion(std::string name, std::int64_t iterations) : name_(std::move(name)), iterations_(iterations) {}
  void on_enter() override { scope_ = std::make_unique<MemoryScope>(name_); }
  void on_exit() override { report = scope_->stop(iterations_); }
  MemoryReport report;

 private:
  std::string name_;
  std::int64_t iterations_;
  std::unique_ptr<MemoryScope> scope_;
};

std::vector<Traced> trace_kernels(const std::vector<Job>& jobs, const MemArgs& args) {
  std::vector<Traced> out;
  for (const Job& job : jobs) {
    const std::string key = job.key();
    if (std::string why = isa_skip_reason(job.variant().isa); !why.empty()) {
      if (!args.quiet) std::cerr << "kprof: skipped " << key << ": " << why << "\n";
      continue;
    }
    if (!args.quiet) std::cerr << "kprof: tracing " << key << "\n";
    RegionOptions options;
    options.iterations = args.iterations;
    MemoryRegion hooks(key, args.iterations);
    run_region(job, options, hooks);
    Traced t{std::move(hooks.report), {}, file_safe(key)};
    t.entry = memory_entry(t.report, Subject::kernel(job.family().name, job.variant().name, job.dtype, job.size));
    out.push_back(std::move(t));
  }
  return out;
}

// Runs the program under the preload libraries; returns its status (128 + N for signal N). Ctrl-C
// reaches the program while kprof waits, so that kprof still reports what was recorded.
int run_traced_program(const std::vector<std::string>& argv, const std::filesystem::path& trace) {
  // The exec guard ends an image's trace when the program execs (profilers/process/exec_guard.cpp).
  Command command;
  command.argv = argv;
  command.env = {{"LD_PRELOAD", ld_preload_with({memory_preload_library(), exec_guard_library()})},
                 {"KPROF_MEM_TRACE", trace.string()},
                 {"KPROF_PARENT_PID", std::to_string(::getpid())}};  // profilers/memory/preload.cpp
  command.survive_interrupt = true;
  return run_process(command).status();
}

// The traces the program's images wrote, in order: <trace>, <trace>.1, ... (one per exec).
std::vector<std::filesystem::path> image_traces(const std::filesystem::path& trace) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (int image = 0;; ++image) {
    std::filesystem::path p = image == 0 ? trace : std::filesystem::path(trace.string() + "." + std::to_string(image));
    if (!std::filesystem::exists(p, ec)) return out;
    out.push_back(std::move(p));
  }
}

// One result per image of the program: the first is keyed by the program, each image an exec
// started by the program and the file it exec'd ("program/sh/exec1-python3").
Traced traced_image(const std::vector<std::string>& argv, const std::filesystem::path& trace, int image,
                    const std::string& exec_path, int exit_status, bool last) {
  std::vector<std::string> image_argv = image == 0 ? argv : std::vector<std::string>{exec_path};
  std::string name = join_argv(image_argv);
  if (image > 0) name += " (image " + std::to_string(image + 1) + ", exec'd by " + argv.front() + ")";
  Traced t;
  t.report = read_memory_trace(trace, name);
  const std::string base = std::filesystem::path(argv.front()).filename().string();
  const std::string suffix =
      image == 0 ? "" : "/exec" + std::to_string(image) + "-" + std::filesystem::path(exec_path).filename().string();
  t.stem = file_safe("program-" + base + suffix);
  Subject subject = Subject::of_program(image_argv);
  subject.key = "program/" + base + suffix;
  if (last) subject.exit_status = exit_status;
  t.entry = memory_entry(t.report, std::move(subject));
  return t;
}

std::vector<Traced> trace_program(const std::vector<std::string>& argv, int& exit_status) {
  require_program(argv.front());  // before anything else is set up
  const std::filesystem::path scratch = make_scratch_dir("kprof-mem-program-");
  RemoveOnExit cleanup({scratch});
  const std::filesystem::path trace = scratch / "program.trace";
  exit_status = run_traced_program(argv, trace);
  const std::vector<std::filesystem::path> images = image_traces(trace);
  if (images.empty())
    throw ToolError("no memory trace was written by " + argv.front() +
                    " (a statically linked program ignores LD_PRELOAD; exit status " + std::to_string(exit_status) +
                    ")");
  std::vector<Traced> out;
  std::string exec_path;
  for (std::size_t i = 0; i < images.size(); ++i) {
    out.push_back(traced_image(argv, images[i], static_cast<int>(i), exec_path, exit_status, i + 1 == images.size()));
    exec_path = out.back().report.ended_by_exec;
  }
  if (!exec_path.empty())  // the last image traced exec'd a program that was not (static, or setuid)
    std::cerr << "kprof: " << argv.front() << " exec'd " << exec_path
              << ", which wrote no memory trace (a statically linked program ignores LD_PRELOAD): figures end at "
                 "that exec\n";
  if (exit_status != 0)  // why kprof exits 3: an error, said even with -q
    std::cerr << "kprof: " << argv.front() << " exited with status " << exit_status
              << "; reporting what was recorded (exit_status in the memory section), then exiting " << kExitToolFailed
              << "\n";
  return out;
}

// kcachegrind recognises its files by the "callgrind.out." prefix.
std::string allocation_profile_name(const Traced& t) { return "callgrind.out.alloc." + t.stem; }
// The same allocations and the peak for `go tool pprof`.
std::string pprof_name(const Traced& t) { return "mem." + t.stem + ".pb.gz"; }
// And for speedscope.
std::string speedscope_name(const Traced& t) { return "mem." + t.stem + ".speedscope.json"; }

// The memory section, its tables on stdout, and with -o the reports, one massif file and one
// allocation profile per result.
void write_outputs(const Context& ctx, const MemArgs& args, const std::vector<Traced>& traced) {
  Run run = new_run(ctx, args.threads);
  MemorySection section;
  std::string text, markdown;
  for (const auto& t : traced) {
    section.results.push_back(t.entry);
    if (!args.out_dir.empty()) section.results.back().allocations_file = allocation_profile_name(t);
    if (!args.out_dir.empty()) section.results.back().pprof_file = pprof_name(t);
    text += "\n" + render_memory_text(t.report);
    markdown += "\n" + render_memory_markdown(t.report);
  }
  run.set_section(section);

  if (!args.out_dir.empty()) {
    std::filesystem::path dir = args.out_dir;
    std::vector<std::filesystem::path> written = write_reports(run, dir, "memory", text, markdown);
    for (const auto& t : traced) {
      std::filesystem::path massif = dir / ("massif." + t.stem + ".out");
      write_file_atomically(massif, render_massif(t.report, t.report.name));
      written.push_back(massif);
      std::filesystem::path allocations = dir / allocation_profile_name(t);
      write_file_atomically(allocations, render_allocation_profile(t.report, t.report.name));
      written.push_back(allocations);
      const StackSamples samples = memory_samples(t.report);
      std::filesystem::path pprof = dir / pprof_name(t);
      write_pprof_file(pprof, samples);
      written.push_back(pprof);
      std::filesystem::path speedscope = dir / speedscope_name(t);
      write_speedscope_file(speedscope, samples, memory_speedscope_profiles(), "mem." + t.stem);
      written.push_back(speedscope);
    }
    if (!args.quiet)
      for (const auto& p : written) std::cerr << "kprof: wrote " << p.string() << "\n";
  }
  if (args.format == "table")
    std::cout << text;
  else if (args.format == "markdown")
    std::cout << markdown;
  else if (args.format == "json")
    std::cout << section.to_json().dump(2) << "\n";
}

}  // namespace

void add_mem_command(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MemArgs>();
  CLI::App* sub = app.add_subcommand(
      "mem", "Trace the heap of a kernel region (setup excluded) or of a program: peak, allocations, call sites");
  sub->footer(
      "Examples:\n  kprof mem sgd/full-blas,chunked-blas -s rows=200000\n  kprof mem -o out -- ./my_program "
      "--its-flags");
  sub->add_option("filters", args->filters, "family/variant (or family/a,b); nothing when a program follows --");
  add_job_options(sub, {args->size, args->dtype, args->iterations, args->threads},
                  "calls of the variant inside the region");
  sub->add_option(
      "-o,--out", args->out_dir,
      "folder for memory.json/.md/.txt, massif.<key>.out (ms_print), callgrind.out.alloc.<key> (kcachegrind) and "
      "mem.<key>.pb.gz (pprof) and mem.<key>.speedscope.json");
  sub->add_option("-f,--format", args->format, "stdout: table, markdown, json or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "markdown", "json", "none"}));
  sub->add_flag("-q,--quiet", args->quiet, "no progress lines on stderr");
  sub->callback([args, &ctx] {
    const bool program_mode = !ctx.passthrough.empty();
    if (program_mode && !args->filters.empty())
      throw UsageError(
          "give either a kernel (kprof mem family/variant) or a program (kprof mem -- ./program), not both");
    if (!program_mode && args->filters.empty())
      throw UsageError(
          "nothing to trace: name a kernel (kprof mem family/variant) or a program (kprof mem -- ./program)");
    std::vector<Job> jobs;
    if (!program_mode) jobs = plan_jobs_at(args->filters, args->size, dtype_from_string(args->dtype), args->threads);
    if (!args->out_dir.empty()) ensure_writable_dir(args->out_dir);

    std::vector<Traced> traced;
    int exit_status = 0;
    if (program_mode)
      traced = trace_program(ctx.passthrough, exit_status);
    else
      traced = trace_kernels(jobs, *args);
    write_outputs(ctx, *args, traced);
    // The program's own status is in the Run document; kprof's says the driven program failed.
    if (exit_status != 0) ctx.exit_code = kExitToolFailed;
  });
}

}  // namespace kprof::cli
