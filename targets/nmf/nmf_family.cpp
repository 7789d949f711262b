// nmf: projected-gradient NMF's NLS subproblem (the seed's %lprun example), in three variants
// checked against a plain double-precision reference. Every variant is instrumented with
// KPROF_LINE: `kprof lines nmf/scalar` prints the seed's line table for C++.
#include <cmath>
#include <string>
#include <vector>

#include "kprof/kprof.h"
#include "nmf_problem.h"

namespace kprof::targets::nmf {

std::string eigen_code_path();  // nmf_eigen.cpp
Isa eigen_isa();                // what nmf_eigen.cpp was compiled for (KPROF_COMPILED_ISA)

// One function, statement for statement the seed's _nls_subproblem (longer than ~60 lines on
// purpose): its line table is meant to be read next to the seed's %lprun output line for line.
template <class T>
void nls_reference(NmfProblem<T>& p) {
  // The same algorithm in double, run much further (relative tol 1e-12): the minimiser is unique,
  // so a variant that converged is close to it whatever path its rounding took.
  const std::int64_t m = p.m, n = p.n, k = p.k, kn = k * n;
  std::vector<double> W(p.W.begin(), p.W.end()), V(p.V.begin(), p.V.end()), H(p.H_init.begin(), p.H_init.end());
  std::vector<double> WtV(kn, 0.0), WtW(k * k, 0.0), grad(kn), Hn(kn), d(kn), Hp(kn), Qd(kn);
  for (std::int64_t c = 0; c < n; ++c)
    for (std::int64_t a = 0; a < k; ++a)
      for (std::int64_t i = 0; i < m; ++i) WtV[a + c * k] += W[i + a * m] * V[i + c * m];
  for (std::int64_t b = 0; b < k; ++b)
    for (std::int64_t a = 0; a < k; ++a)
      for (std::int64_t i = 0; i < m; ++i) WtW[a + b * k] += W[i + a * m] * W[i + b * m];
  auto times_wtw = [&](const std::vector<double>& X, std::vector<double>& out) {
    for (std::int64_t c = 0; c < n; ++c)
      for (std::int64_t a = 0; a < k; ++a) {
        double s = 0;
        for (std::int64_t b = 0; b < k; ++b) s += WtW[a + b * k] * X[b + c * k];
        out[a + c * k] = s;
      }
  };
  const double tol = 1e-12 * p.initial_projected_gradient();
  double alpha = 1;
  for (int it = 0; it < 20000; ++it) {
    times_wtw(H, grad);
    double proj = 0;
    for (std::int64_t i = 0; i < kn; ++i) {
      grad[i] -= WtV[i];
      if (grad[i] < 0 || H[i] > 0) proj += grad[i] * grad[i];
    }
    if (std::sqrt(proj) < tol) break;
    bool decr_alpha = false;
    for (int inner = 1; inner < 20; ++inner) {
      double gradd = 0, dQd = 0;
      for (std::int64_t i = 0; i < kn; ++i) {
        Hn[i] = std::max(H[i] - alpha * grad[i], 0.0);
        d[i] = Hn[i] - H[i];
        gradd += grad[i] * d[i];
      }
      times_wtw(d, Qd);
      for (std::int64_t i = 0; i < kn; ++i) dQd += Qd[i] * d[i];
      bool suff_decr = (1 - kSigma) * gradd + 0.5 * dQd < 0;
      if (inner == 1) {
        decr_alpha = !suff_decr;
        Hp = H;
      }
      if (decr_alpha) {
        if (suff_decr) {
          H = Hn;
          break;
        }
        alpha *= kBeta;
      } else if (!suff_decr || Hp == Hn) {
        H = Hp;
        break;
      } else {
        alpha /= kBeta;
        Hp = Hn;
      }
    }
  }
  for (std::int64_t i = 0; i < kn; ++i) p.H[i] = static_cast<T>(H[i]);
}

template void nls_reference(NmfProblem<float>&);
template void nls_reference(NmfProblem<double>&);

// FLOPs of one outer iteration are data dependent (the inner step search); these count the setup
// products and one gradient + one step per outer iteration, at a typical 30 outer iterations.
KPROF_FAMILY(nmf, NmfProblem)
    .describe("projected-gradient NMF: the NLS subproblem of scikit-learn's %lprun example (V ~ W H, H >= 0)")
    .param({.name = "m", .default_value = 64, .help = "features (rows of V and W)"})
    .param({.name = "n", .default_value = 1797, .help = "samples (columns of V and H)"})
    .param({.name = "k", .default_value = 16, .help = "components"})
    .default_sizes({"64x1797x16"})
    // Odd shapes for kprof's correctness suite; a bare 1000 (m=n=k=1000) would take minutes.
    .test_sizes({"7x33x3", "17x61x5", "33x7x7", "32x300x8"})
    .flops([](const Size& s) {
      double m = s["m"], n = s["n"], k = s["k"];
      return 2 * k * m * n + 2 * k * k * m + 30 * (2 * 2 * k * k * n + 8 * k * n);
    })
    .bytes([](const Size& s, std::size_t e) {
      return double(e) * (s["m"] * s["n"] + s["m"] * s["k"] + 2 * s["k"] * s["n"]);
    })
    .tolerance(2e-3, 1e-6)
    .reference([](auto& p) { nls_reference(p); })
    .variant({.name = "scalar",
              .kind = Kind::scalar,
              .note = "plain loops, one per NumPy statement; KPROF_LINE markers"},
             [](auto& p) { nls_scalar(p); })
    .variant({.name = "eigen",
              .kind = Kind::eigen,
              .isa = eigen_isa(),
              .note = "the NumPy statements in Eigen; KPROF_LINE markers",
              .code_path = eigen_code_path},
             [](auto& p) { nls_eigen(p); })
    .variant({.name = "blas", .kind = Kind::blas, .note = "gemm/axpy/dot from CBLAS; KPROF_LINE markers"},
             [](auto& p) { nls_blas(p); });

}  // namespace kprof::targets::nmf
