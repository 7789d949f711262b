#include "callgrind_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "support/process.h"

namespace kprof::test {
namespace {

// "1,234" or "." (zero) -> number; false when `token` is not a count.
bool parse_count(const std::string& token, std::int64_t& out) {
  if (token == ".") return out = 0, true;
  std::string digits;
  for (char c : token) {
    if (c == ',') continue;
    if (c < '0' || c > '9') return false;
    digits += c;
  }
  if (digits.empty()) return false;
  out = std::stoll(digits);
  return true;
}

}  // namespace

bool run_callgrind(const std::string& options, const std::string& out, const std::string& program) {
  auto r = run_command("valgrind --tool=callgrind " + options + " --callgrind-out-file=" + out + " " + program);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0;
}

AnnotateTable annotate(const std::string& file, std::size_t events, bool inclusive) {
  auto r = run_command(std::string("callgrind_annotate --auto=no --threshold=100 ") +
                       (inclusive ? "--inclusive=yes " : "") + file);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  AnnotateTable t;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::vector<std::int64_t> costs;
    std::string token;
    std::streampos name_start = 0;
    while (costs.size() < events && words >> token) {
      std::int64_t v = 0;
      if (!parse_count(token, v)) break;
      costs.push_back(v);
      name_start = words.tellg();
      // An optional "(12.3%)" follows each count; it can hold a space ("( 2.12%)").
      auto save = words.tellg();
      std::string pct;
      if (words >> pct && pct.front() == '(') {
        while (pct.back() != ')' && words >> token) pct += token;
        name_start = words.tellg();
      } else {
        words.clear();
        words.seekg(save);
      }
    }
    if (costs.size() != events) continue;
    std::string rest = line.substr(static_cast<std::size_t>(name_start));
    rest.erase(0, rest.find_first_not_of(' '));
    if (rest == "PROGRAM TOTALS") {
      t.totals = costs;
      continue;
    }
    if (rest.empty() || rest.find(':') == std::string::npos) continue;
    std::string name = rest.substr(rest.find(':') + 1);
    if (auto obj = name.rfind(" ["); obj != std::string::npos && name.back() == ']') name.erase(obj);
    auto& sum = t.functions[name];
    sum.resize(events, 0);
    // Self costs of one function in several files add up. With --inclusive=yes callgrind_annotate
    // lists a called function twice (under the call's file name too); the inclusive row is the largest.
    for (std::size_t i = 0; i < events; ++i) sum[i] = inclusive ? std::max(sum[i], costs[i]) : sum[i] + costs[i];
  }
  return t;
}

}  // namespace kprof::test
