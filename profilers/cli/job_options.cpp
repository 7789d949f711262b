#include "commands.h"

namespace kprof::cli {

void add_job_options(CLI::App* sub, JobOptions o, const std::string& iterations_help) {
  sub->add_option("-s,--size", o.size, "size: 1024 | 64x1797x16 | m=64,n=1797 (default: the family's first)");
  sub->add_option("-t,--dtype", o.dtype, "f32 or f64")->capture_default_str()->check(CLI::IsMember({"f32", "f64"}));
  CLI::Option* iterations = sub->add_option("--iterations", o.iterations, iterations_help)
                                ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  if (o.iterations > 0) iterations->capture_default_str();  // 0: the command decides (cpu: enough for --seconds)
  sub->add_option("--threads", o.threads, "threads for BLAS and threaded variants")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
}

}  // namespace kprof::cli
