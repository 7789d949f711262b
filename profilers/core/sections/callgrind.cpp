#include "kprof/sections/callgrind.h"

namespace kprof {
namespace {

using nlohmann::json;

EventCosts read_costs(const JsonField& j) {
  EventCosts out;
  for (const auto& [event, value] : j.members()) out[event] = value.integer();
  return out;
}

json function_json(const CallgrindFunctionCost& f) {
  return {{"function", f.function},
          {"file", f.file},
          {"object", f.object},
          {"self", json(f.self)},
          {"inclusive", json(f.inclusive)}};
}

CallgrindFunctionCost read_function(const JsonField& j) {
  return {j.at("function").str(), j.at("file").str(), j.at("object").str(), read_costs(j.at("self")),
          read_costs(j.at("inclusive"))};
}

json entry_json(const CallgrindEntry& e) {
  json j = json::object();
  e.subject.write(j);
  j["events"] = json(e.events);
  j["file"] = e.file;
  if (!e.pprof_file.empty()) j["pprof_file"] = e.pprof_file;
  j["top_functions"] = json::array();
  for (const auto& f : e.top_functions) j["top_functions"].push_back(function_json(f));
  if (e.subject.is_program()) return j;
  j["iterations"] = e.iterations;
  j["threads"] = e.threads;
  j["per_call"] = json(e.per_call);
  j["flops_per_call"] = e.flops_per_call;
  if (e.ir_per_flop) j["ir_per_flop"] = *e.ir_per_flop;
  j["region_seconds_under_valgrind"] = e.region_seconds_under_valgrind;
  if (!e.build.empty()) j["build"] = e.build;
  if (e.matches_reference) j["matches_reference"] = *e.matches_reference;
  if (e.matches_reference == false) j["mismatch"] = e.mismatch;
  return j;
}

CallgrindEntry read_entry(const JsonField& j) {
  CallgrindEntry e;
  e.subject = Subject::read(j);
  e.events = read_costs(j.at("events"));
  e.file = j.at("file").str();
  if (auto pprof = j.find("pprof_file")) e.pprof_file = pprof->str();
  for (const JsonField& f : j.at("top_functions").elements()) e.top_functions.push_back(read_function(f));
  if (e.subject.is_program()) return e;
  e.iterations = j.at("iterations").integer(1, INT64_MAX);
  e.threads = static_cast<int>(j.at("threads").integer(1, 1 << 20));
  for (const auto& [event, value] : j.at("per_call").members()) e.per_call[event] = value.non_negative();
  e.flops_per_call = j.at("flops_per_call").non_negative();
  if (auto v = j.find("ir_per_flop")) e.ir_per_flop = v->non_negative();
  e.region_seconds_under_valgrind = j.at("region_seconds_under_valgrind").non_negative();
  if (auto v = j.find("build")) e.build = v->str();
  if (auto v = j.find("matches_reference")) e.matches_reference = v->boolean();
  if (e.matches_reference == false) e.mismatch = j.at("mismatch").str();
  return e;
}

}  // namespace

std::optional<double> CallgrindEntry::per_call_cost(const std::string& event) const {
  if (auto it = per_call.find(event); it != per_call.end()) return it->second;
  if (auto it = events.find(event); it != events.end())
    return static_cast<double>(it->second) / static_cast<double>(iterations);
  return std::nullopt;
}

json CallgrindSection::to_json() const {
  json list = json::array();
  for (const auto& e : results) list.push_back(entry_json(e));
  return {{"schema_version", kVersion}, {"results", list}};
}

CallgrindSection CallgrindSection::from_json(const JsonField& j) {
  section_version(j, kName, {1, 2, 3});
  CallgrindSection s;
  for (const JsonField& e : j.at("results").elements()) s.results.push_back(read_entry(e));
  std::vector<std::string> keys;
  for (const auto& e : s.results) keys.push_back(e.subject.key);
  check_one_entry_per_subject(j, keys);
  return s;
}

}  // namespace kprof
