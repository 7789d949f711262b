#pragma once
// C = A·B (row-major) in the GotoBLAS / BLIS structure, written once over a vector-operations
// struct (Ops: Vec, Scalar, lanes, zero, set1, load, store, fma, add) and a blocking struct
// (Tile: mr, nv, mc, kc, nc), and instantiated by gemm_avx2.cpp and gemm_avx512.cpp.
//
//   for jc in n step NC                      B panel (KC×NC) lives in L3
//     for pc in k step KC                    pack B[pc:pc+KC, jc:jc+NC] into NR-wide slivers
//       for ic in m step MC                  pack A[ic:ic+MC, pc:pc+KC] into MR-tall slivers (L2)
//         for jr in NC step NR               one B sliver (KC×NR) stays in L1 ...
//           for ir in MC step MR             ... while A slivers stream past it from L2
//             micro_kernel: the MR×NR tile of C accumulates in registers over KC steps
//
// Packing pads the slivers with zeros, so the micro-kernel always runs the full MR×NR tile; only
// the store of an edge tile (fewer than MR rows or NR columns left) goes through a small buffer.
// That is how any m, n, k (1, 7, 33, ...) works with one micro-kernel.
//
// Every function here is a template over Ops, whose types live in an anonymous namespace of each
// ISA file: the AVX-512 instantiation can never be merged by the linker into the AVX2 one.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>

#include "kprof/lines.h"

namespace kprof::targets::gemm_simd {

// A 64-byte aligned buffer that grows on demand and is kept for the next call (one per thread),
// as BLAS libraries keep their packing buffers instead of allocating on every call.
template <class Ops>
class PackBuffer {
 public:
  using Scalar = typename Ops::Scalar;
  PackBuffer() = default;
  PackBuffer(const PackBuffer&) = delete;
  PackBuffer& operator=(const PackBuffer&) = delete;
  ~PackBuffer() { release(); }

  Scalar* get(std::size_t elements) {
    if (elements > capacity_) {
      release();
      data_ = static_cast<Scalar*>(::operator new (elements * sizeof(Scalar), std::align_val_t{64}));
      capacity_ = elements;
    }
    return data_;
  }

 private:
  void release() {
    if (data_) ::operator delete (data_, std::align_val_t{64});
    data_ = nullptr;
    capacity_ = 0;
  }
  Scalar* data_ = nullptr;
  std::size_t capacity_ = 0;
};

// Packs rows [0, rows) × columns [0, kc) of A into MR-tall slivers. Within a sliver, step p holds
// the MR values A[r][p] side by side: the order in which the micro-kernel broadcasts them.
template <class Ops, class Tile>
void pack_a(const typename Ops::Scalar* a, std::int64_t lda, std::int64_t rows, std::int64_t kc,
            typename Ops::Scalar* out) {
  constexpr std::int64_t MR = Tile::mr;
  for (std::int64_t i0 = 0; i0 < rows; i0 += MR) {
    const std::int64_t valid = std::min(MR, rows - i0);
    for (std::int64_t p = 0; p < kc; ++p) {
      for (std::int64_t r = 0; r < valid; ++r) out[r] = a[(i0 + r) * lda + p];
      for (std::int64_t r = valid; r < MR; ++r) out[r] = 0;
      out += MR;
    }
  }
}

// Packs rows [0, kc) × columns [0, cols) of B into NR-wide slivers. Within a sliver, step p holds
// the NR values B[p][j] side by side: the vectors the micro-kernel loads.
template <class Ops, class Tile>
void pack_b(const typename Ops::Scalar* b, std::int64_t ldb, std::int64_t kc, std::int64_t cols,
            typename Ops::Scalar* out) {
  constexpr std::int64_t NR = Tile::nv * Ops::lanes;
  for (std::int64_t j0 = 0; j0 < cols; j0 += NR) {
    const std::int64_t valid = std::min(NR, cols - j0);
    for (std::int64_t p = 0; p < kc; ++p) {
      const typename Ops::Scalar* row = b + p * ldb + j0;
      for (std::int64_t j = 0; j < valid; ++j) out[j] = row[j];
      for (std::int64_t j = valid; j < NR; ++j) out[j] = 0;
      out += NR;
    }
  }
}

// The MR×NR tile of C at `c` gets (accumulate ? C + A·B : A·B) for one packed A sliver and one packed
// B sliver of depth kc. `rows` and `cols` (<= MR, NR) are the part of the tile inside C.
// The accumulators are MR×NV vectors; the fixed-trip loops are unrolled so they stay in registers.
template <class Ops, class Tile>
void micro_kernel(std::int64_t kc, const typename Ops::Scalar* ap, const typename Ops::Scalar* bp,
                  typename Ops::Scalar* c, std::int64_t ldc, std::int64_t rows, std::int64_t cols, bool accumulate) {
  using Vec = typename Ops::Vec;
  using Scalar = typename Ops::Scalar;
  constexpr std::int64_t MR = Tile::mr;
  constexpr std::int64_t NV = Tile::nv;
  constexpr std::int64_t L = Ops::lanes;
  constexpr std::int64_t NR = NV * L;

  Vec acc[MR][NV];
#pragma GCC unroll 32
  for (std::int64_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (std::int64_t v = 0; v < NV; ++v) acc[r][v] = Ops::zero();

  for (std::int64_t p = 0; p < kc; ++p) {
    Vec b[NV];
#pragma GCC unroll 4
    for (std::int64_t v = 0; v < NV; ++v) b[v] = Ops::load(bp + v * L);
#pragma GCC unroll 32
    for (std::int64_t r = 0; r < MR; ++r) {
      const Vec a = Ops::set1(ap[r]);
#pragma GCC unroll 4
      for (std::int64_t v = 0; v < NV; ++v) acc[r][v] = Ops::fma(a, b[v], acc[r][v]);
    }
    ap += MR;
    bp += NR;
  }

  if (rows == MR && cols == NR) {
#pragma GCC unroll 32
    for (std::int64_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
      for (std::int64_t v = 0; v < NV; ++v) {
        Scalar* dst = c + r * ldc + v * L;
        Ops::store(dst, accumulate ? Ops::add(Ops::load(dst), acc[r][v]) : acc[r][v]);
      }
    return;
  }
  // Edge tile: spill the registers, then write only the part of the tile that lies inside C.
  alignas(64) Scalar tile[MR * NR];
#pragma GCC unroll 32
  for (std::int64_t r = 0; r < MR; ++r)
#pragma GCC unroll 4
    for (std::int64_t v = 0; v < NV; ++v) Ops::store(tile + r * NR + v * L, acc[r][v]);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t j = 0; j < cols; ++j) {
      Scalar* dst = c + r * ldc + j;
      *dst = accumulate ? *dst + tile[r * NR + j] : tile[r * NR + j];
    }
}

// C (m×n) = A (m×k) · B (k×n), all row-major with leading dimensions lda, ldb, ldc.
template <class Ops, class Tile>
void gemm(std::int64_t m, std::int64_t n, std::int64_t k, const typename Ops::Scalar* a, std::int64_t lda,
          const typename Ops::Scalar* b, std::int64_t ldb, typename Ops::Scalar* c, std::int64_t ldc) {
  KPROF_FUNCTION;
  using Scalar = typename Ops::Scalar;
  constexpr std::int64_t MR = Tile::mr;
  constexpr std::int64_t NR = Tile::nv * Ops::lanes;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {  // an empty sum: C = 0
    for (std::int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, Scalar{0});
    return;
  }

  thread_local PackBuffer<Ops> a_buffer, b_buffer;
  const std::int64_t kc_max = std::min(Tile::kc, k);
  const std::int64_t mc_max = (std::min(Tile::mc, m) + MR - 1) / MR * MR;  // whole slivers
  const std::int64_t nc_max = (std::min(Tile::nc, n) + NR - 1) / NR * NR;
  Scalar* a_packed = a_buffer.get(static_cast<std::size_t>(mc_max * kc_max));
  Scalar* b_packed = b_buffer.get(static_cast<std::size_t>(nc_max * kc_max));

  for (std::int64_t jc = 0; jc < n; jc += Tile::nc) {
    const std::int64_t nc = std::min(Tile::nc, n - jc);
    for (std::int64_t pc = 0; pc < k; pc += Tile::kc) {
      const std::int64_t kc = std::min(Tile::kc, k - pc);
      const bool accumulate = pc > 0;  // the first depth block overwrites C, the others add to it
      KPROF_LINE;
      pack_b<Ops, Tile>(b + pc * ldb + jc, ldb, kc, nc, b_packed);
      for (std::int64_t ic = 0; ic < m; ic += Tile::mc) {
        const std::int64_t mc = std::min(Tile::mc, m - ic);
        KPROF_LINE;
        pack_a<Ops, Tile>(a + ic * lda + pc, lda, mc, kc, a_packed);
        KPROF_LINE;
        for (std::int64_t jr = 0; jr < nc; jr += NR) {
          for (std::int64_t ir = 0; ir < mc; ir += MR) {
            micro_kernel<Ops, Tile>(kc, a_packed + ir * kc, b_packed + jr * kc, c + (ic + ir) * ldc + jc + jr, ldc,
                                    std::min(MR, mc - ir), std::min(NR, nc - jr), accumulate);
          }
        }
      }
    }
  }
}

}  // namespace kprof::targets::gemm_simd
