#pragma once
// Problem sizes as named integer parameters ("m=1024,n=512,k=256"). A kernel family declares its
// parameters once; sizes given on the command line are parsed against that declaration so that a
// typo or an out-of-range value is reported with the rule, never silently defaulted.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kprof {

struct SizeParam {
  std::string name;
  std::int64_t default_value = 1;
  std::int64_t min = 1;
  std::int64_t max = std::int64_t{1} << 31;
  std::string help;
  // Shape parameters take the value of a bare number ("1024" means m=n=k=1024); tuning
  // parameters such as a chunk size keep their default unless named.
  bool is_shape = true;
};

class Size {
 public:
  Size() = default;
  // The values are kept sorted by name: that is the one spelling of a size (str(), result keys,
  // JSON objects, which sort their keys too), whatever order a family declared or a user typed.
  explicit Size(std::vector<std::pair<std::string, std::int64_t>> values);

  // Value of a declared parameter; throws std::out_of_range for a name the family never declared
  // (a programming error in the family, not bad user input).
  std::int64_t operator[](std::string_view name) const;
  bool has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::int64_t>>& values() const { return values_; }
  std::string str() const;  // "k=1024,m=1024,n=1024"
  bool operator==(const Size&) const = default;

 private:
  std::vector<std::pair<std::string, std::int64_t>> values_;
};

// Parses "1024" (every shape parameter), "1000x64x256" (shape parameters in declared order) or
// "n=1000,d=64" (named; the rest keep their defaults); combinations such as "512x64,chunk=128" work.
// Throws UsageError naming the parameter and the rule.
Size parse_size(const std::vector<SizeParam>& params, std::string_view spec);
Size default_size(const std::vector<SizeParam>& params);

// Size specs on a command line that selects several families: "softmax:64x1000" applies to the
// family softmax only, a spec without "family:" to every selected family. Returns the specs (without
// their prefix) that apply to `family`; none means the family's default sizes.
std::vector<std::string> specs_for_family(std::string_view family, const std::vector<std::string>& specs);
// The family a spec names ("softmax" for "softmax:64x1000", "gemm" for "gemm:n=64..512:*2"), "" for
// a spec that applies to all (a sweep's step, "n=64..4096:*2", names none).
std::string_view spec_family(std::string_view spec);

}  // namespace kprof
