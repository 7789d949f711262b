#pragma once
// The one way kprof starts a program (valgrind, a program to profile, a child kprof, git): with
// posix_spawn and an argument vector, never through a shell, so that arguments reach the program
// exactly as given (no quoting, no word splitting, no injection through a size or a path).
//
// kprof_process is a library of its own (profilers/process/) that depends on nothing else in
// kprof, so that core code and every collector can link it without linking each other.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kprof {

struct Command {
  std::vector<std::string> argv;                         // argv[0]: a path, or a name searched in PATH (find_program)
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) kprof's environment
  std::filesystem::path stdin_file;                      // empty: inherit kprof's stdin
  std::filesystem::path stdout_file;                     // empty: inherit (or capture, below)
  std::filesystem::path stderr_file;
  bool capture_stdout = false;  // into ProcessResult::out (wins over stdout_file)
  bool capture_stderr = false;  // into ProcessResult::err
  double timeout_seconds = 0;   // > 0: SIGKILL after this long (the whole group with own_process_group)
  bool own_process_group = false;
  // Ctrl-C reaches the program (same terminal) while kprof ignores it until the program has ended,
  // so that kprof can still report what the program recorded before it was interrupted.
  bool survive_interrupt = false;
};

struct ProcessResult {
  int exit_code = -1;      // when the program exited; -1 when it was killed by a signal
  int signal = 0;          // the signal that ended it, 0 when it exited
  bool timed_out = false;  // killed by kprof after Command::timeout_seconds
  double cpu_seconds = 0;  // user + system time of the program (all its threads, waited-for children)
  double wall_seconds = 0;
  std::string out, err;  // captured stdout / stderr

  bool ok() const { return exit_code == 0; }
  // The status as a shell reports it: the exit code, or 128 + the signal.
  int status() const { return signal != 0 ? 128 + signal : exit_code; }
  // "exited with status 3", "was killed by signal 11 (Segmentation fault)", "timed out after 5 s".
  std::string how_it_ended() const;
};

// Starts the program and waits for it. Throws UsageError naming the program when it cannot be
// started (not found, not executable, not a program); whatever the program then does, including
// crashing or timing out, is in the result.
ProcessResult run_process(const Command& command);

// The program's path: `name` itself when it contains '/', else the first match in PATH. Empty
// when it is not an executable file.
std::filesystem::path find_program(const std::string& name);

// find_program, or UsageError saying whether `name` is missing from PATH, missing, or not an
// executable file.
std::filesystem::path require_program(const std::string& name);

// A library kprof preloads into programs (libkprof_memory_preload.so, libkprof_exec_guard.so): the
// path in $`env_var` if set, else next to the installed kprof (../lib, or its own folder), else
// where the build made it (`build_path`, may be null). UsageError naming every place tried.
std::filesystem::path find_helper_library(const std::string& name, const char* env_var, const char* build_path);

// libkprof_exec_guard.so (exec_guard.cpp), preloaded into every program kprof cpu and kprof mem
// run: it ends what the old image recorded before the program execs. $KPROF_EXEC_GUARD overrides.
std::filesystem::path exec_guard_library();
// The LD_PRELOAD of a program kprof profiles: kprof's `libraries`, then the user's own LD_PRELOAD
// (kept, so that a program that needs its preload still gets it; kprof's come first so that their
// hooks see every call).
std::string ld_preload_with(const std::vector<std::filesystem::path>& libraries);
// The files the program exec'd, in order, as the exec guard logged them into $KPROF_EXEC_LOG
// (an exec that failed is left out); empty when the log is missing.
std::vector<std::string> execs_logged(const std::filesystem::path& log);

// The running kprof binary (/proc/self/exe), to re-run it under a profiler.
std::filesystem::path self_exe();

// The words of an argv joined with spaces, for messages and reports (not for a shell).
std::string join_argv(const std::vector<std::string>& argv);

}  // namespace kprof
