// Plain loops at the x86-64 baseline: the scalar variant (direct formulation, as a first C++ port of
// the NumPy code would write it) and the row reductions the other variants share. The variant carries
// KPROF_LINE markers (`kprof lines distances/scalar`, docs/LINES.md); they compile to nothing in kprof.
#include <algorithm>

#include "distances_kernels.h"
#include "kprof/lines.h"

namespace kprof::targets {

template <class T>
void block_row_min(const T* block, std::int64_t rows, std::int64_t k, std::int64_t ldb, T* min_dist,
                   std::int32_t* labels) {
  for (std::int64_t i = 0; i < rows; ++i) {
    const T* row = block + i * ldb;
    T best = row[0];
    std::int32_t label = 0;
    for (std::int64_t c = 1; c < k; ++c) {
      if (row[c] < best) {  // strict: the lowest index wins an exact tie
        best = row[c];
        label = static_cast<std::int32_t>(c);
      }
    }
    min_dist[i] = best;
    labels[i] = label;
  }
}

template <class T>
void distances_scalar(const DistancesTask<T>& t) {
  KPROF_FUNCTION;
  for (std::int64_t start = 0; start < t.n; start += t.chunk) {
    const std::int64_t rows = std::min(t.chunk, t.n - start);
    for (std::int64_t i = 0; i < rows; ++i) {
      const T* x = t.x + (start + i) * t.d;
      T* out = t.block + i * t.ldb;
      for (std::int64_t c = 0; c < t.k; ++c) {
        const T* centroid = t.c + c * t.d;
        T sum = 0;
        // One marker per (row, centroid): the loop re-marks the open line, which reads no clock.
        KPROF_LINE;
        for (std::int64_t j = 0; j < t.d; ++j) {
          const T diff = x[j] - centroid[j];
          sum += diff * diff;
        }
        out[c] = sum;
      }
    }
    KPROF_LINE;
    block_row_min(t.block, rows, t.k, t.ldb, t.min_dist + start, t.labels + start);
  }
}

template <class T>
void row_norms(const T* a, std::int64_t rows, std::int64_t d, T* norms) {
  for (std::int64_t i = 0; i < rows; ++i) {
    const T* row = a + i * d;
    T sum = 0;
    for (std::int64_t j = 0; j < d; ++j) sum += row[j] * row[j];
    norms[i] = sum;
  }
}

template <class T>
void gemm_block_row_min(const T* block, std::int64_t rows, std::int64_t k, std::int64_t ldb, const T* x_norms,
                        const T* c_norms, T* min_dist, std::int32_t* labels) {
  for (std::int64_t i = 0; i < rows; ++i) {
    const T* row = block + i * ldb;  // -2·x·c for every centroid c
    T best = 0;
    std::int32_t label = -1;
    for (std::int64_t c = 0; c < k; ++c) {
      T dist = x_norms[i] + c_norms[c] + row[c];
      // ||x||² + ||c||² - 2·x·c cancels when x is close to c: rounding can leave a tiny negative
      // value where the true distance is (near) zero. A squared distance is never negative.
      dist = std::max(dist, T{0});
      if (label < 0 || dist < best) {
        best = dist;
        label = static_cast<std::int32_t>(c);
      }
    }
    min_dist[i] = best;
    labels[i] = label;
  }
}

template void block_row_min(const float*, std::int64_t, std::int64_t, std::int64_t, float*, std::int32_t*);
template void block_row_min(const double*, std::int64_t, std::int64_t, std::int64_t, double*, std::int32_t*);
template void distances_scalar(const DistancesTask<float>&);
template void distances_scalar(const DistancesTask<double>&);
template void row_norms(const float*, std::int64_t, std::int64_t, float*);
template void row_norms(const double*, std::int64_t, std::int64_t, double*);
template void gemm_block_row_min(const float*, std::int64_t, std::int64_t, std::int64_t, const float*, const float*,
                                 float*, std::int32_t*);
template void gemm_block_row_min(const double*, std::int64_t, std::int64_t, std::int64_t, const double*, const double*,
                                 double*, std::int32_t*);

}  // namespace kprof::targets
