#pragma once
// Every section of the Run document kprof knows, one header each (kprof/sections/*.h, the pattern
// in kprof/sections/section.h). A new section is added to KnownSections so that reading a
// document validates it and merging documents merges it.
#include <string_view>
#include <tuple>

#include "kprof/run.h"
#include "kprof/sections/callgrind.h"
#include "kprof/sections/cpu.h"
#include "kprof/sections/figures.h"
#include "kprof/sections/lines.h"
#include "kprof/sections/memory.h"
#include "kprof/sections/paired_medians.h"
#include "kprof/sections/section.h"

namespace kprof {

using KnownSections =
    std::tuple<LinesSection, MemorySection, CallgrindSection, CpuSection, PairedMediansSection, FiguresSection>;

// Reads every known section of `run` (UsageError naming `source`, the section and the field when
// one is malformed or of an unknown version). Sections this kprof does not know are left alone.
void validate_sections(const Run& run, std::string_view source);

// Adds the sections of `from` to `into`: entries of sections with per-benchmark results are merged
// by key (`into` wins for a key both have), any other section is taken when `into` lacks it.
void merge_sections(Run& into, const Run& from);

}  // namespace kprof
