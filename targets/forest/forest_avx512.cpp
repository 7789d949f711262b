// traverse-simd-avx512: forest_simd.h with AVX-512 gathers (16 floats or 8 doubles per vector; the
// compare is a mask register that adds 1 to the lanes going right).
#include <immintrin.h>

#include "forest_kernels.h"
#include "forest_simd.h"

namespace kprof::targets::forest {
namespace {

struct F32 {
  using Scalar = float;
  using Vec = __m512;
  using Idx = __m512i;
  static constexpr std::int64_t lanes = 16;
  static constexpr std::int64_t top_nodes = 16;  // one zmm of thresholds, one of features: levels 0-3
  struct Top {
    __m512i feature;
    __m512 threshold;
  };
  static Top load_top(const std::int32_t* feature, const float* threshold, std::int64_t internal) {
    const simd::TopNodes<F32, float> top(feature, threshold, internal);
    return {_mm512_load_si512(top.feature), _mm512_load_ps(top.threshold)};
  }
  static Idx top_feature(const Top& top, Idx i) { return _mm512_permutexvar_epi32(i, top.feature); }
  static Vec top_threshold(const Top& top, Idx i) { return _mm512_permutexvar_ps(i, top.threshold); }
  static Idx row_offsets(std::int64_t features) {
    return _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                              _mm512_set1_epi32(static_cast<int>(features)));
  }
  static Idx zero_index() { return _mm512_setzero_si512(); }
  static Idx gather_index(const std::int32_t* base, Idx i) { return _mm512_i32gather_epi32(i, base, 4); }
  static Vec gather(const float* base, Idx i) { return _mm512_i32gather_ps(i, base, 4); }
  static Idx offset(Idx a, Idx b) { return _mm512_add_epi32(a, b); }
  static Idx child(Idx i, Vec x, Vec threshold) {
    const Idx left = _mm512_add_epi32(_mm512_add_epi32(i, i), _mm512_set1_epi32(1));
    const __mmask16 right = _mm512_cmp_ps_mask(x, threshold, _CMP_GT_OQ);
    return _mm512_mask_add_epi32(left, right, left, _mm512_set1_epi32(1));
  }
  static Idx leaf(Idx i, std::int64_t internal) {
    return _mm512_sub_epi32(i, _mm512_set1_epi32(static_cast<int>(internal)));
  }
  static Vec zero() { return _mm512_setzero_ps(); }
  static Vec set1(float a) { return _mm512_set1_ps(a); }
  static Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm512_div_ps(a, b); }
  static void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
};

struct F64 {
  using Scalar = double;
  using Vec = __m512d;
  using Idx = __m256i;
  static constexpr std::int64_t lanes = 8;
  static constexpr std::int64_t top_nodes = 8;  // one zmm of thresholds, one ymm of features: levels 0-2
  struct Top {
    __m256i feature;
    __m512d threshold;
  };
  static Top load_top(const std::int32_t* feature, const double* threshold, std::int64_t internal) {
    const simd::TopNodes<F64, double> top(feature, threshold, internal);
    return {_mm256_load_si256(reinterpret_cast<const __m256i*>(top.feature)), _mm512_load_pd(top.threshold)};
  }
  static Idx top_feature(const Top& top, Idx i) { return _mm256_permutevar8x32_epi32(top.feature, i); }
  static Vec top_threshold(const Top& top, Idx i) {
    return _mm512_permutexvar_pd(_mm512_cvtepi32_epi64(i), top.threshold);
  }
  static Idx row_offsets(std::int64_t features) {
    return _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(static_cast<int>(features)));
  }
  static Idx zero_index() { return _mm256_setzero_si256(); }
  static Idx gather_index(const std::int32_t* base, Idx i) { return _mm256_i32gather_epi32(base, i, 4); }
  static Vec gather(const double* base, Idx i) { return _mm512_i32gather_pd(i, base, 8); }
  static Idx offset(Idx a, Idx b) { return _mm256_add_epi32(a, b); }
  static Idx child(Idx i, Vec x, Vec threshold) {
    const Idx left = _mm256_add_epi32(_mm256_add_epi32(i, i), _mm256_set1_epi32(1));
    const __mmask8 right = _mm512_cmp_pd_mask(x, threshold, _CMP_GT_OQ);
    return _mm256_mask_add_epi32(left, right, left, _mm256_set1_epi32(1));
  }
  static Idx leaf(Idx i, std::int64_t internal) {
    return _mm256_sub_epi32(i, _mm256_set1_epi32(static_cast<int>(internal)));
  }
  static Vec zero() { return _mm512_setzero_pd(); }
  static Vec set1(double a) { return _mm512_set1_pd(a); }
  static Vec add(Vec a, Vec b) { return _mm512_add_pd(a, b); }
  static Vec div(Vec a, Vec b) { return _mm512_div_pd(a, b); }
  static void store(double* p, Vec v) { _mm512_storeu_pd(p, v); }
};

}  // namespace

template <>
void predict_avx512(const PredictTask<float>& t) {
  simd::predict_rows<F32>(t);
}
template <>
void predict_avx512(const PredictTask<double>& t) {
  simd::predict_rows<F64>(t);
}
}  // namespace kprof::targets::forest
