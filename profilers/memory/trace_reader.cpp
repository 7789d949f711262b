#include "trace_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "kprof/errors.h"

namespace kprof::memory {
namespace {

template <class T>
T get(const unsigned char*& p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  p += sizeof value;
  return value;
}

}  // namespace

TraceFile::TraceFile(const std::filesystem::path& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError("cannot open memory trace " + path.string() + ": " + std::strerror(errno));
  struct stat st {};
  fstat(fd, &st);
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (size_ < sizeof(TraceHeader)) {
    ::close(fd);
    throw UsageError("memory trace " + path.string() + " is empty or cut short (" + std::to_string(size_) + " bytes)");
  }
  void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) throw UsageError("cannot map memory trace " + path.string() + ": " + std::strerror(errno));
  data_ = static_cast<const unsigned char*>(p);
  std::memcpy(&header_, data_, sizeof header_);
  if (std::memcmp(header_.magic, kTraceMagic, sizeof kTraceMagic) != 0)
    throw UsageError(path.string() + " is not a kprof memory trace (bad magic)");
  if (header_.version < 1 || header_.version > kTraceVersion)
    throw UsageError(path.string() + " is a kprof memory trace of version " + std::to_string(header_.version) +
                     "; this kprof reads versions 1 to " + std::to_string(kTraceVersion));
  if (header_.window_bytes == 0) throw UsageError(path.string() + ": corrupt header (window size 0)");
}

TraceFile::~TraceFile() {
  if (data_) munmap(const_cast<unsigned char*>(data_), size_);
}

// One case per record type, all in one switch (longer than ~60 lines on purpose): each record's
// layout can be checked against trace_format.h in one place, and the bounds checks next to it
// are what the fuzzer (tests/fuzz) exercises.
bool TraceFile::visit(TraceVisitor& visitor) const {
  const std::uint64_t window = header_.window_bytes;
  std::uint64_t pos = sizeof(TraceHeader);
  std::uint32_t epoch = 0;
  // The entry point indexes per-entry tables (kEntryNames, the call counts): checked here.
  auto entry_at = [this](const unsigned char*& p, std::uint64_t record) {
    auto e = get<std::uint8_t>(p);
    if (e >= static_cast<std::uint8_t>(Entry::count_))
      throw UsageError(path_.string() + ": corrupt memory trace (unknown entry point " + std::to_string(e) +
                       " at byte " + std::to_string(record) + ")");
    return static_cast<Entry>(e);
  };
  auto need = [&](std::uint64_t n) { return pos + n <= size_ && (pos / window) == ((pos + n - 1) / window); };
  bool last_was_exec = false;  // an exec that succeeded is the image's last record
  while (pos < size_) {
    const unsigned char* p = data_ + pos;
    std::uint8_t tag = *p++;
    if (tag != kEnd && tag != kSkip) last_was_exec = tag == kExec;
    switch (tag) {
      case kEnd:
        return last_was_exec;  // else a zero-filled tail: the tracer never closed the file
      case kSkip:
        pos = (pos / window + 1) * window;
        continue;
      case kStack: {
        if (!need(7)) return false;
        auto id = get<std::uint32_t>(p);
        auto depth = get<std::uint16_t>(p);
        if (!need(7 + 8ull * depth)) return false;
        visitor.on_stack(id, reinterpret_cast<const std::uint64_t*>(p), depth, epoch);
        pos += 7 + 8ull * depth;
        continue;
      }
      case kAlloc: {
        if (!need(22)) return false;
        auto entry = entry_at(p, pos);
        auto ptr = get<std::uint64_t>(p);
        auto size = get<std::uint64_t>(p);
        auto stack = get<std::uint32_t>(p);
        visitor.on_alloc(pos, entry, ptr, size, stack);
        pos += 22;
        continue;
      }
      case kFree: {
        if (!need(10)) return false;
        auto entry = entry_at(p, pos);
        auto ptr = get<std::uint64_t>(p);
        visitor.on_free(pos, entry, ptr);
        pos += 10;
        continue;
      }
      case kEpoch: {
        if (!need(5)) return false;
        epoch = get<std::uint32_t>(p);
        pos += 5;
        continue;
      }
      case kModule: {
        if (!need(15)) return false;
        TraceModule m;
        auto module_epoch = get<std::uint32_t>(p);
        m.base = get<std::uint64_t>(p);
        auto len = get<std::uint16_t>(p);
        if (!need(15ull + len)) return false;
        m.path.assign(reinterpret_cast<const char*>(p), len);
        visitor.on_module(module_epoch, m);
        pos += 15ull + len;
        continue;
      }
      case kExec: {
        if (!need(3)) return false;
        auto len = get<std::uint16_t>(p);
        if (!need(3ull + len)) return false;
        visitor.on_exec(std::string(reinterpret_cast<const char*>(p), len));
        pos += 3ull + len;
        continue;
      }
      default:
        throw UsageError(path_.string() + ": corrupt memory trace (unknown record tag " + std::to_string(tag) +
                         " at byte " + std::to_string(pos) + ")");
    }
  }
  return true;
}

}  // namespace kprof::memory
