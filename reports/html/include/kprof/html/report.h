#pragma once
// `kprof report DIR`: every kprof document in a folder (run.json and the profilers' documents in
// lines/, memory/, callgrind/, cpu/) as one self-contained page, DIR/index.html: the data as one
// JSON blob, the page's script and the charting libraries inlined, so that it opens offline from
// file:// without a single network request (docs/REPORT.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kprof::html {

struct ReportOutcome {
  std::filesystem::path page;      // DIR/index.html
  std::uintmax_t bytes = 0;        // its size
  std::size_t documents = 0;       // kprof documents shown
  std::vector<std::string> notes;  // documents left out, and why (also shown on the page)
};

struct ReportOptions {
  std::filesystem::path markdown;  // also write the folder's Markdown summary there ("" = none)
};

// Writes DIR/index.html atomically (and the Markdown summary when asked). Throws UsageError (exit 2) when DIR is not a
// folder, holds no usable kprof document (the message lists what was found and why it was left out), or when the
// charting libraries are not installed (the message says how to install them).
ReportOutcome write_report(const std::filesystem::path& dir, const ReportOptions& options = {});

}  // namespace kprof::html
