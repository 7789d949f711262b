// forest_predict: Hummingbird's GEMM strategy must pick exactly the leaf the traversal reaches, for
// every row and tree, whatever the depth, and with a batch of one row; the variants that run it
// (OpenBLAS, Eigen) and the SIMD and pointer traversals must give the traversal's predictions bit
// for bit.
#include <gtest/gtest.h>

#include <vector>

#include "forest_predict_problem.h"
#include "kprof/kprof.h"

namespace kprof::targets::forest {
namespace {

Size predict_size(std::int64_t trees, std::int64_t depth, std::int64_t features, std::int64_t batch,
                  std::int64_t chunk = 256) {
  return Size({{"trees", trees}, {"depth", depth}, {"features", features}, {"batch", batch}, {"chunk", chunk}});
}

// The leaf (0 .. leaves-1) a row reaches in a tree by walking it.
template <class T>
std::int64_t walked_leaf(const ForestPredictProblem<T>& p, std::int64_t row, std::int64_t tree) {
  const T* x = p.x.data() + row * p.features;
  std::int64_t node = 0;
  while (node < p.internal)
    node = 2 * node + (x[p.feature[tree * p.internal + node]] <= p.threshold[tree * p.internal + node] ? 1 : 2);
  return node - p.internal;
}

// The leaves the matrices select, in plain loops: S = (X·A_t <= B_t), P = S·C, H = (P == D).
template <class T>
std::vector<std::int64_t> gemm_leaves(const ForestPredictProblem<T>& p, std::int64_t row, std::int64_t tree) {
  std::vector<T> s(p.internal);
  for (std::int64_t i = 0; i < p.internal; ++i) {
    T xa = 0;
    for (std::int64_t f = 0; f < p.features; ++f)
      xa += p.x[row * p.features + f] * p.a[tree * p.features * p.internal + f * p.internal + i];
    s[i] = xa <= p.threshold[tree * p.internal + i] ? T(1) : T(0);
  }
  std::vector<std::int64_t> leaves;
  for (std::int64_t l = 0; l < p.leaves; ++l) {
    T path = 0;
    for (std::int64_t i = 0; i < p.internal; ++i) path += s[i] * p.c[i * p.leaves + l];
    if (path == p.d[l]) leaves.push_back(l);
  }
  return leaves;
}

template <class T>
void put_rows_on_thresholds(ForestPredictProblem<T>& p);

template <class T>
void expect_gemm_matrices_select_the_walked_leaf(const Size& size) {
  SCOPED_TRACE(size.str());
  ForestPredictProblem<T> p(size);
  put_rows_on_thresholds(p);
  for (std::int64_t row = 0; row < p.batch; ++row)
    for (std::int64_t tree = 0; tree < p.trees; ++tree)
      ASSERT_EQ(gemm_leaves(p, row, tree), std::vector<std::int64_t>{walked_leaf(p, row, tree)})
          << "row " << row << ", tree " << tree;
}

TEST(ForestPredict, GemmMatricesSelectTheLeafTheTraversalReaches) {
  for (std::int64_t depth : {1, 2, 3, 5, 8}) {
    expect_gemm_matrices_select_the_walked_leaf<float>(predict_size(4, depth, 6, 50));
    expect_gemm_matrices_select_the_walked_leaf<double>(predict_size(4, depth, 6, 50));
  }
  expect_gemm_matrices_select_the_walked_leaf<double>(predict_size(3, 4, 1, 1));  // one row, one feature
}

TEST(ForestPredict, LeavesAreReachedByRowsOnBothSidesOfTheRoot) {
  // Thresholds from the middle of the data: a forest whose rows all went one way would test little.
  const ForestPredictProblem<double> p(predict_size(10, 4, 8, 200));
  int left = 0;
  for (std::int64_t row = 0; row < p.batch; ++row) left += walked_leaf(p, row, 0) < p.leaves / 2;
  EXPECT_GT(left, 20);
  EXPECT_LT(left, 180);
}

const FamilyRecord& predict_family() {
  const FamilyRecord* family = registry().find("forest_predict");
  if (!family) throw std::logic_error("forest_predict is not registered");
  return *family;
}

template <class T>
ForestPredictProblem<T>& problem_of(Instance& instance) {
  return *static_cast<ForestPredictProblem<T>*>(instance.problem());
}

// Every third row takes the threshold of some tree's root as the value of its feature: a tie, which
// goes left (x <= threshold) in every variant, GEMM comparisons included.
template <class T>
void put_rows_on_thresholds(ForestPredictProblem<T>& p) {
  for (std::int64_t row = 0; row < p.batch; row += 3) {
    const std::int64_t tree = row % p.trees;
    p.x[row * p.features + p.feature[tree * p.internal]] = p.threshold[tree * p.internal];
  }
}

// Every variant this CPU can run, at several depths and at batch 1 (one-by-one), equal to the plain
// traversal bit for bit (EXPECT_EQ on the vectors: no tolerance).
template <class T>
void expect_every_variant_predicts_as_the_traversal(const Size& size, DType dtype) {
  SCOPED_TRACE(size.str());
  const FamilyRecord& family = predict_family();
  auto reference = family.make_instance(size, dtype);
  put_rows_on_thresholds(problem_of<T>(*reference));
  reference->run_reference();
  for (std::size_t v = 0; v < family.variants.size(); ++v) {
    if (!cpu_supports(family.variants[v].spec.isa)) continue;
    SCOPED_TRACE(family.variants[v].spec.name);
    auto instance = family.make_instance(size, dtype);
    put_rows_on_thresholds(problem_of<T>(*instance));
    instance->run(v, 2);  // twice: a variant must write its output, not accumulate into it
    EXPECT_EQ(problem_of<T>(*instance).prediction, problem_of<T>(*reference).prediction);
  }
}

TEST(ForestPredict, EveryVariantPredictsExactlyAsTheTraversal) {
  for (std::int64_t depth : {1, 3, 6, 9})
    for (std::int64_t batch : {1, 17, 300}) {
      expect_every_variant_predicts_as_the_traversal<float>(predict_size(5, depth, 11, batch, 64), DType::f32);
      expect_every_variant_predicts_as_the_traversal<double>(predict_size(5, depth, 11, batch, 64), DType::f64);
    }
}

TEST(ForestPredict, ThreadsSplitRowsWithoutChangingAPrediction) {
  const FamilyRecord& family = predict_family();
  for (int threads : {2, 3}) {
    set_threads(threads);
    expect_every_variant_predicts_as_the_traversal<double>(predict_size(6, 5, 9, 301), DType::f64);
    expect_every_variant_predicts_as_the_traversal<float>(predict_size(6, 5, 9, 5),
                                                          DType::f32);  // fewer rows than threads' vectors
  }
  set_threads(1);
  EXPECT_NE(family.find_variant("threads-avx512"), nullptr);
}

TEST(ForestPredict, AGemmMatrixLargerThanTheLimitIsRefused) {
  EXPECT_THROW(ForestPredictProblem<float>(predict_size(1024, 12, 256, 1)), UsageError);
}

}  // namespace
}  // namespace kprof::targets::forest
