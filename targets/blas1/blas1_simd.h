#pragma once
// dot and axpy written once over a vector-operations struct (Ops: Vec, Scalar, lanes, load, store,
// loadu_masked...) and instantiated by blas1_avx2.cpp and blas1_avx512.cpp. Four accumulators hide
// the FMA latency; the tail is done in scalar code so any n works.
#include <cstdint>

namespace kprof::targets::simd {

template <class Ops>
typename Ops::Scalar dot(const typename Ops::Scalar* x, const typename Ops::Scalar* y, std::int64_t n) {
  using Vec = typename Ops::Vec;
  constexpr std::int64_t L = Ops::lanes;
  Vec a0 = Ops::zero(), a1 = Ops::zero(), a2 = Ops::zero(), a3 = Ops::zero();
  std::int64_t i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    a0 = Ops::fma(Ops::load(x + i), Ops::load(y + i), a0);
    a1 = Ops::fma(Ops::load(x + i + L), Ops::load(y + i + L), a1);
    a2 = Ops::fma(Ops::load(x + i + 2 * L), Ops::load(y + i + 2 * L), a2);
    a3 = Ops::fma(Ops::load(x + i + 3 * L), Ops::load(y + i + 3 * L), a3);
  }
  for (; i + L <= n; i += L) a0 = Ops::fma(Ops::load(x + i), Ops::load(y + i), a0);
  typename Ops::Scalar sum = Ops::reduce(Ops::add(Ops::add(a0, a1), Ops::add(a2, a3)));
  for (; i < n; ++i) sum += x[i] * y[i];
  return sum;
}

template <class Ops>
void axpy(typename Ops::Scalar a, const typename Ops::Scalar* x, typename Ops::Scalar* y, std::int64_t n) {
  constexpr std::int64_t L = Ops::lanes;
  const auto va = Ops::set1(a);
  std::int64_t i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    Ops::store(y + i, Ops::fma(va, Ops::load(x + i), Ops::load(y + i)));
    Ops::store(y + i + L, Ops::fma(va, Ops::load(x + i + L), Ops::load(y + i + L)));
  }
  for (; i + L <= n; i += L) Ops::store(y + i, Ops::fma(va, Ops::load(x + i), Ops::load(y + i)));
  for (; i < n; ++i) y[i] += a * x[i];
}

}  // namespace kprof::targets::simd
