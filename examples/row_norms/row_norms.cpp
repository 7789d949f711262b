// The row_norms family: its problem, reference, FLOP and byte counts, and five implementations to
// compare — plain loops, AVX2 intrinsics, Eigen, one that allocates a copy of every row, and one
// with a deliberate bug (it skips each row's last element), which kprof must catch.
#include <kprof/kprof.h>

#include <cmath>
#include <span>
#include <vector>

#include "row_norms.h"

namespace {

// One problem: a rows x cols matrix (row-major) and the norms of its rows. Built once per size and
// element type, outside every measurement.
template <class T>
struct RowNorms {
  explicit RowNorms(const kprof::Size& s)
      : rows(static_cast<std::size_t>(s["rows"])),
        cols(static_cast<std::size_t>(s["cols"])),
        x(rows * cols),
        out(rows) {
    kprof::fill_uniform(std::span<T>(x), 42);
  }
  std::span<const T> output() const { return out; }  // what kprof compares with the reference
  std::size_t rows, cols;
  std::vector<T> x, out;
};

// The reference: accumulated in long double, so that it is more accurate than every variant.
template <class T>
void reference(RowNorms<T>& p) {
  for (std::size_t i = 0; i < p.rows; ++i) {
    long double sum = 0;
    for (std::size_t j = 0; j < p.cols; ++j) sum += static_cast<long double>(p.x[i * p.cols + j]) * p.x[i * p.cols + j];
    p.out[i] = static_cast<T>(std::sqrt(sum));
  }
}

// Plain loops, timed line by line by `row_norms lines row_norms/scalar` without a marker in sight:
// kprof_line_profile (CMakeLists.txt) compiles row_norms-instrumented from a copy of this file with
// markers at every statement of this function.
template <class T>
void scalar(RowNorms<T>& p) {
  for (std::size_t i = 0; i < p.rows; ++i) {
    const T* row = p.x.data() + i * p.cols;
    T sum = 0;
    for (std::size_t j = 0; j < p.cols; ++j) sum += row[j] * row[j];
    p.out[i] = std::sqrt(sum);
  }
}

// Copies every row into a fresh vector first: correct, and what `row_norms mem` is for.
template <class T>
void copy_rows(RowNorms<T>& p) {
  for (std::size_t i = 0; i < p.rows; ++i) {
    std::vector<T> row(p.x.begin() + static_cast<std::ptrdiff_t>(i * p.cols),
                       p.x.begin() + static_cast<std::ptrdiff_t>((i + 1) * p.cols));
    T sum = 0;
    for (T v : row) sum += v * v;
    p.out[i] = std::sqrt(sum);
  }
}

// The bug: the inner loop stops one element early.
template <class T>
void skips_last(RowNorms<T>& p) {
  for (std::size_t i = 0; i < p.rows; ++i) {
    T sum = 0;
    for (std::size_t j = 0; j + 1 < p.cols; ++j) sum += p.x[i * p.cols + j] * p.x[i * p.cols + j];
    p.out[i] = std::sqrt(sum);
  }
}

}  // namespace

KPROF_FAMILY(row_norms, RowNorms)
    .describe("Euclidean norm of every row of a rows x cols matrix")
    .param({.name = "rows", .default_value = 256, .help = "matrix rows"})
    .param({.name = "cols", .default_value = 1000, .help = "matrix columns (the summed dimension)"})
    .flops([](const kprof::Size& s) { return 2.0 * s["rows"] * s["cols"]; })
    .bytes([](const kprof::Size& s, std::size_t elem) { return double(elem) * s["rows"] * (s["cols"] + 1); })
    // A sum of n squares in floating point is off by up to ~n·eps: allow for it as cols grows.
    .tolerance([](const kprof::Size& s, kprof::DType dtype) {
      double eps = dtype == kprof::DType::f32 ? 6e-8 : 1.1e-16;
      return 4 * eps * std::sqrt(double(s["cols"])) + 10 * eps;
    })
    .reference([](auto& p) { reference(p); })
    .variant({.name = "scalar", .kind = kprof::Kind::scalar}, [](auto& p) { scalar(p); })
    .variant({.name = "simd-avx2", .kind = kprof::Kind::simd, .isa = kprof::Isa::avx2},
             [](auto& p) { row_norms_avx2(p.x.data(), p.out.data(), p.rows, p.cols); })
    .variant({.name = "eigen", .kind = kprof::Kind::eigen, .isa = row_norms_eigen_isa()},
             [](auto& p) { row_norms_eigen(p.x.data(), p.out.data(), p.rows, p.cols); })
    .variant({.name = "copy-rows", .kind = kprof::Kind::scalar, .note = "allocates a copy of every row"},
             [](auto& p) { copy_rows(p); })
    .variant({.name = "wrong",
              .kind = kprof::Kind::scalar,
              .note = "deliberately wrong: skips each row's last element"},
             [](auto& p) { skips_last(p); });
