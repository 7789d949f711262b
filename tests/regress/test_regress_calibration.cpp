// Long (ctest -L long): calibrates the gate on this machine and checks that a change well above what
// calibration calls detectable is detected. The figures it prints are the ones docs/REGRESS.md quotes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace kprof::test {
namespace {

namespace fs = std::filesystem;
const std::string kProbe = std::string("'") + KPROF_PROBE_EXE + "'";
const std::string kArgs = " probe/steady,time -s 32768 -t f64 --rounds 7 --min-time-ms 4 -q --alternations 7";

TEST(RegressCalibration, CalibratedThresholdsRaiseNoAlarmAndCatchTwiceTheNoise) {
  fs::path dir = fresh_dir("regress_calibration");
  const std::string noise = (dir / "noise.json").string();
  ProcessResult aa =
      run_command(kProbe + " regress --aa 20 --current-bin " + kProbe + kArgs + " --noise-out '" + noise + "'");
  std::cout << aa.out;
  ASSERT_EQ(aa.exit_code, 0) << aa.err;
  // The calibrated profile, used as thresholds, must be silent on 20 more A/A comparisons...
  ProcessResult check =
      run_command(kProbe + " regress --aa 20 --current-bin " + kProbe + kArgs + " --noise '" + noise + "'");
  std::cout << check.out;
  EXPECT_EQ(check.exit_code, 0) << check.out;
  // ... and still catch a slowdown of twice the noise it measured (10% at least): a change at the
  // calibrated threshold itself is flagged only about half the time, by construction.
  std::ifstream noise_in(noise);
  const double detectable =
      nlohmann::json::parse(noise_in)["benchmarks"]["probe/time/f64/n=32768"]["time_detectable_pct"].get<double>();
  const int slowdown = std::max(10, static_cast<int>(std::ceil(2.0 * detectable)));
  std::cout << "injected slowdown: " << slowdown << "% (calibrated threshold " << detectable << "%)\n";
  fs::path script = dir / "slow.sh";
  {
    std::ofstream(script) << "#!/bin/sh\nKPROF_PROBE_EXTRA_TIME_PCT=" + std::to_string(slowdown) + " exec " + kProbe +
                                 " \"$@\"\n";
  }
  fs::permissions(script, fs::perms::owner_all);
  ProcessResult slow = run_command(kProbe + " regress --no-annotations --baseline-bin " + kProbe + " --current-bin '" +
                                   script.string() + "'" + kArgs + " --noise '" + noise + "'");
  std::cout << slow.out;
  EXPECT_EQ(slow.exit_code, 1) << slow.out;
}

}  // namespace
}  // namespace kprof::test
