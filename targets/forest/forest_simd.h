#pragma once
// `traverse-simd-*`: a vector of rows walks down one tree together, one row per lane. At each level
// the lanes fetch their node's feature and threshold and the row's value of that feature; a compare
// picks each lane's child (2i+1, or 2i+2 where x > threshold). The trees are perfect, so every lane
// takes exactly `depth` steps: no lane waits for another, and no branch mispredicts.
//
// The first `Ops::top_nodes` nodes of a tree (its top levels, where every row starts) are loaded into
// registers once per tree and looked up with a permute, so those levels gather only the rows' values;
// deeper levels gather the node's feature and threshold too. Gathers cost about one load per lane:
// three per level and row would match what the scalar walk loads, one does not.
//
// Written once over an operations struct (Ops: Vec, Idx, Top, lanes, top_nodes, row_offsets,
// load_top, top_feature, top_threshold, gather_index, gather, offset, child, leaf, zero, set1, add,
// div, store) that forest_avx2.cpp and forest_avx512.cpp define in unnamed namespaces (no ODR clash
// between ISAs).
#include <algorithm>
#include <cstdint>

#include "forest_kernels.h"

namespace kprof::targets::forest::simd {

// The first `Ops::top_nodes` features and thresholds of a tree, zero past its last internal node.
template <class Ops, class T>
struct TopNodes {
  alignas(64) std::int32_t feature[Ops::top_nodes] = {};
  alignas(64) T threshold[Ops::top_nodes] = {};
  TopNodes(const std::int32_t* f, const T* t, std::int64_t internal) {
    const std::int64_t n = std::min<std::int64_t>(internal, Ops::top_nodes);
    std::copy(f, f + n, feature);
    std::copy(t, t + n, threshold);
  }
};

template <class Ops>
void predict_rows(const PredictTask<typename Ops::Scalar>& t) {
  using T = typename Ops::Scalar;
  constexpr std::int64_t L = Ops::lanes;
  const ForestView<T>& f = t.forest;
  const auto row_offsets = Ops::row_offsets(f.features);  // lane * features
  const auto divisor = Ops::set1(static_cast<T>(f.trees));
  std::int64_t r = 0;
  for (; r + L <= t.rows; r += L) {
    const T* x = t.x + r * f.features;
    auto sum = Ops::zero();
    for (std::int64_t tree = 0; tree < f.trees; ++tree) {
      const std::int32_t* feature = f.feature + tree * f.internal;
      const T* threshold = f.threshold + tree * f.internal;
      auto node = Ops::zero_index();
      const auto top = Ops::load_top(feature, threshold, f.internal);
      std::int64_t level = 0;
      for (; level < f.depth && (std::int64_t{2} << level) - 1 <= Ops::top_nodes; ++level) {
        const auto xv = Ops::gather(x, Ops::offset(row_offsets, Ops::top_feature(top, node)));
        node = Ops::child(node, xv, Ops::top_threshold(top, node));
      }
      for (; level < f.depth; ++level) {
        const auto fv = Ops::gather_index(feature, node);
        const auto xv = Ops::gather(x, Ops::offset(row_offsets, fv));
        node = Ops::child(node, xv, Ops::gather(threshold, node));
      }
      sum = Ops::add(sum, Ops::gather(f.leaf_value + tree * f.leaves, Ops::leaf(node, f.internal)));
    }
    Ops::store(t.prediction + r, Ops::div(sum, divisor));
  }
  if (r < t.rows) predict_flat(rows_of(t, r, t.rows - r));  // the tail, row by row, same order
}

}  // namespace kprof::targets::forest::simd
