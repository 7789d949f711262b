// forest_fit's data, its shared decisions (bootstrap, candidate features, the split evaluation) and
// the depth-first fitter the variants run, trees over n_jobs threads. KPROF_LINE markers separate
// histogram building from split evaluation (`kprof lines forest_fit/serial`).
#include "forest_fit.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

#include "forest_random.h"
#include "kprof/lines.h"

namespace kprof::targets::forest {
namespace {

// Seeds by purpose (forest_random.h): the predict family's trees use purpose 1.
constexpr std::uint64_t kData = 2, kBootstrap = 3, kCandidates = 4;

// Grows trees depth first with its own scratch: one per thread, reused for every tree it fits.
template <class T>
class TreeGrower {
 public:
  TreeGrower(const Binned<T>& binned, const std::vector<std::uint8_t>& y, const ForestShape& shape)
      : binned_(binned), y_(y), shape_(shape), candidates_(shape.candidates), histogram_(2 * shape.bins) {}

  void grow(std::int64_t tree, T* out) {
    KPROF_FUNCTION;
    out_ = out;
    std::fill(out, out + shape_.nodes() * kNodeFields, T(0));
    for (std::int64_t node = 0; node < shape_.nodes(); ++node) out[node * kNodeFields] = T(kNoNode);
    tree_ = tree;
    KPROF_LINE;
    weight_ = bootstrap_weights(tree, binned_.rows);
    rows_.clear();
    std::int64_t w0 = 0, w1 = 0;
    KPROF_LINE;
    for (std::int64_t r = 0; r < binned_.rows; ++r)
      if (weight_[r] > 0) {
        rows_.push_back(static_cast<std::int32_t>(r));
        (y_[r] ? w1 : w0) += weight_[r];
      }
    scratch_.resize(rows_.size());
    KPROF_LINE;
    grow_node(0, 0, static_cast<std::int64_t>(rows_.size()), 0, w0, w1);
  }

 private:
  struct Choice {
    Split split;
    std::int32_t feature = -1;
  };

  void grow_node(std::int64_t node, std::int64_t begin, std::int64_t end, std::int64_t level, std::int64_t w0,
                 std::int64_t w1) {
    const double value = static_cast<double>(w1) / static_cast<double>(w0 + w1);
    if (level == shape_.depth || w0 == 0 || w1 == 0) return write_node(out_, node, kLeaf, 0.0, value);
    const Choice best = search_split(node, begin, end, w0, w1);
    if (best.feature < 0) return write_node(out_, node, kLeaf, 0.0, value);
    const std::int64_t middle = partition(begin, end, best);
    write_node(out_, node, best.feature, binned_.edges[best.feature * (shape_.bins - 1) + best.split.bin], 0.0);
    std::int64_t left0 = 0, left1 = 0;
    for (std::int64_t i = begin; i < middle; ++i) (y_[rows_[i]] ? left1 : left0) += weight_[rows_[i]];
    grow_node(2 * node + 1, begin, middle, level + 1, left0, left1);
    grow_node(2 * node + 2, middle, end, level + 1, w0 - left0, w1 - left1);
  }

  // The candidate features' histograms of this node's rows, each evaluated as soon as it is built.
  Choice search_split(std::int64_t node, std::int64_t begin, std::int64_t end, std::int64_t w0, std::int64_t w1) {
    KPROF_FUNCTION;
    candidate_features(tree_, node, shape_, candidates_.data());
    Choice best;
    for (const std::int32_t f : candidates_) {
      const std::uint8_t* bins = binned_.bin.data() + f * binned_.rows;
      KPROF_LINE;
      std::fill(histogram_.begin(), histogram_.end(), 0);
      KPROF_LINE;
      for (std::int64_t i = begin; i < end; ++i) {
        const std::int32_t r = rows_[i];
        histogram_[2 * bins[r] + y_[r]] += weight_[r];
      }
      KPROF_LINE;
      const Split s = best_split(histogram_.data(), binned_.edge_count[f] + 1, w0, w1);
      KPROF_LINE;
      if (s.bin >= 0 && (best.feature < 0 || s.score > best.split.score)) best = {s, f};
    }
    KPROF_LINE;
    if (best.feature >= 0 && !worth_splitting(best.split, w0, w1)) best.feature = -1;
    return best;
  }

  // Rows going left first, each side in its previous order; returns where the right side starts.
  // Branchless: every row is written to both sides and only the side it belongs to advances. Which
  // side a row takes is a coin toss to the branch predictor; std::copy_if + remove_copy_if spent
  // half the fit mispredicting it (docs/targets/forest.md, `kprof lines`).
  std::int64_t partition(std::int64_t begin, std::int64_t end, const Choice& c) {
    KPROF_FUNCTION;
    const std::uint8_t* bins = binned_.bin.data() + c.feature * binned_.rows;
    const std::int32_t split = c.split.bin;
    std::int32_t* rows = rows_.data() + begin;  // the left side, written in place: it never overtakes i
    std::int32_t* right = scratch_.data();
    std::int64_t left_count = 0, right_count = 0;
    KPROF_LINE;
    for (std::int64_t i = 0; i < end - begin; ++i) {
      const std::int32_t r = rows[i];
      const bool left = bins[r] <= split;
      rows[left_count] = r;
      right[right_count] = r;
      left_count += left;
      right_count += !left;
    }
    KPROF_LINE;
    std::copy(right, right + right_count, rows + left_count);
    return begin + left_count;
  }

  const Binned<T>& binned_;
  const std::vector<std::uint8_t>& y_;
  const ForestShape& shape_;
  std::vector<std::int32_t> candidates_;
  std::vector<std::int64_t> histogram_;  // bins x 2 class weights
  std::vector<std::int32_t> weight_, rows_, scratch_;
  std::int64_t tree_ = 0;
  T* out_ = nullptr;
};

}  // namespace

template <class T>
Labelled<T> make_classification(std::int64_t rows, std::int64_t features, std::uint64_t seed) {
  Labelled<T> d{rows, features, std::vector<T>(rows * features), std::vector<std::uint8_t>(rows)};
  const std::int64_t informative = std::max<std::int64_t>(1, features / 3);
  for (std::int64_t r = 0; r < rows; ++r) {
    SplitMix rng(seed_of(kData, seed, static_cast<std::uint64_t>(r)));
    const int label = static_cast<int>(rng.below(2));
    for (std::int64_t j = 0; j < features; ++j) {
      const double shift = j < informative ? (label ? 0.5 : -0.5) * (j % 2 ? -1 : 1) : 0.0;
      d.x[r * features + j] = static_cast<T>(shift + rng.uniform(-1.0, 1.0));
    }
    d.y[r] = static_cast<std::uint8_t>(rng.uniform(0.0, 1.0) < 0.05 ? 1 - label : label);
  }
  return d;
}

// Quantile edges of one feature and the bin of every row's value.
template <class T>
void bin_feature(const Labelled<T>& data, std::int64_t f, Binned<T>& b) {
  std::vector<T> column(data.rows);
  for (std::int64_t r = 0; r < data.rows; ++r) column[r] = data.x[r * data.features + f];
  std::sort(column.begin(), column.end());
  T* edges = b.edges.data() + f * (b.bins - 1);
  std::int32_t count = 0;
  for (std::int64_t k = 1; k < b.bins; ++k) {
    const T edge = column[k * data.rows / b.bins];
    if (count == 0 || edge > edges[count - 1]) edges[count++] = edge;
  }
  if (count > 0 && edges[count - 1] >= column.back()) --count;  // an edge nothing lies above splits nothing
  b.edge_count[f] = count;
  for (std::int64_t r = 0; r < data.rows; ++r)
    b.bin[f * data.rows + r] =
        static_cast<std::uint8_t>(std::lower_bound(edges, edges + count, data.x[r * data.features + f]) - edges);
}

template <class T>
Binned<T> bin_features(const Labelled<T>& data, std::int64_t bins, int threads) {
  Binned<T> b{data.rows,
              data.features,
              bins,
              std::vector<T>(data.features * (bins - 1)),
              std::vector<std::int32_t>(data.features),
              std::vector<std::uint8_t>(data.features * data.rows)};
  // Features are independent: thread j bins features j, j + threads, ...; the result is the same.
  const std::int64_t workers = std::clamp<std::int64_t>(threads, 1, data.features);
  auto job = [&](std::int64_t first) {
    for (std::int64_t f = first; f < data.features; f += workers) bin_feature(data, f, b);
  };
  std::vector<std::thread> helpers;
  for (std::int64_t j = 1; j < workers; ++j) helpers.emplace_back(job, j);
  job(0);
  for (auto& h : helpers) h.join();
  return b;
}

std::vector<std::int32_t> bootstrap_weights(std::int64_t tree, std::int64_t rows) {
  std::vector<std::int32_t> weight(rows, 0);
  SplitMix rng(seed_of(kBootstrap, static_cast<std::uint64_t>(tree)));
  for (std::int64_t i = 0; i < rows; ++i) ++weight[rng.below(static_cast<std::uint64_t>(rows))];
  return weight;
}

void candidate_features(std::int64_t tree, std::int64_t node, const ForestShape& shape, std::int32_t* out) {
  // Distinct features drawn one by one, a repeat drawn again: at most sqrt(features) of them, so
  // repeats are rare, and no per-node buffer is allocated (`kprof mem` counted one per node).
  SplitMix rng(seed_of(kCandidates, static_cast<std::uint64_t>(tree), static_cast<std::uint64_t>(node)));
  for (std::int64_t i = 0; i < shape.candidates; ++i) {
    std::int32_t f = 0;
    do f = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(shape.features)));
    while (std::find(out, out + i, f) != out + i);
    out[i] = f;
  }
}

Split best_split(const std::int64_t* histogram, std::int32_t bins, std::int64_t w0, std::int64_t w1) {
  Split best;
  std::int64_t left0 = 0, left1 = 0;
  for (std::int32_t b = 0; b + 1 < bins; ++b) {
    left0 += histogram[2 * b];
    left1 += histogram[2 * b + 1];
    const std::int64_t right0 = w0 - left0, right1 = w1 - left1;
    const double left = static_cast<double>(left0 + left1), right = static_cast<double>(right0 + right1);
    if (left == 0 || right == 0) continue;
    const double l0 = static_cast<double>(left0), l1 = static_cast<double>(left1);
    const double r0 = static_cast<double>(right0), r1 = static_cast<double>(right1);
    const double score = (l0 * l0 + l1 * l1) / left + (r0 * r0 + r1 * r1) / right;
    if (best.bin < 0 || score > best.score) best = {score, b};
  }
  return best;
}

bool worth_splitting(const Split& s, std::int64_t w0, std::int64_t w1) {
  const double a = static_cast<double>(w0), b = static_cast<double>(w1);
  return s.score > (a * a + b * b) / (a + b) * (1 + 1e-12);
}

template <class T>
void write_node(T* tree, std::int64_t node, double feature, double threshold, double value) {
  tree[node * kNodeFields] = static_cast<T>(feature);
  tree[node * kNodeFields + 1] = static_cast<T>(threshold);
  tree[node * kNodeFields + 2] = static_cast<T>(value);
}

// The trees handed out to n_jobs threads as each finishes one (joblib's workers pulling tasks).
template <class T>
void fit_trees(const Binned<T>& binned, const Labelled<T>& train, const ForestShape& shape, int n_jobs,
               std::span<T> forest) {
  std::atomic<std::int64_t> next{0};
  auto job = [&] {
    TreeGrower<T> grower(binned, train.y, shape);
    for (std::int64_t t = next++; t < shape.trees; t = next++)
      grower.grow(t, forest.data() + t * shape.nodes() * kNodeFields);
  };
  std::vector<std::thread> helpers;
  const std::int64_t jobs = std::clamp<std::int64_t>(n_jobs, 1, shape.trees);
  for (std::int64_t j = 1; j < jobs; ++j) helpers.emplace_back(job);
  job();
  for (auto& h : helpers) h.join();
}

template <class T>
void fit_forest(const Labelled<T>& train, const ForestShape& shape, int n_jobs, std::span<T> forest) {
  KPROF_FUNCTION;
  KPROF_LINE;
  const Binned<T> binned = bin_features(train, shape.bins, n_jobs);
  KPROF_LINE;
  fit_trees(binned, train, shape, n_jobs, forest);
}

template <class T>
double accuracy(std::span<const T> forest, const ForestShape& shape, const Labelled<T>& test) {
  std::int64_t right = 0;
  for (std::int64_t r = 0; r < test.rows; ++r) {
    const T* x = test.x.data() + r * test.features;
    double sum = 0;
    for (std::int64_t t = 0; t < shape.trees; ++t) {
      const T* tree = forest.data() + t * shape.nodes() * kNodeFields;
      std::int64_t node = 0;
      while (tree[node * kNodeFields] >= 0) {
        const auto f = static_cast<std::int64_t>(tree[node * kNodeFields]);
        node = 2 * node + (x[f] <= tree[node * kNodeFields + 1] ? 1 : 2);
      }
      sum += static_cast<double>(tree[node * kNodeFields + 2]);
    }
    right += (sum / static_cast<double>(shape.trees) > 0.5 ? 1 : 0) == test.y[r];
  }
  return test.rows ? static_cast<double>(right) / static_cast<double>(test.rows) : 0.0;
}

#define KPROF_FOREST_FIT_INSTANTIATE(T)                                                \
  template Labelled<T> make_classification(std::int64_t, std::int64_t, std::uint64_t); \
  template Binned<T> bin_features(const Labelled<T>&, std::int64_t, int);              \
  template void write_node(T*, std::int64_t, double, double, double);                  \
  template void fit_forest(const Labelled<T>&, const ForestShape&, int, std::span<T>); \
  template double accuracy(std::span<const T>, const ForestShape&, const Labelled<T>&);
KPROF_FOREST_FIT_INSTANTIATE(float)
KPROF_FOREST_FIT_INSTANTIATE(double)
#undef KPROF_FOREST_FIT_INSTANTIATE

}  // namespace kprof::targets::forest
