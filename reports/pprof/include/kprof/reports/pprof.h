#pragma once
// pprof's profile.proto, gzipped: the one way kprof turns stacks with costs into a file that
// `go tool pprof` (call graphs, flame graphs, source view, -diff_base), Perfetto and speedscope
// open. The messages are protoc's classes of the profile.proto Debian's pprof sources ship
// (reports/pprof/CMakeLists.txt); this header keeps protobuf out of its includers.
//
//   kprof::write_pprof_file("cpu.x.pb.gz", samples);   // kprof::StackSamples (stack_samples.h)
//
// Each frame becomes a pprof Line (function, file, line); the frames of one address that are
// inlined into the next one (Frame::inlined) share one Location, as pprof models inlining; each
// module (Frame::module) is one Mapping whose address range covers the frames' addresses.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kprof/frame.h"
#include "kprof/reports/stack_samples.h"

namespace kprof {

class PprofProfile {
 public:
  // `period` is in `period_type`'s unit (the sampling interval; 1 for counted events).
  PprofProfile(const std::vector<SampleType>& sample_types, const SampleType& period_type, std::int64_t period);
  ~PprofProfile();
  PprofProfile(PprofProfile&&) noexcept;
  PprofProfile& operator=(PprofProfile&&) noexcept;

  // One stack (innermost frame first, never empty) and its values, one per sample type (a
  // shorter vector means trailing zeros). Stacks are kept as given: pprof merges equal ones.
  void add(const std::vector<const Frame*>& frames, std::vector<std::int64_t> values);
  // What `pprof -comments` prints: where the figures come from, what was left out.
  void add_comment(const std::string& text);
  // The sample type pprof shows without -sample_index (the last one otherwise).
  void set_default_sample_type(const std::string& type);
  void set_duration_nanos(std::int64_t nanos);

  std::size_t sample_count() const;
  // The profile serialised (profile.proto) and gzipped, as pprof reads it.
  std::string gzipped() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The samples as a pprof profile: their sample types, period, default type and comments, then every
// sample in order.
PprofProfile to_pprof(const StackSamples& samples);

// Atomically (kprof/atomic_file.h); throws UsageError naming the file when it cannot be written.
void write_pprof_file(const std::filesystem::path& path, const StackSamples& samples);

}  // namespace kprof
