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
  const std::string repeat = "{repeat}";
  auto want = lines(expected_patterns);
  auto got = lines(actual);
  std::size_t g = 0;
  for (std::size_t w = 0; w < want.size(); ++w) {
    if (want[w].rfind(repeat, 0) == 0) {
      std::regex re(to_regex(want[w].substr(repeat.size())));
      while (g < got.size() && std::regex_match(got[g], re)) ++g;
      continue;
    }
    if (g >= got.size()) return "missing output line " + std::to_string(g + 1) + ", expected '" + want[w] + "'";
    if (!std::regex_match(got[g], std::regex(to_regex(want[w]))))
      return "line " + std::to_string(g + 1) + ":\n  expected: " + want[w] + "\n  actual:   " + got[g];
    ++g;
  }
  if (g < got.size()) return "extra output line " + std::to_string(g + 1) + ": '" + got[g] + "'";
  return "";
}

std::string golden_file(const std::string& name) {
  std::ifstream in(std::string(KPROF_SOURCE_DIR) + "/tests/golden/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace kprof::test
