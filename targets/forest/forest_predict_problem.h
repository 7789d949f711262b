#pragma once
// forest_predict's problem: a seeded random forest of `trees` perfect trees of `depth`, on
// `features` features, and `batch` rows to predict. Each internal node tests a random feature
// against a threshold drawn from the middle of the data's range (so rows spread over the leaves);
// each leaf holds a class-1 probability. Setup also builds what the variants need and is never
// timed: the node-by-node pointer form, the GEMM strategy's matrices and the intermediate blocks.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "forest_kernels.h"
#include "forest_random.h"
#include "kprof/errors.h"
#include "kprof/kernel.h"
#include "kprof/size.h"

namespace kprof::targets::forest {

// One node of the pointer form, as a first port of tree code allocates them: a leaf has no children.
template <class T>
struct Node {
  std::int32_t feature = 0;
  T threshold{};
  T value{};
  std::unique_ptr<Node> left, right;
};

template <class T>
struct ForestPredictProblem {
  explicit ForestPredictProblem(const Size& s);
  std::span<const T> output() const { return prediction; }

  PredictTask<T> task() { return {view(), x.data(), batch, prediction.data()}; }
  GemmTask<T> gemm_task() {
    return {task(), a.data(), c.data(), d.data(), chunk, xa.data(), paths.data(), tree_values.data()};
  }
  ForestView<T> view() const {
    return {trees, depth, features, internal, leaves, feature.data(), threshold.data(), leaf_value.data()};
  }

  std::int64_t trees, depth, features, batch, chunk, internal, leaves;
  std::vector<std::int32_t> feature;  // trees x internal
  std::vector<T> threshold, leaf_value, x, prediction;
  std::vector<std::unique_ptr<Node<T>>> roots;  // the pointer form, for `traverse`
  std::vector<T> a, c, d;                       // the GEMM strategy's matrices (B and E are threshold, leaf_value)
  std::vector<T> xa, paths, tree_values;        // GEMM intermediates, chunk rows each

 private:
  void grow_random_forest();
  std::unique_ptr<Node<T>> pointer_tree(std::int64_t tree, std::int64_t node) const;
  void build_gemm_matrices();
};

// Elements of the largest matrix (A: trees x features x internal) a size may ask for.
inline constexpr std::int64_t kForestMaxElements = std::int64_t{1} << 27;

template <class T>
ForestPredictProblem<T>::ForestPredictProblem(const Size& s)
    : trees(s["trees"]),
      depth(s["depth"]),
      features(s["features"]),
      batch(s["batch"]),
      chunk(std::min(s["chunk"], s["batch"])),
      internal((std::int64_t{1} << depth) - 1),
      leaves(std::int64_t{1} << depth) {
  if (trees * features * internal > kForestMaxElements)
    throw UsageError("forest_predict: trees*features*2^depth = " + std::to_string(trees * features * internal) +
                     " elements of the GEMM strategy's A is too large (limit 2^27); lower trees, features or depth");
  grow_random_forest();
  x.resize(batch * features);
  fill_uniform(std::span<T>(x), 41);
  prediction.assign(batch, T(0));
  for (std::int64_t t = 0; t < trees; ++t) roots.push_back(pointer_tree(t, 0));
  build_gemm_matrices();
  xa.resize(chunk * internal);
  paths.resize(chunk * leaves);
  tree_values.resize(chunk * trees);
}

template <class T>
void ForestPredictProblem<T>::grow_random_forest() {
  feature.resize(trees * internal);
  threshold.resize(trees * internal);
  leaf_value.resize(trees * leaves);
  for (std::int64_t t = 0; t < trees; ++t) {
    SplitMix rng(seed_of(1, static_cast<std::uint64_t>(t)));
    for (std::int64_t i = 0; i < internal; ++i) {
      feature[t * internal + i] = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(features)));
      threshold[t * internal + i] = static_cast<T>(rng.uniform(-0.5, 0.5));  // rows are uniform in [-1, 1]
    }
    for (std::int64_t l = 0; l < leaves; ++l) leaf_value[t * leaves + l] = static_cast<T>(rng.uniform(0.0, 1.0));
  }
}

template <class T>
std::unique_ptr<Node<T>> ForestPredictProblem<T>::pointer_tree(std::int64_t tree, std::int64_t node) const {
  auto n = std::make_unique<Node<T>>();
  if (node >= internal) {
    n->value = leaf_value[tree * leaves + node - internal];
    return n;
  }
  n->feature = feature[tree * internal + node];
  n->threshold = threshold[tree * internal + node];
  n->left = pointer_tree(tree, 2 * node + 1);
  n->right = pointer_tree(tree, 2 * node + 2);
  return n;
}

template <class T>
void ForestPredictProblem<T>::build_gemm_matrices() {
  a.assign(trees * features * internal, T(0));
  for (std::int64_t t = 0; t < trees; ++t)
    for (std::int64_t i = 0; i < internal; ++i)
      a[t * features * internal + feature[t * internal + i] * internal + i] = T(1);
  c.assign(internal * leaves, T(0));
  d.assign(leaves, T(0));
  for (std::int64_t l = 0; l < leaves; ++l) {
    // Walk up from the leaf: a node whose left child is on the path sees the leaf on its left.
    for (std::int64_t child = internal + l; child > 0; child = (child - 1) / 2) {
      const std::int64_t parent = (child - 1) / 2;
      const bool left = child == 2 * parent + 1;
      c[parent * leaves + l] = left ? T(1) : T(-1);
      if (left) d[l] += T(1);
    }
  }
}

}  // namespace kprof::targets::forest

namespace kprof::targets::forest {

// `traverse`: node by node through the pointer form, one row and one tree at a time, as a first
// port of scikit-learn's tree code would walk it (KPROF_LINE markers: `kprof lines`).
template <class T>
void predict_pointers(ForestPredictProblem<T>& p);

}  // namespace kprof::targets::forest
