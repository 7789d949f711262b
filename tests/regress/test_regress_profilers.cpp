// The exact gates end to end: `kprof regress --collect callgrind --collect mem` runs the real
// profilers (valgrind's callgrind, kprof's malloc hooks) on both "builds" and must flag ~3% more
// instructions and 1 MiB more per call, each explained by what grew.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/process.h"

namespace kprof::test {
namespace {

namespace fs = std::filesystem;
const std::string kProbe = std::string("'") + KPROF_PROBE_EXE + "'";

TEST(RegressProfilers, InstructionAndMemoryRegressionsAreFlaggedAndExplained) {
  fs::path dir = fresh_dir("regress_profilers");
  {
    std::ofstream(dir / "current.sh")
        << "#!/bin/sh\nKPROF_PROBE_EXTRA_INSTR_PCT=3 KPROF_PROBE_EXTRA_BYTES=1048576 exec " + kProbe + " \"$@\"\n";
  }
  fs::permissions(dir / "current.sh", fs::perms::owner_all);
  // Wall time is not what this test is about: the memset of 1 MiB makes probe/memory slower too.
  ProcessResult r = run_command(kProbe + " regress --no-annotations --baseline-bin " + kProbe + " --current-bin '" +
                                (dir / "current.sh").string() +
                                "' probe/steady,instructions,memory -s 32768 -t f64 --rounds 3 --min-time-ms 2 "
                                "--alternations 1 --time-threshold 1000 --collect callgrind --collect mem --json '" +
                                (dir / "gate.json").string() + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("REGRESSION probe/instructions/f64/n=32768 [instructions]: instructions"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("probe_family.cpp:"), std::string::npos) << r.out;  // the lines that grew
  EXPECT_NE(r.out.find("REGRESSION probe/memory/f64/n=32768 [allocated_bytes]: bytes allocated per call"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("+1.00 MiB"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("REGRESSION probe/steady"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace kprof::test
