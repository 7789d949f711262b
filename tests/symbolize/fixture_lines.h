#pragma once
// What the symbolizer's tests expect of fixture.cpp: the line of a marker comment. The test
// defines KPROF_SYMBOLIZE_FIXTURE, the path of fixture.cpp.
#include <fstream>
#include <string>

namespace symfix {

inline int line_of(const std::string& marker) {
  std::ifstream in(KPROF_SYMBOLIZE_FIXTURE);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.find("// " + marker) != std::string::npos) return n;
  }
  return -1;
}

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace symfix
