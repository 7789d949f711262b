#pragma once
// The recording half of the memory tracer (heaptrack's libheaptrack.cpp): the real allocator's
// functions, the thread-local recursion guard, stack capture and deduplication, and the trace
// writer. Everything here runs inside malloc, so it never calls malloc, stdio or anything that
// may: memory comes from mmap, output goes to a mapped file, locks are plain pthread mutexes.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "trace_format.h"

namespace kprof::memory {

struct RealFunctions {
  void* (*malloc)(std::size_t);
  void* (*calloc)(std::size_t, std::size_t);
  void* (*realloc)(void*, std::size_t);
  void (*free)(void*);
  void* (*aligned_alloc)(std::size_t, std::size_t);
  int (*posix_memalign)(void**, std::size_t, std::size_t);
  void* (*memalign)(std::size_t, std::size_t);
  void* (*valloc)(std::size_t);
  void* (*pvalloc)(std::size_t);
  void* (*dlopen)(const char*, int);
  int (*dlclose)(void*);
};

// Zero until resolve() has run; hooks call resolve() when `real.malloc` is still null.
extern RealFunctions real;
extern std::atomic<bool> recording;
void resolve();

// The bootstrap pool serves the calloc that dlsym makes while `real` is being resolved.
inline constexpr std::size_t kBootstrapPoolBytes = 64 * 1024;
extern unsigned char bootstrap_pool[kBootstrapPoolBytes];
void* bootstrap_alloc(std::size_t size);
inline bool in_bootstrap_pool(const void* p) {
  auto* c = static_cast<const unsigned char*>(p);
  return c >= bootstrap_pool && c < bootstrap_pool + kBootstrapPoolBytes;
}
std::size_t bootstrap_size(const void* p);

// True while this thread is inside a hook (or inside the tracer itself): nested allocations go
// straight to the real allocator, unrecorded. initial-exec: a dynamic TLS access (__tls_get_addr)
// is slower and may itself call malloc the first time.
extern __thread bool guard __attribute__((tls_model("initial-exec")));
inline bool& guard_flag() { return guard; }

class GuardScope {
 public:
  GuardScope() : was_(guard_flag()) { guard_flag() = true; }
  ~GuardScope() { guard_flag() = was_; }
  bool was_set() const { return was_; }

 private:
  bool was_;
};

// Records an allocation; `ips` is the raw unw_backtrace result whose first `skip` frames are the
// tracer's own. Safe to call from any thread.
void record_alloc(Entry entry, const void* ptr, std::size_t size, void* const* ips, int depth);
void record_free(Entry entry, const void* ptr);
// realloc must be atomic with its records: another thread could otherwise be handed `old_ptr`
// and record that allocation before this free. Returns the real realloc's result.
void* traced_realloc(void* old_ptr, std::size_t size, void* const* ips, int depth);

// After a dlopen/dlclose: the next records belong to a new module snapshot.
void note_modules_changed();

// The traced process is about to exec `path` (a trace's last record when the exec succeeds).
void record_exec(const char* path);

// Region control (the C API in hooks.cpp forwards here). start() returns 0 or an errno value.
int start_trace(const char* path, bool whole_program);
int stop_trace();
bool whole_program_active();

}  // namespace kprof::memory
