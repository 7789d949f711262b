// `kprof cpu`: gperftools CPU samples of a kernel region (or a program after --), symbolised by
// kprof into per-function and per-line tables and a callgrind-format file for kcachegrind.
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "cpu_profiler.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/frame.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/pprof.h"
#include "kprof/reports/profile_samples.h"
#include "kprof/reports/speedscope.h"
#include "kprof/reports/tables.h"

namespace kprof::cli {
namespace {

struct CpuArgs {
  std::string target;
  std::string size;
  std::string dtype = "f64";
  std::int64_t iterations = 0;
  double seconds = 1.0;
  int threads = 1;
  int frequency = 1000;
  std::string out_dir;
  std::size_t top = 10;
  bool quiet = false;
};

// `kernel_region`: kprof's own driver frames (runner, CLI, main), which every sample of a region
// passes through at 100%, are left out of the inclusive table so that it starts at the kernel.
std::string sample_tables(CpuRun& run, int frequency, std::size_t top, bool markdown, bool kernel_region) {
  Hotspots h = compute_hotspots(run.profile);
  auto table = [&](const Table& t) { return markdown ? t.markdown() : t.text(); };
  std::ostringstream out;
  std::int64_t total = h.totals.empty() ? 0 : h.totals[0];
  // The CPU time is measured, not samples x period: above the kernel's tick rate the period is
  // not what separates the samples (sampling_rate_note).
  out << format_count(total) << " samples in " << format_fixed(run.cpu_seconds, 2) << " s of CPU time ("
      << format_fixed(samples_per_cpu_second(run), 0) << " per CPU second; asked for " << frequency << " Hz, "
      << run.raw.period_us << " us)\n"
      << sampling_rate_note(run, frequency);
  out << (markdown ? "\n#### " : "\n") << "Functions by self samples\n" << table(hot_functions_table(h, top, false));
  Hotspots inclusive = h;
  if (kernel_region) std::erase_if(inclusive.functions, [](const HotFunction& f) { return is_driver_frame(f.name); });
  out << (markdown ? "\n#### " : "\n") << "Functions by inclusive samples (calls: samples through the call"
      << (kernel_region ? "; kprof's driver hidden" : "") << ")\n"
      << table(hot_functions_table(inclusive, top, true));
  out << (markdown ? "\n#### " : "\n") << "Source lines by samples\n" << table(hot_lines_table(h, top));
  return out.str();
}

// cpu.<key>.pb.gz and cpu.<key>.speedscope.json next to gperftools' cpu.<key>.prof: the same
// samples for `go tool pprof` and speedscope.
struct ExportedFiles {
  std::filesystem::path pprof, speedscope;
};
ExportedFiles write_cpu_exports(const CpuRun& run) {
  const StackSamples samples = cpu_samples(run.stacks, run.raw.period_us);
  ExportedFiles files{run.profile_file, run.profile_file};
  files.pprof.replace_extension(".pb.gz");
  files.speedscope.replace_extension(".speedscope.json");
  write_pprof_file(files.pprof, samples);
  write_speedscope_file(files.speedscope, samples, cpu_speedscope_profiles(), run.profile_file.stem().string());
  return files;
}

// "a, then b, then c": the images a program exec'd, in order.
std::string join_execs(const std::vector<std::string>& images) {
  std::string out;
  for (const auto& image : images) out += (out.empty() ? "" : ", then ") + image;
  return out;
}

}  // namespace

void add_cpu_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CpuArgs>();
  CLI::App* sub = app.add_subcommand(
      "cpu", "Sample a kernel region (or a program after --) with the gperftools CPU profiler, down to source lines");
  sub->add_option("target", a->target, "family/variant");
  add_job_options(sub, {a->size, a->dtype, a->iterations, a->threads},
                  "kernel calls in the region (default: enough for --seconds)");
  sub->add_option("--seconds", a->seconds, "how long the region runs when --iterations is not given")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  sub->add_option("--frequency", a->frequency, "samples per second (CPUPROFILE_FREQUENCY)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4000));
  sub->add_option(
      "-o,--out", a->out_dir,
      "folder for the .prof, callgrind.out.cpu.*, cpu.*.pb.gz (pprof), cpu.*.speedscope.json and cpu.json/.md/.txt "
      "(default: .)");
  sub->add_option("--top", a->top, "rows per table")->capture_default_str()->check(CLI::Range(1, 10000));
  sub->add_flag("-q,--quiet", a->quiet, "no progress lines on stderr");
  sub->callback([a, &ctx] {
    std::filesystem::path dir = a->out_dir.empty() ? "." : a->out_dir;
    ensure_writable_dir(dir);
    std::ostringstream out;
    CpuEntry result;
    CpuRun run;
    if (!ctx.passthrough.empty()) {
      if (!a->target.empty())
        throw UsageError("give either a kernel (" + a->target + ") or a program after --, not both");
      run = run_cpu_program(ctx.passthrough, a->frequency, dir);
      result = cpu_program_entry(ctx.passthrough, run, a->top);
      // A program that failed is still reported (its status in the section), and kprof then exits 3
      // as `kprof mem --` does: the program could not do its job.
      // Why kprof exits 3 is an error, said even with -q (as kprof mem does), not progress.
      if (run.exit_status != 0) ctx.exit_code = kExitToolFailed;
      if (run.exit_status != 0)
        std::cerr << "kprof: " << ctx.passthrough[0] << " exited with status " << run.exit_status
                  << "; reporting what was recorded (exit_status in the cpu section), then exiting " << kExitToolFailed
                  << "\n";
      out << "cpu: " << ctx.passthrough[0] << " (whole program)\n";
      // gperftools starts again in each new image: the profile is the last one's.
      if (!run.execs.empty())
        out << "note: the program exec'd " << join_execs(run.execs) << "; the profile covers " << run.execs.back()
            << " from its start, not what ran before the exec\n";
    } else {
      if (a->target.empty()) throw UsageError("name a kernel (family/variant) or a program after --");
      CpuKernelTarget t{resolve_job(a->target, a->size, dtype_from_string(a->dtype), a->threads), a->iterations,
                        a->seconds, a->frequency};
      if (!a->quiet) std::cerr << "kprof: sampling " << a->target << " at " << a->frequency << " Hz...\n";
      run = run_cpu_kernel(t, dir);
      result = cpu_entry(t, run, a->top);
      out << "cpu: " << a->target << " " << a->dtype << " " << t.job.size.str() << ", " << t.iterations
          << " iteration(s) in " << format_fixed(run.region_seconds, 2) << " s, kernel region only\n";
    }
    const ExportedFiles exported = write_cpu_exports(run);
    result.pprof_file = exported.pprof.string();
    out << "files: " << run.profile_file.string() << ", " << run.callgrind_file.string() << " (kcachegrind), "
        << result.pprof_file << " (pprof), " << exported.speedscope.string() << " (speedscope)\n"
        << sample_tables(run, a->frequency, a->top, false, ctx.passthrough.empty());
    std::cout << out.str();
    if (!a->out_dir.empty()) {
      Run doc = new_run(ctx, a->threads);
      doc.set_section(CpuSection{{result}});
      for (const auto& path :
           write_reports(doc, dir, "cpu", out.str(),
                         "\n### cpu\n" + sample_tables(run, a->frequency, a->top, true, ctx.passthrough.empty())))
        if (!a->quiet) std::cerr << "kprof: wrote " << path.string() << "\n";
    }
  });
}

}  // namespace kprof::cli
