#include "sections.h"

namespace kprof::regress {
namespace {

using nlohmann::json;

std::optional<double> number(const json& j, std::initializer_list<const char*> keys) {
  if (!j.is_object()) return std::nullopt;
  for (const char* k : keys)
    if (j.contains(k) && j.at(k).is_number()) return j.at(k).get<double>();
  return std::nullopt;
}

std::string site_label(const json& f) {
  std::string name = f.value("function", f.value("name", std::string("?")));
  std::string file = f.contains("file") && f.at("file").is_string() ? f.at("file").get<std::string>() : "";
  long long line = f.contains("line") && f.at("line").is_number_integer() ? f.at("line").get<long long>() : 0;
  if (file.empty()) return name;
  return name + " (" + file + (line > 0 ? ":" + std::to_string(line) : "") + ")";
}

const json* section_results(const Run& run, const char* name) {
  auto it = run.sections.find(name);
  if (it == run.sections.end() || !it->second.is_object() || !it->second.contains("results") ||
      !it->second.at("results").is_array())
    return nullptr;
  return &it->second.at("results");
}

}  // namespace

std::map<std::string, CallgrindRecord> callgrind_records(const Run& run) {
  std::map<std::string, CallgrindRecord> out;
  const json* results = section_results(run, "callgrind");
  if (!results) return out;
  for (const json& r : *results) {
    if (!r.is_object() || !r.contains("key") || !r.at("key").is_string()) continue;
    CallgrindRecord c;
    c.key = r.at("key").get<std::string>();
    double iterations = number(r, {"iterations"}).value_or(1.0);
    if (iterations <= 0) iterations = 1;
    c.iterations = iterations;
    if (auto v = r.contains("per_call") ? number(r.at("per_call"), {"Ir"}) : std::nullopt)
      c.ir_per_call = *v;
    else if (auto t = r.contains("events") ? number(r.at("events"), {"Ir"}) : std::nullopt)
      c.ir_per_call = *t / iterations;
    else
      continue;
    if (r.contains("file") && r.at("file").is_string()) c.file = r.at("file").get<std::string>();
    if (r.contains("top_functions") && r.at("top_functions").is_array())
      for (const json& f : r.at("top_functions")) {
        std::optional<double> ir = number(f, {"self_Ir", "Ir", "self", "inclusive_Ir"});
        if (!ir && f.is_object() && f.contains("events")) ir = number(f.at("events"), {"Ir"});
        if (!ir && f.is_object() && f.contains("self") && f.at("self").is_object()) ir = number(f.at("self"), {"Ir"});
        if (ir) c.functions[site_label(f)] += *ir / iterations;
      }
    out[c.key] = std::move(c);
  }
  return out;
}

std::map<std::string, MemoryRecord> memory_records(const Run& run) {
  std::map<std::string, MemoryRecord> out;
  const json* results = section_results(run, "memory");
  if (!results) return out;
  for (const json& r : *results) {
    if (!r.is_object() || !r.contains("key") || !r.at("key").is_string()) continue;
    MemoryRecord m;
    m.key = r.at("key").get<std::string>();
    m.peak_bytes = number(r, {"peak_bytes"});
    double iterations = number(r, {"iterations"}).value_or(1.0);
    if (iterations <= 0) iterations = 1;
    const json per_call = r.contains("per_call") ? r.at("per_call") : json::object();
    m.bytes_per_call = number(per_call, {"bytes_allocated", "bytes"});
    if (!m.bytes_per_call)
      if (auto t = number(r, {"bytes_allocated"})) m.bytes_per_call = *t / iterations;
    m.allocations_per_call = number(per_call, {"allocations"});
    if (!m.allocations_per_call)
      if (auto t = number(r, {"allocations"})) m.allocations_per_call = *t / iterations;
    if (r.contains("top_sites") && r.at("top_sites").is_array())
      for (const json& s : r.at("top_sites"))
        if (s.is_object())
          m.sites.push_back({site_label(s), number(s, {"bytes"}).value_or(0), number(s, {"count"}).value_or(0)});
    out[m.key] = std::move(m);
  }
  return out;
}

}  // namespace kprof::regress
