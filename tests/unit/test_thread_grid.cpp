// The job threads x BLAS threads grid measured for real: a family whose variant runs its own
// threads and calls OpenBLAS from each (scikit-learn's n_jobs over a threaded BLAS) is swept over
// --threads 1..2 x --blas-threads 1..2. The timing decides nothing here (the detection itself is
// tested on injected times in test_sweep_analysis): the grid exists, every cell ran with the pools
// sized as asked, and a cell is a candidate for the oversubscription warning only when its threads
// exceed the CPUs, which BLAS limited to 1 (kprof::ThreadLimits, through the runner) never does.
#include <cblas.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "kprof/kprof.h"
#include "kprof/reports/sweep_tables.h"

namespace kprof {
namespace {

// (job threads, BLAS pool size) as seen from inside each job thread while the variant ran.
std::mutex g_seen_mutex;
std::set<std::pair<int, int>> g_seen;

template <class T>
struct GemmPerThread {
  explicit GemmPerThread(const Size& s)
      : n(s["n"]), a(n * n), c(n * n * static_cast<std::size_t>(std::max(1, current_threads()))) {
    fill_uniform(std::span<T>(a), 5);
  }
  std::span<const T> output() const { return {c.data(), n * n}; }
  std::size_t n;
  std::vector<T> a, c;
};

template <class T>
void gemm(const T* a, T* c, int n) {
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, a, n, 0.0f, c, n);
  else
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, a, n, 0.0, c, n);
}

KPROF_FAMILY(gridfam, GemmPerThread)
    .param({.name = "n", .default_value = 64, .max = 512})
    .flops([](const Size& s) { return 2.0 * s["n"] * s["n"] * s["n"]; })
    .bytes([](const Size& s, std::size_t e) { return 2.0 * s["n"] * s["n"] * e; })
    .tolerance(1e-4, 1e-10)
    .reference([](auto& p) { gemm(p.a.data(), p.c.data(), static_cast<int>(p.n)); })
    .variant({.name = "threads-blas", .kind = Kind::blas, .threaded = true}, [](auto& p) {
      const int threads = current_threads();
      auto work = [&p](int slot) {
        {
          std::lock_guard lock(g_seen_mutex);
          g_seen.insert({current_threads(), openblas_get_num_threads()});
        }
        gemm(p.a.data(), p.c.data() + static_cast<std::size_t>(slot) * p.n * p.n, static_cast<int>(p.n));
      };
      std::vector<std::thread> helpers;
      for (int slot = 1; slot < threads; ++slot) helpers.emplace_back(work, slot);
      work(0);
      for (auto& h : helpers) h.join();
    });

RunOptions quick() {
  RunOptions o;
  o.rounds = 3;
  o.min_round_seconds = 0.001;
  o.warmup_seconds = 0.001;
  return o;
}

// The run as `kprof run gridfam -s 64 -t f64 --threads 1..2 --blas-threads ...` measures it, on
// the 2-CPU machine of the issue (the CPU count is the document's: the check is the same anywhere).
Run grid_run(const ThreadPlan& plan) {
  g_seen.clear();
  Run run;
  run.environment.logical_cpus = 2;
  run.results = run_benchmarks(plan_jobs({"gridfam"}, {"64"}, {DType::f64}, plan), quick(), MachinePeak{}, nullptr);
  set_threads(1);
  return run;
}

TEST(ThreadGrid, TwoJobThreadsByTwoBlasThreadsRunAsAskedAndOversubscribeTwoCpus) {
  const kprof::Run run = grid_run({{1, 2}, {1, 2}});
  ASSERT_EQ(run.results.size(), 4u);
  std::set<std::pair<int, int>> cells;
  for (const Result& r : run.results) {
    EXPECT_EQ(r.status, Status::ok) << r.key() << ": " << r.reason;
    cells.insert({r.threads, r.blas_threads});
  }
  const std::set<std::pair<int, int>> asked = {{1, 1}, {1, 2}, {2, 1}, {2, 2}};
  EXPECT_EQ(cells, asked);
  EXPECT_EQ(g_seen, asked) << "each job thread saw the BLAS pool sized as its cell asked";
  EXPECT_EQ(run.results.back().key(), "gridfam/threads-blas/f64/n=64/threads=2");
  EXPECT_EQ(run.results[1].key(), "gridfam/threads-blas/f64/n=64/threads=1,blas=2");

  const std::vector<ThreadGrid> grids = thread_grids(run);
  ASSERT_EQ(grids.size(), 1u);
  ASSERT_EQ(grids[0].cells.size(), 4u);
  EXPECT_EQ(grids[0].cells[3].total(), 4) << "2 x 2 on 2 CPUs: the oversubscribed cell";
  for (const sweep::Oversubscription& o : grids[0].oversubscribed) EXPECT_GT(o.slow.total(), 2);
}

TEST(ThreadGrid, BlasLimitedToOneNeverOversubscribes) {
  const kprof::Run run = grid_run({{1, 2}, {1}});
  ASSERT_EQ(run.results.size(), 2u);
  EXPECT_EQ(g_seen, (std::set<std::pair<int, int>>{{1, 1}, {2, 1}})) << "BLAS capped to 1 in every job thread";
  EXPECT_TRUE(thread_grids(run).empty()) << "one BLAS pool size: a scaling curve, no grid";
  std::vector<sweep::GridPoint> cells;
  for (const Result& r : run.results) cells.push_back({r.variant, r.threads, r.blas_threads, r.time.median_ns});
  EXPECT_TRUE(sweep::oversubscriptions(cells, 2).empty()) << "whatever the times, 2 x 1 fits 2 CPUs";
  EXPECT_EQ(thread_sweeps(run).size(), 1u);
}

TEST(ThreadGrid, OnlyVariantsRunningThreadsThatCallBlasAreSweptOverBlas) {
  const std::vector<Job> jobs = plan_jobs({"gridfam", "testfam/scalar"}, {}, {DType::f64}, ThreadPlan{{2}, {1, 2}});
  std::vector<std::string> keys;
  for (const Job& j : jobs) keys.push_back(j.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"gridfam/threads-blas/f64/n=64/threads=2,blas=1",
                                            "gridfam/threads-blas/f64/n=64/threads=2",
                                            "testfam/scalar/f64/n=1000/threads=2"}));
  EXPECT_EQ(Job::from_args(jobs[0].to_args()).key(), jobs[0].key());
  EXPECT_EQ(jobs[0].to_args().back(), "1") << "--blas-threads 1 handed to a child";
}

}  // namespace
}  // namespace kprof
