// libFuzzer target for the Run-document reader (reports/src/run_json.cpp), the first thing
// `kprof regress` and `kprof history record` do with a document that may be truncated or hostile
// (the corpus holds real documents of every section and hostile ones: negative, huge and
// wrongly-typed figures, twin results, unknown schema versions). Properties checked: the reader
// either returns a Run or throws UsageError (never crashes, never another exception); a Run it
// accepts holds only figures the gate can compare (finite, not negative, an ok result with its
// rounds), and survives to_json -> run_from_json unchanged.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/errors.h"
#include "kprof/reports/run_json.h"

namespace {

bool usable(double figure) { return std::isfinite(figure) && figure >= 0; }

// What the reader promises about every Run it returns.
void check_figures(const kprof::Run& run) {
  for (const kprof::Result& r : run.results) {
    if (!usable(r.flops) || !usable(r.bytes) || !usable(r.working_set)) std::abort();
    if (r.threads < 1 || r.blas_threads < 1) std::abort();
    if (r.status != kprof::Status::ok) continue;
    if (r.time.round_ns.empty()) std::abort();
    for (double ns : r.time.round_ns)
      if (!usable(ns)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;  // read_run reports these as "not valid JSON at byte N"
  kprof::Run run;
  try {
    run = kprof::run_from_json(j, "fuzz.json");
  } catch (const kprof::UsageError&) {
    return 0;
  }
  check_figures(run);
  kprof::Run again = kprof::run_from_json(kprof::to_json(run), "round-trip.json");
  if (!(again == run)) std::abort();
  return 0;
}
