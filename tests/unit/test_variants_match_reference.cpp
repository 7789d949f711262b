// Every variant of every built-in family against its plain reference implementation, at sizes with
// odd tails (1, 7, 33, 1000 and non-square mixes), f32 and f64; threaded variants also on 2 and 3
// threads, where the split of the work has tails of its own. A variant whose ISA this CPU lacks is
// reported as skipped by the runner; here it is counted and named.
#include <gtest/gtest.h>

#include <set>

#include "kprof/errors.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof {
namespace {

std::vector<std::string> sizes_to_check(const FamilyRecord& family) {
  if (!family.test_sizes.empty()) return family.test_sizes;
  std::vector<std::string> sizes = {"1", "7", "33", "1000"};
  std::size_t shape = 0;
  for (const auto& p : family.params) shape += p.is_shape;
  if (shape >= 2) {
    // Non-square: rotate 33, 7, 1 across the shape parameters.
    const std::int64_t dims[] = {33, 7, 1};
    for (std::size_t rotation = 0; rotation < 3; ++rotation) {
      std::string spec;
      for (std::size_t i = 0; i < shape; ++i) spec += (i ? "x" : "") + std::to_string(dims[(i + rotation) % 3]);
      sizes.push_back(spec);
    }
  }
  return sizes;
}

class VariantsMatchReference : public testing::TestWithParam<std::string> {};

class ThreadsScope {
 public:
  explicit ThreadsScope(int threads) { set_threads(threads); }
  ~ThreadsScope() { set_threads(1); }
};

// Every variant at one thread; the threaded ones (VariantSpec::threaded) again at 2 and 3.
void check_every_size(const FamilyRecord* family, int threads, int& checked, std::set<std::string>& skipped) {
  ThreadsScope scope(threads);
  for (const auto& spec : sizes_to_check(*family)) {
    Size size;
    try {
      size = parse_size(family->params, spec);
    } catch (const UsageError&) {
      continue;  // below a parameter's minimum for this family
    }
    for (DType dtype : {DType::f64, DType::f32}) {
      ReferenceCheck checker(*family, size, dtype);  // the reference runs once per size and dtype
      for (std::size_t v = 0; v < family->variants.size(); ++v) {
        const VariantSpec& s = family->variants[v].spec;
        if (threads > 1 && !s.threaded) continue;
        if (!cpu_supports(s.isa)) {
          skipped.insert(s.name);
          continue;
        }
        CheckResult c = checker.check(v);
        EXPECT_TRUE(c.ok) << family->name << "/" << s.name << " " << to_string(dtype) << " " << size.str()
                          << " threads=" << threads << ": " << c.reason;
        ++checked;
      }
    }
  }
}

TEST_P(VariantsMatchReference, AtEverySizeAndDtype) {
  const FamilyRecord* family = registry().find(GetParam());
  ASSERT_NE(family, nullptr);
  int checked = 0;
  std::set<std::string> skipped;
  for (int threads : {1, 2, 3}) check_every_size(family, threads, checked, skipped);
  EXPECT_GT(checked, 0);
  for (const auto& name : skipped)
    std::cout << "[ skipped  ] " << family->name << "/" << name << " (ISA not available here)\n";
}

std::vector<std::string> family_names() {
  std::vector<std::string> names;
  for (const auto* f : registry().families()) names.push_back(f->name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(BuiltIn, VariantsMatchReference, testing::ValuesIn(family_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kprof
