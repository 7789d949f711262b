#pragma once
// Human-facing renderings of a Run: an aligned terminal table and GitHub-flavoured Markdown (fit
// for a CI step summary). Both show the same columns; golden tests pin their layout.
#include <string>

#include "kprof/run.h"

namespace kprof {

std::string render_text(const Run& run);
std::string render_markdown(const Run& run);

// Helpers shared by every kprof table (also used by the profilers' own reports).
std::string format_duration_ns(double ns);  // "812 ns", "3.41 us", "12.7 ms", "1.20 s"
std::string format_fixed(double value, int decimals);
std::string format_signed_pct(double pct, int decimals = 1);  // "+3.2%", "-0.5%", "+0.0%"
std::string format_error(double relative_error);              // "4.5e-16": a variant's max relative error, everywhere
std::string format_bytes(double bytes);  // "512 B", "3.50 KiB", "12.3 MiB", "-1.00 MiB" (binary units)

// A table with a header row; columns right-aligned except those listed as left-aligned.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> left_aligned;  // per column; missing entries are right-aligned
  std::vector<std::vector<std::string>> rows;
  std::string text() const;      // aligned columns, two spaces apart
  std::string markdown() const;  // GFM pipe table
};

}  // namespace kprof
