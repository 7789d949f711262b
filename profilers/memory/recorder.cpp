// The recording half of the memory tracer. See recorder.h for the rules every line here obeys:
// no malloc, no stdio, no C++ library calls that may allocate.
#include "recorder.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kprof::memory {

RealFunctions real{};
std::atomic<bool> recording{false};
__thread bool guard __attribute__((tls_model("initial-exec"))) = false;
alignas(64) unsigned char bootstrap_pool[kBootstrapPoolBytes];

namespace {

// ---- bootstrap pool ---------------------------------------------------------------------------
std::size_t g_pool_used = 0;
bool g_resolving = false;

// ---- global state, all zero-initialised so it works before any constructor has run ------------
pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
bool g_whole_program = false;
pid_t g_traced_pid = 0;  // the process whose trace this is (a vfork'ed child shares these globals)
bool g_atfork_registered = false;
std::uint32_t g_epoch = 0;  // module snapshots written so far

// ---- trace writer: a file mapped window by window ---------------------------------------------
struct Writer {
  int fd = -1;
  unsigned char* window = nullptr;
  std::uint64_t window_index = 0;
  std::uint64_t pos = 0;  // within the window
};
Writer g_writer;

bool map_window(std::uint64_t index) {
  if (ftruncate(g_writer.fd, static_cast<off_t>((index + 1) * kWindowBytes)) != 0) return false;
  // MAP_POPULATE: one fault-in per window instead of one page fault per 4 KiB of records.
  void* p = mmap(nullptr, kWindowBytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, g_writer.fd,
                 static_cast<off_t>(index * kWindowBytes));
  if (p == MAP_FAILED) return false;
  g_writer.window = static_cast<unsigned char*>(p);
  g_writer.window_index = index;
  g_writer.pos = 0;
  return true;
}

// Space for `n` bytes of records in the current window (nullptr when the disk is full: the trace
// then ends there and recording stops).
unsigned char* reserve(std::uint64_t n) {
  if (!g_writer.window) return nullptr;
  if (g_writer.pos + n > kWindowBytes) {
    if (g_writer.pos < kWindowBytes) g_writer.window[g_writer.pos] = kSkip;
    munmap(g_writer.window, kWindowBytes);
    g_writer.window = nullptr;
    if (!map_window(g_writer.window_index + 1)) {
      recording.store(false, std::memory_order_relaxed);
      return nullptr;
    }
  }
  unsigned char* p = g_writer.window + g_writer.pos;
  g_writer.pos += n;
  return p;
}

template <class T>
unsigned char* put(unsigned char* p, T value) {
  std::memcpy(p, &value, sizeof value);
  return p + sizeof value;
}

void close_writer(bool keep) {
  if (g_writer.window) munmap(g_writer.window, kWindowBytes);
  if (keep && g_writer.fd >= 0) {
    // Cut the zero-filled tail so the file is exactly the records written.
    std::uint64_t bytes = g_writer.window ? g_writer.window_index * kWindowBytes + g_writer.pos
                                          : (g_writer.window_index + 1) * kWindowBytes;
    (void)ftruncate(g_writer.fd, static_cast<off_t>(bytes));
  }
  if (g_writer.fd >= 0) close(g_writer.fd);
  g_writer = Writer{};
}

// ---- stack deduplication: open addressing over mmap'd arrays -----------------------------------
struct Slot {
  std::uint64_t hash;
  std::uint64_t offset;  // into g_ips
  std::uint32_t id;      // 0 = empty
  std::uint32_t depth;
};
Slot* g_slots = nullptr;
std::uint64_t g_slot_capacity = 0;
std::uint64_t g_stack_count = 0;
std::uint32_t g_next_stack_id = 0;  // ids stay unique across epochs within one trace
std::uint64_t* g_ips = nullptr;
std::uint64_t g_ips_capacity = 0;
std::uint64_t g_ips_used = 0;

void* map_anonymous(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void reset_stacks() {
  if (g_slots) munmap(g_slots, g_slot_capacity * sizeof(Slot));
  if (g_ips) munmap(g_ips, g_ips_capacity * sizeof(std::uint64_t));
  g_slots = nullptr;
  g_ips = nullptr;
  g_slot_capacity = g_stack_count = g_ips_capacity = g_ips_used = 0;
}

std::uint64_t hash_ips(void* const* ips, int depth) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(depth);
  for (int i = 0; i < depth; ++i) {
    h ^= reinterpret_cast<std::uintptr_t>(ips[i]);
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  return h;
}

bool grow_slots() {
  std::uint64_t capacity = g_slot_capacity ? g_slot_capacity * 2 : 4096;
  auto* slots = static_cast<Slot*>(map_anonymous(capacity * sizeof(Slot)));
  if (!slots) return false;
  for (std::uint64_t i = 0; i < g_slot_capacity; ++i) {
    if (!g_slots[i].id) continue;
    std::uint64_t j = g_slots[i].hash & (capacity - 1);
    while (slots[j].id) j = (j + 1) & (capacity - 1);
    slots[j] = g_slots[i];
  }
  if (g_slots) munmap(g_slots, g_slot_capacity * sizeof(Slot));
  g_slots = slots;
  g_slot_capacity = capacity;
  return true;
}

bool reserve_ips(std::uint64_t n) {
  if (g_ips_used + n <= g_ips_capacity) return true;
  std::uint64_t capacity = g_ips_capacity ? g_ips_capacity * 2 : (1u << 16);
  while (capacity < g_ips_used + n) capacity *= 2;
  void* p = g_ips ? mremap(g_ips, g_ips_capacity * 8, capacity * 8, MREMAP_MAYMOVE) : map_anonymous(capacity * 8);
  if (p == MAP_FAILED || !p) return false;
  g_ips = static_cast<std::uint64_t*>(p);
  g_ips_capacity = capacity;
  return true;
}

// Returns the stack's id, writing a kStack record the first time it is seen (lock held).
std::uint32_t intern_stack(void* const* ips, int depth) {
  if ((g_stack_count + 1) * 2 > g_slot_capacity && !grow_slots()) return 0;
  std::uint64_t h = hash_ips(ips, depth);
  std::uint64_t j = h & (g_slot_capacity - 1);
  for (; g_slots[j].id; j = (j + 1) & (g_slot_capacity - 1)) {
    const Slot& s = g_slots[j];
    if (s.hash != h || s.depth != static_cast<std::uint32_t>(depth)) continue;
    if (std::memcmp(g_ips + s.offset, ips, sizeof(void*) * depth) == 0) return s.id;
  }
  if (!reserve_ips(depth)) return 0;
  std::memcpy(g_ips + g_ips_used, ips, sizeof(void*) * depth);
  Slot& s = g_slots[j];
  ++g_stack_count;
  s = Slot{h, g_ips_used, ++g_next_stack_id, static_cast<std::uint32_t>(depth)};
  g_ips_used += depth;
  unsigned char* p = reserve(1 + 4 + 2 + 8 * static_cast<std::uint64_t>(depth));
  if (!p) return 0;
  p = put<std::uint8_t>(p, kStack);
  p = put<std::uint32_t>(p, s.id);
  p = put<std::uint16_t>(p, static_cast<std::uint16_t>(depth));
  std::memcpy(p, ips, 8 * static_cast<std::size_t>(depth));
  return s.id;
}

// ---- module snapshots ---------------------------------------------------------------------------
int write_module(dl_phdr_info* info, std::size_t, void* first_flag) {
  char exe[4096];
  const char* path = info->dlpi_name;
  bool& first = *static_cast<bool*>(first_flag);
  if (first && (!path || !*path)) {  // the main program comes first, nameless
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = '\0';
    path = exe;
  }
  first = false;
  if (!path || path[0] != '/') return 0;  // the vDSO and friends have no file to read
  std::size_t len = std::strlen(path);
  if (len > 65535) return 0;
  unsigned char* p = reserve(1 + 4 + 8 + 2 + len);
  if (!p) return 1;
  p = put<std::uint8_t>(p, kModule);
  p = put<std::uint32_t>(p, g_epoch);
  p = put<std::uint64_t>(p, info->dlpi_addr);
  p = put<std::uint16_t>(p, static_cast<std::uint16_t>(len));
  std::memcpy(p, path, len);
  return 0;
}

// Lock held. Addresses recorded before a library was unloaded stay meaningful: stacks are
// interned per epoch, so a new snapshot starts a new stack table.
void write_modules() {
  ++g_epoch;
  unsigned char* p = reserve(1 + 4);
  if (!p) return;
  p = put<std::uint8_t>(p, kEpoch);
  put<std::uint32_t>(p, g_epoch);
  bool first = true;
  dl_iterate_phdr(write_module, &first);
  reset_stacks();
}

// ---- fork: the child never writes its parent's file --------------------------------------------
void before_fork() { pthread_mutex_lock(&g_lock); }
void after_fork_parent() { pthread_mutex_unlock(&g_lock); }
void after_fork_child() {
  recording.store(false, std::memory_order_relaxed);
  g_whole_program = false;
  // Drop the parent's mapping and descriptor without touching the file.
  if (g_writer.window) munmap(g_writer.window, kWindowBytes);
  if (g_writer.fd >= 0) close(g_writer.fd);
  g_writer = Writer{};
  reset_stacks();
  pthread_mutex_init(&g_lock, nullptr);
}

}  // namespace

void* bootstrap_alloc(std::size_t size) {
  std::size_t need = (size + 16 + 15) & ~std::size_t{15};
  if (g_pool_used + need > kBootstrapPoolBytes) return nullptr;
  unsigned char* p = bootstrap_pool + g_pool_used;
  g_pool_used += need;
  std::memcpy(p, &size, sizeof size);
  std::memset(p + 16, 0, size);  // dlsym asks for calloc
  return p + 16;
}

std::size_t bootstrap_size(const void* p) {
  std::size_t size;
  std::memcpy(&size, static_cast<const unsigned char*>(p) - 16, sizeof size);
  return size;
}

void resolve() {
  if (g_resolving) return;
  g_resolving = true;
  GuardScope guard;
  RealFunctions r{};
  r.malloc = reinterpret_cast<decltype(r.malloc)>(dlsym(RTLD_NEXT, "malloc"));
  r.calloc = reinterpret_cast<decltype(r.calloc)>(dlsym(RTLD_NEXT, "calloc"));
  r.realloc = reinterpret_cast<decltype(r.realloc)>(dlsym(RTLD_NEXT, "realloc"));
  r.free = reinterpret_cast<decltype(r.free)>(dlsym(RTLD_NEXT, "free"));
  r.aligned_alloc = reinterpret_cast<decltype(r.aligned_alloc)>(dlsym(RTLD_NEXT, "aligned_alloc"));
  r.posix_memalign = reinterpret_cast<decltype(r.posix_memalign)>(dlsym(RTLD_NEXT, "posix_memalign"));
  r.memalign = reinterpret_cast<decltype(r.memalign)>(dlsym(RTLD_NEXT, "memalign"));
  r.valloc = reinterpret_cast<decltype(r.valloc)>(dlsym(RTLD_NEXT, "valloc"));
  r.pvalloc = reinterpret_cast<decltype(r.pvalloc)>(dlsym(RTLD_NEXT, "pvalloc"));
  r.dlopen = reinterpret_cast<decltype(r.dlopen)>(dlsym(RTLD_NEXT, "dlopen"));
  r.dlclose = reinterpret_cast<decltype(r.dlclose)>(dlsym(RTLD_NEXT, "dlclose"));
  // Publish malloc last: hooks take the fast path once it is set.
  RealFunctions published = r;
  published.malloc = nullptr;
  real = published;
  std::atomic_thread_fence(std::memory_order_release);
  real.malloc = r.malloc;
  if (!g_atfork_registered) {
    g_atfork_registered = true;
    pthread_atfork(before_fork, after_fork_parent, after_fork_child);
  }
  g_resolving = false;
}

void record_alloc(Entry entry, const void* ptr, std::size_t size, void* const* ips, int depth) {
  pthread_mutex_lock(&g_lock);
  if (recording.load(std::memory_order_relaxed)) {
    std::uint32_t stack = intern_stack(ips, depth);
    if (unsigned char* p = reserve(1 + 1 + 8 + 8 + 4)) {
      p = put<std::uint8_t>(p, kAlloc);
      p = put<std::uint8_t>(p, static_cast<std::uint8_t>(entry));
      p = put<std::uint64_t>(p, reinterpret_cast<std::uintptr_t>(ptr));
      p = put<std::uint64_t>(p, size);
      put<std::uint32_t>(p, stack);
    }
  }
  pthread_mutex_unlock(&g_lock);
}

namespace {
void write_free_locked(Entry entry, const void* ptr) {
  if (unsigned char* p = reserve(1 + 1 + 8)) {
    p = put<std::uint8_t>(p, kFree);
    p = put<std::uint8_t>(p, static_cast<std::uint8_t>(entry));
    put<std::uint64_t>(p, reinterpret_cast<std::uintptr_t>(ptr));
  }
}
}  // namespace

void record_free(Entry entry, const void* ptr) {
  pthread_mutex_lock(&g_lock);
  if (recording.load(std::memory_order_relaxed)) write_free_locked(entry, ptr);
  pthread_mutex_unlock(&g_lock);
}

void* traced_realloc(void* old_ptr, std::size_t size, void* const* ips, int depth) {
  pthread_mutex_lock(&g_lock);
  void* result = real.realloc(old_ptr, size);
  if (recording.load(std::memory_order_relaxed)) {
    // realloc(p, 0) frees p; a failed realloc leaves p alone.
    if (old_ptr && (result || size == 0)) write_free_locked(Entry::realloc, old_ptr);
    if (result) {
      std::uint32_t stack = intern_stack(ips, depth);
      if (unsigned char* p = reserve(1 + 1 + 8 + 8 + 4)) {
        p = put<std::uint8_t>(p, kAlloc);
        p = put<std::uint8_t>(p, static_cast<std::uint8_t>(Entry::realloc));
        p = put<std::uint64_t>(p, reinterpret_cast<std::uintptr_t>(result));
        p = put<std::uint64_t>(p, size);
        put<std::uint32_t>(p, stack);
      }
    }
  }
  pthread_mutex_unlock(&g_lock);
  return result;
}

void note_modules_changed() {
  pthread_mutex_lock(&g_lock);
  if (recording.load(std::memory_order_relaxed)) write_modules();
  pthread_mutex_unlock(&g_lock);
}

int start_trace(const char* path, bool whole_program) {
  if (!real.malloc) resolve();
  GuardScope guard;
  pthread_mutex_lock(&g_lock);
  int rc = 0;
  if (recording.load(std::memory_order_relaxed) || g_writer.fd >= 0) {
    rc = EBUSY;
  } else {
    g_writer.fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (g_writer.fd < 0) {
      rc = errno;
    } else if (!map_window(0)) {
      rc = errno ? errno : EIO;
      close_writer(false);
    } else {
      TraceHeader header{};
      std::memcpy(header.magic, kTraceMagic, sizeof header.magic);
      header.version = kTraceVersion;
      g_traced_pid = getpid();
      header.pid = static_cast<std::uint32_t>(g_traced_pid);
      header.window_bytes = kWindowBytes;
      header.whole_program = whole_program ? 1 : 0;
      std::memcpy(reserve(sizeof header), &header, sizeof header);
      g_whole_program = whole_program;
      g_epoch = 0;
      reset_stacks();
      g_next_stack_id = 0;
      // A whole-program trace may start inside the very first malloc, possibly while the dynamic
      // loader holds its lock: its first module snapshot waits for a safe point (preload.cpp).
      if (!whole_program) write_modules();
      recording.store(true, std::memory_order_release);
    }
  }
  pthread_mutex_unlock(&g_lock);
  return rc;
}

void record_exec(const char* path) {
  GuardScope guard;
  pthread_mutex_lock(&g_lock);
  const std::size_t len = path ? std::strlen(path) : 0;
  if (recording.load(std::memory_order_relaxed) && getpid() == g_traced_pid && len <= 65535) {
    if (unsigned char* p = reserve(1 + 2 + len)) {
      p = put<std::uint8_t>(p, kExec);
      p = put<std::uint16_t>(p, static_cast<std::uint16_t>(len));
      if (len) std::memcpy(p, path, len);
    }
  }
  pthread_mutex_unlock(&g_lock);
}

int stop_trace() {
  GuardScope guard;
  pthread_mutex_lock(&g_lock);
  int rc = 0;
  if (g_writer.fd < 0) {
    rc = EINVAL;
  } else {
    if (recording.load(std::memory_order_relaxed)) write_modules();  // the final set of libraries
    recording.store(false, std::memory_order_release);
    close_writer(true);
    reset_stacks();
    g_whole_program = false;
  }
  pthread_mutex_unlock(&g_lock);
  return rc;
}

bool whole_program_active() { return g_whole_program; }

}  // namespace kprof::memory
