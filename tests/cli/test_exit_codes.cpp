// The exit-code table (profilers/include/kprof/errors.h, docs/USAGE.md "Exit codes"), one command
// per code that a command line can produce: 0 done, 1 a finding (named on stderr), 2 bad input,
// 3 a tool kprof drives is missing or failed. (4, an internal error, needs a bug in kprof.)
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/process.h"

namespace kprof::test {
namespace {

const std::string kProbe = KPROF_PROBE_EXE;  // kprof with the probe family (tests/regress/probe_family.cpp)

TEST(ExitCodes, ZeroWhenDoneWithNothingFound) {
  ProcessResult r = run_command(kprof_exe() + " run dot/scalar -s 100 -t f64 --rounds 1 --min-time-ms 0.1 -q");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("finding"), std::string::npos) << r.err;
}

TEST(ExitCodes, OneForAWrongVariantNamingIt) {
  ProcessResult run = run_command("KPROF_PROBE_ERROR=1e-6 " + kProbe +
                                  " run probe/steady,error -s 64 -t f64 --rounds 1 --min-time-ms 0.1 -q --format none");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("kprof run: finding: probe/error/f64/n=64 is wrong: max relative error"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("probe/steady"), std::string::npos) << run.err;

  ProcessResult bench = run_command("KPROF_PROBE_ERROR=1e-6 " + kProbe +
                                    " bench probe/steady,error -s 64 -t f64 -- --benchmark_min_time=0.001");
  EXPECT_EQ(bench.exit_code, 1) << bench.out << bench.err;
  EXPECT_NE(bench.err.find("kprof bench: finding: probe/error/f64/n=64 is wrong: max relative error"),
            std::string::npos)
      << bench.err;
}

TEST(ExitCodes, TwoForBadInput) {
  ProcessResult r = run_command(kprof_exe() + " run dot -s 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad size"), std::string::npos) << r.err;
}

// The forest families' bad sizes (a tree of depth 0, more features than a forest may have, no row
// to predict, no tree to fit) are refused before any family is checked or timed, even one listed first.
TEST(ExitCodes, TwoForABadForestSizeBeforeAnythingRuns) {
  for (const std::string& args :
       {"forest_predict -s depth=0", "forest_predict -s features=257", "forest_predict -s batch=0",
        "dot/scalar forest_predict -s dot:100 -s forest_predict:batch=0", "forest_fit -s depth=0",
        "forest_fit -s features=1025", "forest_fit -s trees=0"}) {
    SCOPED_TRACE(args);
    ProcessResult r = run_command(kprof_exe() + " run " + args + " --rounds 1 --min-time-ms 0.1");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("bad size: "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(" ok"), std::string::npos) << r.err;  // no variant was checked
    EXPECT_EQ(r.out, "");
  }
}

// Inputs that are not files: named as what they are (a folder was called "corrupt"), and a device
// is refused instead of read forever (`callgrind --annotate /dev/zero` never ended).
TEST(ExitCodes, TwoForAFolderOrADeviceGivenAsAFile) {
  ProcessResult folder = run_command(kprof_exe() + " callgrind --annotate /tmp");
  EXPECT_EQ(folder.exit_code, 2);
  EXPECT_NE(folder.err.find("'/tmp': it is a folder, not a file"), std::string::npos) << folder.err;
  ProcessResult device = run_command("timeout 20 " + kprof_exe() + " callgrind --annotate /dev/zero");
  EXPECT_EQ(device.exit_code, 2);
  EXPECT_NE(device.err.find("'/dev/zero': not a regular file"), std::string::npos) << device.err;
}

// A number JSON's syntax allows but a double cannot hold: the file is named, exit 2 (was an
// "internal error ... number overflow" naming no file).
TEST(ExitCodes, TwoForANumberOutOfRangeNamingTheFile) {
  const std::string dir = fresh_dir("exit_codes_overflow");
  ProcessResult write = run_command("printf '{\"schema_version\": 1e400}' > '" + dir + "/big.json'");
  ASSERT_EQ(write.exit_code, 0);
  ProcessResult r =
      run_command(kprof_exe() + " regress --baseline '" + dir + "/big.json' --current '" + dir + "/big.json'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("big.json: not a usable JSON document"), std::string::npos) << r.err;
}

// A size inside the parameter's range whose data cannot fit in memory: refused before anything is
// allocated, by every command that runs a kernel (was an OOM kill with no message, or
// "threw: std::bad_alloc"). gemm at 65536 reads and writes 3 x 65536^2 doubles, 96 GiB and more.
TEST(ExitCodes, TwoForASizeWhoseDataCannotFitInMemory) {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib && key != "MemAvailable:") meminfo.ignore(64, '\n');
  if (kib > 96.0 * 1024 * 1024) GTEST_SKIP() << "this machine has more than 96 GiB available: gemm at 65536 fits";
  for (const char* command : {"run", "mem", "cpu", "callgrind", "lines", "bench"}) {
    ProcessResult r = run_command(kprof_exe() + " " + command + " gemm/scalar -s 65536 -t f64");
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("gemm at k=65536,m=65536,n=65536 (f64) needs about"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("of memory is available here: use a smaller size"), std::string::npos) << r.err;
  }
}

// Options that ask for two jobs at once, or a value out of range, are refused naming them (they were
// silently reduced to one job; --toggle-collect took the kernel's name as a second function).
TEST(ExitCodes, TwoForConflictingOptionsNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"callgrind --annotate a.out --diff b.out c.out", "callgrind does one job at a time; got --annotate and --diff"},
      {"callgrind gemm/scalar --annotate a.out", "got a kernel (gemm/scalar) and --annotate"},
      {"callgrind --compare -- /bin/true", "--compare compares the variants of a kernel family"},
      {"callgrind --toggle-collect main gemm/scalar", "--toggle-collect applies to a program after --"},
      {"history --db /nonexistent/h.sqlite runs --last -1", "--last: Value -1 not in range"},
  };
  for (const auto& [args, message] : cases) {
    ProcessResult r = run_command(kprof_exe() + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_NE((r.err + r.out).find(message), std::string::npos) << args << ": " << r.err;
  }
}

// One size given twice is measured once: one result per key (`-s 64 -s n=64` wrote two).
TEST(ExitCodes, OneSizeGivenTwiceIsOneResult) {
  ProcessResult r = run_command(
      kprof_exe() + " run dot/scalar -s 64 -s n=64 -s 64..64 -t f64 --rounds 1 --min-time-ms 0.1 -q -f json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t results = 0;
  for (std::size_t at = r.out.find("\"variant\": \"scalar\""); at != std::string::npos;
       at = r.out.find("\"variant\": \"scalar\"", at + 1))
    ++results;
  EXPECT_EQ(results, 1u) << r.out;
}

// A full device behind stdout (`kprof run -f json > run.json` on a full disk) is a failure that
// says so, not exit 0 with nothing written.
TEST(ExitCodes, TwoWhenStandardOutputCannotBeWritten) {
  ProcessResult r = run_command(kprof_exe() + " list > /dev/full");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("could not write to standard output (No space left on device)"), std::string::npos) << r.err;
}

TEST(ExitCodes, ThreeWhenADrivenToolIsMissingOrFails) {
  ProcessResult no_valgrind = run_command("PATH=/nonexistent " + kprof_exe() + " callgrind dot/scalar -s 100");
  EXPECT_EQ(no_valgrind.exit_code, 3) << no_valgrind.err;
  EXPECT_NE(no_valgrind.err.find("valgrind is not installed"), std::string::npos) << no_valgrind.err;

  // /bin/false exits 1 under gperftools (or gperftools is missing): either way a driven tool failed.
  ProcessResult failing = run_command(kprof_exe() + " cpu -o '" + fresh_dir("exit_codes_cpu") + "' -- /bin/false");
  EXPECT_EQ(failing.exit_code, 3) << failing.err;
}

}  // namespace
}  // namespace kprof::test
