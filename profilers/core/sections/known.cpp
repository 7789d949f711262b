// What applies to every known section: validation on reading, merging of documents.
#include <set>

#include "kprof/sections.h"

namespace kprof {
namespace {

template <class T>
concept KeyedSection = requires(T s) {
  s.results.front().subject.key;
};

template <RunSection T>
void validate(const Run& run, std::string_view source) {
  auto it = run.sections.find(std::string(T::kName));
  if (it != run.sections.end()) T::from_json(JsonField(it->second, std::string(source), "sections." + it->first));
}

template <RunSection T>
void merge(Run& into, const Run& from) {
  if (!from.has_section<T>()) return;
  if (!into.has_section<T>()) {
    into.sections[std::string(T::kName)] = from.sections.at(std::string(T::kName));
    return;
  }
  if constexpr (KeyedSection<T>) {
    T merged = *into.section<T>();
    std::set<std::string> keys;
    for (const auto& e : merged.results) keys.insert(e.subject.key);
    const T more = *from.section<T>();
    for (const auto& e : more.results)
      if (keys.insert(e.subject.key).second) merged.results.push_back(e);
    into.set_section(merged);
  }
}

}  // namespace

void validate_sections(const Run& run, std::string_view source) {
  std::apply([&](auto... none) { (validate<decltype(none)>(run, source), ...); }, KnownSections{});
}

void merge_sections(Run& into, const Run& from) {
  std::apply([&](auto... none) { (merge<decltype(none)>(into, from), ...); }, KnownSections{});
  for (const auto& [name, section] : from.sections) into.sections.emplace(name, section);  // unknown ones
}

}  // namespace kprof
