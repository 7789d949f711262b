// MemoryScope: the in-process API. It finds the hooks' control functions with dlsym, so the same
// code works whether the hooks are linked into the executable or preloaded.
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "analysis.h"
#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/interrupt.h"
#include "kprof/memory.h"
#include "kprof/process.h"

namespace kprof {
namespace {

struct Control {
  int (*start)(const char*) = nullptr;
  int (*stop)() = nullptr;
};

const Control& control() {
  static const Control c = [] {
    Control r;
    r.start = reinterpret_cast<int (*)(const char*)>(dlsym(RTLD_DEFAULT, "kprof_memory_trace_start"));
    r.stop = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "kprof_memory_trace_stop"));
    if (!r.start || !r.stop) r = Control{};
    return r;
  }();
  return c;
}

std::filesystem::path temp_trace_path() {
  static std::atomic<int> counter{0};
  const char* dir = std::getenv("TMPDIR");
  std::filesystem::path base = dir && *dir ? dir : "/tmp";
  return base / ("kprof-mem-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".trace");
}

}  // namespace

std::filesystem::path memory_preload_library() {
#ifdef KPROF_MEMORY_PRELOAD_BUILD_PATH
  const char* build_path = KPROF_MEMORY_PRELOAD_BUILD_PATH;
#else
  const char* build_path = nullptr;
#endif
  return find_helper_library("libkprof_memory_preload.so", "KPROF_MEMORY_PRELOAD", build_path);
}

bool memory_tracing_available() { return control().start != nullptr; }

MemoryReport read_memory_trace(const std::filesystem::path& trace, std::string name, std::int64_t iterations) {
  memory::AnalysisOptions options;
  options.name = std::move(name);
  options.iterations = iterations;
  return memory::analyze_trace(trace, options);
}

MemoryScope::MemoryScope(std::string name) : name_(std::move(name)), trace_(temp_trace_path()) {
  if (!memory_tracing_available())
    throw UsageError(
        "memory tracing needs the allocation hooks: link kprof::memory_hooks into this executable or run it with "
        "LD_PRELOAD=libkprof_memory_preload.so");
  // Everything the region must not see is allocated before start and freed after stop.
  trace_string_ = trace_.string();
  registration_ = register_temporary(trace_);
  const std::string& path = trace_string_;
  int rc = control().start(path.c_str());
  if (rc != 0) forget_temporary(registration_);
  if (rc == EBUSY)
    throw UsageError("memory tracing is already running in this process (a whole-program trace or another scope)");
  if (rc != 0) throw UsageError("cannot start memory tracing into " + path + ": " + std::strerror(rc));
  running_ = true;
}

MemoryScope::~MemoryScope() {
  if (running_) {
    control().stop();
    std::error_code ec;
    std::filesystem::remove(trace_, ec);
    forget_temporary(registration_);
  }
}

MemoryReport MemoryScope::stop(std::int64_t iterations) {
  if (!running_) throw std::logic_error("MemoryScope::stop called twice");
  control().stop();  // first: nothing below is part of the region
  running_ = false;
  RemoveOnExit cleanup({trace_});
  forget_temporary(registration_);  // the guard has it now
  memory::AnalysisOptions options;
  options.name = name_;
  options.iterations = iterations;
  return memory::analyze_trace(trace_, options);
}

}  // namespace kprof
