// The row norms of a rows x cols matrix (row-major): out[i] = sqrt(sum_j x[i][j]^2).
// One function per implementation; each is instantiated for float and double.
#pragma once
#include <kprof/isa.h>

#include <cstddef>

template <class T>
void row_norms_avx2(const T* x, T* out, std::size_t rows, std::size_t cols);  // row_norms_avx2.cpp

template <class T>
void row_norms_eigen(const T* x, T* out, std::size_t rows, std::size_t cols);  // row_norms_eigen.cpp
kprof::Isa row_norms_eigen_isa();  // what row_norms_eigen.cpp was compiled for
