#pragma once
// Progress of a long sweep, for a person watching a terminal: points done out of the total, time
// elapsed and an estimate of the time left, one line on stderr after each group of points. Quiet
// where nobody watches (stderr not a terminal, CI=true) and with -q, so that logs stay clean.
#include <cstddef>
#include <string>

namespace kprof {

// Whether to print progress lines. `ci` is the CI environment variable (null when unset); CI
// services set CI=true.
bool progress_wanted(bool quiet, bool stderr_is_terminal, const char* ci);

// "kprof: 12/40 points, 1m 05s elapsed, about 2m 10s left" (the estimate assumes the remaining
// points take as long as the average so far; none before the first point is done).
std::string progress_line(std::size_t done, std::size_t total, double elapsed_seconds);

// "42s", "1m 05s", "1h 02m".
std::string format_clock(double seconds);

}  // namespace kprof
