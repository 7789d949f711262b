// libkprof_exec_guard.so, preloaded into the program `kprof cpu -- PROG` (with gperftools'
// libprofiler) or `kprof mem -- PROG` (with the memory tracer) runs: the one place that sees the
// program exec. Each exec function here, in the program itself, first ends what the old image
// recorded, then execs; the new image, still preloaded, records itself from its start.
// - cpu: gperftools samples with ITIMER_PROF, which survives execve while its SIGPROF handler does
//   not: a program that execs (a wrapper script, `sh -c`) was killed by the first SIGPROF of its new
//   image (status 155, no profile). The profiler is stopped (which writes the old image's profile)
//   and the timer disarmed; the exec is noted in $KPROF_EXEC_LOG.
// - mem: kprof_memory_before_exec ends the old image's trace with an exec record (preload.cpp).
// gperftools marks $CPUPROFILE (the high bit of its first byte) so that child processes write
// <file>_<pid> instead; the program itself (the process whose parent is kprof) gets the mark cleared when it
// execs, so that its new image writes the file kprof reads. No libstdc++: it runs inside any program.
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

// Weak: resolved when the library loads, against gperftools' libprofiler (kprof cpu) or the memory
// tracer (kprof mem), whichever was preloaded; null otherwise. Not dlsym: a failed lookup
// allocates its error message, which `kprof mem` would count as the program's.
extern "C" void ProfilerStop() __attribute__((weak));
extern "C" void kprof_memory_before_exec(const char* path) __attribute__((weak));

namespace {

// The most arguments or environment entries an exec here passes on (the kernel's own bound is similar).
constexpr int kMaxArgs = 4096;

void note_exec(const char* path) {
  const char* log = getenv("KPROF_EXEC_LOG");
  if (log == nullptr || *log == '\0') return;
  const int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const char* name = path != nullptr ? path : "(a file descriptor)";
  [[maybe_unused]] ssize_t written = write(fd, name, strlen(name));
  written = write(fd, "\n", 1);
  close(fd);
}

// The program itself is the one whose parent is kprof ($KPROF_PARENT_PID): its children's parent
// is the program, and an exec keeps the pid and the parent. (Nothing here allocates: a setenv
// would show in the program's own heap profile under `kprof mem`.)
bool is_main_program() {
  const char* parent = getenv("KPROF_PARENT_PID");
  return parent != nullptr && strtol(parent, nullptr, 10) == getppid();
}

// gperftools' "already used" mark on an environment entry "CPUPROFILE=..." cleared in place.
void clear_mark(char* entry) {
  static const char kKey[] = "CPUPROFILE=";
  if (strncmp(entry, kKey, sizeof kKey - 1) == 0)
    entry[sizeof kKey - 1] = static_cast<char>(entry[sizeof kKey - 1] & 127);
}

// `envp` with the mark cleared when the program itself execs (a copy: envp may be read-only).
char* const* environment_for_exec(char* const* envp) {
  if (envp == nullptr || !is_main_program()) return envp;
  static char* copy[kMaxArgs];
  static char entry[4096];
  int n = 0;
  for (; envp[n] != nullptr && n < kMaxArgs - 1; ++n) {
    copy[n] = envp[n];
    if (strncmp(envp[n], "CPUPROFILE=", 11) == 0 && strlen(envp[n]) < sizeof entry) {
      strcpy(entry, envp[n]);
      clear_mark(entry);
      copy[n] = entry;
    }
  }
  copy[n] = nullptr;
  return copy;
}

// The exec returned: it failed (a PATH lookup tries several names), and the program goes on.
int exec_failed(int result) {
  if (is_main_program()) note_exec("-");
  return result;
}

// Before an exec: stops the CPU profiler, ends the memory trace, logs the exec.
// Only the program itself: a child that execs has no timer (fork and vfork do not pass it on) and
// no trace, and a vfork'ed child shares the parent's memory, so stopping the profiler there would
// stop it for the parent without disarming the parent's timer (dash runs commands with vfork).
void end_recordings(const char* path) {
  if (!is_main_program()) return;
  if (ProfilerStop != nullptr) {
    ProfilerStop();
    const itimerval off{};
    setitimer(ITIMER_PROF, &off, nullptr);
  }
  if (kprof_memory_before_exec != nullptr) kprof_memory_before_exec(path != nullptr ? path : "(a file descriptor)");
  note_exec(path);
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) clear_mark(*e);
}

template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// The variadic exec functions' arguments as an argv.
int collect(const char* first, va_list ap, const char** argv) {
  int n = 0;
  argv[n++] = first;
  while (argv[n - 1] != nullptr && n < kMaxArgs) argv[n++] = va_arg(ap, const char*);
  argv[kMaxArgs - 1] = nullptr;
  return n;
}

}  // namespace

extern "C" {

// The real function is looked up before end_recordings: dlsym may free or allocate (its error
// state), and nothing may be recorded after the memory trace's exec record.
using ExecEnv = int (*)(const char*, char* const[], char* const[]);
using Exec = int (*)(const char*, char* const[]);

int execve(const char* path, char* const argv[], char* const envp[]) {
  const auto real = next<ExecEnv>("execve");
  end_recordings(path);
  return exec_failed(real(path, argv, environment_for_exec(envp)));
}

int execv(const char* path, char* const argv[]) {
  const auto real = next<Exec>("execv");
  end_recordings(path);
  return exec_failed(real(path, argv));
}

int execvp(const char* file, char* const argv[]) {
  const auto real = next<Exec>("execvp");
  end_recordings(file);
  return exec_failed(real(file, argv));
}

int execvpe(const char* file, char* const argv[], char* const envp[]) {
  const auto real = next<ExecEnv>("execvpe");
  end_recordings(file);
  return exec_failed(real(file, argv, environment_for_exec(envp)));
}

int fexecve(int fd, char* const argv[], char* const envp[]) {
  const auto real = next<int (*)(int, char* const[], char* const[])>("fexecve");
  end_recordings(nullptr);
  return exec_failed(real(fd, argv, environment_for_exec(envp)));
}

int execl(const char* path, const char* arg, ...) {
  static const char* argv[kMaxArgs];
  va_list ap;
  va_start(ap, arg);
  collect(arg, ap, argv);
  va_end(ap);
  return execv(path, const_cast<char* const*>(argv));
}

int execlp(const char* file, const char* arg, ...) {
  static const char* argv[kMaxArgs];
  va_list ap;
  va_start(ap, arg);
  collect(arg, ap, argv);
  va_end(ap);
  return execvp(file, const_cast<char* const*>(argv));
}

int execle(const char* path, const char* arg, ...) {
  static const char* argv[kMaxArgs];
  va_list ap;
  va_start(ap, arg);
  collect(arg, ap, argv);
  char* const* envp = va_arg(ap, char* const*);
  va_end(ap);
  return execve(path, const_cast<char* const*>(argv), envp);
}

}  // extern "C"
