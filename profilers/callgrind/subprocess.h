#pragma once
// Running valgrind, or a program under a profiler, without a shell: arguments are passed as they
// are (no quoting problems), extra environment variables are added to ours.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kprof {

struct ProcessOptions {
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) the environment
  std::filesystem::path stdout_file;                     // empty: inherit
  std::filesystem::path stderr_file;                     // empty: inherit
};

// Runs argv[0] (searched in PATH when it has no '/') and waits; returns its exit status, or
// 128 + signal. Throws UsageError when the program cannot be started. With `cpu_seconds`, also
// the CPU time (user + system, all threads) the program used.
int run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {},
                double* cpu_seconds = nullptr);

// The program's path: `name` itself when it contains '/', else the first match in PATH. Empty
// when it is not an executable file.
std::filesystem::path find_program(const std::string& name);

// The running kprof binary (/proc/self/exe), to re-run it under a profiler.
std::filesystem::path self_exe();

// A file name made of letters, digits and ._-= (other characters become '_').
std::string file_safe(std::string text);

}  // namespace kprof
