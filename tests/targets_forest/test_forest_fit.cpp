// forest_fit: the fitted forest depends on the data and the seeds only, never on n_jobs (1, 2 and 3
// threads grow it node for node the same, and the same as the level-by-level reference), and it
// learns: its held-out accuracy, the figure reported beside the time, is far above chance.
#include <gtest/gtest.h>

#include <vector>

#include "forest_fit.h"
#include "kprof/kprof.h"

namespace kprof::targets::forest {
namespace {

ForestShape shape_of(std::int64_t trees, std::int64_t depth, std::int64_t features, std::int64_t bins) {
  ForestShape s{trees, depth, features, bins, 1};
  while ((s.candidates + 1) * (s.candidates + 1) <= features) ++s.candidates;
  return s;
}

template <class T>
std::vector<T> fitted(const Labelled<T>& train, const ForestShape& shape, int n_jobs) {
  std::vector<T> forest(shape.trees * shape.nodes() * kNodeFields, T(-7));  // stale values must be overwritten
  fit_forest(train, shape, n_jobs, std::span(forest));
  return forest;
}

template <class T>
void expect_one_forest_for_every_thread_count(std::int64_t rows, const ForestShape& shape) {
  SCOPED_TRACE(::testing::Message() << rows << " rows, " << shape.trees << " trees, depth " << shape.depth);
  const Labelled<T> train = make_classification<T>(rows, shape.features, 1);
  std::vector<T> reference(shape.trees * shape.nodes() * kNodeFields);
  fit_forest_reference(train, shape, std::span(reference));
  for (int n_jobs : {1, 2, 3}) EXPECT_EQ(fitted(train, shape, n_jobs), reference) << n_jobs << " threads";
}

TEST(ForestFit, OneForestForOneTwoAndThreeThreadsEqualToTheReference) {
  expect_one_forest_for_every_thread_count<double>(2000, shape_of(9, 6, 10, 32));
  expect_one_forest_for_every_thread_count<float>(2000, shape_of(9, 6, 10, 32));
  expect_one_forest_for_every_thread_count<double>(300, shape_of(2, 10, 3, 256));  // fewer trees than threads
  expect_one_forest_for_every_thread_count<float>(5, shape_of(4, 3, 1, 2));
}

TEST(ForestFit, TheForestHasSplitsAndLeaves) {
  const ForestShape shape = shape_of(3, 5, 10, 32);
  const std::vector<double> forest = fitted(make_classification<double>(3000, 10, 1), shape, 2);
  int splits = 0, leaves = 0;
  for (std::size_t node = 0; node < forest.size(); node += kNodeFields) {
    splits += forest[node] >= 0;
    leaves += forest[node] == kLeaf;
  }
  EXPECT_GT(splits, 3 * 15);      // most of the 31 internal slots of each depth-5 tree: the data has structure
  EXPECT_EQ(leaves, splits + 3);  // a binary tree: one leaf more than splits, per tree
}

TEST(ForestFit, HeldOutAccuracyIsReportedAndFarAboveChance) {
  const FamilyRecord* family = registry().find("forest_fit");
  ASSERT_NE(family, nullptr);
  ASSERT_EQ(family->figures, std::vector<std::string>{"accuracy"});
  const Size size({{"trees", 30}, {"samples", 4000}, {"features", 12}, {"depth", 6}, {"bins", 32}});
  const CheckResult check = check_variant(*family, 1, size, DType::f64);
  EXPECT_TRUE(check.ok) << check.reason;
  ASSERT_EQ(check.figures.count("accuracy"), 1u);
  EXPECT_GT(check.figures.at("accuracy"), 0.75);
  EXPECT_LE(check.figures.at("accuracy"), 1.0);
}

}  // namespace
}  // namespace kprof::targets::forest
