#pragma once
// Throughput probes behind kprof::machine_peak(), one translation unit per ISA (private to core).
#include <cstdint>

namespace kprof::peak {

// Runs `iterations` rounds of independent FMAs on enough accumulators to cover FMA latency x ports;
// returns a value that depends on every accumulator so the work cannot be optimised away.
double fma_f64_avx512(std::int64_t iterations);
float fma_f32_avx512(std::int64_t iterations);
double fma_f64_avx2(std::int64_t iterations);
float fma_f32_avx2(std::int64_t iterations);
double fma_f64_baseline(std::int64_t iterations);
float fma_f32_baseline(std::int64_t iterations);

// FLOPs done per iteration by each probe.
inline constexpr int kAccumulators = 24;
inline constexpr double flops_per_iteration(int lanes) { return 2.0 * lanes * kAccumulators; }

}  // namespace kprof::peak
