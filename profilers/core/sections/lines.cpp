#include "kprof/sections/lines.h"

#include "kprof/errors.h"

namespace kprof {
namespace {

using nlohmann::json;

json clock_json(const LinesClock& c) {
  return {{"source", c.source},
          {"why", c.why},
          {"ticks_per_ns", c.ticks_per_ns},
          {"line_mark_ns", c.line_mark_ns},
          {"repeat_mark_ns", c.repeat_mark_ns},
          {"call_ns", c.call_ns},
          {"clock_read_ns", c.clock_read_ns}};
}

LinesClock read_clock(const JsonField& c) {
  return {c.at("source").str(),
          c.at("why").str(),
          c.at("ticks_per_ns").non_negative(),
          c.at("line_mark_ns").number(),
          c.at("repeat_mark_ns").number(),
          c.at("call_ns").number(),
          c.at("clock_read_ns").number()};
}

json function_json(const LinesFunction& f) {
  json j = {{"function", f.function},
            {"file", f.file},
            {"line", f.line},
            {"calls", f.calls},
            {"total_ns", f.total_ns},
            {"wall_ns", f.wall_ns},
            {"source_available", f.source_available},
            {"source_note", f.source_note}};
  j["lines"] = json::array();
  for (const LinesLine& l : f.lines)
    j["lines"].push_back({{"line", l.line},
                          {"marker_line", l.marker_line},
                          {"hits", l.hits},
                          {"ns", l.ns},
                          {"per_hit_ns", l.per_hit_ns},
                          {"percent", l.percent},
                          {"text", l.text}});
  for (const LinesUnmarked& u : f.not_instrumented) j["not_instrumented"].push_back({{"line", u.line}, {"why", u.why}});
  return j;
}

std::uint32_t line_number(const JsonField& j) { return static_cast<std::uint32_t>(j.integer(0, UINT32_MAX)); }

LinesFunction read_function(const JsonField& j) {
  LinesFunction f{j.at("function").str(),
                  j.at("file").str(),
                  line_number(j.at("line")),
                  j.at("calls").count(),
                  j.at("total_ns").number(),
                  j.at("wall_ns").number(),
                  j.at("source_available").boolean(),
                  j.at("source_note").str(),
                  {}};
  for (const JsonField& l : j.at("lines").elements())
    f.lines.push_back({line_number(l.at("line")), line_number(l.at("marker_line")), l.at("hits").count(),
                       l.at("ns").number(), l.at("per_hit_ns").number(), l.at("percent").number(), l.at("text").str()});
  if (const auto unmarked = j.find("not_instrumented"))
    for (const JsonField& u : unmarked->elements())
      f.not_instrumented.push_back({line_number(u.at("line")), u.at("why").str()});
  return f;
}

// Version 1 had no key and wrote the size as Size::str() ("m=64,n=1797,k=16").
Subject read_subject_v1(const JsonField& j) {
  std::vector<std::pair<std::string, std::int64_t>> dims;
  const JsonField size = j.at("size");
  const std::string text = size.str();
  for (std::size_t start = 0; start < text.size();) {
    std::size_t comma = text.find(',', start), eq = text.find('=', start);
    if (comma == std::string::npos) comma = text.size();
    if (eq == std::string::npos || eq > comma) size.fail("is not name=value,...: '" + text + "'");
    try {
      dims.emplace_back(text.substr(start, eq - start), std::stoll(text.substr(eq + 1, comma - eq - 1)));
    } catch (const std::exception&) {
      size.fail("is not name=value,...: '" + text + "'");
    }
    start = comma + 1;
  }
  DType dtype = DType::f64;
  try {
    dtype = dtype_from_string(j.at("dtype").str());
  } catch (const UsageError& e) {
    j.at("dtype").fail(std::string("is not a dtype: ") + e.what());
  }
  return Subject::kernel(j.at("family").str(), j.at("variant").str(), dtype, Size(std::move(dims)));
}

}  // namespace

json LinesSection::to_json() const {
  json j = {{"schema_version", kVersion}};
  subject.write(j);
  j["iterations"] = iterations;
  j["region_wall_ns"] = region_wall_ns;
  j["clock"] = clock_json(clock);
  j["threads"] = threads;
  j["unregistered_sites"] = unregistered_sites;
  j["functions"] = json::array();
  for (const LinesFunction& f : functions) j["functions"].push_back(function_json(f));
  j["ranked"] = json::array();
  for (const LinesRanked& r : ranked)
    j["ranked"].push_back({{"function", r.function},
                           {"file", r.file},
                           {"line", r.line},
                           {"ns", r.ns},
                           {"hits", r.hits},
                           {"percent_of_function", r.percent_of_function}});
  j["notes"] = notes;
  return j;
}

LinesSection LinesSection::from_json(const JsonField& j) {
  const int version = section_version(j, kName, {1, 2});
  LinesSection s;
  j.at("family");  // the lines section is about a kernel, never a program
  s.subject = version == 1 ? read_subject_v1(j) : Subject::read(j);
  s.iterations = j.at("iterations").integer(1, INT64_MAX);
  s.region_wall_ns = j.at("region_wall_ns").non_negative();
  s.clock = read_clock(j.at("clock"));
  s.threads = j.at("threads").count();
  s.unregistered_sites = j.at("unregistered_sites").count();
  for (const JsonField& f : j.at("functions").elements()) s.functions.push_back(read_function(f));
  for (const JsonField& r : j.at("ranked").elements())
    s.ranked.push_back({r.at("function").str(), r.at("file").str(), line_number(r.at("line")), r.at("ns").number(),
                        r.at("hits").count(), r.at("percent_of_function").number()});
  s.notes = j.at("notes").strings();
  return s;
}

}  // namespace kprof
