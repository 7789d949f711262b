// libFuzzer target for the Run-document reader (reports/src/run_json.cpp), the first thing
// `kprof regress` does with a baseline that may be truncated or hostile. Properties checked: the
// reader either returns a Run or throws UsageError (never crashes, never another exception), and
// a Run it accepts survives to_json -> run_from_json unchanged.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/errors.h"
#include "kprof/reports/run_json.h"

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
  kprof::Run again = kprof::run_from_json(kprof::to_json(run), "round-trip.json");
  if (!(again == run)) std::abort();
  return 0;
}
