// Progress lines of long sweeps (kprof/reports/progress.h).
#include "kprof/reports/progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace kprof {

bool progress_wanted(bool quiet, bool stderr_is_terminal, const char* ci) {
  const bool in_ci = ci != nullptr && (std::string_view(ci) == "true" || std::string_view(ci) == "1");
  return !quiet && stderr_is_terminal && !in_ci;
}

std::string format_clock(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char buf[32];
  if (total < 60)
    std::snprintf(buf, sizeof buf, "%lds", total);
  else if (total < 3600)
    std::snprintf(buf, sizeof buf, "%ldm %02lds", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh %02ldm", total / 3600, total % 3600 / 60);
  return buf;
}

std::string progress_line(std::size_t done, std::size_t total, double elapsed_seconds) {
  std::string line = "kprof: " + std::to_string(done) + "/" + std::to_string(total) + " points, " +
                     format_clock(elapsed_seconds) + " elapsed";
  if (done > 0 && done < total)
    line += ", about " + format_clock(elapsed_seconds / static_cast<double>(done) * static_cast<double>(total - done)) +
            " left";
  return line;
}

}  // namespace kprof
