// FMA probe at AVX-512: 24 zmm accumulators cover 4-cycle latency on two FMA ports.
#include <immintrin.h>

#include "peak_fma.h"

namespace kprof::peak {
namespace {
struct F64 {
  using Vec = __m512d;
  using Scalar = double;
  static Vec set1(Scalar x) { return _mm512_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_pd(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
};
struct F32 {
  using Vec = __m512;
  using Scalar = float;
  static Vec set1(Scalar x) { return _mm512_set1_ps(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
};
}  // namespace

double fma_f64_avx512(std::int64_t iterations) { return fma_probe<F64>(iterations); }
float fma_f32_avx512(std::int64_t iterations) { return fma_probe<F32>(iterations); }

}  // namespace kprof::peak
