// dot and axpy: BLAS level 1, the memory-bound end of the roofline. Their GB/s against the
// machine's STREAM triad shows how close a variant gets to what memory can deliver.
#include <cblas.h>

#include <span>
#include <vector>

#include "blas1_kernels.h"
#include "kprof/kprof.h"

namespace kprof::targets {
namespace {

template <class T>
struct DotProblem {
  explicit DotProblem(const Size& s) : x(s["n"]), y(s["n"]) {
    // Positive inputs keep the sum well conditioned, so the error column measures the variant's
    // accumulation order, not cancellation in the data.
    fill_uniform(std::span<T>(x), 11, 0.5, 1.5);
    fill_uniform(std::span<T>(y), 12, 0.5, 1.5);
  }
  std::span<const T> output() const { return {&result, 1}; }
  std::int64_t n() const { return static_cast<std::int64_t>(x.size()); }
  std::vector<T> x, y;
  T result{};
};

template <class T>
struct AxpyProblem {
  explicit AxpyProblem(const Size& s) : x(s["n"]), y(s["n"]) {
    fill_uniform(std::span<T>(x), 21);
    fill_uniform(std::span<T>(y), 22);
  }
  std::span<const T> output() const { return y; }
  std::int64_t n() const { return static_cast<std::int64_t>(x.size()); }
  std::vector<T> x, y;
  T a = static_cast<T>(0.5);
};

template <class T>
T blas_dot(const T* x, const T* y, std::int64_t n) {
  if constexpr (std::is_same_v<T, float>)
    return cblas_sdot(static_cast<blasint>(n), x, 1, y, 1);
  else
    return cblas_ddot(static_cast<blasint>(n), x, 1, y, 1);
}

template <class T>
void blas_axpy(T a, const T* x, T* y, std::int64_t n) {
  if constexpr (std::is_same_v<T, float>)
    cblas_saxpy(static_cast<blasint>(n), a, x, 1, y, 1);
  else
    cblas_daxpy(static_cast<blasint>(n), a, x, 1, y, 1);
}

const std::vector<std::string> kSizes = {"4096", "4194304"};  // in L1, and far beyond the caches

}  // namespace

KPROF_FAMILY(dot, DotProblem)
    .describe("dot product x·y (BLAS level 1, memory-bound)")
    .param({.name = "n", .default_value = 1 << 20, .help = "vector length"})
    .default_sizes(kSizes)
    .flops([](const Size& s) { return 2.0 * s["n"]; })
    .bytes([](const Size& s, std::size_t e) { return 2.0 * s["n"] * e; })
    .tolerance(1e-3, 1e-10)
    .reference([](auto& p) {
      long double sum = 0;  // the reference accumulates in extended precision
      for (std::int64_t i = 0; i < p.n(); ++i) sum += static_cast<long double>(p.x[i]) * p.y[i];
      p.result = static_cast<std::decay_t<decltype(p.result)>>(sum);
    })
    .variant({.name = "scalar", .kind = Kind::scalar, .note = "one accumulator, as first written"},
             [](auto& p) { p.result = dot_scalar(p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "simd-avx2", .kind = Kind::simd, .isa = Isa::avx2},
             [](auto& p) { p.result = dot_avx2(p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "simd-avx512", .kind = Kind::simd, .isa = Isa::avx512},
             [](auto& p) { p.result = dot_avx512(p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "blas", .kind = Kind::blas}, [](auto& p) { p.result = blas_dot(p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "eigen", .kind = Kind::eigen, .isa = eigen_isa(), .code_path = eigen_code_path},
             [](auto& p) { p.result = dot_eigen(p.x.data(), p.y.data(), p.n()); });

KPROF_FAMILY(axpy, AxpyProblem)
    .describe("y += a·x (BLAS level 1, memory-bound, in place)")
    .param({.name = "n", .default_value = 1 << 20, .help = "vector length"})
    .default_sizes(kSizes)
    .flops([](const Size& s) { return 2.0 * s["n"]; })
    .bytes([](const Size& s, std::size_t e) { return 3.0 * s["n"] * e; })
    .tolerance(1e-6, 1e-14)
    .reference([](auto& p) {
      for (std::int64_t i = 0; i < p.n(); ++i) p.y[i] = p.y[i] + p.a * p.x[i];
    })
    .variant({.name = "scalar", .kind = Kind::scalar}, [](auto& p) { axpy_scalar(p.a, p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "simd-avx2", .kind = Kind::simd, .isa = Isa::avx2},
             [](auto& p) { axpy_avx2(p.a, p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "simd-avx512", .kind = Kind::simd, .isa = Isa::avx512},
             [](auto& p) { axpy_avx512(p.a, p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "blas", .kind = Kind::blas}, [](auto& p) { blas_axpy(p.a, p.x.data(), p.y.data(), p.n()); })
    .variant({.name = "eigen", .kind = Kind::eigen, .isa = eigen_isa(), .code_path = eigen_code_path},
             [](auto& p) { axpy_eigen(p.a, p.x.data(), p.y.data(), p.n()); });

}  // namespace kprof::targets
