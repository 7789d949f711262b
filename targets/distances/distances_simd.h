#pragma once
// The direct formulation sum_j (x_j - c_j)² written once over a vector-operations struct (Ops:
// Vec, Scalar, lanes, set1, load, store, sub, fma) and instantiated by distances_avx2.cpp and
// distances_avx512.cpp, whose Ops types live in anonymous namespaces (no ODR clash between ISAs).
//
// Centroids go along the vector lanes: Cᵀ is packed once per call (d x ldb), so one vector holds
// coordinate j of `lanes` centroids and x_j is broadcast against it. No horizontal sums are needed
// and the result vector is stored straight into the block. For each group of 4 vectors of centroids
// (their d x 4·lanes slice of Cᵀ stays in L1) the kernel sweeps the chunk's rows.
//
// KPROF_LINE markers (`kprof lines distances/simd-avx512`, docs/LINES.md) compile to nothing in kprof.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "distances_kernels.h"
#include "kprof/lines.h"

namespace kprof::targets::simd {

template <class Ops>
void pack_centroids(const DistancesTask<typename Ops::Scalar>& t) {
  KPROF_FUNCTION;
  using T = typename Ops::Scalar;
  for (std::int64_t j = 0; j < t.d; ++j) {
    T* out = t.c_packed + j * t.ldb;
    KPROF_LINE;
    for (std::int64_t c = 0; c < t.k; ++c) out[c] = t.c[c * t.d + j];
    // Padding centroids at infinity: (x - inf)² = inf never wins the row minimum, and whole-vector
    // loads and stores need no masks.
    KPROF_LINE;
    for (std::int64_t c = t.k; c < t.ldb; ++c) out[c] = std::numeric_limits<T>::infinity();
  }
}

// Distances of one row to the 4·lanes centroids starting at `c0`, into out[c0 ...].
template <class Ops>
void row_to_four_vectors(const typename Ops::Scalar* x, const DistancesTask<typename Ops::Scalar>& t, std::int64_t c0,
                         typename Ops::Scalar* out) {
  constexpr std::int64_t L = Ops::lanes;
  auto a0 = Ops::zero(), a1 = Ops::zero(), a2 = Ops::zero(), a3 = Ops::zero();
  const auto* cp = t.c_packed + c0;
  for (std::int64_t j = 0; j < t.d; ++j, cp += t.ldb) {
    const auto xj = Ops::set1(x[j]);
    const auto d0 = Ops::sub(xj, Ops::load(cp));
    const auto d1 = Ops::sub(xj, Ops::load(cp + L));
    const auto d2 = Ops::sub(xj, Ops::load(cp + 2 * L));
    const auto d3 = Ops::sub(xj, Ops::load(cp + 3 * L));
    a0 = Ops::fma(d0, d0, a0);
    a1 = Ops::fma(d1, d1, a1);
    a2 = Ops::fma(d2, d2, a2);
    a3 = Ops::fma(d3, d3, a3);
  }
  Ops::store(out + c0, a0);
  Ops::store(out + c0 + L, a1);
  Ops::store(out + c0 + 2 * L, a2);
  Ops::store(out + c0 + 3 * L, a3);
}

// Distances of one row to the `lanes` centroids starting at `c0` (the groups left over).
template <class Ops>
void row_to_one_vector(const typename Ops::Scalar* x, const DistancesTask<typename Ops::Scalar>& t, std::int64_t c0,
                       typename Ops::Scalar* out) {
  auto acc = Ops::zero();
  const auto* cp = t.c_packed + c0;
  for (std::int64_t j = 0; j < t.d; ++j, cp += t.ldb) {
    const auto diff = Ops::sub(Ops::set1(x[j]), Ops::load(cp));
    acc = Ops::fma(diff, diff, acc);
  }
  Ops::store(out + c0, acc);
}

template <class Ops>
void assign_rows(const DistancesTask<typename Ops::Scalar>& t) {
  KPROF_FUNCTION;
  constexpr std::int64_t L = Ops::lanes;
  for (std::int64_t start = 0; start < t.n; start += t.chunk) {
    const std::int64_t rows = std::min(t.chunk, t.n - start);
    const auto* x = t.x + start * t.d;
    std::int64_t c0 = 0;
    // One marker per row and group: consecutive rows re-mark the open line, which reads no clock.
    for (; c0 + 4 * L <= t.ldb; c0 += 4 * L)
      for (std::int64_t i = 0; i < rows; ++i) {
        KPROF_LINE;
        row_to_four_vectors<Ops>(x + i * t.d, t, c0, t.block + i * t.ldb);
      }
    for (; c0 < t.ldb; c0 += L)  // ldb is a multiple of 16, hence of L
      for (std::int64_t i = 0; i < rows; ++i) {
        KPROF_LINE;
        row_to_one_vector<Ops>(x + i * t.d, t, c0, t.block + i * t.ldb);
      }
    KPROF_LINE;
    block_row_min(t.block, rows, t.k, t.ldb, t.min_dist + start, t.labels + start);
  }
}

}  // namespace kprof::targets::simd
