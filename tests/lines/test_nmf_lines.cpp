// The nmf family, instrumented: every variant agrees with the reference, and the region run the
// way `kprof lines` runs it gives nls_scalar's table with the hit counts the algorithm implies.
#include <gtest/gtest.h>

#include <iostream>

#include "kprof/lines/collector.h"
#include "kprof/lines/report.h"
#include "kprof/registry.h"
#include "kprof/runner.h"

namespace kprof {
namespace {

class LineHooks final : public RegionHooks {
 public:
  void on_enter() override { lines::reset(); }
  void on_exit() override { snapshot = lines::collect(clock); }
  lines::ClockInfo clock = lines::calibrate();
  lines::Snapshot snapshot;
};

const char* kSizes[] = {"32x300x8", "17x61x5", "64x1797x16"};

TEST(NmfLines, EveryVariantMatchesTheReference) {
  FamilyRecord* nmf = registry().find("nmf");
  ASSERT_NE(nmf, nullptr);
  for (std::size_t v = 0; v < nmf->variants.size(); ++v)
    for (DType d : {DType::f64, DType::f32})
      for (const char* spec : kSizes) {
        if (!isa_skip_reason(nmf->variants[v].spec.isa).empty()) continue;
        CheckResult c = check_variant(*nmf, v, parse_size(nmf->params, spec), d);
        EXPECT_TRUE(c.ok) << nmf->variants[v].spec.name << " " << to_string(d) << " " << spec << ": " << c.reason
                          << " error " << c.max_rel_error;
      }
}

TEST(NmfLines, BinaryKnowsItIsInstrumented) {
  EXPECT_TRUE(lines::binary_is_instrumented());  // what `kprof lines` asks before handing over
}

TEST(NmfLines, ScalarTableHasTheSeedsLines) {
  RegionOptions options;
  options.iterations = 3;
  LineHooks hooks;
  run_region(resolve_job("nmf/scalar", "32x300x8", DType::f64, 1), options, hooks);
  lines::Report report = lines::build_report(hooks.snapshot);
  std::cout << lines::render_text(report);  // the table, for whoever reads the test log
  ASSERT_EQ(report.functions.size(), 1u);
  const lines::FunctionReport& f = report.functions[0];
  EXPECT_EQ(f.function, "nls_scalar");
  EXPECT_EQ(f.calls, 3u);
  EXPECT_TRUE(f.source_available) << f.source_note;
  std::uint64_t copy = 0, grad = 0, proj = 0, step = 0, pos = 0;
  for (const lines::LineRow& r : f.rows) {
    if (!r.marked) continue;
    if (r.text.find("H = p.H_init;") != std::string::npos) copy = r.hits;
    if (r.text.find("gemm_nn_minus(WtW, H, &WtV, grad") != std::string::npos) grad = r.hits;
    if (r.text.find("projected_norm(grad, H)") != std::string::npos) proj = r.hits;
    if (r.text.find("Hn[i] = H[i] - alpha * grad[i]") != std::string::npos) step = r.hits;
    if (r.text.find("// Hn = _pos(Hn)") != std::string::npos) pos = r.hits;
  }
  EXPECT_EQ(copy, 3u);
  EXPECT_GT(grad, 3u);
  EXPECT_EQ(grad, proj);
  EXPECT_GE(step, grad - 3);  // every outer iteration but the last of each call searches a step
  EXPECT_EQ(step, pos);
}

}  // namespace
}  // namespace kprof
