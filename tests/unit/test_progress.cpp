// Progress lines of long sweeps: what they say, and when they stay quiet.
#include <gtest/gtest.h>

#include "kprof/reports/progress.h"

namespace kprof {
namespace {

TEST(Progress, LineSaysPointsElapsedAndTimeLeft) {
  EXPECT_EQ(progress_line(10, 40, 65), "kprof: 10/40 points, 1m 05s elapsed, about 3m 15s left");
  EXPECT_EQ(progress_line(0, 40, 0.2), "kprof: 0/40 points, 0s elapsed") << "no estimate before a point is done";
  EXPECT_EQ(progress_line(40, 40, 7300), "kprof: 40/40 points, 2h 01m elapsed");
}

TEST(Progress, OnlyOnATerminalOutsideCiAndWithoutQuiet) {
  EXPECT_TRUE(progress_wanted(false, true, nullptr));
  EXPECT_FALSE(progress_wanted(true, true, nullptr)) << "-q";
  EXPECT_FALSE(progress_wanted(false, false, nullptr)) << "stderr is a file or a pipe";
  EXPECT_FALSE(progress_wanted(false, true, "true")) << "CI=true";
  EXPECT_TRUE(progress_wanted(false, true, "false"));
}

}  // namespace
}  // namespace kprof
