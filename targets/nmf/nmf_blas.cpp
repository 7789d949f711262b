// The NLS subproblem with its products handed to CBLAS (OpenBLAS): gemm for the three matrix
// products, axpy/dot for the vector statements; the masked norm and _pos stay plain loops.
#include <cblas.h>

#include <cmath>
#include <type_traits>
#include <vector>

#include "kprof/lines.h"
#include "nmf_problem.h"

namespace kprof::targets::nmf {
namespace {

// C = alpha op(A) op(B) + beta C, column-major, for float and double.
template <class T>
void gemm(bool trans_a, std::int64_t m, std::int64_t n, std::int64_t k, T alpha, const T* A, std::int64_t lda,
          const T* B, std::int64_t ldb, T beta, T* C, std::int64_t ldc) {
  auto ta = trans_a ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasColMajor, ta, CblasNoTrans, blasint(m), blasint(n), blasint(k), alpha, A, blasint(lda), B,
                blasint(ldb), beta, C, blasint(ldc));
  else
    cblas_dgemm(CblasColMajor, ta, CblasNoTrans, blasint(m), blasint(n), blasint(k), alpha, A, blasint(lda), B,
                blasint(ldb), beta, C, blasint(ldc));
}

template <class T>
void axpy(T a, const std::vector<T>& x, std::vector<T>& y) {
  if constexpr (std::is_same_v<T, float>)
    cblas_saxpy(blasint(x.size()), a, x.data(), 1, y.data(), 1);
  else
    cblas_daxpy(blasint(x.size()), a, x.data(), 1, y.data(), 1);
}

template <class T>
T dot(const std::vector<T>& x, const std::vector<T>& y) {
  if constexpr (std::is_same_v<T, float>)
    return cblas_sdot(blasint(x.size()), x.data(), 1, y.data(), 1);
  else
    return cblas_ddot(blasint(x.size()), x.data(), 1, y.data(), 1);
}

}  // namespace

inline namespace KPROF_NMF_FLAVOUR {

// One function, statement for statement the seed's _nls_subproblem (longer than ~60 lines on
// purpose): its line table is meant to be read next to the seed's %lprun output line for line.
template <class T>
void nls_blas(NmfProblem<T>& p) {
  KPROF_FUNCTION;
  const std::int64_t m = p.m, n = p.n, k = p.k;
  const T sigma = T(kSigma), beta = T(kBeta);
  std::vector<T> WtV(k * n), WtW(k * k), grad(k * n), Hn(k * n), d(k * n), Hp(k * n), Qd(k * n);
  KPROF_LINE;
  std::vector<T>& H = p.H;
  KPROF_LINE;
  H = p.H_init;
  KPROF_LINE;
  gemm(true, k, n, m, T(1), p.W.data(), m, p.V.data(), m, T(0), WtV.data(), k);  // WtV = W.T @ V
  KPROF_LINE;
  gemm(true, k, k, m, T(1), p.W.data(), m, p.W.data(), m, T(0), WtW.data(), k);  // WtW = W.T @ W

  KPROF_LINE;
  T alpha = 1;
  int n_iter = 1;
  for (; n_iter <= p.max_iter; ++n_iter) {
    KPROF_LINE;
    grad = WtV;
    KPROF_LINE;
    gemm(false, k, n, k, T(1), WtW.data(), k, H.data(), k, T(-1), grad.data(), k);  // WtW @ H - WtV
    KPROF_LINE;
    T proj_sq = 0;
    KPROF_LINE;
    for (std::size_t i = 0; i < grad.size(); ++i) proj_sq += (grad[i] < 0 || H[i] > 0) ? grad[i] * grad[i] : T(0);
    KPROF_LINE;
    if (std::sqrt(proj_sq) < p.tol) break;

    bool decr_alpha = false;
    for (int inner_iter = 1; inner_iter < 20; ++inner_iter) {
      KPROF_LINE;
      Hn = H;
      KPROF_LINE;
      axpy(-alpha, grad, Hn);  // Hn = H - alpha * grad
      KPROF_LINE;
      for (T& h : Hn) h = h > 0 ? h : T(0);  // Hn = _pos(Hn)
      KPROF_LINE;
      d = Hn;
      KPROF_LINE;
      axpy(T(-1), H, d);  // d = Hn - H
      KPROF_LINE;
      const T gradd = dot(grad, d);
      KPROF_LINE;
      gemm(false, k, n, k, T(1), WtW.data(), k, d.data(), k, T(0), Qd.data(), k);
      KPROF_LINE;
      const T dQd = dot(Qd, d);  // np.sum(WtW @ d * d)
      KPROF_LINE;
      const bool suff_decr = (1 - sigma) * gradd + T(0.5) * dQd < 0;
      if (inner_iter == 1) {
        KPROF_LINE;
        decr_alpha = !suff_decr;
        KPROF_LINE;
        Hp = H;
      }
      if (decr_alpha) {
        if (suff_decr) {
          KPROF_LINE;
          H = Hn;
          break;
        }
        KPROF_LINE;
        alpha *= beta;
      } else {
        KPROF_LINE;
        if (!suff_decr || Hp == Hn) {
          KPROF_LINE;
          H = Hp;
          break;
        }
        KPROF_LINE;
        alpha /= beta;
        KPROF_LINE;
        Hp = Hn;
      }
    }
  }
  p.n_iter = n_iter;
}

template void nls_blas(NmfProblem<float>&);
template void nls_blas(NmfProblem<double>&);

}  // namespace KPROF_NMF_FLAVOUR

}  // namespace kprof::targets::nmf
