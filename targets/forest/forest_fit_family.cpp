// forest_fit: a random forest classifier fitted on seeded synthetic data, trees spread over n_jobs
// threads as RandomForestClassifier(n_jobs) spreads them (../shared/seeds/004_*: fit time against
// n_jobs, the scaling curve). `kprof run forest_fit --threads 1..N` draws that curve; the output is
// the whole fitted forest, compared with a level-by-level reference with tolerance 0, so every
// thread count must grow the same forest; the held-out accuracy is reported beside the time.
#include <cmath>
#include <span>
#include <vector>

#include "forest_fit.h"
#include "kprof/kprof.h"

namespace kprof::targets::forest {
namespace {

template <class T>
struct ForestFitProblem {
  explicit ForestFitProblem(const Size& s)
      : shape{s["trees"], s["depth"], s["features"], s["bins"],
              std::max<std::int64_t>(1, static_cast<std::int64_t>(std::sqrt(static_cast<double>(s["features"]))))},
        train(make_classification<T>(s["samples"], s["features"], 1)),
        test(make_classification<T>(std::max<std::int64_t>(1, s["samples"] / 4), s["features"], 2)),
        forest(shape.trees * shape.nodes() * kNodeFields) {}
  std::span<const T> output() const { return forest; }
  double held_out_accuracy() const { return accuracy<T>(forest, shape, test); }

  ForestShape shape;
  Labelled<T> train, test;  // test: a quarter as many rows, never seen by the fit
  std::vector<T> forest;
};

// Histogram building dominates: per tree and level, every bootstrap row adds its weight to one bin of
// each candidate feature (one add, counted as one operation), about 63% of the rows being distinct.
double fit_operations(const Size& s) {
  const double candidates = std::max(1.0, std::floor(std::sqrt(static_cast<double>(s["features"]))));
  return static_cast<double>(s["trees"]) * static_cast<double>(s["depth"]) * 0.632 * static_cast<double>(s["samples"]) *
         candidates;
}

}  // namespace

KPROF_FAMILY(forest_fit, ForestFitProblem)
    .describe(
        "random forest classifier fit (CART, Gini, histogram split search, bootstrap per tree), trees over "
        "n_jobs threads; FLOPs counted as histogram updates; held-out accuracy reported")
    .param({.name = "trees", .default_value = 100, .max = 2000, .help = "trees (n_estimators)"})
    .param({.name = "samples", .default_value = 10000, .min = 2, .max = 1 << 24, .help = "training rows"})
    .param({.name = "features", .default_value = 20, .max = 1024, .help = "features per row"})
    .param({.name = "depth", .default_value = 8, .max = 12, .help = "max_depth"})
    .param({.name = "bins",
            .default_value = 32,
            .min = 2,
            .max = 256,
            .help = "histogram bins per feature (quantile edges)",
            .is_shape = false})
    .default_sizes({"trees=100,samples=10000,features=20,depth=8"})
    .test_sizes({"trees=1,samples=2,features=1,depth=1", "trees=7,samples=33,features=7,depth=3",
                 "trees=5,samples=1000,features=13,depth=6,bins=7", "trees=3,samples=200,features=2,depth=12,bins=256"})
    .flops(fit_operations)
    .bytes([](const Size& s, std::size_t e) {
      return static_cast<double>(s["samples"]) * (static_cast<double>(s["features"]) * static_cast<double>(e) + 1);
    })
    .tolerance(0.0, 0.0)  // the same forest, node for node
    .figure("accuracy", [](const auto& p) { return p.held_out_accuracy(); })
    .reference([](auto& p) { fit_forest_reference(p.train, p.shape, std::span(p.forest)); })
    .variant({.name = "serial", .kind = Kind::scalar, .note = "n_jobs=1: trees one after another; KPROF_LINE markers"},
             [](auto& p) { fit_forest(p.train, p.shape, 1, std::span(p.forest)); })
    .variant({.name = "threads",
              .kind = Kind::other,
              .note = "n_jobs=--threads: trees handed out to threads as they finish one",
              .threaded = true},
             [](auto& p) { fit_forest(p.train, p.shape, current_threads(), std::span(p.forest)); });

}  // namespace kprof::targets::forest
