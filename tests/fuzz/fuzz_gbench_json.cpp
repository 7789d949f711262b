// libFuzzer target for the Google Benchmark JSON reader (reports/src/gbench_json.cpp), what
// `kprof regress` and `kprof history record` read a Google Benchmark suite's output with.
// Properties checked: the reader either returns a Run or throws UsageError (never crashes, never
// another exception), and a Run it returns is a valid Run document (survives to_json ->
// run_from_json unchanged), so the gate and the history take it as they take their own.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/errors.h"
#include "kprof/reports/gbench_json.h"
#include "kprof/reports/run_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !kprof::is_gbench_json(j)) return 0;  // read_run reads those otherwise
  kprof::Run run;
  try {
    run = kprof::run_from_gbench_json(j, "fuzz.json");
  } catch (const kprof::UsageError&) {
    return 0;
  }
  kprof::Run again = kprof::run_from_json(kprof::to_json(run), "round-trip.json");
  if (!(again == run)) std::abort();
  return 0;
}
