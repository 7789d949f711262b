#pragma once
// Alert output of a Comparison: a terminal summary, Markdown for a CI step summary or PR comment,
// GitHub Actions workflow commands (::error / ::warning), JUnit XML for other CIs, and JSON.
// Every alert line carries the finding's explanation; nothing here decides what is a regression.
#include <string>

#include <nlohmann/json.hpp>

#include "kprof/regress/compare.h"

namespace kprof::regress {

std::string render_text(const Comparison& c);
std::string render_markdown(const Comparison& c);
// One line per regression (::error) and per warning/inconclusive finding (::warning).
std::string render_annotations(const Comparison& c);
std::string render_junit(const Comparison& c);
nlohmann::json to_json(const Comparison& c);

// Escapes for GitHub workflow command data (% \r \n); XML text goes through escape_markup.
std::string escape_annotation(const std::string& s);

}  // namespace kprof::regress
