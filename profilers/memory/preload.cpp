// Whole-program tracing for libkprof_memory_preload.so. `kprof mem -- ./program` sets
//   KPROF_MEM_TRACE=<file>  where to write the trace
//   KPROF_PARENT_PID=<pid>  kprof's pid: the one process to trace is the one kprof started
//                           (the pid of its parent is known before the program starts, unlike its
//                           own). Programs it starts (whose parent it is) inherit LD_PRELOAD but must
//                           not truncate its file.
// Tracing starts in the very first malloc (so static constructors are counted, as massif does)
// and stops in this library's destructor, which the loader runs after the program's own
// destructors and atexit handlers: frees at exit are in the trace.
// A program that execs keeps LD_PRELOAD and its pid: libkprof_exec_guard.so (preloaded with this
// library) calls kprof_memory_before_exec, which ends the image's trace with an exec record, and
// the new image traces into the next free name: <trace>, <trace>.1, <trace>.2, ...
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "recorder.h"

namespace mem = kprof::memory;

namespace {

bool g_started = false;

long parse_pid(const char* text) {
  long value = 0;
  for (; *text >= '0' && *text <= '9'; ++text) value = value * 10 + (*text - '0');
  return *text ? -1 : value;
}

// The first of <base>, <base>.1, <base>.2 ... that does not exist yet, created; false if none can
// be (no malloc here: this runs inside the program's first malloc).
bool claim_image_file(const char* base, char (&name)[4096]) {
  const std::size_t len = std::strlen(base);
  if (len + 8 > sizeof name) return false;
  for (unsigned image = 0; image < 1000; ++image) {
    std::memcpy(name, base, len + 1);
    if (image > 0) {
      char digits[8];
      int n = 0;
      for (unsigned v = image; v != 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
      char* p = name + len;
      *p++ = '.';
      while (n > 0) *p++ = digits[--n];
      *p = '\0';
    }
    const int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      close(fd);
      return true;
    }
    if (errno != EEXIST) return false;
  }
  return false;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void kprof_memory_autostart() {
  if (g_started) return;
  g_started = true;
  const char* path = std::getenv("KPROF_MEM_TRACE");
  const char* parent = std::getenv("KPROF_PARENT_PID");
  if (!path || !*path || !parent || parse_pid(parent) != static_cast<long>(getppid())) return;
  static char image_file[4096];
  if (claim_image_file(path, image_file)) mem::start_trace(image_file, true);
}

// Called by libkprof_exec_guard.so just before the program execs.
extern "C" __attribute__((visibility("default"))) void kprof_memory_before_exec(const char* path) {
  if (mem::whole_program_active()) mem::record_exec(path);
}

// The safe point for the first module snapshot: the loader has finished starting the program.
__attribute__((constructor)) static void kprof_memory_preload_init() {
  if (!mem::real.malloc) {
    mem::resolve();
    kprof_memory_autostart();
  }
  if (mem::whole_program_active()) mem::note_modules_changed();
}

__attribute__((destructor)) static void kprof_memory_preload_fini() {
  if (mem::whole_program_active()) mem::stop_trace();
}
