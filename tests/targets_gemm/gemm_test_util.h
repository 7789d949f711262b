#pragma once
// Shared helpers of the gemm tests: one GEMM implementation behind a common signature, problem
// data with arbitrary leading dimensions, and the error against the reference.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "gemm_kernels.h"
#include "kprof/kprof.h"

namespace kprof::test {

template <class T>
using GemmFn = std::function<void(std::int64_t, std::int64_t, std::int64_t, const T*, std::int64_t, const T*,
                                  std::int64_t, T*, std::int64_t)>;

template <class T>
struct Impl {
  std::string name;
  Isa isa;
  GemmFn<T> fn;
};

// Every implementation of the family, the threaded one with an awkward thread count.
template <class T>
std::vector<Impl<T>> all_impls() {
  using namespace kprof::targets;
  return {
      {"scalar", Isa::baseline, [](auto... a) { gemm_scalar<T>(a...); }},
      {"simd-avx2", Isa::avx2, [](auto... a) { gemm_avx2<T>(a...); }},
      {"simd-avx512", Isa::avx512, [](auto... a) { gemm_avx512<T>(a...); }},
      {"simd-avx512-threads(3)", Isa::avx512, [](auto... a) { gemm_avx512_threads<T>(a..., 3); }},
      {"blas", Isa::baseline, [](auto... a) { gemm_blas<T>(a...); }},
      {"eigen", Isa::avx512, [](auto... a) { gemm_eigen<T>(a...); }},
  };
}

// The tolerance the family registers: what the tests hold every implementation to.
template <class T>
double family_tolerance() {
  const FamilyRecord* gemm = registry().find("gemm");
  if (!gemm) return 0;  // makes every comparison fail: the family must be registered
  // gemm registers one tolerance per dtype (no size rule), so any size gives it.
  return gemm->tolerance(Size(), std::is_same_v<T, float> ? DType::f32 : DType::f64);
}

// A, B and C for one shape with leading dimensions >= the row lengths. C's padding columns and
// every element start as a sentinel, so a kernel that writes outside m×n (or leaves an element
// unwritten) shows up.
template <class T>
struct GemmCase {
  GemmCase(std::int64_t m_, std::int64_t n_, std::int64_t k_, std::int64_t pad_a = 0, std::int64_t pad_b = 0,
           std::int64_t pad_c = 0)
      : m(m_), n(n_), k(k_), lda(k_ + pad_a), ldb(n_ + pad_b), ldc(n_ + pad_c), a(m * lda), b(k * ldb) {
    fill_uniform(std::span<T>(a), 101);
    fill_uniform(std::span<T>(b), 102);
  }
  std::vector<T> fresh_c() const { return std::vector<T>(static_cast<std::size_t>(m * ldc), kSentinel); }

  // Runs `fn` and returns its normwise relative error against the reference; fails the test when
  // an element outside C's m×n window changed.
  double error_of(const GemmFn<T>& fn) const {
    std::vector<T> ref = fresh_c(), out = fresh_c();
    targets::gemm_reference<T>(m, n, k, a.data(), lda, b.data(), ldb, ref.data(), ldc);
    fn(m, n, k, a.data(), lda, b.data(), ldb, out.data(), ldc);
    std::vector<T> ref_packed, out_packed;
    for (std::int64_t i = 0; i < m; ++i) {
      for (std::int64_t j = 0; j < ldc; ++j) {
        const T got = out[i * ldc + j];
        if (j < n) {
          ref_packed.push_back(ref[i * ldc + j]);
          out_packed.push_back(got);
        } else if (got != kSentinel) {
          ADD_FAILURE() << "wrote C[" << i << "][" << j << "] outside the " << m << "x" << n << " window";
          return std::numeric_limits<double>::infinity();
        }
      }
    }
    const DType dtype = std::is_same_v<T, float> ? DType::f32 : DType::f64;
    return max_rel_error({out_packed.data(), out_packed.size(), dtype}, {ref_packed.data(), ref_packed.size(), dtype});
  }

  static constexpr T kSentinel = T(-12345.5);
  std::int64_t m, n, k, lda, ldb, ldc;
  std::vector<T> a, b;
};

}  // namespace kprof::test
