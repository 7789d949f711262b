#pragma once
// The k-means assignment step: for every row of X (n x d) the squared Euclidean distance to every
// centroid of C (k x d), reduced to the minimum and its label. Every variant walks X in chunks of
// `chunk` rows and fills a chunk x k block of intermediate results before reducing it, like
// scikit-learn's pairwise_distances_chunked: the block is what has to stay in the cache.
//
// Kernels take a DistancesTask of raw pointers, never the problem object: the SIMD and Eigen files
// are compiled with AVX2/AVX-512 flags, and sharing inline code (std::vector members...) with them
// would let the linker pick an AVX-512 copy for baseline code.
#include <cstdint>
#include <string>

#include "kprof/isa.h"

namespace kprof::targets {

// Block rows are padded to a multiple of this many elements (a zmm register of floats), so the SIMD
// kernels store whole vectors; the padding is never read by the row minimum.
inline constexpr std::int64_t kDistancesPad = 16;

template <class T>
struct DistancesTask {
  const T* x = nullptr;  // n x d, row-major
  const T* c = nullptr;  // k x d, row-major
  std::int64_t n = 0, d = 0, k = 0;
  std::int64_t chunk = 1;          // rows of X per block
  T* block = nullptr;              // chunk x ldb: distances (direct) or -2·X·Cᵀ (GEMM formulation)
  std::int64_t ldb = 0;            // k rounded up to kDistancesPad
  T* x_norms = nullptr;            // chunk: ||x||² of the block's rows (GEMM formulation)
  T* c_norms = nullptr;            // k: ||c||² (GEMM formulation)
  T* c_packed = nullptr;           // d x ldb: Cᵀ for the SIMD kernels, padding columns +inf
  T* min_dist = nullptr;           // n: the output
  std::int32_t* labels = nullptr;  // n: index of the nearest centroid (lowest index on exact ties)
};

// Row minimum of a block of distances, lowest index on exact ties (numpy's argmin rule).
template <class T>
void block_row_min(const T* block, std::int64_t rows, std::int64_t k, std::int64_t ldb, T* min_dist,
                   std::int32_t* labels);

// The direct formulation sum_j (x_j - c_j)², in plain loops at the x86-64 baseline, chunked.
template <class T>
void distances_scalar(const DistancesTask<T>& t);

// The direct formulation with intrinsics: Cᵀ is packed (pack_centroids) so that one vector holds
// one coordinate of several centroids; each row of X is broadcast against them (assign_rows).
template <class T>
void pack_centroids_avx2(const DistancesTask<T>& t);
template <class T>
void assign_rows_avx2(const DistancesTask<T>& t);
template <class T>
void pack_centroids_avx512(const DistancesTask<T>& t);
template <class T>
void assign_rows_avx512(const DistancesTask<T>& t);

// The GEMM formulation ||x||² + ||c||² - 2·x·c per chunk, with cblas_?gemm (OpenBLAS) or Eigen.
template <class T>
void distances_blas(const DistancesTask<T>& t);
// distances_blas over the task's rows with t.c_norms already filled (row_norms of C): the part that
// job threads run side by side, each on its own rows and block.
template <class T>
void distances_blas_rows(const DistancesTask<T>& t);
template <class T>
void distances_eigen(const DistancesTask<T>& t);
std::string distances_eigen_code_path();  // "Eigen 3.4.0 (AVX512, FMA, ...)"
Isa distances_eigen_isa();                // what distances_eigen.cpp was compiled for (KPROF_COMPILED_ISA)

// Shared by both GEMM variants: ||x||² and ||c||² of `rows` rows, and the reduction of a
// -2·X·Cᵀ block to the row minimum with the norms added back and cancellation clamped at 0.
template <class T>
void row_norms(const T* a, std::int64_t rows, std::int64_t d, T* norms);
template <class T>
void gemm_block_row_min(const T* block, std::int64_t rows, std::int64_t k, std::int64_t ldb, const T* x_norms,
                        const T* c_norms, T* min_dist, std::int32_t* labels);

}  // namespace kprof::targets
