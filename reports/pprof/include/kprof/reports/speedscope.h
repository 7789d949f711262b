#pragma once
// speedscope's file format (https://www.speedscope.app/file-format-schema.json): stacks with costs
// as sampled profiles that speedscope (speedscope.app, `npx speedscope FILE`) draws as flame graphs
// (docs/FORMATS.md "speedscope").
//
//   kprof::write_speedscope_file("cpu.x.speedscope.json", samples, {{"cpu", "cpu"}}, "kprof cpu x");
//
// Frames are shared: one entry per (function, file, line), what speedscope shows of a frame; each
// sample lists its frames outermost first, as speedscope reads them.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/reports/stack_samples.h"

namespace kprof {

// One sampled profile of the file: a sample type of the samples and the name speedscope shows.
struct SpeedscopeProfile {
  std::string sample_type;
  std::string name;
};

// speedscope's unit for a sample type's unit: "nanoseconds" and "bytes" as they are, anything
// counted ("count") is "none".
std::string speedscope_unit(const std::string& unit);

// The file: `profiles` in order (none: one profile per sample type, named by it), each holding the
// samples whose value of its type is not 0, weighted by that value; startValue 0, endValue the
// weights' sum. Throws std::out_of_range for a sample type the samples do not have.
nlohmann::json speedscope_json(const StackSamples& samples, const std::vector<SpeedscopeProfile>& profiles,
                               const std::string& name);

// Atomically (kprof/atomic_file.h); throws UsageError naming the file when it cannot be written.
void write_speedscope_file(const std::filesystem::path& path, const StackSamples& samples,
                           const std::vector<SpeedscopeProfile>& profiles, const std::string& name);

}  // namespace kprof
