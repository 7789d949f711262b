#include "analysis.h"

#include <algorithm>
#include <unordered_map>

#include "symbolize.h"
#include "trace_reader.h"

namespace kprof::memory {
namespace {

struct Block {
  std::uint64_t size;
  std::uint32_t stack;
};

// Live blocks by address: open addressing with linear probing and backward-shift deletion. The
// analysis does one insert and one erase per allocation, millions of times: std::unordered_map's
// node allocations made it several times slower than the program being traced.
class LiveBlocks {
 public:
  LiveBlocks() { rehash(1 << 16); }
  std::size_t size() const { return size_; }
  void insert(std::uint64_t ptr, Block b) {
    if ((size_ + 1) * 4 > keys_.size() * 3) rehash(keys_.size() * 2);
    std::size_t i = slot(ptr);
    while (keys_[i] != kEmpty && keys_[i] != ptr) i = (i + 1) & mask_;
    if (keys_[i] == kEmpty) ++size_;
    keys_[i] = ptr;
    values_[i] = b;
  }
  // Removes `ptr`; returns false when it was not live.
  bool erase(std::uint64_t ptr, Block* out) {
    std::size_t i = slot(ptr);
    while (keys_[i] != ptr) {
      if (keys_[i] == kEmpty) return false;
      i = (i + 1) & mask_;
    }
    *out = values_[i];
    --size_;
    // Backward shift: move later entries of the probe run into the hole.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; keys_[j] != kEmpty; j = (j + 1) & mask_) {
      std::size_t home = slot(keys_[j]);
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        keys_[hole] = keys_[j];
        values_[hole] = values_[j];
        hole = j;
      }
    }
    keys_[hole] = kEmpty;
    return true;
  }
  template <class F>
  void for_each(F f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] != kEmpty) f(keys_[i], values_[i]);
  }

 private:
  static constexpr std::uint64_t kEmpty = 0;  // malloc never returns address 0 for a live block
  std::size_t slot(std::uint64_t p) const {
    return static_cast<std::size_t>((p * 0x9E3779B97F4A7C15ull) >> 20) & mask_;
  }
  void rehash(std::size_t capacity) {
    std::vector<std::uint64_t> keys(capacity, kEmpty);
    std::vector<Block> values(capacity);
    keys.swap(keys_);
    values.swap(values_);
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != kEmpty) insert(keys[i], values[i]);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<Block> values_;
  std::size_t mask_ = 0, size_ = 0;
};

struct StackStats {
  std::vector<std::uint64_t> ips;
  std::uint32_t epoch = 0;
  std::uint64_t bytes = 0, count = 0, temporary = 0, leaked = 0, at_peak = 0, at_peak_count = 0;
};

// Pass 1: totals, per-stack figures, and the record at which the heap was highest.
class Totals : public TraceVisitor {
 public:
  std::vector<StackStats> stacks{1};  // by stack id (dense from 1; 0: a stack that could not be stored)
  LiveBlocks live;
  // An id without a stack record (lost, or a corrupt trace) counts as stack 0. Only stack records
  // grow `stacks`, and no further than the tracer's dense ids can reach: a corrupt id must not size
  // a vector of billions (a trace of a few bytes asked for gigabytes).
  std::uint32_t known(std::uint32_t id) const { return id < stacks.size() ? id : 0; }
  StackStats& stack(std::uint32_t id) { return stacks[known(id)]; }
  std::uint64_t stack_records = 0;
  std::vector<std::pair<std::uint32_t, TraceModule>> modules;
  std::uint64_t heap = 0, peak = 0, peak_offset = 0, time = 0;
  std::uint64_t allocations = 0, bytes = 0, frees = 0, foreign_frees = 0, temporary = 0;
  std::uint64_t calls[static_cast<int>(Entry::count_)] = {};
  std::uint64_t last_alloc_ptr = 0;
  bool last_alloc_valid = false;

  void on_stack(std::uint32_t id, const std::uint64_t* ips, int depth, std::uint32_t epoch) override {
    // Ids are dense from 1; a few may lack their record (the tracer could not write it). An id
    // beyond twice the records so far cannot come from the tracer: its record is ignored.
    ++stack_records;
    if (id == 0 || id > 2 * stack_records + 1024) return;
    if (id >= stacks.size()) stacks.resize(id + 1);
    auto& s = stacks[id];
    s.ips.assign(ips, ips + depth);
    s.epoch = epoch;
  }
  std::string exec_path;  // the last exec the program called; cleared by any record after it (it failed)

  void on_exec(const std::string& path) override { exec_path = path; }
  void on_module(std::uint32_t epoch, const TraceModule& m) override {
    modules.emplace_back(epoch, m);
    exec_path.clear();
  }
  void on_alloc(std::uint64_t offset, Entry entry, std::uint64_t ptr, std::uint64_t size,
                std::uint32_t stack) override {
    exec_path.clear();
    ++calls[static_cast<int>(entry)];
    ++allocations;
    bytes += size;
    time += size;
    stack = known(stack);
    auto& s = stacks[stack];
    s.bytes += size;
    ++s.count;
    live.insert(ptr, Block{size, stack});
    heap += size;
    if (heap > peak) {
      peak = heap;
      peak_offset = offset;
    }
    last_alloc_ptr = ptr;
    last_alloc_valid = true;
  }
  void on_free(std::uint64_t, Entry entry, std::uint64_t ptr) override {
    exec_path.clear();
    // realloc's own free half is not a call of its own: it was counted with the allocation.
    if (entry != Entry::realloc) ++calls[static_cast<int>(entry)];
    Block b;
    if (!live.erase(ptr, &b)) {
      ++foreign_frees;
      return;
    }
    ++frees;
    time += b.size;
    heap -= b.size;
    if (last_alloc_valid && last_alloc_ptr == ptr) {
      ++temporary;
      ++stacks[b.stack].temporary;
    }
    last_alloc_valid = false;
  }
};

// Pass 2: the live set at the peak record, and the heap size at evenly spaced times.
class Replay : public TraceVisitor {
 public:
  Replay(std::uint64_t peak_offset, std::uint64_t total_time, std::size_t points)
      : peak_offset_(peak_offset), step_(std::max<std::uint64_t>(1, total_time / std::max<std::size_t>(points, 1))) {}
  LiveBlocks live;
  std::vector<Block> live_at_peak;
  std::vector<MemoryTimelinePoint> timeline{{0, 0}};
  std::uint64_t heap = 0, time = 0, next_sample = 0;
  bool peak_seen = false;

  void on_alloc(std::uint64_t offset, Entry, std::uint64_t ptr, std::uint64_t size, std::uint32_t stack) override {
    live.insert(ptr, Block{size, stack});
    heap += size;
    time += size;
    if (offset == peak_offset_) {
      live.for_each([&](std::uint64_t, const Block& b) { live_at_peak.push_back(b); });
      peak_seen = true;
      timeline.push_back({time, heap});  // the peak is always a point of the timeline
    }
    sample();
  }
  void on_free(std::uint64_t, Entry, std::uint64_t ptr) override {
    Block b;
    if (!live.erase(ptr, &b)) return;
    heap -= b.size;
    time += b.size;
    sample();
  }

 private:
  void sample() {
    if (time < next_sample) return;
    if (timeline.back().time_bytes != time) timeline.push_back({time, heap});
    next_sample = time + step_;
  }
  std::uint64_t peak_offset_, step_;
};

struct SiteKey {
  std::string function, file, module;
  int line;
  bool operator<(const SiteKey& o) const {
    return std::tie(file, line, function, module) < std::tie(o.file, o.line, o.function, o.module);
  }
};

// Every frame of a stack, innermost first. The tracer records return addresses only (its own
// frames are the innermost, and they are runtime frames).
template <class Visit>
void for_each_frame(Symbolizer& sym, const StackStats& s, Visit visit) {
  for (std::uint64_t ip : s.ips)
    for (const Frame& f : sym.frames(ip, AddressKind::return_address, s.epoch))
      if (!visit(f)) return;
}

// The call site of a stack: its first frame outside the runtime (or the allocating call itself).
Frame call_site(Symbolizer& sym, const StackStats& s) {
  const Frame* first = nullptr;
  const Frame* own = nullptr;
  for_each_frame(sym, s, [&](const Frame& f) {
    if (!first) first = &f;
    if (is_runtime_frame(f)) return true;
    own = &f;
    return false;
  });
  if (own) return *own;
  if (first) return *first;
  Frame lost;  // an allocation whose stack the tracer could not store
  lost.function = "[stack not recorded]";
  return lost;
}

std::vector<Frame> full_stack(Symbolizer& sym, const StackStats& s) {
  std::vector<Frame> out;
  for_each_frame(sym, s, [&](const Frame& f) {
    out.push_back(f);
    return true;
  });
  return out;
}

// The trace's totals, with what was leaked and what was live at the peak charged to its stack.
void add_totals(Totals& totals, const Replay& replay, MemoryReport& r) {
  r.peak_bytes = totals.peak;
  r.bytes_allocated = totals.bytes;
  r.allocations = totals.allocations;
  r.frees = totals.frees;
  r.foreign_frees = totals.foreign_frees;
  r.temporary_allocations = totals.temporary;
  r.leaked_allocations = totals.live.size();
  totals.live.for_each([&](std::uint64_t, const Block& block) {
    r.leaked_bytes += block.size;
    totals.stack(block.stack).leaked += block.size;
  });
  for (const Block& block : replay.live_at_peak) {
    totals.stack(block.stack).at_peak += block.size;
    ++totals.stack(block.stack).at_peak_count;
  }
  for (int e = 0; e < static_cast<int>(Entry::count_); ++e)
    if (totals.calls[e]) r.calls[kEntryNames[e]] = totals.calls[e];
}

// Stacks that allocated, merged by call site: the largest by bytes, and those live at the peak.
void add_sites(const Totals& totals, Symbolizer& sym, std::size_t max_sites, MemoryReport& r) {
  std::map<SiteKey, MemorySite> sites;
  for (const StackStats& s : totals.stacks) {
    if (s.count == 0) continue;
    Frame f = call_site(sym, s);
    MemorySite& site = sites[SiteKey{f.function, f.file, f.module, f.line}];
    site.frame = f;
    site.bytes += s.bytes;
    site.count += s.count;
    site.peak_bytes += s.at_peak;
    site.leaked_bytes += s.leaked;
    site.temporary += s.temporary;
  }
  for (auto& [key, site] : sites) r.sites.push_back(site);
  std::stable_sort(r.sites.begin(), r.sites.end(), [](const MemorySite& a, const MemorySite& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.count > b.count;
  });
  for (const auto& s : r.sites)
    if (s.peak_bytes) r.peak_sites.push_back(s);
  std::stable_sort(r.peak_sites.begin(), r.peak_sites.end(),
                   [](const MemorySite& a, const MemorySite& b) { return a.peak_bytes > b.peak_bytes; });
  if (r.sites.size() > max_sites) r.sites.resize(max_sites);
  if (r.peak_sites.size() > max_sites) r.peak_sites.resize(max_sites);
}

// Full stacks of what was live at the peak (the massif tree and "the peak and its stack").
void add_peak_stacks(const Totals& totals, Symbolizer& sym, MemoryReport& r) {
  std::vector<const StackStats*> holders;
  for (const StackStats& s : totals.stacks)
    if (s.at_peak) holders.push_back(&s);
  std::sort(holders.begin(), holders.end(), [](auto* a, auto* b) { return a->at_peak > b->at_peak; });
  for (const StackStats* s : holders) {
    if (r.peak_stacks.size() == 50) break;
    r.peak_stacks.push_back(MemoryStack{full_stack(sym, *s), s->at_peak, s->at_peak_count});
  }
}

// What every allocating stack allocated, for the allocation flame graph; the largest 2000 (a
// program's long tail of stacks stays out of the page and the file, and says so).
void add_allocation_stacks(const Totals& totals, Symbolizer& sym, MemoryReport& r) {
  constexpr std::size_t kMaxStacks = 2000;
  std::vector<const StackStats*> allocating;
  for (const StackStats& s : totals.stacks)
    if (s.count) allocating.push_back(&s);
  std::sort(allocating.begin(), allocating.end(), [](auto* a, auto* b) { return a->bytes > b->bytes; });
  if (allocating.size() > kMaxStacks) r.allocation_stacks_left_out = allocating.size() - kMaxStacks;
  for (std::size_t i = 0; i < allocating.size() && i < kMaxStacks; ++i) {
    std::vector<Frame> frames = allocating[i]->ips.empty() ? std::vector<Frame>{call_site(sym, *allocating[i])}
                                                           : from_call_site(full_stack(sym, *allocating[i]));
    if (frames.empty()) frames.push_back(call_site(sym, *allocating[i]));
    r.allocation_stacks.push_back(MemoryStack{std::move(frames), allocating[i]->bytes, allocating[i]->count});
  }
}

}  // namespace

MemoryReport analyze_trace(const std::filesystem::path& path, const AnalysisOptions& options) {
  TraceFile trace(path);
  Totals totals;
  bool complete = trace.visit(totals);
  Replay replay(totals.peak_offset, totals.time, options.timeline_points);
  trace.visit(replay);
  if (replay.timeline.back().time_bytes != replay.time) replay.timeline.push_back({replay.time, replay.heap});

  MemoryReport r;
  r.name = options.name;
  r.iterations = options.iterations;
  r.truncated = !complete;
  r.ended_by_exec = totals.exec_path;
  add_totals(totals, replay, r);
  r.timeline = std::move(replay.timeline);

  Symbolizer sym;
  for (const auto& [epoch, module] : totals.modules) sym.add_module({module.path, module.base}, epoch);
  add_sites(totals, sym, options.max_sites, r);
  add_peak_stacks(totals, sym, r);
  add_allocation_stacks(totals, sym, r);
  return r;
}

}  // namespace kprof::memory
