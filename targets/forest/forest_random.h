#pragma once
// The forest families' one source of randomness: SplitMix64, seeded per purpose (a tree, a node, a
// row), so that what a tree gets never depends on which thread fitted it or in which order, and f32
// and f64 problems are built from the same doubles.
#include <cstdint>

namespace kprof::targets::forest {

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // bias < n / 2^64: irrelevant here

 private:
  std::uint64_t state_;
};

// A seed for one purpose of one item: mixing keeps the streams of neighbouring items unrelated.
inline std::uint64_t seed_of(std::uint64_t purpose, std::uint64_t item, std::uint64_t sub = 0) {
  SplitMix mix(purpose * 0x100000001B3ull ^ item * 0xC2B2AE3D27D4EB4Full ^ sub * 0x165667B19E3779F9ull);
  return mix.next();
}

}  // namespace kprof::targets::forest
