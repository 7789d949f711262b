#include "kprof/reports/stack_samples.h"

#include <functional>
#include <stdexcept>

namespace kprof {

StackSamples::StackSamples(std::vector<SampleType> types, SampleType period_type, std::int64_t period)
    : types_(std::move(types)), period_type_(std::move(period_type)), period_(period) {}

std::size_t StackSamples::FrameHash::operator()(const Frame& f) const {
  std::size_t h = std::hash<std::string>{}(f.function);
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(std::hash<std::string>{}(f.file));
  mix(std::hash<std::string>{}(f.module));
  mix(std::hash<int>{}(f.line));
  mix(std::hash<std::uint64_t>{}(f.address));
  return h;
}

std::uint32_t StackSamples::intern(const Frame& f) {
  auto [it, fresh] = index_.try_emplace(f, static_cast<std::uint32_t>(frames_.size()));
  if (fresh) frames_.push_back(f);
  return it->second;
}

void StackSamples::add(const std::vector<Frame>& frames, std::vector<std::int64_t> values) {
  if (frames.empty()) return;
  Sample s;
  s.stack.reserve(frames.size());
  for (const Frame& f : frames) s.stack.push_back(intern(f));
  values.resize(types_.size(), 0);
  s.values = std::move(values);
  samples_.push_back(std::move(s));
}

std::size_t StackSamples::type_index(const std::string& type) const {
  for (std::size_t i = 0; i < types_.size(); ++i)
    if (types_[i].type == type) return i;
  throw std::out_of_range("no sample type '" + type + "' in the profile");
}

std::int64_t StackSamples::total(std::size_t type) const {
  std::int64_t sum = 0;
  for (const Sample& s : samples_) sum += s.values.at(type);
  return sum;
}

}  // namespace kprof
