#pragma once
// Noise calibration in binary mode (`kprof regress --aa N`): the binary against itself, N times,
// exactly as the gate compares two builds (measure.h). Every change is recorded to derive the
// thresholds (noise.h), and the alerts the gate would raise at the thresholds in force are counted
// (a calibrated gate raises none).
#include <string>
#include <vector>

#include "kprof/regress/measure.h"
#include "kprof/regress/noise.h"

namespace kprof::regress {

struct Calibration {
  NoiseProfile profile;  // finalized; the changes of each first measurement (the raw noise)
  int comparisons = 0;
  int alarms = 0;                        // regressions the gate would report, after confirmation unless disabled
  int dismissed = 0;                     // one-measurement wall-time alarms that the re-measurement did not confirm
  std::vector<std::string> alarm_lines;  // "A/A run 3: key: explanation", dismissed ones included
};

// `comparisons` A/A comparisons of `binary` (paired, as the gate); with `confirm`, wall-time
// alarms are measured again as the gate does.
Calibration calibrate(BenchmarkRunner& runner, const std::string& binary, const MeasureOptions& options,
                      CompareOptions compare, int comparisons, bool confirm);

// The report `kprof regress --aa` prints: per benchmark, the largest change and the detectable
// change, then the false alarms.
std::string calibration_text(const Calibration& c, const std::string& binary, bool confirm);

}  // namespace kprof::regress
