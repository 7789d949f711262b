// traverse-simd-avx2: forest_simd.h with AVX2 gathers (8 floats or 4 doubles per vector; the node
// indices are 32-bit lanes, an xmm of them for doubles).
#include <immintrin.h>

#include "forest_kernels.h"
#include "forest_simd.h"

namespace kprof::targets::forest {
namespace {

struct F32 {
  using Scalar = float;
  using Vec = __m256;
  using Idx = __m256i;
  static constexpr std::int64_t lanes = 8;
  static constexpr std::int64_t top_nodes = 8;  // one ymm of thresholds, one of features: levels 0-2
  struct Top {
    __m256i feature;
    __m256 threshold;
  };
  static Top load_top(const std::int32_t* feature, const float* threshold, std::int64_t internal) {
    const simd::TopNodes<F32, float> top(feature, threshold, internal);
    return {_mm256_load_si256(reinterpret_cast<const __m256i*>(top.feature)), _mm256_load_ps(top.threshold)};
  }
  static Idx top_feature(const Top& top, Idx i) { return _mm256_permutevar8x32_epi32(top.feature, i); }
  static Vec top_threshold(const Top& top, Idx i) { return _mm256_permutevar8x32_ps(top.threshold, i); }
  static Idx row_offsets(std::int64_t features) {
    return _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(static_cast<int>(features)));
  }
  static Idx zero_index() { return _mm256_setzero_si256(); }
  static Idx gather_index(const std::int32_t* base, Idx i) { return _mm256_i32gather_epi32(base, i, 4); }
  static Vec gather(const float* base, Idx i) { return _mm256_i32gather_ps(base, i, 4); }
  static Idx offset(Idx a, Idx b) { return _mm256_add_epi32(a, b); }
  // 2i+1, plus 1 where x > threshold: the compare's all-ones lanes are -1.
  static Idx child(Idx i, Vec x, Vec threshold) {
    const Idx left = _mm256_add_epi32(_mm256_add_epi32(i, i), _mm256_set1_epi32(1));
    return _mm256_sub_epi32(left, _mm256_castps_si256(_mm256_cmp_ps(x, threshold, _CMP_GT_OQ)));
  }
  static Idx leaf(Idx i, std::int64_t internal) {
    return _mm256_sub_epi32(i, _mm256_set1_epi32(static_cast<int>(internal)));
  }
  static Vec zero() { return _mm256_setzero_ps(); }
  static Vec set1(float a) { return _mm256_set1_ps(a); }
  static Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
  static Vec div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
  static void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
};

struct F64 {
  using Scalar = double;
  using Vec = __m256d;
  using Idx = __m128i;
  static constexpr std::int64_t lanes = 4;
  static constexpr std::int64_t top_nodes = 4;  // one ymm of thresholds, one xmm of features: levels 0-1
  struct Top {
    __m128i feature;
    __m256d threshold;
  };
  static Top load_top(const std::int32_t* feature, const double* threshold, std::int64_t internal) {
    const simd::TopNodes<F64, double> top(feature, threshold, internal);
    return {_mm_load_si128(reinterpret_cast<const __m128i*>(top.feature)), _mm256_load_pd(top.threshold)};
  }
  // Four 32-bit lanes from four: the feature lookup widened to a ymm permute and narrowed back.
  static Idx top_feature(const Top& top, Idx i) {
    return _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(top.feature), _mm256_castsi128_si256(i)));
  }
  // A double is two floats: node j's are floats 2j and 2j+1 of the register.
  static Vec top_threshold(const Top& top, Idx i) {
    const __m256i pairs = _mm256_cvtepi32_epi64(i);
    const __m256i floats =
        _mm256_or_si256(_mm256_slli_epi64(pairs, 1),
                        _mm256_slli_epi64(_mm256_add_epi64(_mm256_slli_epi64(pairs, 1), _mm256_set1_epi64x(1)), 32));
    return _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(top.threshold), floats));
  }
  static Idx row_offsets(std::int64_t features) {
    return _mm_mullo_epi32(_mm_setr_epi32(0, 1, 2, 3), _mm_set1_epi32(static_cast<int>(features)));
  }
  static Idx zero_index() { return _mm_setzero_si128(); }
  static Idx gather_index(const std::int32_t* base, Idx i) { return _mm_i32gather_epi32(base, i, 4); }
  static Vec gather(const double* base, Idx i) { return _mm256_i32gather_pd(base, i, 8); }
  static Idx offset(Idx a, Idx b) { return _mm_add_epi32(a, b); }
  static Idx child(Idx i, Vec x, Vec threshold) {
    const Idx left = _mm_add_epi32(_mm_add_epi32(i, i), _mm_set1_epi32(1));
    // The 64-bit compare lanes narrowed to 32 bits: their low halves, in order.
    const __m256i wide = _mm256_castpd_si256(_mm256_cmp_pd(x, threshold, _CMP_GT_OQ));
    const __m128i right =
        _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(wide, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
    return _mm_sub_epi32(left, right);
  }
  static Idx leaf(Idx i, std::int64_t internal) { return _mm_sub_epi32(i, _mm_set1_epi32(static_cast<int>(internal))); }
  static Vec zero() { return _mm256_setzero_pd(); }
  static Vec set1(double a) { return _mm256_set1_pd(a); }
  static Vec add(Vec a, Vec b) { return _mm256_add_pd(a, b); }
  static Vec div(Vec a, Vec b) { return _mm256_div_pd(a, b); }
  static void store(double* p, Vec v) { _mm256_storeu_pd(p, v); }
};

}  // namespace

template <>
void predict_avx2(const PredictTask<float>& t) {
  simd::predict_rows<F32>(t);
}
template <>
void predict_avx2(const PredictTask<double>& t) {
  simd::predict_rows<F64>(t);
}

}  // namespace kprof::targets::forest
