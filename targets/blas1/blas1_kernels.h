#pragma once
// dot and axpy kernels, one declaration per ISA; definitions live in the ISA's own .cpp.
#include <cstdint>
#include <string>

#include "kprof/isa.h"

namespace kprof::targets {

template <class T>
T dot_scalar(const T* x, const T* y, std::int64_t n);
template <class T>
T dot_avx2(const T* x, const T* y, std::int64_t n);
template <class T>
T dot_avx512(const T* x, const T* y, std::int64_t n);

template <class T>
void axpy_scalar(T a, const T* x, T* y, std::int64_t n);
template <class T>
void axpy_avx2(T a, const T* x, T* y, std::int64_t n);
template <class T>
void axpy_avx512(T a, const T* x, T* y, std::int64_t n);

}  // namespace kprof::targets

namespace kprof::targets {

// Eigen versions, compiled for AVX-512 (blas1_eigen.cpp) so Eigen vectorises as wide as the CPU allows.
template <class T>
T dot_eigen(const T* x, const T* y, std::int64_t n);
template <class T>
void axpy_eigen(T a, const T* x, T* y, std::int64_t n);
std::string eigen_code_path();  // "Eigen 3.4.0 (AVX512, FMA, AVX2, ...)"
Isa eigen_isa();                // what blas1_eigen.cpp was compiled for (KPROF_COMPILED_ISA)

}  // namespace kprof::targets
