// Whole-program tracing for libkprof_memory_preload.so. `kprof mem -- ./program` sets
//   KPROF_MEM_TRACE=<file>  where to write the trace
//   KPROF_MEM_PARENT_PID=<pid>  kprof's pid: the one process to trace is the one kprof started
//                           (the pid of its parent is known before the program starts, unlike its
//                           own). Programs it starts (whose parent it is) inherit LD_PRELOAD but must
//                           not truncate its file.
// Tracing starts in the very first malloc (so static constructors are counted, as massif does)
// and stops in this library's destructor, which the loader runs after the program's own
// destructors and atexit handlers: frees at exit are in the trace.
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "recorder.h"

namespace mem = kprof::memory;

namespace {

bool g_started = false;

long parse_pid(const char* text) {
  long value = 0;
  for (; *text >= '0' && *text <= '9'; ++text) value = value * 10 + (*text - '0');
  return *text ? -1 : value;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void kprof_memory_autostart() {
  if (g_started) return;
  g_started = true;
  const char* path = std::getenv("KPROF_MEM_TRACE");
  const char* parent = std::getenv("KPROF_MEM_PARENT_PID");
  if (!path || !*path || !parent || parse_pid(parent) != static_cast<long>(getppid())) return;
  mem::start_trace(path, true);
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
