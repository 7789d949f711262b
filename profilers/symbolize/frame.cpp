// How a frame is shown, and which frames are the runtime's rather than the program's own.
#include <algorithm>
#include <cstdio>

#include "kprof/frame.h"

namespace kprof {
namespace {

std::string basename_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::string module_and_offset(const Frame& f) {
  return (f.module.empty() ? "[unmapped]" : basename_of(f.module)) + "+" + hex(f.module_offset);
}

std::string frame_location(const Frame& f) {
  if (!f.file.empty()) return basename_of(f.file) + ":" + std::to_string(f.line);
  std::string unknown = module_and_offset(f);
  if (f.function.empty() || f.function == unknown) return unknown;
  return f.function + "+" + hex(f.function_offset) + " (" + basename_of(f.module) + ")";
}

bool is_runtime_frame(const Frame& f) {
  if (starts_with(f.file, "/usr/include/") || starts_with(f.file, "/usr/lib/")) return true;
  // kprof's own allocation tracer (its hooks and the preload library).
  if (f.module.find("libkprof_memory_preload") != std::string::npos) return true;
  if (f.file.find("/profilers/memory/") != std::string::npos) return true;
  if (starts_with(f.module, "/usr/lib/") || starts_with(f.module, "/lib/") || starts_with(f.module, "/lib64/"))
    return true;
  return false;
}

namespace {
// kprof's SIMD vectors (kprof/simd/*.h) are one-line wrappers of intrinsics: inlined, they are
// the intrinsic, and their cost belongs to the kernel's line that used them.
bool is_simd_wrapper(const std::string& file) { return file.find("/kprof/simd/") != std::string::npos; }
}  // namespace

bool is_inlined_runtime_frame(const Frame& f) { return f.inlined && (is_runtime_frame(f) || is_simd_wrapper(f.file)); }

std::vector<Frame> from_call_site(std::vector<Frame> frames) {
  auto site = std::find_if(frames.begin(), frames.end(), [](const Frame& f) { return !is_runtime_frame(f); });
  if (site != frames.end()) frames.erase(frames.begin(), site);
  std::erase_if(frames, [](const Frame& f) { return is_inlined_runtime_frame(f); });
  return frames;
}

namespace {
// The index of the bracket opening the group that closes at `close` (')' or '>'), npos if unbalanced.
std::size_t opening_bracket(std::string_view s, std::size_t close) {
  const char closing = s[close], opening = closing == ')' ? '(' : '<';
  int depth = 0;
  for (std::size_t i = close + 1; i-- > 0;) {
    if (s[i] == closing) ++depth;
    if (s[i] == opening && --depth == 0) return i;
  }
  return std::string_view::npos;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The last "::"-separated component outside brackets (a lambda's "{lambda(auto:1&)#4}" holds "::").
std::string_view last_component(std::string_view s) {
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '(' || c == '<' || c == '{') ++depth;
    if (c == ')' || c == '>' || c == '}') --depth;
    if (depth == 0 && c == ':' && i + 1 < s.size() && s[i + 1] == ':') start = i + 2;
    if (depth == 0 && c == ' ') start = i + 1;  // after a return type
  }
  return s.substr(start);
}
}  // namespace

std::string bare_function_name(std::string_view f) {
  if (ends_with(f, " const")) f.remove_suffix(6);
  if (ends_with(f, ")") && !ends_with(f, "operator()")) {
    const std::size_t open = opening_bracket(f, f.size() - 1);
    if (open != std::string_view::npos) f = f.substr(0, open);
  }
  if (ends_with(f, ">") && !ends_with(f, "operator>") && !ends_with(f, "operator->")) {
    const std::size_t open = opening_bracket(f, f.size() - 1);
    if (open != std::string_view::npos && open > 0) f = f.substr(0, open);
  }
  return std::string(last_component(f));
}

bool is_driver_frame(std::string_view function) {
  auto starts = [&](std::string_view prefix) { return function.rfind(prefix, 0) == 0; };
  if (starts("kprof::")) return !starts("kprof::targets::");  // the built-in kernels are the user's code
  for (std::string_view glue : {"std::function<", "std::_Function_handler<", "std::__invoke", "CLI::", "_start",
                                "__libc_start", "(below main)"})
    if (starts(glue)) return true;
  return function == "main";
}

}  // namespace kprof
