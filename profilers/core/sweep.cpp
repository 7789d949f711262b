// Range and list expansion for sweeps (kprof/sweep.h).
#include "kprof/sweep.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

#include "kprof/errors.h"
#include "kprof/size.h"

namespace kprof {
namespace {

// A spec cut at commas, each name=values group holding its values.
struct Axis {
  std::string name;  // "" for the bare leading shape item ("512x64", "1024")
  std::vector<std::string> values;
};

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::int64_t whole_number(std::string_view text, std::string_view spec) {
  if (text.empty()) throw UsageError("a value is missing in '" + std::string(spec) + "'");
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw UsageError("'" + std::string(text) + "' in '" + std::string(spec) + "' is not a whole number");
  return value;
}

// "a..b", "a..b:*k", "a..b:+k", "a..b:k" -> every value; a plain value -> itself.
std::vector<std::int64_t> expand_range(std::string_view text, std::string_view spec) {
  std::size_t dots = text.find("..");
  if (dots == std::string_view::npos) return {whole_number(text, spec)};
  std::string_view rest = text.substr(dots + 2), step_text = "+1";
  if (std::size_t colon = rest.find(':'); colon != std::string_view::npos) {
    step_text = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  const std::int64_t first = whole_number(text.substr(0, dots), spec), last = whole_number(rest, spec);
  const std::string where = "range '" + std::string(text) + "' in '" + std::string(spec) + "'";
  if (first > last) throw UsageError(where + " is inverted: it starts after it ends");
  const bool geometric = !step_text.empty() && step_text[0] == '*';
  if (!step_text.empty() && (step_text[0] == '*' || step_text[0] == '+')) step_text.remove_prefix(1);
  const std::int64_t step = whole_number(step_text, spec);
  if (geometric ? step < 2 || first < 1 : step < 1)
    throw UsageError(where + " does not advance: use a step of " +
                     (geometric ? "*2 or more from a start of 1 or more" : "+1 or more"));
  std::vector<std::int64_t> values;
  for (std::int64_t v = first; v <= last; v = geometric ? v * step : v + step) {
    values.push_back(v);
    if (values.size() > 100000) throw UsageError(where + " has more than 100000 values");
  }
  return values;
}

std::vector<Axis> axes_of(std::string_view spec) {
  std::vector<Axis> axes;
  for (std::string_view item : split(spec, ',')) {
    if (item.empty()) throw UsageError("empty item in size '" + std::string(spec) + "'");
    std::size_t eq = item.find('=');
    if (eq != std::string_view::npos) {
      axes.push_back({std::string(item.substr(0, eq)), {}});
      item = item.substr(eq + 1);
    } else if (axes.empty()) {
      axes.push_back({"", {}});  // bare values set every shape parameter ("1024", "64..4096:*2")
    }
    if (item.find('x') != std::string_view::npos) {  // "512x64": shape parameters in order, kept as written
      axes.back().values.emplace_back(item);
      continue;
    }
    for (std::int64_t v : expand_range(item, spec)) axes.back().values.push_back(std::to_string(v));
  }
  return axes;
}

}  // namespace

std::vector<std::string> expand_size_spec(std::string_view spec) {
  // "gemm:n=64..512:*2": the range is gemm's only; each point keeps the family's prefix.
  if (const std::string_view family = spec_family(spec); !family.empty()) {
    std::vector<std::string> points = expand_size_spec(spec.substr(family.size() + 1));
    for (std::string& point : points) point = std::string(family) + ":" + point;
    return points;
  }
  if (spec.find("..") == std::string_view::npos && spec.find(',') == std::string_view::npos) return {std::string(spec)};
  std::vector<std::string> points{""};
  for (const Axis& axis : axes_of(spec)) {
    std::vector<std::string> next;
    for (const std::string& prefix : points)
      for (const std::string& value : axis.values)
        next.push_back(prefix + (prefix.empty() ? "" : ",") + (axis.name.empty() ? "" : axis.name + "=") + value);
    points = std::move(next);
  }
  return points;
}

std::vector<int> parse_thread_list(std::string_view text, int max_threads, std::string_view option) {
  std::vector<int> threads;
  for (std::string_view item : split(text, ',')) {
    for (std::int64_t t : expand_range(item, text)) {
      if (t < 1 || t > max_threads)
        throw UsageError(std::string(option) + " " + std::string(text) + ": " + std::to_string(t) + " is outside 1.." +
                         std::to_string(max_threads) + " (at most 8 threads per logical CPU)");
      threads.push_back(static_cast<int>(t));
    }
  }
  return threads;
}

int thread_limit(int logical_cpus) { return std::max(8, 8 * logical_cpus); }

void check_sweep_size(std::size_t points, std::size_t max_points, bool yes) {
  if (points > max_points && !yes)
    throw UsageError("this sweep has " + std::to_string(points) + " points, more than " + std::to_string(max_points) +
                     "; narrow the ranges, or pass --yes to run them all");
}

}  // namespace kprof
