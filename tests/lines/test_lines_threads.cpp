// 8 threads x 100,000 iterations: every hit counted, from threads that have exited (their tables
// retired) and from threads still alive when the tables are merged.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "lines_test_util.h"
#include "marked_code.h"

namespace kprof::lines::test {
namespace {

constexpr int kThreads = 8;
constexpr int kIterations = 100'000;

TEST(LinesThreads, EightThreadsEveryHitCountedAfterTheyExit) {
  Snapshot s = profile([] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) threads.emplace_back([] { loop(kIterations); });
    for (auto& t : threads) t.join();
  });
  EXPECT_EQ(cell_at(s, line_of("loop_function"), true).hits, std::uint64_t(kThreads));
  EXPECT_EQ(cell_at(s, line_of("loop_n")).hits, std::uint64_t(kThreads) * kIterations);
  EXPECT_EQ(cell_at(s, line_of("loop_3n")).hits, std::uint64_t(kThreads) * kIterations * 3);
  EXPECT_GE(s.threads, std::uint64_t(kThreads));
}

TEST(LinesThreads, EveryHitCountedWhileThreadsAreStillAlive) {
  std::atomic<int> done{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> threads;
  Snapshot s = profile([&] {
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&] {
        loop(kIterations);
        done.fetch_add(1, std::memory_order_release);
        while (!release.load(std::memory_order_acquire)) std::this_thread::yield();
      });
    while (done.load(std::memory_order_acquire) < kThreads) std::this_thread::yield();
  });
  release.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  EXPECT_EQ(cell_at(s, line_of("loop_n")).hits, std::uint64_t(kThreads) * kIterations);
  EXPECT_EQ(cell_at(s, line_of("loop_3n")).hits, std::uint64_t(kThreads) * kIterations * 3);
}

}  // namespace
}  // namespace kprof::lines::test
