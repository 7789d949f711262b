#pragma once
// Line-level timers for instrumented builds: C++'s %lprun.
//
//   void nls(...) {
//     KPROF_FUNCTION;                        // once, first statement of the body
//     KPROF_LINE; gemm_tn(W, V, WtV);        // a marker at the start of each timed statement
//     for (int it = 0; it < max_iter; ++it) {
//       KPROF_LINE; grad = WtW * H - WtV;    // loops count one hit per iteration
//     }
//   }
//
// Each marker closes the interval of the previous marker of the same invocation and opens its own,
// so every tick between the function's entry and exit lands on exactly one line; a nested call's
// time is part of the caller's line that made it (and also appears on the callee's own lines). An
// early return or an exception closes the open line (the scope's destructor).
//
// Off means free: unless KPROF_INSTRUMENT is defined to 1 (CMake: KPROF_INSTRUMENT=ON, the
// `kprof-instrumented` flavour, or kprof_instrument(<target>)), both macros expand to nothing.
//
// Hot path: a relaxed load of the site's id. If the site is the line already open (a loop whose
// body has one marked statement re-marks the same line every iteration), closing and reopening it
// at the same instant would change nothing but its hit count, so the mark only counts the hit, in a
// register of the scope, and reads no clock: the attribution stays exact. Otherwise (a transition)
// one clock read (rdtsc, or clock_gettime where the TSC is not invariant) and a few adds into this
// thread's fixed-size table. Each marker site has a static constexpr Location (file, function,
// line) and a constant-initialised Site that gets its id on first use (the only lock). Tables are
// merged after the region (kprof/lines/collector.h). While tracing (kprof/lines/trace.h) each
// transition also appends the closed interval to the thread's bounded buffer; off, that costs one
// load and a branch not taken.
#include <atomic>
#include <cstdint>

namespace kprof::lines {

// What a marker site is: a static constexpr record in the marked binary, never copied.
struct Location {
  const char* file;
  const char* function;
  std::uint32_t line;
  bool is_function;  // the KPROF_FUNCTION record (calls and inclusive time), not a line
  // Inserted by kprof-mark (kprof_line_profile, KPROF_AUTO_*): the source file holds no marker text,
  // and the marker is on its statement's own line.
  bool automatic = false;
};

// A marker site's run-time id into every thread's table (0: not yet registered).
struct Site {
  const Location* location;
  std::atomic<std::uint32_t> id{0};
  constexpr explicit Site(const Location* l) : location(l) {}
};

// What a thread accumulates per site. For a line: ticks spent with the line open, hits, and how
// many marker operations of each kind ran inside those intervals (their costs differ, and each is
// subtracted at merge time).
struct Cell {
  std::uint64_t ticks = 0;
  std::uint64_t hits = 0;
  std::uint64_t marks = 0;    // clock-reading marks inside the intervals (own closing mark included)
  std::uint64_t repeats = 0;  // same-line marks (no clock read) inside the intervals
  std::uint64_t calls = 0;    // instrumented function calls (entry + exit) inside the intervals
};
// Five counters: the same-line fast path needs its own count (its cost is ~1/20 of a clock-reading
// mark's), which took the Cell from 32 to 40 bytes (a thread's table from 128 to 160 KiB).
static_assert(sizeof(Cell) == 40, "five 64-bit counters, no padding");

// One interval of a line, or of a function invocation, in clock ticks (`kprof lines --trace`).
struct TraceEvent {
  std::uint64_t start;
  std::uint64_t end;
  std::uint32_t site;
};

// A thread's interval log while tracing. Its capacity is fixed before the region, so memory stays
// bounded: intervals past it are counted, not kept (the trace then shows the region's start).
struct TraceBuffer {
  TraceEvent* events = nullptr;
  std::uint64_t size = 0;
  std::uint64_t capacity = 0;
  std::uint64_t dropped = 0;
  std::uint32_t thread = 0;  // the thread's ordinal in the trace (1 = first to mark since reset)
  std::int64_t os_tid = 0;

  void record(std::uint32_t site, std::uint64_t start, std::uint64_t end) noexcept {
    if (size < capacity) [[likely]]
      events[size++] = TraceEvent{start, end, site};
    else
      ++dropped;
  }
};

inline constexpr std::uint32_t kMaxSites = 4096;  // per process; id 0 and kOverflowSite are sinks
inline constexpr std::uint32_t kOverflowSite = kMaxSites - 1;

struct ThreadTable {
  std::uint64_t lines = 0;       // clock-reading line marks made by this thread so far
  std::uint64_t repeats = 0;     // same-line marks made by this thread so far (added when their line closes)
  std::uint64_t calls = 0;       // instrumented function entries made by this thread so far
  TraceBuffer* trace = nullptr;  // set while tracing (kprof/lines/trace.h); null otherwise
  Cell cells[kMaxSites];
};

namespace detail {
extern bool clock_is_tsc;  // chosen once, before the first table exists
std::uint64_t clock_gettime_ns() noexcept;
std::uint32_t register_site(Site& site) noexcept;  // takes the registry lock once per site
ThreadTable* create_thread_table() noexcept;
void mark_binary_instrumented() noexcept;

inline thread_local ThreadTable* current_table = nullptr;

inline std::uint64_t read_clock() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  if (clock_is_tsc) [[likely]] {
    std::uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
  }
#endif
  return clock_gettime_ns();
}

inline std::uint32_t site_id(Site& site) noexcept {
  std::uint32_t id = site.id.load(std::memory_order_relaxed);
  if (id == 0) [[unlikely]]
    id = register_site(site);
  return id;
}

inline ThreadTable* thread_table() noexcept {
  ThreadTable* t = current_table;
  if (t == nullptr) [[unlikely]]
    t = create_thread_table();
  return t;
}
}  // namespace detail

// One invocation of a marked function: the line currently open and when it opened.
class FunctionScope {
 public:
  FunctionScope(Site& function, Site& header) noexcept : table_(detail::thread_table()) {
    fn_ = detail::site_id(function);
    ++table_->calls;
    fn_lines_ = table_->lines;
    fn_repeats_ = table_->repeats;
    fn_calls_ = table_->calls;
    open(detail::site_id(header), detail::read_clock());
    entry_ = start_;
  }
  FunctionScope(const FunctionScope&) = delete;
  FunctionScope& operator=(const FunctionScope&) = delete;

  ~FunctionScope() {
    std::uint64_t now = detail::read_clock();
    close(now);
    if (table_->trace != nullptr) [[unlikely]]
      table_->trace->record(fn_, entry_, now);
    Cell& f = table_->cells[fn_];
    f.ticks += now - entry_;
    f.hits += 1;
    f.marks += 1 + (table_->lines - fn_lines_);
    f.repeats += table_->repeats - fn_repeats_;
    f.calls += table_->calls - fn_calls_;
  }

  [[gnu::always_inline]] void mark(Site& site) noexcept {
    // An unregistered site has id 0, which no open line has (open() gets registered ids only).
    std::uint32_t id = site.id.load(std::memory_order_relaxed);
    if (id == open_) {
      ++repeats_;  // same line: only a hit, no clock read; close() adds them to the cell
      return;
    }
    transition(site, id);
  }

 private:
  void transition(Site& site, std::uint32_t id) noexcept {
    std::uint64_t now = detail::read_clock();
    close(now);
    ++table_->lines;
    if (id == 0) [[unlikely]]
      id = detail::register_site(site);
    open(id, now);
  }
  void open(std::uint32_t id, std::uint64_t now) noexcept {
    open_ = id;
    start_ = now;
    open_lines_ = table_->lines;
    open_repeats_ = table_->repeats;
    open_calls_ = table_->calls;
    table_->cells[id].hits += 1;
  }
  void close(std::uint64_t now) noexcept {
    if (table_->trace != nullptr) [[unlikely]]
      table_->trace->record(open_, start_, now);
    Cell& c = table_->cells[open_];
    table_->repeats += repeats_;
    c.ticks += now - start_;
    c.hits += repeats_;
    c.marks += 1 + (table_->lines - open_lines_);
    c.repeats += table_->repeats - open_repeats_;  // this line's own repeats and those of the calls it made
    c.calls += table_->calls - open_calls_;
    repeats_ = 0;
  }

  ThreadTable* table_;
  std::uint32_t fn_ = 0;
  std::uint32_t open_ = 0;
  std::uint64_t repeats_ = 0;  // same-line marks of the open line since it opened
  std::uint64_t entry_ = 0;
  std::uint64_t start_ = 0;
  std::uint64_t fn_lines_ = 0, fn_repeats_ = 0, fn_calls_ = 0;
  std::uint64_t open_lines_ = 0, open_repeats_ = 0, open_calls_ = 0;
};

// True when at least one translation unit of this binary was compiled with markers on (kprof
// lines uses it to decide whether to run here or exec the instrumented flavour next to it).
bool binary_is_instrumented() noexcept;

}  // namespace kprof::lines

#define KPROF_LINES_CONCAT_IMPL(a, b) a##b
#define KPROF_LINES_CONCAT(a, b) KPROF_LINES_CONCAT_IMPL(a, b)

#if defined(KPROF_INSTRUMENT) && KPROF_INSTRUMENT

namespace kprof::lines::detail {
// Any translation unit compiled with markers on marks its binary as instrumented.
inline const bool translation_unit_instrumented = (mark_binary_instrumented(), true);
}  // namespace kprof::lines::detail

// The first statement of a marked function's body. Declares the invocation's scope.
#define KPROF_FUNCTION KPROF_LINES_FUNCTION_IMPL(false)
#define KPROF_LINES_FUNCTION_IMPL(automatic)                                                                   \
  static constexpr ::kprof::lines::Location kprof_lines_function_location_{__FILE__, __func__, __LINE__, true, \
                                                                           automatic};                         \
  static constexpr ::kprof::lines::Location kprof_lines_header_location_{__FILE__, __func__, __LINE__, false,  \
                                                                         automatic};                           \
  static constinit ::kprof::lines::Site kprof_lines_function_site_{&kprof_lines_function_location_};           \
  static constinit ::kprof::lines::Site kprof_lines_header_site_{&kprof_lines_header_location_};               \
  ::kprof::lines::FunctionScope kprof_lines_scope_ { kprof_lines_function_site_, kprof_lines_header_site_ }

#define KPROF_LINES_MARK_IMPL(name, automatic)                                                                       \
  static constexpr ::kprof::lines::Location KPROF_LINES_CONCAT(name, _location){__FILE__, __func__, __LINE__, false, \
                                                                                automatic};                          \
  static constinit ::kprof::lines::Site KPROF_LINES_CONCAT(name, _site){&KPROF_LINES_CONCAT(name, _location)};       \
  kprof_lines_scope_.mark(KPROF_LINES_CONCAT(name, _site))

// A statement of its own at block scope, inside a function that starts with KPROF_FUNCTION.
#define KPROF_LINE KPROF_LINES_MARK_IMPL(KPROF_LINES_CONCAT(kprof_lines_mark_, __COUNTER__), false)

// What kprof-mark inserts (docs/LINES.md, "Without markers"): the same markers, flagged automatic.
#define KPROF_AUTO_FUNCTION KPROF_LINES_FUNCTION_IMPL(true)
#define KPROF_AUTO_LINE KPROF_LINES_MARK_IMPL(KPROF_LINES_CONCAT(kprof_lines_mark_, __COUNTER__), true)

#else

#define KPROF_FUNCTION
#define KPROF_LINE
#define KPROF_AUTO_FUNCTION
#define KPROF_AUTO_LINE

#endif
