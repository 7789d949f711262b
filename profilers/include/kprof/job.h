#pragma once
// A Job: one kernel variant at one size, in one dtype, with a thread count. The command line
// resolves what the user typed (filters, size specs, "f32|f64|both", --threads) into Jobs once, at
// its edge; the runner, every profiler and every child kprof process work from Jobs, and a
// result's key is its job's key, spelt one way everywhere (job_key).
#include <string>
#include <string_view>
#include <vector>

#include "kprof/kernel.h"
#include "kprof/registry.h"
#include "kprof/size.h"

namespace kprof {

struct Job {
  VariantRef target{nullptr, 0};
  Size size;
  DType dtype = DType::f64;
  int threads = 1;       // the variant's own threads (current_threads()); for other variants, BLAS's
  int blas_threads = 0;  // the BLAS pool's size; 0: as many as `threads` (one knob)

  int blas() const { return blas_threads > 0 ? blas_threads : threads; }
  const FamilyRecord& family() const { return *target.family; }
  const VariantSpec& variant() const { return target.family->variants.at(target.variant).spec; }
  std::string name() const;  // "family/variant"
  std::string key() const;   // job_key(): "family/variant/dtype/size[/threads=N[,blas=M]]"

  // The arguments that hand this job to a child kprof (`kprof region`, `kprof run`, `kprof
  // callgrind`, `kprof mem` ...): {"family/variant", "-s", size, "-t", dtype} and, unless it is
  // 1, {"--threads", N}, and {"--blas-threads", M} when M differs from N. Every kprof subcommand that takes a kernel
  // accepts them; the size is spelt with names, so a child built from another commit parses it the same way.
  std::vector<std::string> to_args() const;
  // Reads exactly what to_args() writes (the options in any order; -s and -t optional, as on the
  // command line). Throws UsageError naming an argument it does not know.
  static Job from_args(const std::vector<std::string>& args);
};

// The one spelling of a result key: "family/variant/dtype/size" with Size::str(), then the threads
// when they are not the default: "/threads=2" (BLAS as many), "/threads=2,blas=1" (a grid point).
// One thread keeps the plain key, so documents written before thread sweeps compare with new ones.
std::string job_key(std::string_view family, std::string_view variant, DType dtype, const Size& size, int threads = 1,
                    int blas_threads = 0);
// The threads part of a key and of report labels: "" (one thread), "threads=2", "threads=2,blas=1".
std::string threads_label(int threads, int blas_threads = 0);

// The sizes a command uses for a family: each spec parsed; with none, the family's default sizes
// (or, for a family that lists none, its parameters' defaults).
std::vector<Size> sizes_for(const FamilyRecord& family, const std::vector<std::string>& specs);
// The one size of a single-kernel command: `spec` parsed, or the family's first default size.
Size size_for(const FamilyRecord& family, std::string_view spec);

// UsageError (exit 2, before anything runs) for a problem that cannot fit in the memory available
// now (MemAvailable): the family's .bytes — what one call reads and writes, an estimate of what a
// problem holds (gemm counts C twice, read and written; the runner holds a reference problem too
// when it checks a variant) — against it. Families without .bytes are not checked. plan_jobs,
// plan_jobs_at and resolve_job check every job they make.
void check_fits_in_memory(const FamilyRecord& family, const Size& size, DType dtype);

// "f32", "f64" (also "float", "double") or "both" (f64 then f32); UsageError otherwise.
std::vector<DType> parse_dtypes(std::string_view text);

// One job from "family/variant", a size spec ("" for the default), a dtype and a thread count.
Job resolve_job(std::string_view target, std::string_view size, DType dtype, int threads);

// The thread counts a run sweeps (`--threads 1..8`, `--blas-threads 1,2`). Every variant runs at
// each of `threads`. A variant that runs its own threads and calls BLAS (VariantSpec::threaded
// with Kind::blas) also runs at each of `blas_threads` per thread count: the job threads x BLAS
// threads grid where oversubscription shows. Empty `blas_threads`: BLAS gets as many as `threads`.
struct ThreadPlan {
  std::vector<int> threads{1};
  std::vector<int> blas_threads;
};

// Whether a variant is swept over BLAS pool sizes as well as its own threads.
bool runs_threads_calling_blas(const VariantSpec& variant);

// Every job of a selection, ordered family, size, dtype, threads, variant (the runner measures
// each (family, size, dtype, threads) group together, interleaved). Every size spec is parsed
// against every selected family here, so bad input is rejected before anything runs.
std::vector<Job> plan_jobs(const std::vector<std::string>& filters, const std::vector<std::string>& sizes,
                           const std::vector<DType>& dtypes, const ThreadPlan& threads);
std::vector<Job> plan_jobs(const std::vector<std::string>& filters, const std::vector<std::string>& sizes,
                           const std::vector<DType>& dtypes, int threads);

// The jobs of a command that measures one size (kprof mem, kprof callgrind --compare): every
// selected variant at `size`, or at its family's first default size when `size` is empty.
std::vector<Job> plan_jobs_at(const std::vector<std::string>& filters, std::string_view size, DType dtype, int threads);

}  // namespace kprof
