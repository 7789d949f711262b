#pragma once
// A tiny kernel family for kprof's own tests ("testfam"): one correct variant, one wrong, one that
// needs AVX-512, one that throws. Registered in test_family.cpp.
#include <span>
#include <vector>

#include "kprof/kernel.h"

namespace kprof::test {

template <class T>
struct ScaleProblem {
  explicit ScaleProblem(const Size& s) : x(s["n"]), y(s["n"]) { fill_uniform(std::span<T>(x), 7); }
  std::span<const T> output() const { return y; }
  std::vector<T> x, y;
};

}  // namespace kprof::test
