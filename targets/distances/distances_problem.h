#pragma once
// The distances problem: X (n x d) drawn as blobs around the k centroids of C (k x d), as k-means
// sees it after a few iterations, so the nearest centroid is much closer than the norms and the
// GEMM formulation's cancellation shows in f32. Every buffer a variant writes is allocated here,
// outside the timed region, sized for the chunk parameter.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "distances_kernels.h"
#include "kprof/errors.h"
#include "kprof/kernel.h"
#include "kprof/runner.h"
#include "kprof/size.h"

namespace kprof::targets {

template <class T>
struct DistancesProblem {
  explicit DistancesProblem(const Size& s)
      : n(s["n"]),
        d(s["d"]),
        k(s["k"]),
        chunk(std::min(s["chunk"], s["n"])),
        ldb((s["k"] + kDistancesPad - 1) / kDistancesPad * kDistancesPad),
        slots(std::max(1, current_threads())) {
    check_fits(n * d, "n*d");
    check_fits(ldb * d, "k*d");
    check_fits(chunk * ldb, "chunk*k");
    check_fits(chunk * ldb * slots, "chunk*k*threads");
    x.resize(n * d);
    c.resize(k * d);
    block.resize(chunk * ldb * slots);
    x_norms.resize(chunk * slots);
    c_norms.resize(k);
    c_packed.resize(d * ldb);
    min_dist.resize(n);
    labels.resize(n);
    fill_uniform(std::span<T>(c), 31);
    // Each row is a centroid plus uniform noise in [-0.25, 0.25]: its nearest squared distance is
    // about d/48, against norms of about d/3 (cancellation factor ~30 in ||x||² + ||c||² - 2·x·c).
    fill_uniform(std::span<T>(x), 32, -0.25, 0.25);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t center =
          static_cast<std::int64_t>((static_cast<std::uint64_t>(i) * 2654435761u) % static_cast<std::uint64_t>(k));
      for (std::int64_t j = 0; j < d; ++j) x[i * d + j] += c[center * d + j];
    }
  }

  std::span<const T> output() const { return min_dist; }

  // Raw pointers for the kernels; `slot` selects a thread's own block and norm buffers.
  DistancesTask<T> task(int slot = 0) {
    DistancesTask<T> t;
    t.x = x.data();
    t.c = c.data();
    t.n = n;
    t.d = d;
    t.k = k;
    t.chunk = chunk;
    t.block = block.data() + slot * chunk * ldb;
    t.ldb = ldb;
    t.x_norms = x_norms.data() + slot * chunk;
    t.c_norms = c_norms.data();
    t.c_packed = c_packed.data();
    t.min_dist = min_dist.data();
    t.labels = labels.data();
    return t;
  }

  std::int64_t n, d, k;
  std::int64_t chunk;  // rows per block: the chunk parameter, capped at n
  std::int64_t ldb;    // block row stride: k padded to kDistancesPad
  int slots;           // per-thread blocks, for the threads set when the problem was made
  std::vector<T> x, c, block, x_norms, c_norms, c_packed, min_dist;
  std::vector<std::int32_t> labels;

 private:
  static void check_fits(std::int64_t elements, const char* what) {
    // OpenBLAS takes 32-bit dimensions; beyond that the buffers would not fit this machine anyway.
    if (elements > (std::int64_t{1} << 31))
      throw UsageError(std::string("distances: ") + what + " = " + std::to_string(elements) +
                       " elements is too large (limit 2^31); lower n, d, k or chunk");
  }
};

// The plain reference: every distance in the direct formulation, accumulated in double, no chunks.
template <class T>
void reference_distances(DistancesProblem<T>& p) {
  for (std::int64_t i = 0; i < p.n; ++i) {
    double best = 0;
    std::int32_t label = -1;
    for (std::int64_t c = 0; c < p.k; ++c) {
      double sum = 0;
      for (std::int64_t j = 0; j < p.d; ++j) {
        const double diff = static_cast<double>(p.x[i * p.d + j]) - static_cast<double>(p.c[c * p.d + j]);
        sum += diff * diff;
      }
      if (label < 0 || sum < best) {
        best = sum;
        label = static_cast<std::int32_t>(c);
      }
    }
    p.min_dist[i] = static_cast<T>(best);
    p.labels[i] = label;
  }
}

}  // namespace kprof::targets
