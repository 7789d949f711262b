#pragma once
// The FMA throughput probe, written once; peak_avx512.cpp and peak_avx2.cpp instantiate it with
// the kprof/simd structs the families' kernels use, peak_baseline.cpp with SSE2 multiply + add
// (Ops: Vec, Scalar, set1, fma, add).
#include <cstdint>
#include <cstring>

#include "peak_kernels.h"

namespace kprof::peak {

template <class Ops>
typename Ops::Scalar fma_probe(std::int64_t iterations) {
  using Vec = typename Ops::Vec;
  using Scalar = typename Ops::Scalar;
  Vec acc[kAccumulators];
  for (int i = 0; i < kAccumulators; ++i) acc[i] = Ops::set1(static_cast<Scalar>(1.0 + i * 1e-3));
  // acc = acc * a + b converges to b / (1 - a): no overflow, no denormals, nothing to skip.
  const Vec a = Ops::set1(static_cast<Scalar>(0.999));
  const Vec b = Ops::set1(static_cast<Scalar>(1e-3));
  for (std::int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 24
    for (int i = 0; i < kAccumulators; ++i) acc[i] = Ops::fma(acc[i], a, b);
  }
  Vec sum = acc[0];
  for (int i = 1; i < kAccumulators; ++i) sum = Ops::add(sum, acc[i]);
  Scalar lanes[sizeof(Vec) / sizeof(Scalar)];
  std::memcpy(lanes, &sum, sizeof lanes);
  Scalar total = 0;
  for (Scalar x : lanes) total += x;
  return total;
}

}  // namespace kprof::peak
