// The sampling-rate check of `kprof cpu`: gperftools' SIGPROF timer cannot fire more often than the
// kernel's scheduler tick, so a report that asked for more says how many samples per CPU second it
// really got (figures below are from this project's VM: CONFIG_HZ=250, 418 samples in 1.66 s of
// CPU at 1000 Hz asked for).
#include <gtest/gtest.h>

#include <string>

#include "cpu_profiler.h"

namespace kprof {
namespace {

CpuRun run_with(std::uint64_t samples, double cpu_seconds) {
  CpuRun run;
  run.raw.period_us = 1000;
  run.raw.samples.push_back({samples, {0x401000}});
  run.cpu_seconds = cpu_seconds;
  return run;
}

TEST(SamplingRate, SamplesPerCpuSecond) {
  EXPECT_DOUBLE_EQ(samples_per_cpu_second(run_with(418, 1.66)), 418 / 1.66);
  EXPECT_EQ(samples_per_cpu_second(run_with(10, 0.0)), 0.0);  // no CPU time measured: no rate
}

TEST(SamplingRate, CappedRateIsReported) {
  std::string note = sampling_rate_note(run_with(418, 1.66), 1000);
  EXPECT_NE(note.find("418 samples in 1.66 s of CPU time: 252 per CPU second, not the 1000 Hz asked for"),
            std::string::npos)
      << note;
  EXPECT_NE(note.find("scheduler tick"), std::string::npos) << note;
  EXPECT_NE(note.find("~3971 us of CPU, not 1000"), std::string::npos) << note;
}

TEST(SamplingRate, NoNoteWhenTheRateIsMetOrCannotBeJudged) {
  EXPECT_EQ(sampling_rate_note(run_with(168, 1.63), 100), "");  // 103 per second for 100 Hz
  EXPECT_EQ(sampling_rate_note(run_with(327, 1.63), 200), "");
  EXPECT_EQ(sampling_rate_note(run_with(160, 1.0), 200), "");  // 80% of the rate: within chance and start-up
  EXPECT_EQ(sampling_rate_note(run_with(2, 0.04), 1000), "");  // 40 expected samples: too few to tell
  EXPECT_NE(sampling_rate_note(run_with(20, 0.2), 1000), "");  // 200 expected, 20 taken
}

}  // namespace
}  // namespace kprof
