#include "support/process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kprof::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

ProcessResult run_command(const std::string& command_line) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() / ("kprof-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string out = (dir / ("out" + std::to_string(counter))).string();
  std::string err = (dir / ("err" + std::to_string(counter++))).string();
  std::string full = "(" + command_line + ") >'" + out + "' 2>'" + err + "' </dev/null";
  int status = std::system(full.c_str());
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

std::string kprof_exe() { return std::string("'") + KPROF_EXE + "'"; }

std::string fresh_dir(const std::string& name) {
  auto dir = std::filesystem::path(KPROF_BINARY_DIR) / "test-output" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace kprof::test
