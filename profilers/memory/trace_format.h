#pragma once
// The binary trace the memory hooks write and the analysis reads (heaptrack's split: track, then
// interpret). Records are appended, in the order the hooks saw the events, into a file mapped in
// fixed-size windows; a crash leaves every record written so far in the page cache, so the
// analysis still reads a crashed program's trace. Little-endian, packed, versioned.
//
//   header   TraceHeader (64 bytes)
//   records  one tag byte, then the payload of that tag:
//     kStack   u32 id, u16 depth, u64 ip[depth]        first time a deduplicated stack is seen
//     kAlloc   u8 entry point, u64 ptr, u64 size, u32 stack id
//     kFree    u8 entry point, u64 ptr                 recorded BEFORE the real free runs
//     kModule  u32 epoch, u64 base, u16 path length, path bytes   one loaded ELF object
//     kEpoch   u32 epoch                              a module snapshot starts (dlopen, dlclose, start)
//     kSkip    (no payload) the rest of this window is unused; continue at the next window
//     kExec    u16 path length, path bytes       the program is about to exec that file (version 2):
//                                                as the last record, the exec replaced this image
//     kEnd     0: nothing more was written (zero-filled tail of the file)
#include <cstdint>

namespace kprof::memory {

inline constexpr char kTraceMagic[8] = {'K', 'P', 'M', 'E', 'M', 'T', 'R', 'C'};
inline constexpr std::uint32_t kTraceVersion = 2;  // 2 added kExec; 1 is still read
inline constexpr std::uint64_t kWindowBytes = 8u << 20;  // records never straddle a window
inline constexpr int kMaxFrames = 64;

enum Tag : std::uint8_t {
  kEnd = 0,
  kStack = 'S',
  kAlloc = 'A',
  kFree = 'F',
  kModule = 'M',
  kEpoch = 'E',
  kSkip = 'W',
  kExec = 'X',
};

// Which function the program called. Counted per entry point so a test can check each one.
enum class Entry : std::uint8_t {
  malloc,
  calloc,
  realloc,
  free,
  aligned_alloc,
  posix_memalign,
  memalign,
  valloc,
  pvalloc,
  op_new,
  op_new_array,
  op_delete,
  op_delete_array,
  count_
};
inline constexpr const char* kEntryNames[] = {
    "malloc", "calloc",  "realloc",      "free",           "aligned_alloc",   "posix_memalign",   "memalign",
    "valloc", "pvalloc", "operator new", "operator new[]", "operator delete", "operator delete[]"};
static_assert(sizeof(kEntryNames) / sizeof(kEntryNames[0]) == static_cast<int>(Entry::count_));

struct TraceHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t pid;
  std::uint64_t window_bytes;
  std::uint8_t whole_program;  // 1: LD_PRELOAD trace of a whole program; 0: one region
  std::uint8_t reserved[39];
};
static_assert(sizeof(TraceHeader) == 64);

}  // namespace kprof::memory
