#include "kprof/sections/memory.h"

namespace kprof {
namespace {

using nlohmann::json;

json frame_json(const Frame& f) {
  json j = json::object();
  write_frame(f, j);
  return j;
}

json entry_json(const MemoryEntry& e) {
  json j = json::object();
  e.subject.write(j);
  j["iterations"] = e.iterations;
  j["peak_bytes"] = e.peak_bytes;
  j["bytes_allocated"] = e.bytes_allocated;
  j["allocations"] = e.allocations;
  j["frees"] = e.frees;
  j["foreign_frees"] = e.foreign_frees;
  j["temporary_allocations"] = e.temporary_allocations;
  j["leaked_bytes"] = e.leaked_bytes;
  j["leaked_allocations"] = e.leaked_allocations;
  j["truncated"] = e.truncated;
  if (!e.ended_by_exec.empty()) j["ended_by_exec"] = e.ended_by_exec;
  j["per_call"] = {{"bytes_allocated", e.per_call.bytes_allocated},
                   {"allocations", e.per_call.allocations},
                   {"temporary_allocations", e.per_call.temporary_allocations}};
  j["calls"] = json(e.calls);
  j["top_sites"] = json::array();
  for (const auto& s : e.top_sites) {
    json site = frame_json(s.frame);
    site.update({{"bytes", s.bytes},
                 {"count", s.count},
                 {"peak_bytes", s.peak_bytes},
                 {"leaked_bytes", s.leaked_bytes},
                 {"temporary", s.temporary}});
    j["top_sites"].push_back(std::move(site));
  }
  j["peak_stack"] = json::array();
  for (const auto& f : e.peak_stack) j["peak_stack"].push_back(frame_json(f));
  j["timeline"] = json::array();
  for (const auto& [time, heap] : e.timeline) j["timeline"].push_back({time, heap});
  if (!e.allocations_file.empty()) j["allocations_file"] = e.allocations_file;
  if (!e.pprof_file.empty()) j["pprof_file"] = e.pprof_file;
  return j;
}

MemorySiteCost read_site(const JsonField& s) {
  return {read_frame(s),
          s.at("bytes").count(),
          s.at("count").count(),
          s.at("peak_bytes").count(),
          s.at("leaked_bytes").count(),
          s.at("temporary").count()};
}

MemoryEntry read_entry(const JsonField& j) {
  MemoryEntry e;
  e.subject = Subject::read(j);
  e.iterations = j.at("iterations").integer(1, INT64_MAX);
  e.peak_bytes = j.at("peak_bytes").count();
  e.bytes_allocated = j.at("bytes_allocated").count();
  e.allocations = j.at("allocations").count();
  e.frees = j.at("frees").count();
  e.foreign_frees = j.at("foreign_frees").count();
  e.temporary_allocations = j.at("temporary_allocations").count();
  e.leaked_bytes = j.at("leaked_bytes").count();
  e.leaked_allocations = j.at("leaked_allocations").count();
  e.truncated = j.at("truncated").boolean();
  if (auto exec = j.find("ended_by_exec")) e.ended_by_exec = exec->str();
  const JsonField per_call = j.at("per_call");
  e.per_call = {per_call.at("bytes_allocated").non_negative(), per_call.at("allocations").non_negative(),
                per_call.at("temporary_allocations").non_negative()};
  for (const auto& [name, n] : j.at("calls").members()) e.calls[name] = n.count();
  for (const JsonField& s : j.at("top_sites").elements()) e.top_sites.push_back(read_site(s));
  for (const JsonField& f : j.at("peak_stack").elements()) e.peak_stack.push_back(read_frame(f));
  for (const JsonField& p : j.at("timeline").elements()) {
    if (p.json().size() != 2) p.fail("is not a [time, heap] pair");
    e.timeline.emplace_back(p.at(0).count(), p.at(1).count());
  }
  if (auto file = j.find("allocations_file")) e.allocations_file = file->str();
  if (auto file = j.find("pprof_file")) e.pprof_file = file->str();
  return e;
}

}  // namespace

json MemorySection::to_json() const {
  json list = json::array();
  for (const auto& e : results) list.push_back(entry_json(e));
  return {{"schema_version", kVersion}, {"results", list}};
}

MemorySection MemorySection::from_json(const JsonField& j) {
  section_version(j, kName, {1});
  MemorySection s;
  for (const JsonField& e : j.at("results").elements()) s.results.push_back(read_entry(e));
  std::vector<std::string> keys;
  for (const auto& e : s.results) keys.push_back(e.subject.key);
  check_one_entry_per_subject(j, keys);
  return s;
}

}  // namespace kprof
