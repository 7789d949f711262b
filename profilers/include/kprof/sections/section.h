#pragma once
// The pattern every section of a Run document follows (Run::sections, docs/FORMATS.md):
//
//   struct MySection {
//     static constexpr std::string_view kName = "my";   // its key under "sections"
//     static constexpr int kVersion = 1;                // its own schema_version, written into it
//     ...typed fields...
//     nlohmann::json to_json() const;
//     static MySection from_json(const JsonField& j);   // validates; UsageError names file and field
//     bool operator==(const MySection&) const = default;
//   };
//
// declared in profilers/include/kprof/sections/my.h, defined in profilers/core/sections/my.cpp, listed
// in KnownSections (kprof/sections.h) so that reading a document validates it, given a $defs entry
// in docs/run.schema.json and a golden test of what the command writes. Nothing outside these files
// spells the section's name or its keys: writers call run.set_section(s), readers run.section<T>().
//
// Versions: a section's `schema_version` is its own. from_json accepts the versions it knows (an
// absent one is 1: documents written before sections carried versions) and refuses any other.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kprof/frame.h"
#include "kprof/json_field.h"
#include "kprof/kernel.h"
#include "kprof/size.h"

namespace kprof {

template <class T>
concept RunSection = requires(const T& section, const JsonField& j) {
  { T::kName } -> std::convertible_to<std::string_view>;
  { T::kVersion } -> std::convertible_to<int>;
  { section.to_json() } -> std::same_as<nlohmann::json>;
  { T::from_json(j) } -> std::same_as<T>;
};

// The section's schema_version (1 when absent); UsageError when it is not one of `known`.
int section_version(const JsonField& section, std::string_view name, std::initializer_list<int> known);

// UsageError naming both entries when two of a section's results are about one subject (their
// keys, in order): the gate and the history would take a twin twice.
void check_one_entry_per_subject(const JsonField& section, const std::vector<std::string>& keys);

// What an entry of a section is about: a registered kernel at one dtype and size (its key is
// Result::key(), which is how sections and results[] refer to each other) or a program run by the
// profiler (`kprof mem -- ./app`), keyed "program/<basename>".
struct Subject {
  std::string key;
  // A kernel: all set. A program: family empty.
  std::string family;
  std::string variant;
  DType dtype = DType::f64;
  Size size;
  // A program: its argv, and its exit status (128+N for signal N) once it has ended.
  std::vector<std::string> program;
  std::optional<int> exit_status;

  static Subject kernel(const std::string& family, const std::string& variant, DType dtype, const Size& size);
  static Subject of_program(const std::vector<std::string>& argv);
  bool is_program() const { return family.empty(); }

  void write(nlohmann::json& entry) const;  // adds key and the kernel's or the program's fields
  static Subject read(const JsonField& entry);
  bool operator==(const Subject&) const = default;
};

// A size written as an object of named integers ({"m": 64, "n": 1797}), as results[] writes it.
nlohmann::json size_to_json(const Size& size);
Size size_from_json(const JsonField& j);

// A frame of a call stack or a call site (kprof/frame.h), as every section writes one: function,
// file, line, module, module_offset and inlined. Reading fills those fields only.
void write_frame(const Frame& frame, nlohmann::json& j);
Frame read_frame(const JsonField& j);

}  // namespace kprof
