#pragma once
// forest_fit: a random forest classifier fitted as scikit-learn's RandomForestClassifier(n_jobs)
// fits one (../shared/seeds/004_*): each tree a CART tree grown on its own bootstrap sample, with
// sqrt(features) candidate features per node and Gini impurity, the trees spread over n_jobs
// threads. The split search is histogram based: features are binned once at quantile edges, and a
// node's best split is found from per-bin class weights (histogram building, then split
// evaluation: the two hot spots `kprof lines` separates).
//
// Every random draw is seeded by what it is for (a tree's bootstrap, a node's candidate features),
// never by a thread or an order, so the fitted forest is the same for every thread count.
#include <cstdint>
#include <span>
#include <vector>

#include "kprof/size.h"

namespace kprof::targets::forest {

// A seeded two-class problem in the manner of make_classification: a third of the features (at
// least one) carry the class as a shift of their mean by ±0.5 over uniform noise in [-1, 1], the
// rest are noise, and 5% of the labels are flipped.
template <class T>
struct Labelled {
  std::int64_t rows = 0, features = 0;
  std::vector<T> x;             // rows x features, row-major
  std::vector<std::uint8_t> y;  // 0 or 1
};
template <class T>
Labelled<T> make_classification(std::int64_t rows, std::int64_t features, std::uint64_t seed);

// The features binned once for the whole fit: per feature, up to bins-1 increasing edges (quantiles
// of the training values); a value's bin is the number of edges below it, so bin <= b is x <= edge[b].
template <class T>
struct Binned {
  std::int64_t rows = 0, features = 0, bins = 0;
  std::vector<T> edges;                  // features x (bins - 1)
  std::vector<std::int32_t> edge_count;  // features
  std::vector<std::uint8_t> bin;         // features x rows (feature-major: a histogram reads one column)
};
// Features binned over `threads` threads (each feature is binned alone: the same result for any count).
template <class T>
Binned<T> bin_features(const Labelled<T>& data, std::int64_t bins, int threads = 1);

struct ForestShape {
  std::int64_t trees = 0, depth = 0, features = 0, bins = 0;
  std::int64_t candidates = 1;  // features tried per node: max(1, floor(sqrt(features)))
  std::int64_t nodes() const { return (std::int64_t{2} << depth) - 1; }  // heap slots per tree
};

// The fitted forest in heap order (children of node i: 2i+1, 2i+2), three numbers per node slot:
// the feature (-1 a leaf, -2 no node), the threshold (x <= threshold goes left) and the leaf's
// class-1 probability. As T, so that it is the family's output compared with the reference.
inline constexpr int kNodeFields = 3;
inline constexpr double kLeaf = -1, kNoNode = -2;

// The random draws and the split evaluation both fitters share (forest_fit.cpp).
std::vector<std::int32_t> bootstrap_weights(std::int64_t tree, std::int64_t rows);
void candidate_features(std::int64_t tree, std::int64_t node, const ForestShape& shape, std::int32_t* out);
struct Split {
  double score = 0;  // sum over both sides of (w0² + w1²) / w: larger is purer (lower Gini)
  std::int32_t bin = -1;
};
// The best split of a histogram of bins x 2 class weights, first best on ties; bin -1: none.
Split best_split(const std::int64_t* histogram, std::int32_t bins, std::int64_t w0, std::int64_t w1);
// A split must beat the node's own score by more than rounding to be worth a node.
bool worth_splitting(const Split& s, std::int64_t w0, std::int64_t w1);
template <class T>
void write_node(T* tree, std::int64_t node, double feature, double threshold, double value);

// Fits every tree of `shape` on n_jobs threads, depth-first with per-node histograms: the variants.
template <class T>
void fit_forest(const Labelled<T>& train, const ForestShape& shape, int n_jobs, std::span<T> forest);
// The same forest grown level by level, every node of a level histogrammed in one pass over the
// rows: the plain reference, a different traversal of the same decisions.
template <class T>
void fit_forest_reference(const Labelled<T>& train, const ForestShape& shape, std::span<T> forest);

// Share of `test` rows whose class the forest gets right (mean probability over trees > 0.5).
template <class T>
double accuracy(std::span<const T> forest, const ForestShape& shape, const Labelled<T>& test);

}  // namespace kprof::targets::forest
