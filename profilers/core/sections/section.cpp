#include "kprof/sections/section.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "kprof/errors.h"
#include "kprof/job.h"

namespace kprof {

int section_version(const JsonField& section, std::string_view name, std::initializer_list<int> known) {
  auto v = section.find("schema_version");
  if (!v) return 1;
  const std::int64_t version = v->integer();
  if (std::find(known.begin(), known.end(), version) != known.end()) return static_cast<int>(version);
  std::string list;
  for (int k : known) list += (list.empty() ? "" : ", ") + std::to_string(k);
  v->fail("is " + std::to_string(version) + ": this kprof reads the " + std::string(name) + " section in version " +
          list + " (written by a newer kprof?)");
}

void check_one_entry_per_subject(const JsonField& section, const std::vector<std::string>& keys) {
  std::map<std::string, std::size_t> first;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto [at, added] = first.emplace(keys[i], i);
    if (!added)
      section.fail("results[" + std::to_string(at->second) + "] and results[" + std::to_string(i) + "] are both " +
                   keys[i] + ": a section has one entry per kernel or program");
  }
}

Subject Subject::kernel(const std::string& family, const std::string& variant, DType dtype, const Size& size) {
  Subject s;
  s.key = job_key(family, variant, dtype, size);  // the one spelling of a benchmark's key
  s.family = family;
  s.variant = variant;
  s.dtype = dtype;
  s.size = size;
  return s;
}

Subject Subject::of_program(const std::vector<std::string>& argv) {
  Subject s;
  s.key = "program/" + (argv.empty() ? std::string("?") : std::filesystem::path(argv[0]).filename().string());
  s.program = argv;
  return s;
}

void Subject::write(nlohmann::json& entry) const {
  entry["key"] = key;
  if (is_program()) {
    entry["program"] = program;
    if (exit_status) entry["exit_status"] = *exit_status;
    return;
  }
  entry["family"] = family;
  entry["variant"] = variant;
  entry["dtype"] = to_string(dtype);
  entry["size"] = size_to_json(size);
}

Subject Subject::read(const JsonField& entry) {
  Subject s;
  s.key = entry.at("key").str();
  if (s.key.empty()) entry.at("key").fail("is empty");
  if (!entry.has("family")) {
    const JsonField program = entry.at("program");
    // Version 1 of the callgrind and cpu sections wrote the command line as one string.
    s.program = program.json().is_string() ? std::vector<std::string>{program.str()} : program.strings();
    if (auto status = entry.find("exit_status")) s.exit_status = static_cast<int>(status->integer(-1, 255 + 128));
    return s;
  }
  s.family = entry.at("family").str();
  s.variant = entry.at("variant").str();
  const JsonField dtype = entry.at("dtype");
  try {
    s.dtype = dtype_from_string(dtype.str());
  } catch (const UsageError& e) {
    dtype.fail(std::string("is not a dtype: ") + e.what());
  }
  s.size = size_from_json(entry.at("size"));
  return s;
}

nlohmann::json size_to_json(const Size& size) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : size.values()) j[name] = value;
  return j;
}

Size size_from_json(const JsonField& j) {
  std::vector<std::pair<std::string, std::int64_t>> dims;
  for (const auto& [name, value] : j.members()) dims.emplace_back(name, value.integer());
  return Size(std::move(dims));
}

void write_frame(const Frame& frame, nlohmann::json& j) {
  j["function"] = frame.function;
  j["file"] = frame.file;
  j["line"] = frame.line;
  j["module"] = frame.module;
  j["module_offset"] = frame.module_offset;
  j["inlined"] = frame.inlined;
}

Frame read_frame(const JsonField& j) {
  Frame f;
  f.function = j.at("function").str();
  f.file = j.at("file").str();
  f.line = static_cast<int>(j.at("line").integer(0, INT32_MAX));
  f.module = j.at("module").str();
  // Absent in documents written before frames carried them: 0 and false.
  if (auto offset = j.find("module_offset")) f.module_offset = offset->count();
  if (auto inlined = j.find("inlined")) f.inlined = inlined->boolean();
  return f;
}

}  // namespace kprof
