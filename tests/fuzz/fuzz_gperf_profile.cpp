// libFuzzer target for the gperftools CPU profile reader (profilers/cpu/gperf_profile.cpp): the
// binary profile `kprof cpu` reads back from a file libprofiler wrote, maps text included. Property:
// any input either parses or throws UsageError (never crashes, hangs or throws anything else), and
// every sample read has the depth the file announced (1 to 4096 frames).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gperf_profile.h"
#include "kprof/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    kprof::GperfProfile p = kprof::read_gperf_profile(bytes, "fuzz.prof");
    for (const auto& s : p.samples)
      if (s.pcs.empty() || s.pcs.size() > 4096) std::abort();
    (void)p.total_samples();
  } catch (const kprof::UsageError&) {
  }
  return 0;
}
