// kprof::machine_peak(): this machine's measured FMA and STREAM-triad peaks, cached per CPU.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/atomic_file.h"
#include "kprof/environment.h"
#include "kprof/errors.h"
#include "kprof/isa.h"
#include "peak_kernels.h"

namespace kprof {
namespace {

using Clock = std::chrono::steady_clock;
volatile double g_sink;  // keeps probe results alive

template <class F>
double best_seconds(int repeats, F&& f) {
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    auto start = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - start).count());
  }
  return best;
}

double fma_gflops(bool f64, Isa isa) {
  const std::int64_t iterations = 20'000'000;  // ~0.1 s per repeat at AVX-512
  int lanes = 0;
  auto probe = [&] {
    switch (isa) {
      case Isa::avx512:
        g_sink = f64 ? peak::fma_f64_avx512(iterations) : peak::fma_f32_avx512(iterations);
        break;
      case Isa::avx2:
        g_sink = f64 ? peak::fma_f64_avx2(iterations) : peak::fma_f32_avx2(iterations);
        break;
      case Isa::baseline:
        g_sink = f64 ? peak::fma_f64_baseline(iterations) : peak::fma_f32_baseline(iterations);
        break;
    }
  };
  int bytes = isa == Isa::avx512 ? 64 : isa == Isa::avx2 ? 32 : 16;
  lanes = bytes / (f64 ? 8 : 4);
  double seconds = best_seconds(5, probe);
  return peak::flops_per_iteration(lanes) * static_cast<double>(iterations) / seconds * 1e-9;
}

// STREAM triad a = b + s*c over arrays far larger than the caches; STREAM's byte count (3 arrays,
// no write-allocate traffic), best of several passes.
double triad_gbps() {
  const std::size_t n = std::size_t{1} << 24;  // 128 MiB per array
  std::unique_ptr<double[]> a(new double[n]), b(new double[n]), c(new double[n]);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = 0;
    b[i] = 1.0;
    c[i] = 2.0;
  }
  const double s = 3.0;
  double seconds = best_seconds(6, [&] {
    double* __restrict pa = a.get();
    const double* __restrict pb = b.get();
    const double* __restrict pc = c.get();
    for (std::size_t i = 0; i < n; ++i) pa[i] = pb[i] + s * pc[i];
  });
  g_sink = a[n / 2];
  return 3.0 * sizeof(double) * static_cast<double>(n) / seconds * 1e-9;
}

std::filesystem::path cache_path() {
  if (const char* dir = std::getenv("KPROF_CACHE_DIR")) return std::filesystem::path(dir) / "peak.json";
  if (const char* xdg = std::getenv("XDG_CACHE_HOME")) return std::filesystem::path(xdg) / "kprof" / "peak.json";
  if (const char* home = std::getenv("HOME")) return std::filesystem::path(home) / ".cache" / "kprof" / "peak.json";
  return std::filesystem::temp_directory_path() / "kprof-peak.json";
}

}  // namespace

MachinePeak machine_peak(bool refresh) {
  Environment env = collect_environment(1);
  Isa isa = widest_supported_isa();
  const std::string key = env.cpu_model + "|" + std::string(to_string(isa));
  const auto path = cache_path();
  nlohmann::json cache = nlohmann::json::object();
  if (std::filesystem::exists(path)) {
    try {
      cache = nlohmann::json::parse(read_file(path));
    } catch (const std::exception&) {
      cache = nlohmann::json::object();  // a corrupt cache is re-measured, never trusted
    }
  }
  if (!refresh && cache.is_object() && cache.contains(key)) {
    try {
      const auto& j = cache.at(key);
      MachinePeak p{j.at("f64_gflops"), j.at("f32_gflops"), j.at("triad_gbps"), j.at("isa"), j.at("measured_at"), true};
      if (p.f64_gflops > 0 && p.f32_gflops > 0 && p.triad_gbps > 0) return p;
    } catch (const std::exception&) {
    }
  }
  MachinePeak p;
  p.isa = std::string(to_string(isa));
  p.f64_gflops = fma_gflops(true, isa);
  p.f32_gflops = fma_gflops(false, isa);
  p.triad_gbps = triad_gbps();
  p.measured_at = utc_now();
  if (!cache.is_object()) cache = nlohmann::json::object();
  cache[key] = {{"f64_gflops", p.f64_gflops},
                {"f32_gflops", p.f32_gflops},
                {"triad_gbps", p.triad_gbps},
                {"isa", p.isa},
                {"measured_at", p.measured_at}};
  try {
    std::filesystem::create_directories(path.parent_path());
    write_file_atomically(path, cache.dump(2) + "\n");
  } catch (const std::exception&) {
    // An unwritable cache only costs a re-measurement next time.
  }
  return p;
}

}  // namespace kprof
