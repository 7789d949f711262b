// The direct formulation with AVX-512 (zmm registers: 8 doubles or 16 floats per vector).
#include <immintrin.h>

#include "distances_kernels.h"
#include "distances_simd.h"
#include "kprof/simd/avx512.h"

namespace kprof::targets {
namespace {

using kprof::simd::avx512::F32;
using kprof::simd::avx512::F64;

}  // namespace

template <>
void pack_centroids_avx512(const DistancesTask<float>& t) {
  simd::pack_centroids<F32>(t);
}
template <>
void pack_centroids_avx512(const DistancesTask<double>& t) {
  simd::pack_centroids<F64>(t);
}
template <>
void assign_rows_avx512(const DistancesTask<float>& t) {
  simd::assign_rows<F32>(t);
}
template <>
void assign_rows_avx512(const DistancesTask<double>& t) {
  simd::assign_rows<F64>(t);
}

}  // namespace kprof::targets
