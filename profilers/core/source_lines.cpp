#include "kprof/source_lines.h"

#include <fstream>

namespace kprof {

std::vector<std::string> read_source_lines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

}  // namespace kprof
