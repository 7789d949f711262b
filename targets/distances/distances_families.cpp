// distances: the k-means assignment step from the scikit-learn notes (../shared/seeds/002_*): for
// every row of X the nearest of k centroids, computed chunk by chunk so that the chunk x k block of
// intermediate distances fits the cache. The direct formulation (scalar, SIMD) against the GEMM
// formulation ||x||² + ||c||² - 2·X·Cᵀ (OpenBLAS, Eigen) shows why scikit-learn hands this to BLAS.
#include <algorithm>
#include <thread>
#include <vector>

#include "distances_kernels.h"
#include "distances_problem.h"
#include "kprof/kprof.h"

namespace kprof::targets {
namespace {

// Whole chunks split between current_threads() threads, each running `rows` on its own block and
// norms (DistancesProblem::task(slot)); `shared` runs once before, for what the threads only read.
template <class T, class Shared, class Rows>
void split_chunks_over_threads(DistancesProblem<T>& p, Shared shared, Rows rows) {
  shared(p.task());
  const std::int64_t chunks = (p.n + p.chunk - 1) / p.chunk;
  const std::int64_t threads = std::clamp<std::int64_t>(current_threads(), 1, std::min<std::int64_t>(p.slots, chunks));
  const std::int64_t chunks_per_thread = (chunks + threads - 1) / threads;
  auto work = [&p, &rows, chunks_per_thread](std::int64_t slot) {
    DistancesTask<T> t = p.task(static_cast<int>(slot));
    const std::int64_t first = std::min(p.n, slot * chunks_per_thread * p.chunk);
    const std::int64_t last = std::min(p.n, (slot + 1) * chunks_per_thread * p.chunk);
    t.x += first * p.d;
    t.n = last - first;
    t.min_dist += first;
    t.labels += first;
    rows(t);
  };
  std::vector<std::thread> helpers;
  for (std::int64_t slot = 1; slot < threads; ++slot) helpers.emplace_back(work, slot);
  work(0);
  for (auto& h : helpers) h.join();
}

// The simd-avx512 kernel over whole chunks split between threads; Cᵀ packed once, read by all.
template <class T>
void distances_threaded_avx512(DistancesProblem<T>& p) {
  split_chunks_over_threads(
      p, [](const DistancesTask<T>& all) { pack_centroids_avx512(all); },
      [](const DistancesTask<T>& t) { assign_rows_avx512(t); });
}

// The GEMM formulation over whole chunks split between job threads, each calling BLAS, which runs
// its own pool inside every call: scikit-learn's n_jobs workers over a threaded BLAS, the
// oversubscription of ../shared/seeds/002_* when job threads x BLAS threads exceed the CPUs.
template <class T>
void distances_threaded_blas(DistancesProblem<T>& p) {
  split_chunks_over_threads(
      p, [](const DistancesTask<T>& all) { row_norms(all.c, all.k, all.d, all.c_norms); },
      [](const DistancesTask<T>& t) { distances_blas_rows(t); });
}

// Bytes one chunk works on: its rows of X, its chunk x k block and row norms, and all of C with its
// norms, which every chunk reads again (a chunk larger than n is capped at n, as the problem does).
double chunk_working_set(const Size& s, std::size_t elem) {
  const double chunk = static_cast<double>(std::min(s["chunk"], s["n"])), d = static_cast<double>(s["d"]),
               k = static_cast<double>(s["k"]);
  return (chunk * d + chunk * k + chunk + k * d + k) * static_cast<double>(elem);
}

const std::string kShape = "n=10000,d=64,k=256";

}  // namespace

KPROF_FAMILY(distances, DistancesProblem)
    .describe(
        "k-means assignment: nearest of k centroids (k x d) for each row of X (n x d), min squared "
        "Euclidean distance, in chunks of rows; FLOPs counted as 2·n·k·d (the GEMM-equivalent work) "
        "for every variant")
    .param({.name = "n", .default_value = 10000, .help = "rows of X (points)"})
    .param({.name = "d", .default_value = 64, .help = "dimensions"})
    .param({.name = "k", .default_value = 256, .help = "centroids"})
    .param({.name = "chunk",
            .default_value = 256,
            .help = "rows of X per block; the chunk x k block of distances is what must fit the cache",
            .is_shape = false})
    .default_sizes({kShape + ",chunk=32", kShape + ",chunk=256", kShape + ",chunk=4096"})
    // Odd tails for kprof's correctness suite, with chunks that do not divide n; a bare 1000
    // (n=d=k=1000) would cost 1e9 distance pairs per variant.
    .test_sizes({"1", "7", "33", "n=1000,d=33,k=7,chunk=256", "n=1000,d=64,k=100,chunk=33", "n=33,d=7,k=1,chunk=7",
                 "n=7,d=1,k=33", "n=1,d=33,k=7"})
    .flops([](const Size& s) { return 2.0 * s["n"] * s["k"] * s["d"]; })
    .bytes([](const Size& s, std::size_t e) {
      return (static_cast<double>(s["n"]) * s["d"] + static_cast<double>(s["k"]) * s["d"] + s["n"]) * e;
    })
    .working_set(chunk_working_set)
    .tolerance(1e-3, 1e-12)
    .reference([](auto& p) { reference_distances(p); })
    .variant({.name = "scalar", .kind = Kind::scalar, .note = "direct sum (x_j - c_j)², plain loops, chunked"},
             [](auto& p) { distances_scalar(p.task()); })
    .variant({.name = "simd-avx2", .kind = Kind::simd, .isa = Isa::avx2, .note = "direct, centroids along lanes"},
             [](auto& p) {
               pack_centroids_avx2(p.task());
               assign_rows_avx2(p.task());
             })
    .variant({.name = "simd-avx512", .kind = Kind::simd, .isa = Isa::avx512, .note = "direct, centroids along lanes"},
             [](auto& p) {
               pack_centroids_avx512(p.task());
               assign_rows_avx512(p.task());
             })
    .variant({.name = "blas", .kind = Kind::blas, .note = "||x||² + ||c||² - 2·X·Cᵀ, cblas_?gemm per chunk"},
             [](auto& p) { distances_blas(p.task()); })
    .variant({.name = "eigen",
              .kind = Kind::eigen,
              .isa = distances_eigen_isa(),
              .note = "||x||² + ||c||² - 2·X·Cᵀ, Eigen GEMM per chunk",
              .code_path = distances_eigen_code_path},
             [](auto& p) { distances_eigen(p.task()); })
    .variant({.name = "threads-avx512",
              .kind = Kind::simd,
              .isa = Isa::avx512,
              .note = "simd-avx512 with chunks split over --threads threads",
              .threaded = true},
             [](auto& p) { distances_threaded_avx512(p); })
    .variant({.name = "threads-blas",
              .kind = Kind::blas,
              .note = "blas with chunks split over --threads job threads, each calling BLAS (--blas-threads)",
              .threaded = true},
             [](auto& p) { distances_threaded_blas(p); });

}  // namespace kprof::targets
