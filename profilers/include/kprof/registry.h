#pragma once
// The process-wide list of kernel families, and the selection rules of the command line.
#include <string>
#include <string_view>
#include <vector>

#include "kprof/kernel.h"

namespace kprof {

class Registry {
 public:
  std::vector<FamilyRecord*> families() const;  // sorted by name
  FamilyRecord* find(std::string_view family) const;
  FamilyRecord& add(std::string name);  // throws std::logic_error on a duplicate name

 private:
  std::vector<std::unique_ptr<FamilyRecord>> families_;
};

Registry& registry();

struct Selection {
  FamilyRecord* family;
  std::vector<std::size_t> variants;  // indices into family->variants
};

// Resolves filters such as "gemm", "gemm/blas", "gemm/simd-*", "distances/scalar,blas".
// An empty filter list selects everything. Throws UsageError listing what exists when a filter
// names an unknown family or variant.
std::vector<Selection> select(const std::vector<std::string>& filters);

// Rejects, before anything runs, size specs (-s) that do not parse for a selected family they apply
// to, and "family:spec" specs naming a family that is not selected (kprof/size.h specs_for_family).
void check_size_specs(const std::vector<Selection>& selections, const std::vector<std::string>& specs);

// Resolves exactly one "family/variant" (what `kprof lines|mem|callgrind|cpu` take).
struct VariantRef {
  FamilyRecord* family;
  std::size_t variant;
};
VariantRef select_one(std::string_view family_slash_variant);

}  // namespace kprof
