#include "kprof/reports/profile_samples.h"

#include <algorithm>

#include "callgrind_stacks.h"

namespace kprof {
namespace {

std::int64_t as_value(std::uint64_t v) { return static_cast<std::int64_t>(v); }

// What a report left out of its stacks (it keeps the largest), as one sample: totals stay the report's.
void add_left_out(StackSamples& p, const std::string& what, std::vector<std::int64_t> values) {
  if (std::none_of(values.begin(), values.end(), [](std::int64_t v) { return v > 0; })) return;
  Frame left_out;
  left_out.function = "[" + what + "]";
  p.add({left_out}, std::move(values));
}

}  // namespace

StackSamples cpu_samples(const std::vector<SampledStack>& stacks, std::uint64_t period_us) {
  const std::int64_t period_ns = as_value(period_us) * 1000;
  StackSamples p({{"samples", "count"}, {"cpu", "nanoseconds"}}, {"cpu", "nanoseconds"}, period_ns);
  p.add_comment("kprof cpu: gperftools samples every " + std::to_string(period_us) +
                " us of CPU time, symbolised by kprof; cpu = samples x period (above the kernel's timer tick rate "
                "a sample stands for more CPU time than the period)");
  for (const SampledStack& s : stacks) p.add(s.frames, {as_value(s.count), as_value(s.count) * period_ns});
  return p;
}

StackSamples memory_samples(const MemoryReport& r) {
  StackSamples p(
      {{"alloc_objects", "count"}, {"alloc_space", "bytes"}, {"inuse_objects", "count"}, {"inuse_space", "bytes"}},
      {"space", "bytes"}, 1);
  p.set_default_type("alloc_space");
  p.add_comment("kprof mem: " + r.name + "; alloc_*: what each stack allocated in the region (" +
                std::to_string(r.iterations) + " call(s)), inuse_*: what was live at the heap's peak");
  std::uint64_t bytes = 0, count = 0, peak = 0;
  for (const MemoryStack& s : r.allocation_stacks) {
    p.add(s.frames, {as_value(s.count), as_value(s.bytes), 0, 0});
    bytes += s.bytes, count += s.count;
  }
  for (const MemoryStack& s : r.peak_stacks) {
    std::vector<Frame> frames = from_call_site(s.frames);
    if (frames.empty()) frames = s.frames;
    p.add(frames, {0, 0, as_value(s.count), as_value(s.bytes)});
    peak += s.bytes;
  }
  add_left_out(p, std::to_string(r.allocation_stacks_left_out) + " smaller allocation stacks left out",
               {as_value(r.allocations > count ? r.allocations - count : 0),
                as_value(r.bytes_allocated > bytes ? r.bytes_allocated - bytes : 0), 0, 0});
  add_left_out(p, "smaller stacks live at the peak, left out",
               {0, 0, 0, as_value(r.peak_bytes > peak ? r.peak_bytes - peak : 0)});
  return p;
}

StackSamples callgrind_samples(const CallgrindProfile& profile) {
  std::vector<SampleType> types;
  for (const std::string& event : profile.events) types.push_back({event, "count"});
  const SampleType period_type = types.empty() ? SampleType{"Ir", "count"} : types.front();
  StackSamples p(types, period_type, 1);
  if (!types.empty()) p.set_default_type(types.front().type);
  p.add_comment(
      "kprof callgrind: " + profile.command +
      "; stacks are a function and its callers chosen by the call graph, each caller's share of a "
      "function's self cost in proportion to the first event's inclusive cost of its calls (docs/FORMATS.md)");
  add_callgrind_stacks(profile, p);
  return p;
}

std::vector<SpeedscopeProfile> cpu_speedscope_profiles() { return {{"cpu", "cpu"}}; }

std::vector<SpeedscopeProfile> memory_speedscope_profiles() {
  return {
      {"alloc_space", "alloc_space"}, {"alloc_objects", "alloc_objects"}, {"inuse_space", "inuse_space at the peak"}};
}

}  // namespace kprof
