#pragma once
// Every file kprof writes goes through here: written to a temporary file in the same folder, then
// renamed over the target, so a crash or a full disk never leaves a half-written report behind.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace kprof {

// Throws UsageError naming the path when the folder is missing or unwritable.
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

// Creates `dir` (and parents) if needed and checks that files can be created in it; throws
// UsageError naming the folder otherwise. Commands call this before any work.
void ensure_writable_dir(const std::filesystem::path& dir);

// Reads a whole regular file (at most 4 GiB); throws UsageError naming the path and why when it cannot
// (missing, unreadable, a folder, a device or pipe, too large).
std::string read_file(const std::filesystem::path& path);

// A file name made of `text`: letters, digits and ._-= kept (a key's `n=1000` stays readable),
// every other character (`/`, `,`, spaces) becomes '_'.
std::string file_safe(std::string text);

// Temporary files and folders removed (folders with their contents) when the guard goes out of
// scope, unless released: a step that fails halfway, or throws, leaves nothing behind. They are
// removed too when kprof is interrupted (kprof/interrupt.h) while the guard holds them.
class RemoveOnExit {
 public:
  RemoveOnExit() = default;
  explicit RemoveOnExit(const std::vector<std::filesystem::path>& paths);
  RemoveOnExit(const RemoveOnExit&) = delete;
  RemoveOnExit& operator=(const RemoveOnExit&) = delete;
  ~RemoveOnExit();
  void add(const std::filesystem::path& path);
  // The step succeeded: keep whatever is still there.
  void release();

 private:
  struct Held {
    std::filesystem::path path;
    std::size_t registration;  // kprof/interrupt.h
  };
  std::vector<Held> held_;
};

// A name for the temporary file a tool (valgrind, gperftools) writes before kprof renames it to
// `final_path`: `<folder>/.<name>.tmp.<pid>.<n>`, next to it (so the rename is atomic) and unique
// to this process and call, so that two kprof runs into one folder never take each other's file.
std::filesystem::path temporary_name_for(const std::filesystem::path& final_path);

// A new empty folder `<$TMPDIR or /tmp>/<prefix>XXXXXX`; UsageError when it cannot be created. It
// is removed if kprof is interrupted, and should be handed to a RemoveOnExit at once.
std::filesystem::path make_scratch_dir(const std::string& prefix);

}  // namespace kprof
