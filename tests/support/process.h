#pragma once
// Runs a command line through /bin/sh and captures its exit code, stdout and stderr (test helper).
#include <string>

namespace kprof::test {

struct ProcessResult {
  int exit_code = -1;  // the shell's $?: 128+N for a signal
  std::string out;
  std::string err;
};

ProcessResult run_command(const std::string& command_line);

// "kprof" binary of this build, quoted for the shell.
std::string kprof_exe();

// A fresh empty folder under the build tree for one test; removed first if it exists.
std::string fresh_dir(const std::string& name);

}  // namespace kprof::test
