#pragma once
// Shared by the distances tests: sizes, typed access to a variant's problem, variant lookup.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "distances_problem.h"
#include "kprof/kprof.h"

namespace kprof::targets::testing {

inline Size distances_size(std::int64_t n, std::int64_t d, std::int64_t k, std::int64_t chunk) {
  return Size({{"n", n}, {"d", d}, {"k", k}, {"chunk", chunk}});
}

inline const FamilyRecord& distances_family() {
  const FamilyRecord* family = registry().find("distances");
  if (!family) throw std::logic_error("the distances family is not registered");
  return *family;
}

template <class T>
constexpr DType dtype_of() {
  return std::is_same_v<T, float> ? DType::f32 : DType::f64;
}

template <class T>
DistancesProblem<T>& problem_of(Instance& instance) {
  return *static_cast<DistancesProblem<T>*>(instance.problem());
}

}  // namespace kprof::targets::testing
