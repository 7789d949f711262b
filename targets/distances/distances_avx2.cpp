// The direct formulation with AVX2 + FMA (ymm registers: 4 doubles or 8 floats per vector).
#include <immintrin.h>

#include "distances_kernels.h"
#include "distances_simd.h"
#include "kprof/simd/avx2.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx2::F32;
using kprof::simd::avx2::F64;

}  // namespace

template <>
void pack_centroids_avx2(const DistancesTask<float>& t) {
  simd::pack_centroids<F32>(t);
}
template <>
void pack_centroids_avx2(const DistancesTask<double>& t) {
  simd::pack_centroids<F64>(t);
}
template <>
void assign_rows_avx2(const DistancesTask<float>& t) {
  simd::assign_rows<F32>(t);
}
template <>
void assign_rows_avx2(const DistancesTask<double>& t) {
  simd::assign_rows<F64>(t);
}

}  // namespace kprof::targets
