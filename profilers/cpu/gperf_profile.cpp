#include "gperf_profile.h"

#include <cstring>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"

namespace kprof {
namespace {

class Words {
 public:
  Words(std::string_view bytes, std::string_view name) : bytes_(bytes), name_(name) {}
  std::uint64_t next(const char* what) {
    if (pos_ + 8 > bytes_.size())
      throw UsageError(std::string(name_) + ": byte " + std::to_string(pos_) + ": expected " + what +
                       ", got the end of the file (truncated profile?)");
    std::uint64_t w = 0;
    std::memcpy(&w, bytes_.data() + pos_, 8);
    pos_ += 8;
    return w;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw UsageError(std::string(name_) + ": byte " + std::to_string(pos_ - 8) + ": " + what);
  }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view bytes_;
  std::string_view name_;
  std::size_t pos_ = 0;
};

}  // namespace

std::uint64_t GperfProfile::total_samples() const {
  std::uint64_t n = 0;
  for (const auto& s : samples) n += s.count;
  return n;
}

GperfProfile read_gperf_profile(std::string_view bytes, std::string_view name) {
  GperfProfile p;
  Words w(bytes, name);
  if (w.next("the header's first word (0)") != 0) w.fail("expected a gperftools CPU profile (header word 0)");
  if (w.next("the header size (3)") != 3) w.fail("expected header size 3");
  if (w.next("the format version (0)") != 0) w.fail("expected format version 0");
  p.period_us = w.next("the sampling period");
  if (p.period_us == 0) w.fail("expected a sampling period > 0 microseconds");
  w.next("the header padding");
  for (;;) {
    std::uint64_t count = w.next("a sample count or the trailer");
    std::uint64_t depth = w.next("a stack depth");
    if (count == 0 && depth == 1) {
      if (w.next("the trailer's 0") != 0) w.fail("expected the trailer 0, 1, 0");
      break;
    }
    if (depth == 0 || depth > 4096) w.fail("expected a stack depth between 1 and 4096, got " + std::to_string(depth));
    GperfSample s;
    s.count = count;
    s.pcs.reserve(depth);
    for (std::uint64_t i = 0; i < depth; ++i) s.pcs.push_back(w.next("a program counter"));
    p.samples.push_back(std::move(s));
  }
  p.maps = parse_maps(bytes.substr(w.pos()));
  return p;
}

GperfProfile read_gperf_profile_file(const std::filesystem::path& path) {
  std::string bytes = read_file(path);
  return read_gperf_profile(bytes, path.string());
}

}  // namespace kprof
