#pragma once
// Helpers shared by the memory tests: run `kprof mem` and read back the memory section.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/process.h"

namespace kprof::test {

inline std::string program(const std::string& name) { return std::string(KPROF_MEMORY_TEST_PROGRAMS) + "/" + name; }

struct MemRun {
  ProcessResult process;
  nlohmann::json result;  // run.sections["memory"]["results"][0]
  std::string dir;
};

inline MemRun kprof_mem_program(const std::string& test, const std::string& command_line) {
  MemRun r;
  r.dir = fresh_dir("memory-" + test);
  r.process = run_command(kprof_exe() + " mem -q -f none -o '" + r.dir + "' -- " + command_line);
  std::ifstream in(r.dir + "/memory.json");
  if (in) {
    nlohmann::json run = nlohmann::json::parse(in);
    r.result = run.at("sections").at("memory").at("results").at(0);
  }
  return r;
}

// The source line holding `marker` in tests/memory/programs/<file>.
inline int line_of(const std::string& file, const std::string& marker) {
  std::ifstream in(std::string(KPROF_SOURCE_DIR) + "/tests/memory/programs/" + file);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.find(marker) != std::string::npos) return n;
  }
  return -1;
}

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Sum of bytes and counts over the top sites whose file ends with `file`.
struct SiteSum {
  std::uint64_t bytes = 0, count = 0, sites = 0;
};
inline SiteSum sites_in(const nlohmann::json& result, const std::string& file) {
  SiteSum s;
  for (const auto& site : result.at("top_sites"))
    if (ends_with(site.at("file").get<std::string>(), file)) {
      s.bytes += site.at("bytes").get<std::uint64_t>();
      s.count += site.at("count").get<std::uint64_t>();
      ++s.sites;
    }
  return s;
}

}  // namespace kprof::test
