#include "kprof/sections/cpu.h"

namespace kprof {
namespace {

using nlohmann::json;

json entry_json(const CpuEntry& e) {
  json j = json::object();
  e.subject.write(j);
  j["period_us"] = e.period_us;
  j["samples"] = e.samples;
  j["region_seconds"] = e.region_seconds;
  j["cpu_seconds"] = e.cpu_seconds;
  j["samples_per_cpu_second"] = e.samples_per_cpu_second;
  j["profile_file"] = e.profile_file;
  j["file"] = e.file;
  if (!e.pprof_file.empty()) j["pprof_file"] = e.pprof_file;
  j["top_functions"] = json::array();
  for (const auto& f : e.top_functions)
    j["top_functions"].push_back({{"function", f.function},
                                  {"file", f.file},
                                  {"self_samples", f.self_samples},
                                  {"inclusive_samples", f.inclusive_samples}});
  j["top_lines"] = json::array();
  for (const auto& l : e.top_lines)
    j["top_lines"].push_back({{"file", l.file}, {"line", l.line}, {"function", l.function}, {"samples", l.samples}});
  if (e.subject.is_program()) return j;
  j["iterations"] = e.iterations;
  j["threads"] = e.threads;
  j["frequency_hz"] = e.frequency_hz;
  return j;
}

CpuEntry read_entry(const JsonField& j, int version) {
  CpuEntry e;
  e.subject = Subject::read(j);
  e.period_us = static_cast<int>(j.at("period_us").integer(0, INT32_MAX));
  e.samples = j.at("samples").integer(0, INT64_MAX);
  const bool program_v1 = version == 1 && e.subject.is_program();
  e.region_seconds = j.at(program_v1 ? "seconds" : "region_seconds").non_negative();
  e.cpu_seconds = j.at("cpu_seconds").non_negative();
  e.samples_per_cpu_second = j.at("samples_per_cpu_second").non_negative();
  e.profile_file = j.at("profile_file").str();
  e.file = j.at("file").str();
  if (auto pprof = j.find("pprof_file")) e.pprof_file = pprof->str();
  for (const JsonField& f : j.at("top_functions").elements())
    e.top_functions.push_back({f.at("function").str(), f.at("file").str(), f.at("self_samples").integer(0, INT64_MAX),
                               f.at("inclusive_samples").integer(0, INT64_MAX)});
  for (const JsonField& l : j.at("top_lines").elements())
    e.top_lines.push_back({l.at("file").str(), static_cast<int>(l.at("line").integer(0, INT32_MAX)),
                           l.at("function").str(), l.at("samples").integer(0, INT64_MAX)});
  if (e.subject.is_program()) return e;
  e.iterations = j.at("iterations").integer(1, INT64_MAX);
  e.threads = static_cast<int>(j.at("threads").integer(1, 1 << 20));
  e.frequency_hz = static_cast<int>(j.at("frequency_hz").integer(1, 1000000));
  return e;
}

}  // namespace

json CpuSection::to_json() const {
  json list = json::array();
  for (const auto& e : results) list.push_back(entry_json(e));
  return {{"schema_version", kVersion}, {"results", list}};
}

CpuSection CpuSection::from_json(const JsonField& j) {
  const int version = section_version(j, kName, {1, 2});
  CpuSection s;
  for (const JsonField& e : j.at("results").elements()) s.results.push_back(read_entry(e, version));
  std::vector<std::string> keys;
  for (const auto& e : s.results) keys.push_back(e.subject.key);
  check_one_entry_per_subject(j, keys);
  return s;
}

}  // namespace kprof
