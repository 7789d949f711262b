// The exit-code table (profilers/include/kprof/errors.h, docs/USAGE.md "Exit codes"), one command
// per code that a command line can produce: 0 done, 1 a finding (named on stderr), 2 bad input,
// 3 a tool kprof drives is missing or failed. (4, an internal error, needs a bug in kprof.)
#include <gtest/gtest.h>

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
