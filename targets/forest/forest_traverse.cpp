// The scalar traversals at the x86-64 baseline: `traverse` (pointer chasing through heap nodes, with
// KPROF_LINE markers for `kprof lines forest_predict/traverse`), the flat reference traversal the
// SIMD kernels also use for their tail rows, and the elementwise steps of the GEMM strategy.
#include "forest_kernels.h"
#include "forest_predict_problem.h"
#include "kprof/lines.h"

namespace kprof::targets::forest {

template <class T>
void predict_pointers(ForestPredictProblem<T>& p) {
  KPROF_FUNCTION;
  for (std::int64_t r = 0; r < p.batch; ++r) {
    const T* x = p.x.data() + r * p.features;
    T sum = 0;
    for (const auto& root : p.roots) {
      // One marker per row and tree for each line: the two lines alternate, so each reads the clock.
      KPROF_LINE;
      const Node<T>* node = root.get();
      while (node->left) node = x[node->feature] <= node->threshold ? node->left.get() : node->right.get();
      KPROF_LINE;
      sum += node->value;
    }
    KPROF_LINE;
    p.prediction[r] = sum / static_cast<T>(p.trees);
  }
}

template <class T>
void predict_flat(const PredictTask<T>& t) {
  const ForestView<T>& f = t.forest;
  for (std::int64_t r = 0; r < t.rows; ++r) {
    const T* x = t.x + r * f.features;
    T sum = 0;
    for (std::int64_t tree = 0; tree < f.trees; ++tree) {
      const std::int32_t* feature = f.feature + tree * f.internal;
      const T* threshold = f.threshold + tree * f.internal;
      std::int64_t node = 0;
      for (std::int64_t level = 0; level < f.depth; ++level)
        node = 2 * node + (x[feature[node]] <= threshold[node] ? 1 : 2);
      sum += f.leaf_value[tree * f.leaves + node - f.internal];
    }
    t.prediction[r] = sum / static_cast<T>(f.trees);
  }
}

template <class T>
void left_turns(T* xa, std::int64_t rows, std::int64_t internal, const T* thresholds) {
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t i = 0; i < internal; ++i)
      xa[r * internal + i] = xa[r * internal + i] <= thresholds[i] ? T(1) : T(0);
}

template <class T>
void reached_leaf(T* paths, std::int64_t rows, std::int64_t leaves, const T* d) {
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t l = 0; l < leaves; ++l) paths[r * leaves + l] = paths[r * leaves + l] == d[l] ? T(1) : T(0);
}

template <class T>
void mean_over_trees(const T* tree_values, std::int64_t rows, std::int64_t trees, T* prediction) {
  for (std::int64_t r = 0; r < rows; ++r) {
    T sum = 0;
    for (std::int64_t t = 0; t < trees; ++t) sum += tree_values[r * trees + t];
    prediction[r] = sum / static_cast<T>(trees);
  }
}

#define KPROF_FOREST_INSTANTIATE(T)                                     \
  template void predict_pointers(ForestPredictProblem<T>&);             \
  template void predict_flat(const PredictTask<T>&);                    \
  template void left_turns(T*, std::int64_t, std::int64_t, const T*);   \
  template void reached_leaf(T*, std::int64_t, std::int64_t, const T*); \
  template void mean_over_trees(const T*, std::int64_t, std::int64_t, T*);
KPROF_FOREST_INSTANTIATE(float)
KPROF_FOREST_INSTANTIATE(double)
#undef KPROF_FOREST_INSTANTIATE

}  // namespace kprof::targets::forest
