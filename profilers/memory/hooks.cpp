// The interposed allocator entry points (heaptrack's heaptrack_preload.cpp): every C allocation
// function and every operator new/delete form, plus dlopen/dlclose and the C control API that
// kprof/memory.h calls. Compiled into libkprof_memory_preload.so (LD_PRELOAD, any program) and
// into the kprof_memory_hooks object library (linked into kprof binaries).
#define UNW_LOCAL_ONLY
#include <libunwind.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "recorder.h"

// The library is built with -fvisibility=hidden (no PLT hops between the tracer's own functions);
// what a program must see is exported here. operator new/delete are exported by <new>'s pragma.
#define KPROF_EXPORT __attribute__((visibility("default")))

using kprof::memory::Entry;
namespace mem = kprof::memory;

extern "C" __attribute__((weak)) void kprof_memory_autostart();

namespace {

inline void ensure_resolved() {
  if (__builtin_expect(mem::real.malloc == nullptr, 0)) {
    mem::resolve();
    if (kprof_memory_autostart && mem::real.malloc) kprof_memory_autostart();
  }
}

inline bool should_record() { return mem::recording.load(std::memory_order_relaxed) && !mem::guard_flag(); }

// Frame 0 of unw_backtrace is the hook itself (this helper is always inlined into it): the
// stack recorded starts at the hook's caller.
#define KPROF_CAPTURE_STACK(ips, depth)                \
  void* ips[mem::kMaxFrames + 1];                      \
  int depth = unw_backtrace(ips, mem::kMaxFrames + 1); \
  depth = depth > 1 ? depth - 1 : 0

template <class F>
__attribute__((always_inline)) inline void* traced(Entry entry, std::size_t size, F&& allocate) {
  ensure_resolved();
  if (!should_record()) return allocate();
  mem::GuardScope guard;
  void* p = allocate();
  if (p) {
    KPROF_CAPTURE_STACK(ips, depth);
    mem::record_alloc(entry, p, size, ips + 1, depth);
  }
  return p;
}

__attribute__((always_inline)) inline void traced_free(Entry entry, void* p) {
  if (!p) return;
  if (__builtin_expect(mem::in_bootstrap_pool(p), 0)) return;  // never handed to the real free
  ensure_resolved();
  if (should_record()) {
    mem::GuardScope guard;
    mem::record_free(entry, p);  // before the real free: the address cannot be reused yet
  }
  mem::real.free(p);
}

// The C++ runtime's new-handler and bad_alloc, looked up only when an allocation fails: the
// preload library must not depend on libstdc++ (its start-up allocations would then appear in
// the trace of a C program that never loads it).
std::new_handler current_new_handler() {
  using Get = std::new_handler (*)();
  auto get = reinterpret_cast<Get>(dlsym(RTLD_DEFAULT, "_ZSt15get_new_handlerv"));
  return get ? get() : nullptr;
}

[[noreturn]] void throw_bad_alloc() {
  using Throw = void (*)();
  if (auto f = reinterpret_cast<Throw>(dlsym(RTLD_DEFAULT, "_ZSt17__throw_bad_allocv"))) f();
  std::abort();  // no C++ runtime loaded, yet operator new was called: nothing else can be done
}

__attribute__((always_inline)) inline void* raw_new(std::size_t size, std::size_t align) {
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) return mem::real.malloc(size ? size : 1);
  return mem::real.posix_memalign(&p, align, size ? size : 1) == 0 ? p : nullptr;
}

// operator new: the allocation loop of [new.delete.single] over the real allocator. The handler
// runs outside the recursion guard (it may throw; the hooks are built without exceptions).
__attribute__((always_inline)) inline void* traced_new(Entry entry, std::size_t size, std::size_t align, bool nothrow) {
  ensure_resolved();
  for (;;) {
    void* p = raw_new(size, align);
    if (p) {
      if (should_record()) {
        mem::GuardScope guard;
        KPROF_CAPTURE_STACK(ips, depth);
        mem::record_alloc(entry, p, size, ips + 1, depth);
      }
      return p;
    }
    std::new_handler handler = current_new_handler();
    if (!handler) {
      if (nothrow) return nullptr;
      throw_bad_alloc();
    }
    handler();
  }
}

}  // namespace

extern "C" {

// ---- C allocation functions --------------------------------------------------------------------
KPROF_EXPORT void* malloc(std::size_t size) {
  if (__builtin_expect(mem::real.malloc == nullptr, 0)) {
    ensure_resolved();
    if (!mem::real.malloc) return mem::bootstrap_alloc(size);
  }
  return traced(Entry::malloc, size, [&] { return mem::real.malloc(size); });
}

KPROF_EXPORT void free(void* p) { traced_free(Entry::free, p); }

KPROF_EXPORT void* calloc(std::size_t n, std::size_t size) {
  if (__builtin_expect(mem::real.calloc == nullptr, 0)) {
    ensure_resolved();  // dlsym itself calls calloc while we resolve: serve it from the pool
    if (!mem::real.calloc) return n && size > SIZE_MAX / n ? nullptr : mem::bootstrap_alloc(n * size);
  }
  return traced(Entry::calloc, n * size, [&] { return mem::real.calloc(n, size); });
}

KPROF_EXPORT void* realloc(void* p, std::size_t size) {
  if (p && mem::in_bootstrap_pool(p)) {  // move a bootstrap block to the real heap
    void* q = malloc(size);
    std::size_t old = mem::bootstrap_size(p);
    if (q) std::memcpy(q, p, old < size ? old : size);
    return q;
  }
  ensure_resolved();
  if (!should_record()) return mem::real.realloc(p, size);
  mem::GuardScope guard;
  KPROF_CAPTURE_STACK(ips, depth);
  return mem::traced_realloc(p, size, ips + 1, depth);
}

KPROF_EXPORT void* aligned_alloc(std::size_t align, std::size_t size) {
  return traced(Entry::aligned_alloc, size, [&] { return mem::real.aligned_alloc(align, size); });
}

KPROF_EXPORT int posix_memalign(void** out, std::size_t align, std::size_t size) {
  ensure_resolved();
  if (!should_record()) return mem::real.posix_memalign(out, align, size);
  mem::GuardScope guard;
  int rc = mem::real.posix_memalign(out, align, size);
  if (rc == 0) {
    KPROF_CAPTURE_STACK(ips, depth);
    mem::record_alloc(Entry::posix_memalign, *out, size, ips + 1, depth);
  }
  return rc;
}

KPROF_EXPORT void* memalign(std::size_t align, std::size_t size) {
  return traced(Entry::memalign, size, [&] { return mem::real.memalign(align, size); });
}

KPROF_EXPORT void* valloc(std::size_t size) {
  return traced(Entry::valloc, size, [&] { return mem::real.valloc(size); });
}

KPROF_EXPORT void* pvalloc(std::size_t size) {
  // pvalloc rounds the request up to whole pages; the rounded size is what the program owns.
  long page = sysconf(_SC_PAGESIZE);
  std::size_t rounded = (size + page - 1) / page * page;
  if (rounded == 0) rounded = page;
  return traced(Entry::pvalloc, rounded, [&] { return mem::real.pvalloc(size); });
}

// ---- dlopen/dlclose: a new set of loaded objects for the addresses recorded after them ---------
KPROF_EXPORT void* dlopen(const char* file, int mode) {
  ensure_resolved();
  void* handle = mem::real.dlopen(file, mode);
  if (handle && mem::recording.load(std::memory_order_relaxed)) mem::note_modules_changed();
  return handle;
}

KPROF_EXPORT int dlclose(void* handle) {
  ensure_resolved();
  int rc = mem::real.dlclose(handle);
  if (rc == 0 && mem::recording.load(std::memory_order_relaxed)) mem::note_modules_changed();
  return rc;
}

// ---- the control API (found with dlsym by kprof/memory.h, so it works in both modes) -----------
KPROF_EXPORT int kprof_memory_hooks_version() { return static_cast<int>(mem::kTraceVersion); }

KPROF_EXPORT int kprof_memory_trace_start(const char* path) {
  ensure_resolved();
  return mem::start_trace(path, false);
}

KPROF_EXPORT int kprof_memory_trace_stop() { return mem::stop_trace(); }

}  // extern "C"

// ---- operator new / delete, every form --------------------------------------------------------
void* operator new(std::size_t n) { return traced_new(Entry::op_new, n, 0, false); }
void* operator new[](std::size_t n) { return traced_new(Entry::op_new_array, n, 0, false); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return traced_new(Entry::op_new, n, 0, true); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return traced_new(Entry::op_new_array, n, 0, true);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return traced_new(Entry::op_new, n, static_cast<std::size_t>(a), false);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return traced_new(Entry::op_new_array, n, static_cast<std::size_t>(a), false);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return traced_new(Entry::op_new, n, static_cast<std::size_t>(a), true);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return traced_new(Entry::op_new_array, n, static_cast<std::size_t>(a), true);
}

void operator delete(void* p) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p) noexcept { traced_free(Entry::op_delete_array, p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { traced_free(Entry::op_delete_array, p); }
void operator delete(void* p, std::size_t) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p, std::size_t) noexcept { traced_free(Entry::op_delete_array, p); }
void operator delete(void* p, std::align_val_t) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p, std::align_val_t) noexcept { traced_free(Entry::op_delete_array, p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { traced_free(Entry::op_delete_array, p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { traced_free(Entry::op_delete, p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  traced_free(Entry::op_delete_array, p);
}
