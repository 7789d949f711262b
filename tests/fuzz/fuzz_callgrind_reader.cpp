// libFuzzer target for the callgrind-format reader: any input either parses or throws UsageError
// (never crashes, hangs or throws anything else). Build with -DKPROF_BUILD_FUZZERS=ON and clang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kprof/errors.h"
#include "kprof/reports/callgrind_hotspots.h"
#include "kprof/reports/callgrind_reader.h"
#include "kprof/reports/callgrind_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    kprof::CallgrindProfile p = kprof::read_callgrind(text, "fuzz");
    // What was read must also be writable and analysable.
    (void)kprof::compute_hotspots(p);
    (void)kprof::write_callgrind(p);
  } catch (const kprof::UsageError&) {
  }
  return 0;
}
