#pragma once
// C = A·B for row-major matrices, one declaration per implementation; the definitions live in the
// file compiled for that implementation's ISA. Arguments follow BLAS order: A is m×k with leading
// dimension lda, B is k×n (ldb), C is m×n (ldc). Every variant overwrites C (beta = 0).
#include <cstdint>
#include <string>

#include "kprof/isa.h"

namespace kprof::targets {

// The reference: the textbook sum over p in ascending order, accumulated in double.
template <class T>
void gemm_reference(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                    std::int64_t ldb, T* c, std::int64_t ldc);

// Plain i-k-j loops at the x86-64 baseline, as a careful first C++ port would write them.
template <class T>
void gemm_scalar(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                 std::int64_t ldb, T* c, std::int64_t ldc);

// Packed, cache-blocked, register-blocked GEMM (gemm_blocked.h) for AVX2 + FMA and for AVX-512.
template <class T>
void gemm_avx2(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
               std::int64_t ldb, T* c, std::int64_t ldc);
template <class T>
void gemm_avx512(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                 std::int64_t ldb, T* c, std::int64_t ldc);
// The AVX-512 kernel on `threads` std::threads, each owning a block of C's columns.
template <class T>
void gemm_avx512_threads(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                         std::int64_t ldb, T* c, std::int64_t ldc, int threads);

// The micro-tile of each SIMD kernel (rows × columns of C held in registers), for tests and docs.
struct MicroTile {
  std::int64_t mr, nr, mc, kc, nc;
};
template <class T>
MicroTile gemm_avx2_tile();
template <class T>
MicroTile gemm_avx512_tile();

// cblas_sgemm / cblas_dgemm (OpenBLAS).
template <class T>
void gemm_blas(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
               std::int64_t ldb, T* c, std::int64_t ldc);

// Eigen's matrix product over mapped buffers, compiled for AVX-512 (gemm_eigen.cpp).
template <class T>
void gemm_eigen(std::int64_t m, std::int64_t n, std::int64_t k, const T* a, std::int64_t lda, const T* b,
                std::int64_t ldb, T* c, std::int64_t ldc);
std::string gemm_eigen_code_path();  // "Eigen 3.4.0 (AVX512, FMA, AVX2, ...)"
Isa gemm_eigen_isa();                // what gemm_eigen.cpp was compiled for (KPROF_COMPILED_ISA)

}  // namespace kprof::targets
