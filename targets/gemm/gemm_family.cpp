// gemm: C = A·B, row-major, the compute-bound end of the roofline. The family compares a plain
// loop nest, packed and register-blocked SIMD kernels (AVX2, AVX-512, and AVX-512 on threads),
// OpenBLAS and Eigen on the same problem, so a user sees how far each is from the machine's peak.
#include <limits>
#include <span>
#include <vector>

#include "gemm_kernels.h"
#include "kprof/kprof.h"

namespace kprof::targets {
namespace {

template <class T>
struct GemmProblem {
  explicit GemmProblem(const Size& s)
      : m(s["m"]), n(s["n"]), k(s["k"]), a(m * k), b(k * n), c(m * n, std::numeric_limits<T>::quiet_NaN()) {
    fill_uniform(std::span<T>(a), 31);
    fill_uniform(std::span<T>(b), 32);
    // C starts as NaN: a variant that leaves any element unwritten (or reads C instead of
    // overwriting it) fails the check instead of passing on a lucky zero.
  }
  std::span<const T> output() const { return c; }
  // Every variant goes through the BLAS-style signature, with packed leading dimensions.
  template <class Fn>
  void call(Fn fn) {
    fn(m, n, k, a.data(), k, b.data(), n, c.data(), n);
  }
  std::int64_t m, n, k;
  std::vector<T> a, b, c;
};

}  // namespace

// Default sizes: a square problem that leaves the caches behind, and a rectangular one with
// edge tiles in every dimension; the whole family's default run stays well under a minute.
KPROF_FAMILY(gemm, GemmProblem)
    .describe("C = A·B, row-major (BLAS level 3, compute-bound)")
    .param({.name = "m", .default_value = 512, .max = 1 << 16, .help = "rows of A and C"})
    .param({.name = "n", .default_value = 512, .max = 1 << 16, .help = "columns of B and C"})
    .param({.name = "k", .default_value = 512, .max = 1 << 16, .help = "columns of A, rows of B"})
    .default_sizes({"512", "1000x300x700"})
    // Odd tails for kprof's correctness suite; 1000 appears in every position, but a cube of 1000
    // would make the plain reference take seconds per check.
    .test_sizes({"1", "7", "33", "1000x33x7", "7x1000x33", "33x7x1000", "257x129x65"})
    .flops([](const Size& s) { return 2.0 * s["m"] * s["n"] * s["k"]; })
    .bytes([](const Size& s, std::size_t e) {
      // Compulsory traffic: read A and B once, read and write C once.
      return (1.0 * s["m"] * s["k"] + 1.0 * s["k"] * s["n"] + 2.0 * s["m"] * s["n"]) * e;
    })
    // Normwise error grows like sqrt(k)·eps for a correct GEMM (about 1e-6 in f32 and 1e-15 in f64
    // at k = 4096 with these inputs); one dropped term of the sum already costs about 1/sqrt(k).
    .tolerance(5e-5, 1e-12)
    .reference([](auto& p) { p.call([](auto... args) { gemm_reference(args...); }); })
    .variant({.name = "scalar", .kind = Kind::scalar, .note = "i-k-j loops, as first written"},
             [](auto& p) { p.call([](auto... args) { gemm_scalar(args...); }); })
    .variant({.name = "simd-avx2", .kind = Kind::simd, .isa = Isa::avx2, .note = "packed, 6x2-vector micro-tile"},
             [](auto& p) { p.call([](auto... args) { gemm_avx2(args...); }); })
    .variant({.name = "simd-avx512", .kind = Kind::simd, .isa = Isa::avx512, .note = "packed, 8x3-vector micro-tile"},
             [](auto& p) { p.call([](auto... args) { gemm_avx512(args...); }); })
    .variant({.name = "simd-avx512-threads",
              .kind = Kind::simd,
              .isa = Isa::avx512,
              .note = "simd-avx512 on --threads std::threads, one block of C's columns each",
              .threaded = true},
             [](auto& p) { p.call([](auto... args) { gemm_avx512_threads(args..., current_threads()); }); })
    .variant({.name = "blas", .kind = Kind::blas}, [](auto& p) { p.call([](auto... args) { gemm_blas(args...); }); })
    .variant({.name = "eigen", .kind = Kind::eigen, .isa = gemm_eigen_isa(), .code_path = gemm_eigen_code_path},
             [](auto& p) { p.call([](auto... args) { gemm_eigen(args...); }); });

}  // namespace kprof::targets
