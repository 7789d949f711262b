// kprof::MemoryScope with the hooks linked into this test binary: exact figures for a region.
#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <initializer_list>
#include <new>
#include <thread>
#include <vector>

#include "kprof/errors.h"
#include "kprof/memory.h"

namespace kprof {
namespace {

void* volatile g_sink = nullptr;

// Keeps the compiler from removing an allocation whose block is never used (-fallocation-dce).
inline void escape(const void* p) { asm volatile("" : : "g"(p) : "memory"); }

__attribute__((noinline)) void call_every_entry_point() {
  void* a = std::malloc(100);
  void* b = std::calloc(2, 100);
  void* volatile null_block = nullptr;  // realloc(nullptr, n) with a literal becomes malloc(n)
  void* c = std::realloc(null_block, 300);
  c = std::realloc(c, 400);
  void* d = aligned_alloc(64, 512);
  void* e = nullptr;
  if (posix_memalign(&e, 64, 600) != 0) std::abort();
  void* f = memalign(64, 700);
  void* g = valloc(800);
  void* h = pvalloc(1);
  char* i = new char[900];
  auto* j = new double(1);
  auto* k = new (std::nothrow) int[250];
  auto* l = static_cast<char*>(::operator new (1100, std::align_val_t{256}));
  auto* m = new (std::align_val_t{128}, std::nothrow) char[1200];
  for (const void* p : {a, b, c, d, e, f, g, h, static_cast<void*>(i), static_cast<void*>(j), static_cast<void*>(k),
                        static_cast<void*>(l), static_cast<void*>(m)})
    escape(p);
  std::free(a);
  std::free(b);
  std::free(c);
  std::free(d);
  std::free(e);
  std::free(f);
  std::free(g);
  std::free(h);
  delete[] i;
  delete j;
  delete[] k;
  ::operator delete (l, 1100, std::align_val_t{256});
  ::operator delete[](m, std::align_val_t{128});
}

TEST(MemoryScope, HooksArePresent) { EXPECT_TRUE(memory_tracing_available()); }

TEST(MemoryScope, EveryEntryPointCountedExactly) {
  MemoryScope scope("entry points");
  call_every_entry_point();
  MemoryReport r = scope.stop();
  std::map<std::string, std::uint64_t> expected = {
      {"malloc", 1},   {"calloc", 1},          {"realloc", 2},          {"aligned_alloc", 1}, {"posix_memalign", 1},
      {"memalign", 1}, {"valloc", 1},          {"pvalloc", 1},          {"operator new", 2},  {"operator new[]", 3},
      {"free", 8},     {"operator delete", 2}, {"operator delete[]", 3}};
  EXPECT_EQ(r.calls, expected);
  EXPECT_EQ(r.allocations, 14u);
  EXPECT_EQ(r.bytes_allocated, 100u + 200 + 300 + 400 + 512 + 600 + 700 + 800 + 4096 + 900 + 8 + 1000 + 1100 + 1200);
  EXPECT_EQ(r.leaked_bytes, 0u);
  EXPECT_EQ(r.foreign_frees, 0u);
}

TEST(MemoryScope, ReallocChainPeakIsTheLastSize) {
  MemoryScope scope;
  void* p = std::malloc(16);
  for (int i = 2; i <= 101; ++i) {
    p = std::realloc(p, 16 * static_cast<std::size_t>(i));
    escape(p);
  }
  std::free(p);
  MemoryReport r = scope.stop();
  EXPECT_EQ(r.allocations, 101u);
  EXPECT_EQ(r.bytes_allocated, 16u * (101 * 102 / 2));
  EXPECT_EQ(r.peak_bytes, 1616u);
  EXPECT_EQ(r.leaked_bytes, 0u);
}

TEST(MemoryScope, PeakLeaksAndTemporaries) {
  MemoryScope scope;
  void* a = std::malloc(1000);
  void* t = std::malloc(50);  // freed right away: a temporary
  escape(t);
  std::free(t);
  void* b = std::malloc(3000);
  escape(a);
  std::free(a);
  g_sink = b;  // b leaks out of the region
  MemoryReport r = scope.stop();
  std::free(b);
  EXPECT_EQ(r.peak_bytes, 4000u);
  EXPECT_EQ(r.leaked_bytes, 3000u);
  EXPECT_EQ(r.leaked_allocations, 1u);
  EXPECT_EQ(r.temporary_allocations, 1u);
}

TEST(MemoryScope, FreesOfBlocksFromBeforeTheRegionAreNotCounted) {
  void* before = std::malloc(777);
  escape(before);
  MemoryScope scope;
  std::free(before);
  MemoryReport r = scope.stop();
  EXPECT_EQ(r.peak_bytes, 0u);
  EXPECT_EQ(r.foreign_frees, 1u);
  EXPECT_EQ(r.allocations, 0u);
}

TEST(MemoryScope, VectorAllocationIsAttributedToTheUsersLine) {
  MemoryScope scope;
  const int line = __LINE__ + 1;
  std::vector<double> v(5000);
  g_sink = v.data();
  MemoryReport r = scope.stop();
  ASSERT_FALSE(r.sites.empty());
  const MemorySite& top = r.sites.front();
  EXPECT_EQ(top.bytes, 5000u * sizeof(double));
  EXPECT_EQ(top.frame.line, line);
  EXPECT_NE(top.frame.file.find("test_memory_scope.cpp"), std::string::npos) << top.frame.file;
}

TEST(MemoryScope, EightThreadsExactTotals) {
  MemoryScope scope;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < 100000; ++i) {
        void* p = std::malloc(32);
        g_sink = p;
        std::free(p);
      }
    });
  for (auto& t : threads) t.join();
  MemoryReport r = scope.stop();
  std::uint64_t count = 0, bytes = 0;
  for (const auto& s : r.sites)
    if (s.frame.file.find("test_memory_scope.cpp") != std::string::npos && s.bytes % 32 == 0 && s.count >= 100000) {
      count += s.count;
      bytes += s.bytes;
    }
  EXPECT_EQ(count, 800000u);
  EXPECT_EQ(bytes, 25600000u);
  EXPECT_EQ(r.calls["malloc"], 800000u);
  // The dynamic loader frees thread bookkeeping it allocated before the region: >=, not ==.
  EXPECT_GE(r.calls["free"], 800000u);
}

TEST(MemoryScope, OneScopeAtATime) {
  MemoryScope outer;
  EXPECT_THROW(MemoryScope inner, UsageError);
  outer.stop();
}

TEST(MemoryScope, RenderingsShowTheSitesAndMassifParses) {
  MemoryScope scope("render");
  std::vector<int> v(1000);
  g_sink = v.data();
  MemoryReport r = scope.stop();
  std::string text = render_memory_text(r);
  EXPECT_NE(text.find("peak above start"), std::string::npos) << text;
  EXPECT_NE(text.find("test_memory_scope.cpp"), std::string::npos) << text;
  EXPECT_NE(render_memory_markdown(r).find("| line"), std::string::npos);
  std::string massif = render_massif(r, "test");
  EXPECT_NE(massif.find("heap_tree=peak"), std::string::npos) << massif;
  EXPECT_NE(massif.find("mem_heap_B=4000"), std::string::npos) << massif;
}

}  // namespace
}  // namespace kprof
