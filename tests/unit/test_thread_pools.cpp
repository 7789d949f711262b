// kprof::thread_pools() finds the OpenBLAS this process really loaded (by symbol, as threadpoolctl
// does), with the version and core type OpenBLAS itself reports; ThreadLimits caps and restores it.
#include <cblas.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "kprof/environment.h"
#include "kprof/run.h"
#include "kprof/thread_pools.h"

namespace kprof {
namespace {

const ThreadPool* find_api(const std::vector<ThreadPool>& pools, const std::string& api) {
  auto it = std::find_if(pools.begin(), pools.end(), [&](const ThreadPool& p) { return p.api == api; });
  return it == pools.end() ? nullptr : &*it;
}

std::string trimmed(const char* text) {
  std::string s = text;
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

TEST(ThreadPools, FindsTheLoadedOpenBlasWithItsVersionAndCore) {
  std::vector<ThreadPool> pools = thread_pools();
  const ThreadPool* blas = find_api(pools, "openblas");
  ASSERT_NE(blas, nullptr) << "OpenBLAS is linked into this test but was not found";
  // OPENBLAS_VERSION is the header's " OpenBLAS 0.3.21 ": the library found must be that one.
  EXPECT_EQ("OpenBLAS " + blas->version, trimmed(OPENBLAS_VERSION));
  EXPECT_EQ(blas->core, trimmed(openblas_get_corename()));
  EXPECT_EQ(blas->threads, openblas_get_num_threads());
  EXPECT_NE(blas->library.find("libopenblas"), std::string::npos) << blas->library;
  EXPECT_EQ(blas->threading, "pthreads");  // Debian's default libopenblas0 is openblas-pthread
  EXPECT_EQ(std::count_if(pools.begin(), pools.end(), [](const ThreadPool& p) { return p.api == "openblas"; }), 1)
      << "one library, reported once (not again through every object that depends on it)";
}

TEST(ThreadPools, EveryRunDocumentsEnvironmentListsThePools) {
  const Environment e = collect_environment(1);
  const ThreadPool* blas = find_api(e.thread_pools, "openblas");
  ASSERT_NE(blas, nullptr) << "collect_environment() records kprof::thread_pools()";
  EXPECT_EQ("OpenBLAS " + blas->version, trimmed(OPENBLAS_VERSION));
  EXPECT_EQ(blas->core, trimmed(openblas_get_corename()));
  EXPECT_EQ(e.blas_version, blas->version);
}

TEST(ThreadPools, LimitsCapTheBlasPoolForAScopeAndRestoreIt) {
  openblas_set_num_threads(2);
  {
    ThreadLimits limits({.blas = 1});
    EXPECT_EQ(openblas_get_num_threads(), 1);
    EXPECT_EQ(find_api(thread_pools(), "openblas")->threads, 1);
  }
  EXPECT_EQ(openblas_get_num_threads(), 2);
}

TEST(ThreadPools, AnOpenMpCapLeavesTheBlasPoolAlone) {
  openblas_set_num_threads(2);
  {
    ThreadLimits limits({.openmp = 1});
    EXPECT_EQ(openblas_get_num_threads(), 2);
  }
  EXPECT_EQ(openblas_get_num_threads(), 2);
}

}  // namespace
}  // namespace kprof
