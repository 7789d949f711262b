#include "sgd_kernels.h"

namespace kprof::targets {

template <class T>
void sgd_step_scalar(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r) {
  for (std::int64_t i = 0; i < rows; ++i) {
    T z = *b;
    for (std::int64_t j = 0; j < d; ++j) z += x[i * d + j] * w[j];
    r[i] = sigmoid(z) - y[i];
  }
  const T step = lr / static_cast<T>(rows);
  T gb = 0;
  for (std::int64_t i = 0; i < rows; ++i) gb += r[i];
  for (std::int64_t j = 0; j < d; ++j) {
    T g = 0;
    for (std::int64_t i = 0; i < rows; ++i) g += x[i * d + j] * r[i];
    w[j] -= step * g;
  }
  *b -= step * gb;
}

template void sgd_step_scalar<float>(const float*, const float*, std::int64_t, std::int64_t, float, float*, float*,
                                     float*);
template void sgd_step_scalar<double>(const double*, const double*, std::int64_t, std::int64_t, double, double*,
                                      double*, double*);

}  // namespace kprof::targets
