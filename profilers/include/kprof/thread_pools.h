#pragma once
// The thread pools loaded in this process, and a scoped limit on their sizes: C++'s threadpoolctl.
//
// A numerical program often holds several pools at once — OpenBLAS' own threads, an OpenMP runtime
// (libgomp, libomp, Intel's libiomp5), MKL, BLIS — and each sizes itself to the machine. A kernel
// that runs its own threads and calls a threaded BLAS from each of them oversubscribes the CPUs:
// N job threads × M BLAS threads on fewer than N·M cores. `thread_pools()` says what is loaded and
// how big each pool is; `ThreadLimits` caps them for a scope and restores them after:
//
//   kprof::ThreadLimits limits({.blas = 1});   // one BLAS thread per job thread in this scope
//   run_my_jobs_on(8);
//
// Pools are found by symbol in the shared objects that are loaded (and in the executable, for a
// static BLAS), the way threadpoolctl finds them, so nothing here links a BLAS or an OpenMP runtime.
#include <optional>
#include <string>
#include <vector>

namespace kprof {

struct ThreadPool {
  std::string api;        // "openblas", "blis", "mkl" (the BLAS pools) or "openmp"
  std::string library;    // the shared object that provides it (its path; the executable's for a static one)
  std::string version;    // as the library reports it; "" when it has no way to say
  int threads = 0;        // its current maximum number of threads
  std::string core;       // OpenBLAS: the kernel set it runs (openblas_get_corename), e.g. "Haswell"
  std::string threading;  // OpenBLAS: "pthreads", "openmp" or "sequential"
  std::string config;     // OpenBLAS: its build configuration (openblas_get_config)

  bool is_blas() const { return api != "openmp"; }
  bool operator==(const ThreadPool&) const = default;
};

// Every pool loaded in this process, in load order.
std::vector<ThreadPool> thread_pools();

struct ThreadCaps {
  std::optional<int> blas;    // OpenBLAS, BLIS and MKL pools
  std::optional<int> openmp;  // OpenMP runtimes
};

// Caps the pools for its lifetime and restores each pool's size when it ends. Pools loaded after it
// was made are not touched. Not thread-safe with respect to other code resizing the same pools.
class ThreadLimits {
 public:
  explicit ThreadLimits(ThreadCaps caps);
  ~ThreadLimits();
  ThreadLimits(const ThreadLimits&) = delete;
  ThreadLimits& operator=(const ThreadLimits&) = delete;

 private:
  struct Saved {
    std::string api, library;
    int threads;
  };
  std::vector<Saved> saved_;
};

}  // namespace kprof
