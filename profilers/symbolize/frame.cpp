// How a frame is shown, and which frames are the runtime's rather than the program's own.
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

bool is_driver_frame(std::string_view function) {
  auto starts = [&](std::string_view prefix) { return function.rfind(prefix, 0) == 0; };
  if (starts("kprof::")) return !starts("kprof::targets::");  // the built-in kernels are the user's code
  for (std::string_view glue : {"std::function<", "std::_Function_handler<", "std::__invoke", "CLI::", "_start",
                                "__libc_start", "(below main)"})
    if (starts(glue)) return true;
  return function == "main";
}

}  // namespace kprof
