#pragma once
// Stacks with values per sample type: what a kprof profiler measured, before any file format. The
// one value that cpu, mem and callgrind build once (profile_samples.h) and that every writer of
// whole-stack formats serialises: pprof (pprof.h) and speedscope (speedscope.h).
//
//   kprof::StackSamples s({{"samples", "count"}, {"cpu", "nanoseconds"}}, {"cpu", "nanoseconds"}, 1000000);
//   s.add(frames, {1, 1000000});   // frames innermost first, one value per sample type
//
// Frames are kept once in a table (equal frames share one index), so that a callgrind profile's
// hundreds of thousands of stacks do not copy their frames' strings again and again.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "kprof/frame.h"

namespace kprof {

// What a sample's value counts: pprof's ValueType ("alloc_space", "bytes"; units: "count",
// "bytes", "nanoseconds").
struct SampleType {
  std::string type;
  std::string unit;
};

class StackSamples {
 public:
  struct Sample {
    std::vector<std::uint32_t> stack;  // indices into frames(), innermost first, never empty
    std::vector<std::int64_t> values;  // one per sample type
  };

  // `period` is in `period_type`'s unit (the sampling interval; 1 for counted events).
  StackSamples(std::vector<SampleType> types, SampleType period_type, std::int64_t period);

  // One stack (innermost frame first; an empty one is ignored) and its values, one per sample type
  // (a shorter vector means trailing zeros). Stacks are kept as given, in order: readers merge equal ones.
  void add(const std::vector<Frame>& frames, std::vector<std::int64_t> values);
  // Where the figures come from, what was left out (pprof -comments).
  void add_comment(std::string text) { comments_.push_back(std::move(text)); }
  // The sample type a viewer shows first ("" : the format's own default).
  void set_default_type(std::string type) { default_type_ = std::move(type); }

  const std::vector<SampleType>& types() const { return types_; }
  const SampleType& period_type() const { return period_type_; }
  std::int64_t period() const { return period_; }
  const std::string& default_type() const { return default_type_; }
  const std::vector<std::string>& comments() const { return comments_; }
  const std::vector<Frame>& frames() const { return frames_; }
  const std::vector<Sample>& samples() const { return samples_; }
  // The index of a sample type by name; throws std::out_of_range when there is none.
  std::size_t type_index(const std::string& type) const;
  // Every sample's value of one sample type, added up.
  std::int64_t total(std::size_t type) const;

 private:
  struct FrameHash {
    std::size_t operator()(const Frame& f) const;
  };
  std::uint32_t intern(const Frame& f);

  std::vector<SampleType> types_;
  SampleType period_type_;
  std::int64_t period_;
  std::string default_type_;
  std::vector<std::string> comments_;
  std::vector<Frame> frames_;
  std::unordered_map<Frame, std::uint32_t, FrameHash> index_;
  std::vector<Sample> samples_;
};

}  // namespace kprof
