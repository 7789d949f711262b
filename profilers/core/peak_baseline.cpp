// Peak probe at the x86-64 baseline. SSE2 has no FMA: a multiply and an add, the two FLOPs they are.
#include <immintrin.h>

#include "peak_fma.h"

namespace kprof::peak {
namespace {
struct F64 {
  using Vec = __m128d;
  using Scalar = double;
  static Vec set1(Scalar x) { return _mm_set1_pd(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
  static Vec add(Vec a, Vec b) { return _mm_add_pd(a, b); }
};
struct F32 {
  using Vec = __m128;
  using Scalar = float;
  static Vec set1(Scalar x) { return _mm_set1_ps(x); }
  static Vec fma(Vec a, Vec b, Vec c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
  static Vec add(Vec a, Vec b) { return _mm_add_ps(a, b); }
};
}  // namespace

double fma_f64_baseline(std::int64_t iterations) { return fma_probe<F64>(iterations); }
float fma_f32_baseline(std::int64_t iterations) { return fma_probe<F32>(iterations); }

}  // namespace kprof::peak
