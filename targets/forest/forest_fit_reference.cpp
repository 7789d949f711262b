// forest_fit's reference: the same forest grown level by level, as histogram-based libraries grow
// their trees (one pass over the rows builds the histograms of every node of a level), tree after
// tree on one thread. It shares the random draws and the split evaluation with the variants and
// nothing else: the row bookkeeping, the histogram building and the order nodes are decided in
// differ, so a variant that partitions or histograms wrongly grows another forest.
#include <vector>

#include "forest_fit.h"

namespace kprof::targets::forest {
namespace {

constexpr std::int32_t kDone = -1;  // a row whose node became a leaf

template <class T>
class LevelGrower {
 public:
  LevelGrower(const Binned<T>& binned, const std::vector<std::uint8_t>& y, const ForestShape& shape, T* out,
              std::int64_t tree)
      : binned_(binned), y_(y), shape_(shape), out_(out), tree_(tree), node_of_(binned.rows, kDone) {}

  void grow() {
    for (std::int64_t node = 0; node < shape_.nodes(); ++node) write_node(out_, node, kNoNode, 0.0, 0.0);
    weight_ = bootstrap_weights(tree_, binned_.rows);
    for (std::int64_t r = 0; r < binned_.rows; ++r)
      if (weight_[r] > 0) node_of_[r] = 0;
    for (std::int64_t level = 0; level <= shape_.depth; ++level) grow_level(level);
  }

 private:
  // Every node of the level: its class weights and candidate histograms in one pass over the rows,
  // then its decision, then the rows moved to the children.
  void grow_level(std::int64_t level) {
    const std::int64_t first = (std::int64_t{1} << level) - 1, count = std::int64_t{1} << level;
    const std::int64_t per_node = shape_.candidates * shape_.bins * 2;
    std::vector<std::int64_t> weights(2 * count, 0), histograms(count * per_node, 0);
    std::vector<std::int32_t> candidates(count * shape_.candidates);
    for (std::int64_t k = 0; k < count; ++k)
      candidate_features(tree_, first + k, shape_, &candidates[k * shape_.candidates]);
    for (std::int64_t r = 0; r < binned_.rows; ++r) {
      const std::int64_t k = node_of_[r] - first;
      if (node_of_[r] == kDone || k < 0 || k >= count) continue;
      weights[2 * k + y_[r]] += weight_[r];
      for (std::int64_t c = 0; c < shape_.candidates; ++c) {
        const std::int64_t f = candidates[k * shape_.candidates + c];
        histograms[k * per_node + c * shape_.bins * 2 + 2 * binned_.bin[f * binned_.rows + r] + y_[r]] += weight_[r];
      }
    }
    std::vector<std::int32_t> split_feature(count, -1), split_bin(count, -1);
    for (std::int64_t k = 0; k < count; ++k) {
      const std::int64_t w0 = weights[2 * k], w1 = weights[2 * k + 1];
      if (w0 + w1 == 0) continue;  // no row reached this slot: no node
      const double value = static_cast<double>(w1) / static_cast<double>(w0 + w1);
      if (level < shape_.depth && w0 > 0 && w1 > 0) {
        Split best;
        for (std::int64_t c = 0; c < shape_.candidates; ++c) {
          const std::int32_t f = candidates[k * shape_.candidates + c];
          const Split s =
              best_split(&histograms[k * per_node + c * shape_.bins * 2], binned_.edge_count[f] + 1, w0, w1);
          if (s.bin >= 0 && (split_feature[k] < 0 || s.score > best.score)) {
            best = s;
            split_feature[k] = f;
          }
        }
        if (split_feature[k] >= 0 && !worth_splitting(best, w0, w1)) split_feature[k] = -1;
        split_bin[k] = best.bin;
      }
      if (split_feature[k] < 0) {
        write_node(out_, first + k, kLeaf, 0.0, value);
      } else {
        const std::int32_t f = split_feature[k];
        write_node(out_, first + k, f, binned_.edges[f * (shape_.bins - 1) + split_bin[k]], 0.0);
      }
    }
    for (std::int64_t r = 0; r < binned_.rows; ++r) {
      const std::int64_t node = node_of_[r], k = node - first;
      if (node == kDone || k < 0 || k >= count) continue;
      const std::int32_t f = split_feature[k];
      node_of_[r] =
          f < 0 ? kDone
                : static_cast<std::int32_t>(2 * node + (binned_.bin[f * binned_.rows + r] <= split_bin[k] ? 1 : 2));
    }
  }

  const Binned<T>& binned_;
  const std::vector<std::uint8_t>& y_;
  const ForestShape& shape_;
  T* out_;
  std::int64_t tree_;
  std::vector<std::int32_t> node_of_, weight_;
};

}  // namespace

template <class T>
void fit_forest_reference(const Labelled<T>& train, const ForestShape& shape, std::span<T> forest) {
  const Binned<T> binned = bin_features(train, shape.bins);
  for (std::int64_t t = 0; t < shape.trees; ++t)
    LevelGrower<T>(binned, train.y, shape, forest.data() + t * shape.nodes() * kNodeFields, t).grow();
}

template void fit_forest_reference(const Labelled<float>&, const ForestShape&, std::span<float>);
template void fit_forest_reference(const Labelled<double>&, const ForestShape&, std::span<double>);

}  // namespace kprof::targets::forest
