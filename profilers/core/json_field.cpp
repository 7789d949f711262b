#include "kprof/json_field.h"

#include "kprof/errors.h"

namespace kprof {

JsonField::JsonField(const nlohmann::json& value, std::string source, std::string path)
    : value_(&value), source_(std::move(source)), path_(std::move(path)) {}

void JsonField::fail(const std::string& problem) const {
  throw UsageError(source_ + ": field '" + (path_.empty() ? "(document)" : path_) + "' " + problem);
}

void JsonField::expect(bool ok, const char* what) const {
  if (!ok) fail(std::string("is not ") + what + " (" + (value_->is_null() ? "null" : value_->type_name()) + ")");
}

JsonField JsonField::at(std::string_view key) const {
  expect(value_->is_object(), "an object");
  const std::string child = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  auto it = value_->find(key);
  if (it == value_->end()) throw UsageError(source_ + ": field '" + child + "' is missing");
  return JsonField(*it, source_, child);
}

std::optional<JsonField> JsonField::find(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return at(key);
}

bool JsonField::has(std::string_view key) const {
  expect(value_->is_object(), "an object");
  auto it = value_->find(key);
  return it != value_->end() && !it->is_null();
}

JsonField JsonField::at(std::size_t index) const {
  expect(value_->is_array(), "an array");
  const std::string child = path_ + "[" + std::to_string(index) + "]";
  if (index >= value_->size()) throw UsageError(source_ + ": field '" + child + "' is missing");
  return JsonField((*value_)[index], source_, child);
}

std::vector<JsonField> JsonField::elements() const {
  expect(value_->is_array(), "an array");
  std::vector<JsonField> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(at(i));
  return out;
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
  expect(value_->is_object(), "an object");
  std::vector<std::pair<std::string, JsonField>> out;
  for (auto it = value_->begin(); it != value_->end(); ++it)
    out.emplace_back(it.key(), JsonField(it.value(), source_, path_.empty() ? it.key() : path_ + "." + it.key()));
  return out;
}

std::string JsonField::str() const {
  expect(value_->is_string(), "a string");
  return value_->get<std::string>();
}

bool JsonField::boolean() const {
  expect(value_->is_boolean(), "true or false");
  return value_->get<bool>();
}

double JsonField::number() const {
  expect(value_->is_number(), "a number");
  return value_->get<double>();
}

double JsonField::non_negative() const {
  double v = number();
  if (!(v >= 0)) fail("is negative (" + value_->dump() + ")");
  return v;
}

std::int64_t JsonField::integer() const {
  expect(value_->is_number_integer(), "a whole number");
  if (value_->is_number_unsigned() && value_->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    fail("is too large (" + value_->dump() + ")");
  return value_->get<std::int64_t>();
}

std::int64_t JsonField::integer(std::int64_t min, std::int64_t max) const {
  std::int64_t v = integer();
  if (v < min || v > max)
    fail("is " + std::to_string(v) + ", outside " + std::to_string(min) + " .. " + std::to_string(max));
  return v;
}

std::uint64_t JsonField::count() const {
  expect(value_->is_number_integer(), "a whole number");
  if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
  std::int64_t v = value_->get<std::int64_t>();
  if (v < 0) fail("is negative (" + std::to_string(v) + ")");
  return static_cast<std::uint64_t>(v);
}

std::vector<std::string> JsonField::strings() const {
  std::vector<std::string> out;
  for (const JsonField& e : elements()) out.push_back(e.str());
  return out;
}

std::vector<double> JsonField::numbers() const {
  std::vector<double> out;
  for (const JsonField& e : elements()) out.push_back(e.number());
  return out;
}

}  // namespace kprof
