// dot and axpy with AVX-512 (zmm registers).
#include <immintrin.h>

#include "blas1_kernels.h"
#include "blas1_simd.h"
#include "kprof/simd/avx512.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx512::F32;
using kprof::simd::avx512::F64;

}  // namespace

template <>
float dot_avx512(const float* x, const float* y, std::int64_t n) {
  return simd::dot<F32>(x, y, n);
}
template <>
double dot_avx512(const double* x, const double* y, std::int64_t n) {
  return simd::dot<F64>(x, y, n);
}
template <>
void axpy_avx512(float a, const float* x, float* y, std::int64_t n) {
  simd::axpy<F32>(a, x, y, n);
}
template <>
void axpy_avx512(double a, const double* x, double* y, std::int64_t n) {
  simd::axpy<F64>(a, x, y, n);
}

}  // namespace kprof::targets
