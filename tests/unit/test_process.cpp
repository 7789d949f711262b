// kprof::run_process: exit codes, signals, capture, environment, redirects, timeouts and the
// errors for a program that cannot be started. /bin/sh is the child here because it can exit,
// crash, print and sleep on demand; the runner itself never goes through a shell.
#include "kprof/process.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "kprof/errors.h"

namespace kprof {
namespace {

namespace fs = std::filesystem;

Command sh(const std::string& script) {
  Command c;
  c.argv = {"/bin/sh", "-c", script};
  return c;
}

ProcessResult captured(Command c) {
  c.capture_stdout = c.capture_stderr = true;
  return run_process(c);
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("kprof-test-process-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Process, ExitCodesAreReported) {
  ProcessResult ok = run_process(sh("exit 0"));
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(ok.signal, 0);
  ProcessResult three = run_process(sh("exit 3"));
  EXPECT_FALSE(three.ok());
  EXPECT_EQ(three.exit_code, 3);
  EXPECT_EQ(three.status(), 3);
  EXPECT_EQ(three.how_it_ended(), "exited with status 3");
}

TEST(Process, ASignalIsReportedAsTheSignal) {
  ProcessResult r = run_process(sh("kill -SEGV $$"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.status(), 128 + SIGSEGV);
  EXPECT_FALSE(r.timed_out);
  EXPECT_NE(r.how_it_ended().find("killed by signal 11"), std::string::npos) << r.how_it_ended();
}

TEST(Process, CapturesStdoutAndStderrApart) {
  ProcessResult r = captured(sh("printf 'to out'; printf 'to err' >&2; exit 4"));
  EXPECT_EQ(r.out, "to out");
  EXPECT_EQ(r.err, "to err");
  EXPECT_EQ(r.exit_code, 4);
}

TEST(Process, CapturesMoreThanAPipeHoldsOnBothStreams) {
  // 1 MB on each stream: a runner reading one pipe to its end before the other would deadlock.
  ProcessResult r =
      captured(sh("i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero; head -c 65536 /dev/zero >&2; "
                  "i=$((i+1)); done"));
  EXPECT_TRUE(r.ok()) << r.how_it_ended();
  EXPECT_EQ(r.out.size(), 16u * 65536u);
  EXPECT_EQ(r.err.size(), 16u * 65536u);
}

TEST(Process, ArgumentsArriveExactlyAsGiven) {
  Command c;
  c.argv = {"/bin/sh", "-c", "printf '[%s]' \"$@\"", "sh", "a b", "it's", "$(echo no)", "; exit 9", ""};
  ProcessResult r = captured(c);
  EXPECT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out, "[a b][it's][$(echo no)][; exit 9][]");
}

TEST(Process, EnvironmentIsAddedToAndReplaced) {
  ::setenv("KPROF_TEST_REPLACED", "old", 1);
  Command c = sh("printf '%s|%s|%s' \"$KPROF_TEST_ADDED\" \"$KPROF_TEST_REPLACED\" \"$KPROF_TEST_KEPT\"");
  ::setenv("KPROF_TEST_KEPT", "kept", 1);
  c.env = {{"KPROF_TEST_ADDED", "a b'c"}, {"KPROF_TEST_REPLACED", "new"}};
  ProcessResult r = captured(c);
  EXPECT_EQ(r.out, "a b'c|new|kept");
  EXPECT_STREQ(std::getenv("KPROF_TEST_REPLACED"), "old");  // kprof's own environment is untouched
}

TEST(Process, RedirectsToAndFromFiles) {
  const fs::path in = scratch("in.txt"), out = scratch("out.txt"), err = scratch("err.txt");
  std::ofstream(in) << "line from a file\n";
  Command c = sh("cat; echo oops >&2");
  c.stdin_file = in;
  c.stdout_file = out;
  c.stderr_file = err;
  ProcessResult r = run_process(c);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(slurp(out), "line from a file\n");
  EXPECT_EQ(slurp(err), "oops\n");
  EXPECT_TRUE(r.out.empty());
  fs::remove_all(in.parent_path());
}

TEST(Process, TimeoutKillsTheProgram) {
  Command c = sh("sleep 20");
  c.timeout_seconds = 0.2;
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process(c);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(took, 10.0);
  EXPECT_GE(took, 0.2);
  EXPECT_NE(r.how_it_ended().find("timed out"), std::string::npos) << r.how_it_ended();
}

bool gone(pid_t pid) {
  // Dead, or a zombie waiting for a parent that may not reap it (PID 1 of a container).
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

TEST(Process, TimeoutWithItsOwnGroupKillsWhatTheProgramStarted) {
  Command c = sh("sleep 30 & echo $!; wait");
  c.capture_stdout = true;
  c.own_process_group = true;
  c.timeout_seconds = 0.5;
  ProcessResult r = run_process(c);
  EXPECT_TRUE(r.timed_out);
  pid_t sleeper = static_cast<pid_t>(std::stol(r.out));
  bool dead = false;
  for (int i = 0; i < 200 && !dead; ++i) {
    dead = gone(sleeper);
    if (!dead) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(dead) << "the program's own child " << sleeper << " outlived the timeout";
  if (!dead) ::kill(sleeper, SIGKILL);
}

TEST(Process, MeasuresTheProgramsCpuTime) {
  ProcessResult r = run_process(sh("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done"));
  EXPECT_TRUE(r.ok());
  EXPECT_GT(r.cpu_seconds, 0.01);
  EXPECT_LE(r.cpu_seconds, r.wall_seconds + 0.05);  // one thread cannot use more CPU than time
}

TEST(Process, AProgramThatCannotBeStartedIsAUsageErrorNamingIt) {
  Command missing;
  missing.argv = {"kprof-no-such-program-anywhere"};
  try {
    run_process(missing);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("program not found in PATH: kprof-no-such-program-anywhere"),
              std::string::npos)
        << e.what();
  }
  missing.argv = {"/nonexistent/kprof-program"};
  EXPECT_THROW(run_process(missing), UsageError);
  Command not_executable;
  not_executable.argv = {std::string(KPROF_SOURCE_DIR) + "/CMakeLists.txt"};
  try {
    run_process(not_executable);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("not an executable file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run_process(Command{}), UsageError);
}

TEST(Process, FindsProgramsInPath) {
  EXPECT_FALSE(find_program("sh").empty());
  EXPECT_TRUE(find_program("kprof-no-such-program-anywhere").empty());
  EXPECT_EQ(find_program("/bin/sh"), fs::path("/bin/sh"));
  EXPECT_TRUE(find_program(std::string(KPROF_SOURCE_DIR) + "/CMakeLists.txt").empty());
  EXPECT_EQ(join_argv({"valgrind", "--tool=callgrind", "a b"}), "valgrind --tool=callgrind a b");
}

TEST(Process, SurvivingAnInterruptLeavesTheProgramItsDefault) {
  Command c = sh("kill -INT $PPID; kill -INT $$; exit 0");
  c.survive_interrupt = true;  // else the SIGINT sent to this test would end it
  ProcessResult r = run_process(c);
  EXPECT_EQ(r.signal, SIGINT) << "the program must not inherit kprof's ignored SIGINT: " << r.how_it_ended();
}

}  // namespace
}  // namespace kprof
