#pragma once
// Projected-gradient NMF's non-negative least-squares subproblem (Lin 2007; scikit-learn's old
// `_nls_subproblem`, the %lprun example of ../shared/seeds/000_*): given V (m x n) and W (m x k),
// find H >= 0 (k x n) minimising ||V - W H||_F, from H_init, by projected gradient with an
// Armijo-style step search. Matrices are column-major.
//
// The problem is made so that every variant must land on the same answer: V = W H_true exactly,
// with H_true >= 0 (a quarter of it zero, so the projection matters) and W close to a block
// matrix (WtW well conditioned), so the minimiser is unique (H_true) and the iteration converges
// fast whatever the rounding of each variant's arithmetic.
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "kprof/kernel.h"

namespace kprof::targets::nmf {

template <class T>
struct NmfProblem {
  explicit NmfProblem(const Size& s) : m(s["m"]), n(s["n"]), k(s["k"]), V(m * n), W(m * k), H_init(k * n), H(k * n) {
    std::vector<T> H_true(k * n), noise(m * k);
    fill_uniform(std::span<T>(noise), 31, 0.0, 0.3);
    for (std::int64_t j = 0; j < k; ++j)
      for (std::int64_t i = 0; i < m; ++i) W[i + j * m] = (i % k == j ? T(1) : T(0)) + noise[i + j * m];
    fill_uniform(std::span<T>(H_true), 32, -0.5, 1.5);
    for (T& h : H_true) h = h < T(0) ? T(0) : h;  // about a quarter exactly zero
    for (std::int64_t c = 0; c < n; ++c)
      for (std::int64_t i = 0; i < m; ++i) {
        double v = 0;
        for (std::int64_t j = 0; j < k; ++j) v += double(W[i + j * m]) * double(H_true[j + c * k]);
        V[i + c * m] = static_cast<T>(v);
      }
    fill_uniform(std::span<T>(H_init), 33, 0.0, 1.0);
    // Like scikit-learn's tolH, tol is relative to the projected gradient at H_init (f32 cannot
    // shrink it as far as f64). Computed here, in setup, so it stays out of the measured region.
    tol = static_cast<T>((sizeof(T) == 4 ? 1e-4 : 1e-9) * initial_projected_gradient());
  }
  std::span<const T> output() const { return H; }
  double initial_projected_gradient() const;

  std::int64_t m, n, k;
  std::vector<T> V, W, H_init, H;
  T tol{};
  int max_iter = 500;
  int n_iter = 0;  // iterations the last call took
};

template <class T>
double NmfProblem<T>::initial_projected_gradient() const {
  std::vector<double> WtW(k * k, 0.0), WtV(k * n, 0.0);
  for (std::int64_t a = 0; a < k; ++a)
    for (std::int64_t b = 0; b < k; ++b)
      for (std::int64_t i = 0; i < m; ++i) WtW[a + b * k] += double(W[i + a * m]) * double(W[i + b * m]);
  for (std::int64_t c = 0; c < n; ++c)
    for (std::int64_t a = 0; a < k; ++a)
      for (std::int64_t i = 0; i < m; ++i) WtV[a + c * k] += double(W[i + a * m]) * double(V[i + c * m]);
  double sum = 0;
  for (std::int64_t c = 0; c < n; ++c)
    for (std::int64_t a = 0; a < k; ++a) {
      double g = -WtV[a + c * k];
      for (std::int64_t b = 0; b < k; ++b) g += WtW[a + b * k] * double(H_init[b + c * k]);
      if (g < 0 || H_init[a + c * k] > 0) sum += g * g;
    }
  return std::sqrt(sum);
}

// Scikit-learn's constants: step decrease factor and sufficient-decrease parameter.
inline constexpr double kBeta = 0.1;
inline constexpr double kSigma = 0.01;

// One variant per file; each writes H (and n_iter) from V, W and H_init. Their names carry
// whether the markers are compiled in, so that a program may link both flavours side by side (the
// overhead benchmark compares them) without two definitions of one function.
#if defined(KPROF_INSTRUMENT) && KPROF_INSTRUMENT
#define KPROF_NMF_FLAVOUR instrumented
#else
#define KPROF_NMF_FLAVOUR plain
#endif
inline namespace KPROF_NMF_FLAVOUR {
template <class T>
void nls_scalar(NmfProblem<T>& p);
template <class T>
void nls_eigen(NmfProblem<T>& p);
template <class T>
void nls_blas(NmfProblem<T>& p);
}  // namespace KPROF_NMF_FLAVOUR
// The plain reference: double precision, obvious loops, no markers.
template <class T>
void nls_reference(NmfProblem<T>& p);

}  // namespace kprof::targets::nmf
