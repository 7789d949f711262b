// The NLS subproblem in Eigen, statement for statement the NumPy code of the seed. Compiled for
// AVX-512 (see CMakeLists.txt), so Eigen vectorises as wide as the CPU allows.
#include <Eigen/Dense>

#include "kprof/isa.h"
#include "kprof/lines.h"
#include "nmf_problem.h"

namespace kprof::targets::nmf {

inline namespace KPROF_NMF_FLAVOUR {

// One function, statement for statement the seed's _nls_subproblem (longer than ~60 lines on
// purpose): its line table is meant to be read next to the seed's %lprun output line for line.
template <class T>
void nls_eigen(NmfProblem<T>& p) {
  KPROF_FUNCTION;
  using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Map<const Mat> V(p.V.data(), p.m, p.n), W(p.W.data(), p.m, p.k), H_init(p.H_init.data(), p.k, p.n);
  const T sigma = T(kSigma), beta = T(kBeta);
  KPROF_LINE;
  Mat H = H_init;
  KPROF_LINE;
  const Mat WtV = W.transpose() * V;
  KPROF_LINE;
  const Mat WtW = W.transpose() * W;

  KPROF_LINE;
  T alpha = 1;
  Mat grad, Hn, d, Hp;
  int n_iter = 1;
  for (; n_iter <= p.max_iter; ++n_iter) {
    KPROF_LINE;
    grad.noalias() = WtW * H - WtV;
    KPROF_LINE;
    const T proj_gradient = ((grad.array() < 0) || (H.array() > 0)).select(grad.array(), T(0)).matrix().norm();
    KPROF_LINE;
    if (proj_gradient < p.tol) break;

    bool decr_alpha = false;
    for (int inner_iter = 1; inner_iter < 20; ++inner_iter) {
      KPROF_LINE;
      Hn = H - alpha * grad;
      KPROF_LINE;
      Hn = Hn.cwiseMax(T(0));  // Hn = _pos(Hn)
      KPROF_LINE;
      d = Hn - H;
      KPROF_LINE;
      const T gradd = grad.cwiseProduct(d).sum();
      KPROF_LINE;
      const T dQd = (WtW * d).cwiseProduct(d).sum();
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
        if (!suff_decr || (Hp.array() == Hn.array()).all()) {
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
  KPROF_LINE;
  Eigen::Map<Mat>(p.H.data(), p.k, p.n) = H;
  p.n_iter = n_iter;
}

template void nls_eigen(NmfProblem<float>&);
template void nls_eigen(NmfProblem<double>&);

}  // namespace KPROF_NMF_FLAVOUR

std::string eigen_code_path() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " (" + Eigen::SimdInstructionSetsInUse() + ")";
}

// What this file was compiled for: AVX-512 in the native build, AVX2 in the valgrind-safe flavour.
Isa eigen_isa() { return KPROF_COMPILED_ISA; }

}  // namespace kprof::targets::nmf
