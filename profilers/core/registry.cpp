#include "kprof/registry.h"

#include <algorithm>
#include <stdexcept>

#include "kprof/errors.h"

namespace kprof {
namespace {

// fnmatch-style '*' only: variant names are short and '*' is all users type ("gemm/simd-*").
bool glob_match(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern.front() == '*') {
    for (std::size_t i = 0; i <= text.size(); ++i)
      if (glob_match(pattern.substr(1), text.substr(i))) return true;
    return false;
  }
  return !text.empty() && pattern.front() == text.front() && glob_match(pattern.substr(1), text.substr(1));
}

std::string list_families(const Registry& r) {
  std::string out;
  for (const auto* f : r.families()) out += (out.empty() ? "" : ", ") + f->name;
  return out.empty() ? "(none registered)" : out;
}

std::string list_variants(const FamilyRecord& f) {
  std::string out;
  for (const auto& v : f.variants) out += (out.empty() ? "" : ", ") + v.spec.name;
  return out;
}

// Correctness comes first: every variant is checked against the family's reference before it is
// measured, so a family without one cannot be run (rather than failing inside the check).
void require_reference(const FamilyRecord& f) {
  if (!f.has_reference)
    throw UsageError("kernel family '" + f.name +
                     "' has no reference: add .reference([](auto& p) { ... }) to its KPROF_FAMILY, a plain "
                     "implementation every variant's output is checked against (docs/YOUR_KERNELS.md)");
}

}  // namespace

std::vector<FamilyRecord*> Registry::families() const {
  std::vector<FamilyRecord*> out;
  for (const auto& f : families_) out.push_back(f.get());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->name < b->name; });
  return out;
}

FamilyRecord* Registry::find(std::string_view family) const {
  for (const auto& f : families_)
    if (f->name == family) return f.get();
  return nullptr;
}

FamilyRecord& Registry::add(std::string name) {
  if (find(name) != nullptr) throw std::logic_error("kernel family '" + name + "' registered twice");
  families_.push_back(std::make_unique<FamilyRecord>());
  families_.back()->name = std::move(name);
  return *families_.back();
}

Registry& registry() {
  static Registry instance;  // function-local: safe from static-initialisation order
  return instance;
}

std::vector<Selection> select(const std::vector<std::string>& filters) {
  const Registry& r = registry();
  std::vector<Selection> out;
  auto add = [&](FamilyRecord* family, std::size_t v) {
    for (auto& s : out) {
      if (s.family == family) {
        if (std::find(s.variants.begin(), s.variants.end(), v) == s.variants.end()) s.variants.push_back(v);
        return;
      }
    }
    out.push_back({family, {v}});
  };
  if (filters.empty()) {
    for (auto* f : r.families())
      for (std::size_t v = 0; v < f->variants.size(); ++v) add(f, v);
    return out;
  }
  for (const auto& filter : filters) {
    auto slash = filter.find('/');
    std::string family_name = filter.substr(0, slash);
    FamilyRecord* family = r.find(family_name);
    if (family == nullptr)
      throw UsageError("unknown kernel family '" + family_name + "'; families: " + list_families(r));
    if (slash == std::string::npos) {
      for (std::size_t v = 0; v < family->variants.size(); ++v) add(family, v);
      continue;
    }
    std::string_view patterns = std::string_view(filter).substr(slash + 1);
    while (true) {
      auto comma = patterns.find(',');
      std::string_view pattern = patterns.substr(0, comma);
      bool matched = false;
      for (std::size_t v = 0; v < family->variants.size(); ++v) {
        if (glob_match(pattern, family->variants[v].spec.name)) {
          add(family, v);
          matched = true;
        }
      }
      if (!matched)
        throw UsageError("unknown variant '" + std::string(pattern) + "' of family '" + family_name +
                         "'; variants: " + list_variants(*family));
      if (comma == std::string_view::npos) break;
      patterns.remove_prefix(comma + 1);
    }
  }
  // Keep the registration order within a family: tables then read scalar, simd, blas, eigen.
  for (auto& s : out) std::sort(s.variants.begin(), s.variants.end());
  for (const auto& s : out) require_reference(*s.family);
  return out;
}

void check_size_specs(const std::vector<Selection>& selections, const std::vector<std::string>& specs) {
  for (const auto& spec : specs) {
    std::string_view named = spec_family(spec);
    if (named.empty()) continue;
    bool selected = false;
    for (const auto& s : selections) selected |= s.family->name == named;
    if (!selected)
      throw UsageError("size '" + spec + "' is for family '" + std::string(named) +
                       "', which is not selected (a size for one family is written family:size)");
  }
  for (const auto& s : selections)
    for (const auto& spec : specs_for_family(s.family->name, specs)) {
      try {
        parse_size(s.family->params, spec);
      } catch (const UsageError& e) {
        throw UsageError(std::string(e.what()) + " (for family " + s.family->name + "; a size for one family only is " +
                         "written " + s.family->name + ":" + spec + ")");
      }
    }
}

VariantRef select_one(std::string_view family_slash_variant) {
  std::string text(family_slash_variant);
  auto slash = text.find('/');
  if (slash == std::string::npos || text.find_first_of("*,") != std::string::npos) {
    FamilyRecord* family = registry().find(text.substr(0, slash));
    throw UsageError("expected one 'family/variant', got '" + text + "'" +
                     (family ? "; variants of " + family->name + ": " + list_variants(*family)
                             : "; families: " + list_families(registry())));
  }
  auto selection = select({text});
  return {selection.front().family, selection.front().variants.front()};
}

}  // namespace kprof
