#include "kprof/size.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <string>

#include "kprof/errors.h"

namespace kprof {
namespace {

std::string rule(const std::vector<SizeParam>& params) {
  std::string names;
  for (const auto& p : params) {
    if (!names.empty()) names += ",";
    names += p.name + "=<" + std::to_string(p.min) + ".." + std::to_string(p.max) + ">";
  }
  return "sizes look like 1024, 1000x64x256 or " + names;
}

std::int64_t parse_int(std::string_view text, std::string_view what, const std::vector<SizeParam>& params) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError("bad size '" + std::string(what) + "': '" + std::string(text) + "' is not a whole number; " +
                     rule(params));
  }
  return value;
}

void set(std::vector<std::pair<std::string, std::int64_t>>& values, const std::vector<SizeParam>& params,
         std::size_t index, std::int64_t value) {
  const SizeParam& p = params[index];
  if (value < p.min || value > p.max) {
    throw UsageError("bad size: " + p.name + "=" + std::to_string(value) + " is outside " + std::to_string(p.min) +
                     ".." + std::to_string(p.max) + (p.help.empty() ? "" : " (" + p.help + ")"));
  }
  values[index].second = value;
}

}  // namespace

Size::Size(std::vector<std::pair<std::string, std::int64_t>> values) : values_(std::move(values)) {
  std::sort(values_.begin(), values_.end());
}

std::int64_t Size::operator[](std::string_view name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  throw std::out_of_range("size parameter '" + std::string(name) + "' was never declared by the family");
}

bool Size::has(std::string_view name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return true;
  return false;
}

std::string Size::str() const {
  std::string out;
  for (const auto& [n, v] : values_) {
    if (!out.empty()) out += ",";
    out += n + "=" + std::to_string(v);
  }
  return out;
}

std::string_view spec_family(std::string_view spec) {
  // A family's name is a C++ identifier (KPROF_FAMILY makes a variable of it); what comes before a
  // sweep step's ':' never is ("n=64..4096:*2", "64..4096:+64").
  const auto colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  const std::string_view name = spec.substr(0, colon);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (std::isdigit(static_cast<unsigned char>(name[0])) || !std::all_of(name.begin(), name.end(), word)) return {};
  return name;
}

std::vector<std::string> specs_for_family(std::string_view family, const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const auto& spec : specs) {
    std::string_view named = spec_family(spec);
    if (named.empty())
      out.push_back(spec);
    else if (named == family)
      out.push_back(spec.substr(named.size() + 1));
  }
  return out;
}

Size default_size(const std::vector<SizeParam>& params) {
  std::vector<std::pair<std::string, std::int64_t>> values;
  for (const auto& p : params) values.emplace_back(p.name, p.default_value);
  return Size(std::move(values));
}

Size parse_size(const std::vector<SizeParam>& params, std::string_view spec) {
  // In declared order while parsing (set() and the AxBxC form index by declaration); the Size
  // built at the end keeps them sorted by name.
  std::vector<std::pair<std::string, std::int64_t>> values;
  for (const auto& p : params) values.emplace_back(p.name, p.default_value);
  if (spec.empty()) throw UsageError("bad size: empty; " + rule(params));
  std::string_view rest = spec;
  for (bool more = true; more;) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    more = comma != std::string_view::npos;
    if (more) rest.remove_prefix(comma + 1);
    if (item.empty()) throw UsageError("bad size '" + std::string(spec) + "': empty item; " + rule(params));
    if (auto eq = item.find('='); eq != std::string_view::npos) {
      std::string_view name = item.substr(0, eq);
      std::size_t index = params.size();
      for (std::size_t i = 0; i < params.size(); ++i)
        if (params[i].name == name) index = i;
      if (index == params.size())
        throw UsageError("bad size '" + std::string(spec) + "': no parameter '" + std::string(name) + "'; " +
                         rule(params));
      set(values, params, index, parse_int(item.substr(eq + 1), spec, params));
    } else if (item.find('x') != std::string_view::npos) {
      std::size_t shape_index = 0;
      std::string_view dims = item;
      while (true) {
        auto x = dims.find('x');
        while (shape_index < params.size() && !params[shape_index].is_shape) ++shape_index;
        if (shape_index == params.size())
          throw UsageError("bad size '" + std::string(spec) + "': more dimensions than the family has; " +
                           rule(params));
        set(values, params, shape_index++, parse_int(dims.substr(0, x), spec, params));
        if (x == std::string_view::npos) break;
        dims.remove_prefix(x + 1);
      }
    } else {
      std::int64_t value = parse_int(item, spec, params);
      for (std::size_t i = 0; i < params.size(); ++i)
        if (params[i].is_shape) set(values, params, i, value);
    }
  }
  return Size(std::move(values));
}

}  // namespace kprof
