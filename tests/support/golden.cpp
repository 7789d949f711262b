#include "support/golden.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

namespace kprof::test {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::string to_regex(const std::string& pattern) {
  static const std::vector<std::pair<std::string, std::string>> placeholders = {
      {"{float}", R"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"},
      {"{int}", R"([-+]?\d+)"},
      {"{dur}", R"(\d+(?:\.\d+)?(?:e[-+]?\d+)? (?:ns|us|ms|s))"},
      {"{any}", R"(.*?)"},
      {"{ws}", R"( +)"}};
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    bool replaced = false;
    for (const auto& [name, regex] : placeholders) {
      if (pattern.compare(i, name.size(), name) == 0) {
        out += regex;
        i += name.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    char c = pattern[i++];
    if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string match_golden(const std::string& expected_patterns, const std::string& actual) {
  auto want = lines(expected_patterns);
  auto got = lines(actual);
  for (std::size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    if (i >= want.size()) return "extra output line " + std::to_string(i + 1) + ": '" + got[i] + "'";
    if (i >= got.size()) return "missing output line " + std::to_string(i + 1) + ", expected '" + want[i] + "'";
    if (!std::regex_match(got[i], std::regex(to_regex(want[i]))))
      return "line " + std::to_string(i + 1) + ":\n  expected: " + want[i] + "\n  actual:   " + got[i];
  }
  return "";
}

std::string golden_file(const std::string& name) {
  std::ifstream in(std::string(KPROF_SOURCE_DIR) + "/tests/golden/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace kprof::test
