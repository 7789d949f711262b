#pragma once
// One mini-batch step of logistic-regression SGD, the part that differs between variants:
//   z = X_b·w + b;  r = sigmoid(z) - y;  w -= lr/B · X_bᵀr;  b -= lr/B · Σr
// X_b is `rows` x `d`, row-major. `r` is scratch space of `rows` elements.
#include <cmath>
#include <cstdint>

namespace kprof::targets {

template <class T>
void sgd_step_scalar(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r);
template <class T>
void sgd_step_avx512(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r);
template <class T>
void sgd_step_blas(const T* x, const T* y, std::int64_t rows, std::int64_t d, T lr, T* w, T* b, T* r);

// Internal linkage: the AVX-512 file's copy must never be the one the scalar code links to.
template <class T>
static inline T sigmoid(T z) {
  return T(1) / (T(1) + std::exp(-z));
}

}  // namespace kprof::targets
