// libFuzzer target for the memory trace analysis (profilers/memory/analysis.cpp and trace_reader.cpp):
// `kprof mem` reads the trace a traced program wrote, and a program that crashed or was killed
// leaves it cut short or zero-filled. Property: any file either gives a MemoryReport or throws
// UsageError (never crashes, never exhausts memory). The input is the whole file, header included;
// it is handed over through a memfd, since the reader maps a file by path.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "analysis.h"
#include "kprof/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("fuzz_memory_trace", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
  try {
    kprof::memory::AnalysisOptions options;
    options.name = "fuzz";
    (void)kprof::memory::analyze_trace("/proc/self/fd/" + std::to_string(fd), options);
  } catch (const kprof::UsageError&) {
  }
  return 0;
}
