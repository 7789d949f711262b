#pragma once
// Errors that end a kprof command, and the one table of exit codes every command uses
// (docs/USAGE.md, "Exit codes"). CI scripts rely on the codes to tell a finding from bad input
// from a broken tool, so each kind of failure has its own type and its own code.
#include <stdexcept>
#include <string>

namespace kprof {

enum ExitCode : int {
  kExitOk = 0,
  kExitFinding = 1,      // a regression, a wrong variant: the output says which
  kExitUsage = 2,        // bad input: unknown name, bad size, unreadable or corrupt file, unwritable path
  kExitToolFailed = 3,   // a program kprof drives failed: valgrind, the profiled program, pprof
  kExitInternal = 4,     // a bug in kprof itself
  kExitInterrupted = 130 // SIGINT (128 + signal for others: SIGTERM gives 143)
};

// Bad input. The message names the problem (and the file or option it came from).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A tool kprof drives (valgrind, the profiled program, a child kprof) could not do its job. The
// message names the tool, what it was asked to do and how it ended (status or signal, log path).
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace kprof
