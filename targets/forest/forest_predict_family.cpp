// forest_predict: a random forest predicting a batch of rows, the deployment question of
// ../shared/seeds/002_* and 003_*: node-by-node traversal as a first port writes it, several rows at
// once with SIMD gathers, the trees compiled to matrix products (Hummingbird's GEMM strategy) on
// OpenBLAS and Eigen, and rows split over threads. batch=1 is the one-by-one (ONNX) case; a batch
// sweep shows where each strategy pays. All are checked against a plain traversal with tolerance 0:
// every variant must reach the same leaves and add their values in the same order.
#include <algorithm>
#include <thread>
#include <vector>

#include "forest_kernels.h"
#include "forest_predict_problem.h"
#include "kprof/kprof.h"

namespace kprof::targets::forest {
namespace {

// Contiguous blocks of rows, one per --threads thread, each walked by the AVX-512 kernel. Blocks are
// whole vectors of rows (16, the f32 lane count, suits f64's 8 as well) so only the last has a tail.
template <class T>
void predict_threaded_avx512(const PredictTask<T>& t) {
  constexpr std::int64_t kVector = 16;
  const std::int64_t vectors = (t.rows + kVector - 1) / kVector;
  const std::int64_t workers = std::clamp<std::int64_t>(current_threads(), 1, std::max<std::int64_t>(vectors, 1));
  std::vector<std::thread> helpers;
  auto block = [&t, vectors, workers](std::int64_t w) {
    const std::int64_t first = std::min(t.rows, vectors * w / workers * kVector);
    const std::int64_t last = std::min(t.rows, vectors * (w + 1) / workers * kVector);
    if (last > first) predict_avx512(rows_of(t, first, last - first));
  };
  for (std::int64_t w = 1; w < workers; ++w) helpers.emplace_back(block, w);
  block(0);
  for (auto& h : helpers) h.join();
}

// Per row and tree: X·A_t (2·features·internal), S·C (2·internal·leaves) and H·E_t (2·leaves).
double gemm_flops(const Size& s) {
  const double internal = static_cast<double>((std::int64_t{1} << s["depth"]) - 1);
  const double leaves = internal + 1;
  return static_cast<double>(s["batch"]) * static_cast<double>(s["trees"]) *
         (2.0 * static_cast<double>(s["features"]) * internal + 2.0 * internal * leaves + 2.0 * leaves);
}

// The rows, the predictions, and each tree's features, thresholds and leaf values once.
double forest_bytes(const Size& s, std::size_t e) {
  const double internal = static_cast<double>((std::int64_t{1} << s["depth"]) - 1);
  const double elem = static_cast<double>(e);
  return static_cast<double>(s["batch"]) * (static_cast<double>(s["features"]) + 1) * elem +
         static_cast<double>(s["trees"]) * (internal * (4 + elem) + (internal + 1) * elem);
}

const std::string kForest = "trees=100,depth=6,features=32";

}  // namespace

KPROF_FAMILY(forest_predict, ForestPredictProblem)
    .describe(
        "random forest prediction (mean of the trees' leaf values) for a batch of rows: traversal vs "
        "SIMD gathers vs Hummingbird's GEMM strategy; FLOPs counted as the GEMM strategy's work for every "
        "variant")
    .param({.name = "trees", .default_value = 100, .max = 1024, .help = "trees in the forest"})
    .param({.name = "depth", .default_value = 6, .max = 12, .help = "depth of every (perfect) tree"})
    .param({.name = "features", .default_value = 32, .max = 256, .help = "features per row"})
    .param({.name = "batch", .default_value = 1000, .max = 1 << 20, .help = "rows to predict; 1 is one-by-one"})
    .param({.name = "chunk",
            .default_value = 256,
            .help = "rows per block of the GEMM strategy's intermediates",
            .is_shape = false})
    .default_sizes({kForest + ",batch=1", kForest + ",batch=1000"})
    // Odd tails for kprof's correctness suite: batches that are no multiple of any vector width,
    // chunks that do not divide the batch, depth 1 and a deep tree.
    .test_sizes({"1", "7", "trees=3,depth=1,features=1,batch=1", "trees=7,depth=3,features=5,batch=33,chunk=7",
                 "trees=5,depth=5,features=17,batch=100,chunk=33", "trees=2,depth=9,features=3,batch=37",
                 "trees=33,depth=4,features=64,batch=1000"})
    .flops(gemm_flops)
    .bytes(forest_bytes)
    .tolerance(0.0, 0.0)  // the same leaves, the same sums: bit for bit
    .reference([](auto& p) { predict_flat(p.task()); })
    .variant({.name = "traverse",
              .kind = Kind::scalar,
              .note = "node by node through heap-allocated nodes; KPROF_LINE markers"},
             [](auto& p) { predict_pointers(p); })
    .variant({.name = "traverse-simd-avx2",
              .kind = Kind::simd,
              .isa = Isa::avx2,
              .note = "8 f32 / 4 f64 rows down a tree at once, gathers per level"},
             [](auto& p) { predict_avx2(p.task()); })
    .variant({.name = "traverse-simd-avx512",
              .kind = Kind::simd,
              .isa = Isa::avx512,
              .note = "16 f32 / 8 f64 rows down a tree at once, gathers per level"},
             [](auto& p) { predict_avx512(p.task()); })
    .variant({.name = "gemm-blas",
              .kind = Kind::blas,
              .note = "Hummingbird's GEMM strategy, cblas_?gemm per tree and chunk"},
             [](auto& p) { predict_gemm_blas(p.gemm_task()); })
    .variant({.name = "gemm-eigen",
              .kind = Kind::eigen,
              .isa = forest_eigen_isa(),
              .note = "Hummingbird's GEMM strategy, Eigen products per tree and chunk",
              .code_path = forest_eigen_code_path},
             [](auto& p) { predict_gemm_eigen(p.gemm_task()); })
    .variant({.name = "threads-avx512",
              .kind = Kind::simd,
              .isa = Isa::avx512,
              .note = "traverse-simd-avx512 with the rows split over --threads threads",
              .threaded = true},
             [](auto& p) { predict_threaded_avx512(p.task()); });

}  // namespace kprof::targets::forest
