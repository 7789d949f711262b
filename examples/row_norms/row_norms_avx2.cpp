// AVX2 + FMA row norms: compiled with -mavx2 -mfma (the AVX2 list of kprof_add_kernels) and run
// only on CPUs that have them (the variant says .isa = kprof::Isa::avx2).
#include <immintrin.h>

#include <cmath>

#include "row_norms.h"

template <>
void row_norms_avx2(const float* x, float* out, std::size_t rows, std::size_t cols) {
  for (std::size_t i = 0; i < rows; ++i) {
    const float* row = x + i * cols;
    __m256 acc = _mm256_setzero_ps();
    std::size_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      __m256 v = _mm256_loadu_ps(row + j);
      acc = _mm256_fmadd_ps(v, v, acc);
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, acc);
    float sum = 0;
    for (float lane : lanes) sum += lane;
    for (; j < cols; ++j) sum += row[j] * row[j];
    out[i] = std::sqrt(sum);
  }
}

template <>
void row_norms_avx2(const double* x, double* out, std::size_t rows, std::size_t cols) {
  for (std::size_t i = 0; i < rows; ++i) {
    const double* row = x + i * cols;
    __m256d acc = _mm256_setzero_pd();
    std::size_t j = 0;
    for (; j + 4 <= cols; j += 4) {
      __m256d v = _mm256_loadu_pd(row + j);
      acc = _mm256_fmadd_pd(v, v, acc);
    }
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, acc);
    double sum = 0;
    for (double lane : lanes) sum += lane;
    for (; j < cols; ++j) sum += row[j] * row[j];
    out[i] = std::sqrt(sum);
  }
}
