// libFuzzer target for the noise profile reader (reports/regress/src/noise.cpp), what
// `kprof regress --noise FILE` reads. Property: valid JSON either gives a NoiseProfile or throws
// UsageError (never crashes, never another exception), and a profile it accepts is read back the
// same from its own JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kprof/errors.h"
#include "kprof/regress/noise.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;  // read_noise reports these as "not valid JSON at byte N"
  kprof::regress::NoiseProfile p;
  try {
    p = kprof::regress::noise_from_json(j, "fuzz.json");
  } catch (const kprof::UsageError&) {
    return 0;
  }
  const nlohmann::json once = kprof::regress::to_json(p);
  if (kprof::regress::to_json(kprof::regress::noise_from_json(once, "round-trip.json")) != once) std::abort();
  return 0;
}
