#include <cblas.h>

#include <type_traits>

#include "sgd_kernels.h"

namespace kprof::targets {

// z = X·w (gemv), then g = Xᵀr folded into w by a second gemv: w := w - lr/B·Xᵀr.
template <class T>
void sgd_step_blas(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r) {
  const auto m = static_cast<blasint>(rows), n = static_cast<blasint>(d);
  const T step = lr / static_cast<T>(rows);
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1.0f, x, n, w, 1, 0.0f, r, 1);
  else
    cblas_dgemv(CblasRowMajor, CblasNoTrans, m, n, 1.0, x, n, w, 1, 0.0, r, 1);
  T gb = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    r[i] = sigmoid(r[i] + *b) - y[i];
    gb += r[i];
  }
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemv(CblasRowMajor, CblasTrans, m, n, -step, x, n, r, 1, 1.0f, w, 1);
  else
    cblas_dgemv(CblasRowMajor, CblasTrans, m, n, -step, x, n, r, 1, 1.0, w, 1);
  *b -= step * gb;
}

template void sgd_step_blas<float>(const float*, const float*, std::int64_t, std::int64_t, float, float*, float*,
                                   float*);
template void sgd_step_blas<double>(const double*, const double*, std::int64_t, std::int64_t, double, double*, double*,
                                    double*);

}  // namespace kprof::targets
