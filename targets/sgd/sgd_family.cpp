// sgd: logistic regression trained by mini-batch SGD on a CSV, as in the seed's "fit vs
// partial_fit on a 20M-row CSV" (../shared/seeds/003_*). Two ways to feed the same algorithm:
//   full-*     load the whole CSV into one matrix (vector growth and all), then fit
//   chunked-*  stream `chunk` rows at a time and call a partial_fit-style update on each chunk
// and three gradient steps: scalar, AVX-512 intrinsics, BLAS gemv. Both ways visit the same rows
// in the same mini-batches, so full and chunked models agree to rounding; `kprof mem` shows the
// peak difference and `kprof run` the speed difference.
#include <algorithm>
#include <span>
#include <vector>

#include "kprof/errors.h"
#include "kprof/kprof.h"
#include "sgd_data.h"
#include "sgd_kernels.h"

namespace kprof::targets {
namespace {

template <class T>
using StepFn = void (*)(const T*, const T*, std::int64_t, std::int64_t, T, T*, T*, T*);

template <class T>
struct SgdProblem {
  explicit SgdProblem(const Size& s)
      : rows(s["rows"]), d(s["features"]), batch(s["batch"]), csv(sgd_csv(rows, d)), w(d + 1) {
    // A chunk holds whole mini-batches, so chunked and full fits see the same batches.
    chunk = std::max<std::int64_t>(batch, s["chunk"] / batch * batch);
  }
  std::span<const T> output() const { return w; }  // d weights, then the bias

  // partial_fit: one pass of mini-batch steps over the rows given.
  void partial_fit(const std::vector<T>& x, const std::vector<T>& y, std::int64_t n, StepFn<T> step) {
    scratch.resize(static_cast<std::size_t>(batch));
    for (std::int64_t i = 0; i < n; i += batch) {
      std::int64_t m = std::min(batch, n - i);
      step(x.data() + i * d, y.data() + i, m, d, lr, w.data(), w.data() + d, scratch.data());
    }
  }

  void fit_full(StepFn<T> step) {
    std::fill(w.begin(), w.end(), T(0));
    CsvReader reader(csv, d);
    std::vector<T> x, y;  // grown row by row, as a loader that does not know the row count would
    std::int64_t n = reader.read<T>(rows, x, y);
    partial_fit(x, y, n, step);
  }

  void fit_chunked(StepFn<T> step) {
    std::fill(w.begin(), w.end(), T(0));
    CsvReader reader(csv, d);
    std::vector<T> x, y;
    x.reserve(static_cast<std::size_t>(chunk * d));
    y.reserve(static_cast<std::size_t>(chunk));
    for (;;) {
      x.clear();
      y.clear();
      std::int64_t n = reader.read<T>(chunk, x, y);
      if (n == 0) break;
      partial_fit(x, y, n, step);
    }
  }

  std::int64_t rows, d, batch, chunk = 0;
  std::filesystem::path csv;
  T lr = T(0.5);
  std::vector<T> w;
  std::vector<T> scratch;
};

// The reference: full load, the plain step, accumulated in long double.
template <class T>
void reference_fit(SgdProblem<T>& p) {
  CsvReader reader(p.csv, p.d);
  std::vector<T> x, y;
  std::int64_t n = reader.read<T>(p.rows, x, y);
  std::vector<long double> w(p.d + 1, 0.0L), r(p.batch);
  for (std::int64_t i0 = 0; i0 < n; i0 += p.batch) {
    std::int64_t m = std::min(p.batch, n - i0);
    for (std::int64_t i = 0; i < m; ++i) {
      long double z = w[p.d];
      for (std::int64_t j = 0; j < p.d; ++j) z += static_cast<long double>(x[(i0 + i) * p.d + j]) * w[j];
      r[i] = 1.0L / (1.0L + std::exp(-z)) - y[i0 + i];
    }
    long double step = static_cast<long double>(p.lr) / m, gb = 0;
    for (std::int64_t i = 0; i < m; ++i) gb += r[i];
    for (std::int64_t j = 0; j < p.d; ++j) {
      long double g = 0;
      for (std::int64_t i = 0; i < m; ++i) g += static_cast<long double>(x[(i0 + i) * p.d + j]) * r[i];
      w[j] -= step * g;
    }
    w[p.d] -= step * gb;
  }
  for (std::int64_t j = 0; j <= p.d; ++j) p.w[j] = static_cast<T>(w[j]);
}

}  // namespace

KPROF_FAMILY(sgd, SgdProblem)
    .describe("logistic regression by SGD on a CSV: full load then fit vs chunked partial_fit")
    .param({.name = "rows", .default_value = 100000, .min = 1, .max = std::int64_t{1} << 32, .help = "CSV rows"})
    .param({.name = "features",
            .default_value = 8,
            .min = 1,
            .max = 1024,
            .help = "columns before the label",
            .is_shape = false})
    .param({.name = "chunk", .default_value = 10000, .min = 1, .help = "rows per chunk (chunked-*)", .is_shape = false})
    .param({.name = "batch",
            .default_value = 32,
            .min = 1,
            .max = 1 << 20,
            .help = "rows per SGD step",
            .is_shape = false})
    .default_sizes({"rows=100000"})
    // Per row: z (2d) and the gradient (2d), plus parsing d+1 numbers (not counted as FLOPs).
    .flops([](const Size& s) { return 4.0 * s["rows"] * s["features"]; })
    .bytes([](const Size& s, std::size_t e) { return (s["features"] + 1.0) * s["rows"] * e; })
    // SGD over 1e5 rows amplifies rounding differences of the summation order a little:
    // f32 variants stay within 1e-4 of the long-double reference, f64 within 1e-10 (measured:
    // 7e-7 and 1e-15 at 20000 rows).
    .tolerance(1e-4, 1e-10)
    .reference([](auto& p) { reference_fit(p); })
    .variant({.name = "full-scalar", .kind = Kind::scalar, .note = "load everything, then fit"},
             [](auto& p) { p.fit_full(&sgd_step_scalar); })
    .variant({.name = "full-simd-avx512", .kind = Kind::simd, .isa = Isa::avx512},
             [](auto& p) { p.fit_full(&sgd_step_avx512); })
    .variant({.name = "full-blas", .kind = Kind::blas}, [](auto& p) { p.fit_full(&sgd_step_blas); })
    .variant({.name = "chunked-scalar", .kind = Kind::scalar, .note = "stream chunks, partial_fit each"},
             [](auto& p) { p.fit_chunked(&sgd_step_scalar); })
    .variant({.name = "chunked-simd-avx512", .kind = Kind::simd, .isa = Isa::avx512},
             [](auto& p) { p.fit_chunked(&sgd_step_avx512); })
    .variant({.name = "chunked-blas", .kind = Kind::blas}, [](auto& p) { p.fit_chunked(&sgd_step_blas); });

}  // namespace kprof::targets
