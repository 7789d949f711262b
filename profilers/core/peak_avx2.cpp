// FMA probe at AVX2 (ymm registers).
#include <immintrin.h>

#include "peak_fma.h"

namespace kprof::peak {
namespace {
struct F64 {
  using Vec = __m256d;
  using Scalar = double;
  static Vec set1(Scalar x) { return _mm256_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_pd(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
};
struct F32 {
  using Vec = __m256;
  using Scalar = float;
  static Vec set1(Scalar x) { return _mm256_set1_ps(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
};
}  // namespace

double fma_f64_avx2(std::int64_t iterations) { return fma_probe<F64>(iterations); }
float fma_f32_avx2(std::int64_t iterations) { return fma_probe<F32>(iterations); }

}  // namespace kprof::peak
