// The test copy of targets/nmf/nmf_scalar.cpp with its KPROF_FUNCTION / KPROF_LINE lines removed:
// test_auto_lines compiles it through kprof_line_profile and compares the table with the manual one.
// The NLS subproblem as a first C++ port would write it: one plain loop nest per NumPy
// statement, at the x86-64 baseline.
#include <cmath>
#include <vector>

#include "nmf_problem.h"

namespace kprof::targets::nmf {
namespace {

// C (a x c) = A^T B, A (r x a) and B (r x c) column-major.
template <class T>
void gemm_tn(const std::vector<T>& A, const std::vector<T>& B, std::vector<T>& C, std::int64_t r, std::int64_t a,
             std::int64_t c) {
  C.assign(a * c, T(0));
  for (std::int64_t j = 0; j < c; ++j)
    for (std::int64_t i = 0; i < a; ++i) {
      T sum = 0;
      for (std::int64_t l = 0; l < r; ++l) sum += A[l + i * r] * B[l + j * r];
      C[i + j * a] = sum;
    }
}

// C (a x c) = A B - D, A (a x b), B (b x c), D (a x c) or nothing.
template <class T>
void gemm_nn_minus(const std::vector<T>& A, const std::vector<T>& B, const std::vector<T>* D, std::vector<T>& C,
                   std::int64_t a, std::int64_t b, std::int64_t c) {
  for (std::int64_t j = 0; j < c; ++j) {
    for (std::int64_t i = 0; i < a; ++i) C[i + j * a] = D ? -(*D)[i + j * a] : T(0);
    for (std::int64_t l = 0; l < b; ++l) {
      T blj = B[l + j * b];
      for (std::int64_t i = 0; i < a; ++i) C[i + j * a] += A[i + l * a] * blj;
    }
  }
}

// ||grad[grad < 0 or H > 0]||
template <class T>
T projected_norm(const std::vector<T>& grad, const std::vector<T>& H) {
  T sum = 0;
  for (std::size_t i = 0; i < grad.size(); ++i)
    if (grad[i] < 0 || H[i] > 0) sum += grad[i] * grad[i];
  return std::sqrt(sum);
}

template <class T>
T dot(const std::vector<T>& x, const std::vector<T>& y) {
  T sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) sum += x[i] * y[i];
  return sum;
}

}  // namespace

inline namespace KPROF_NMF_FLAVOUR {

// One function, statement for statement the seed's _nls_subproblem (longer than ~60 lines on
// purpose): its line table is meant to be read next to the seed's %lprun output line for line.
template <class T>
void nls_scalar(NmfProblem<T>& p) {
  const std::int64_t m = p.m, n = p.n, k = p.k;
  const T sigma = T(kSigma), beta = T(kBeta);
  std::vector<T> WtV, WtW, grad(k * n), Hn(k * n), d(k * n), Hp(k * n), Qd(k * n);
  std::vector<T>& H = p.H;
  H = p.H_init;
  gemm_tn(p.W, p.V, WtV, m, k, n);  // WtV = W.T @ V
  gemm_tn(p.W, p.W, WtW, m, k, k);  // WtW = W.T @ W

  T alpha = 1;
  int n_iter = 1;
  for (; n_iter <= p.max_iter; ++n_iter) {
    gemm_nn_minus(WtW, H, &WtV, grad, k, k, n);  // grad = WtW @ H - WtV
    const T proj_gradient = projected_norm(grad, H);
    if (proj_gradient < p.tol) break;

    bool decr_alpha = false;
    for (int inner_iter = 1; inner_iter < 20; ++inner_iter) {
      for (std::size_t i = 0; i < Hn.size(); ++i) Hn[i] = H[i] - alpha * grad[i];
      for (T& h : Hn) h = h > 0 ? h : T(0);  // Hn = _pos(Hn)
      for (std::size_t i = 0; i < d.size(); ++i) d[i] = Hn[i] - H[i];
      const T gradd = dot(grad, d);
      gemm_nn_minus<T>(WtW, d, nullptr, Qd, k, k, n);
      const T dQd = dot(Qd, d);  // np.sum(WtW @ d * d)
      const bool suff_decr = (1 - sigma) * gradd + T(0.5) * dQd < 0;
      if (inner_iter == 1) {
        decr_alpha = !suff_decr;
        Hp = H;
      }
      if (decr_alpha) {
        if (suff_decr) {
          H = Hn;
          break;
        }
        alpha *= beta;
      } else {
        if (!suff_decr || Hp == Hn) {
          H = Hp;
          break;
        }
        alpha /= beta;
        Hp = Hn;
      }
    }
  }
  p.n_iter = n_iter;
}

template void nls_scalar(NmfProblem<float>&);
template void nls_scalar(NmfProblem<double>&);

}  // namespace KPROF_NMF_FLAVOUR

}  // namespace kprof::targets::nmf
