// FMA probe at AVX-512: 24 zmm accumulators cover 4-cycle latency on two FMA ports. The vector
// operations are the ones the families' AVX-512 kernels use.
#include "kprof/simd/avx512.h"
#include "peak_fma.h"

namespace kprof::peak {

double fma_f64_avx512(std::int64_t iterations) { return fma_probe<simd::avx512::F64>(iterations); }
float fma_f32_avx512(std::int64_t iterations) { return fma_probe<simd::avx512::F32>(iterations); }

}  // namespace kprof::peak
