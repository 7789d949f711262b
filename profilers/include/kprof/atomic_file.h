#pragma once
// Every file kprof writes goes through here: written to a temporary file in the same folder, then
// renamed over the target, so a crash or a full disk never leaves a half-written report behind.
#include <filesystem>
#include <string>
#include <string_view>

namespace kprof {

// Throws UsageError naming the path when the folder is missing or unwritable.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Creates `dir` (and parents) if needed and checks that files can be created in it; throws
// UsageError naming the folder otherwise. Commands call this before any work.
void ensure_writable_dir(const std::filesystem::path& dir);

// Reads a whole file; throws UsageError naming the path when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace kprof
