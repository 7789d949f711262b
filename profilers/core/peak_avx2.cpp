// FMA probe at AVX2 (ymm registers), on the vector operations the families' AVX2 kernels use.
#include "kprof/simd/avx2.h"
#include "peak_fma.h"

namespace kprof::peak {

double fma_f64_avx2(std::int64_t iterations) { return fma_probe<simd::avx2::F64>(iterations); }
float fma_f32_avx2(std::int64_t iterations) { return fma_probe<simd::avx2::F32>(iterations); }

}  // namespace kprof::peak
