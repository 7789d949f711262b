#pragma once
// Reading a JSON document kprof wrote, with errors that name the file and the field:
//   JsonField doc(j, "out/run.json");
//   double ir = doc.at("sections").at("callgrind").at("results").at(0).at("per_call").at("Ir").number();
// fails with `out/run.json: field 'sections.callgrind.results[0].per_call.Ir' is missing` (UsageError,
// exit 2) instead of a nlohmann exception or a silently defaulted value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kprof {

class JsonField {
 public:
  // `source` names the document (a file), `path` the node inside it ("" for the root).
  JsonField(const nlohmann::json& value, std::string source, std::string path = "");

  JsonField at(std::string_view key) const;                   // a required member of an object
  std::optional<JsonField> find(std::string_view key) const;  // an optional one (absent or null: nullopt)
  bool has(std::string_view key) const;
  JsonField at(std::size_t index) const;  // an element of an array

  std::vector<JsonField> elements() const;                         // an array's elements
  std::vector<std::pair<std::string, JsonField>> members() const;  // an object's members, in key order

  std::string str() const;
  bool boolean() const;
  double number() const;
  double non_negative() const;
  std::int64_t integer() const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;  // within [min, max]
  std::uint64_t count() const;                                     // a whole number >= 0
  std::vector<std::string> strings() const;
  std::vector<double> numbers() const;

  const nlohmann::json& json() const { return *value_; }
  const std::string& path() const { return path_; }
  const std::string& source() const { return source_; }

  // Throws UsageError "<source>: field '<path>' <problem>".
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  void expect(bool ok, const char* what) const;
  const nlohmann::json* value_;
  std::string source_;
  std::string path_;
};

}  // namespace kprof
