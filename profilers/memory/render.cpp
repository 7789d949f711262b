// Renderings of a MemoryReport: terminal and Markdown tables (top call sites, the %mprun-like
// per-line view, the peak and its stack), the entry of the Run's memory section, and a massif
// file that ms_print and massif-visualizer open.
#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "kprof/memory.h"
#include "kprof/reports/tables.h"

namespace kprof {
namespace {

std::string shorten(const std::string& s, std::size_t max) {
  return s.size() <= max ? s : s.substr(0, max - 3) + "...";
}

// The text of one source line, when the file is readable (the %mprun "Line Contents" column).
std::string source_line(const std::string& file, int line) {
  static std::map<std::string, std::vector<std::string>> cache;
  if (file.empty() || line <= 0) return "";
  auto it = cache.find(file);
  if (it == cache.end()) {
    std::vector<std::string> lines;
    std::ifstream in(file);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    it = cache.emplace(file, std::move(lines)).first;
  }
  if (static_cast<std::size_t>(line) > it->second.size()) return "";
  std::string text = it->second[line - 1];
  auto start = text.find_first_not_of(" \t");
  return start == std::string::npos ? "" : text.substr(start);
}

Table summary_table(const MemoryReport& r) {
  Table t{{"metric", "total", "per call"}, {true}, {}};
  double n = static_cast<double>(std::max<std::int64_t>(r.iterations, 1));
  auto row = [&](const std::string& name, std::uint64_t v, bool bytes, bool per_call) {
    t.rows.push_back({name, bytes ? format_bytes(static_cast<double>(v)) : std::to_string(v),
                      per_call ? (bytes ? format_bytes(v / n) : format_fixed(v / n, 1)) : ""});
  };
  row("peak above start", r.peak_bytes, true, false);
  row("bytes allocated", r.bytes_allocated, true, true);
  row("allocations", r.allocations, false, true);
  row("temporary allocations", r.temporary_allocations, false, true);
  const bool exec = !r.ended_by_exec.empty();
  row(exec ? "live at exec" : "leaked at end", r.leaked_bytes, true, false);
  row(exec ? "live allocations at exec" : "leaked allocations", r.leaked_allocations, false, false);
  return t;
}

Table sites_table(const MemoryReport& r) {
  Table t{{"bytes", "count", "at peak", "leaked", "temporary", "function", "location"}, {}, {}};
  t.left_aligned = {false, false, false, false, false, true, true};
  for (const auto& s : r.sites)
    t.rows.push_back({format_bytes(static_cast<double>(s.bytes)), std::to_string(s.count),
                      format_bytes(static_cast<double>(s.peak_bytes)),
                      format_bytes(static_cast<double>(s.leaked_bytes)), std::to_string(s.temporary),
                      shorten(s.frame.function, 60), frame_location(s.frame)});
  return t;
}

// %mprun: per source line, in file and line order, with the line's text.
Table lines_table(const MemoryReport& r) {
  Table t{{"line", "allocated", "count", "at peak", "increment", "line contents"}, {true}, {}};
  t.left_aligned = {true, false, false, false, false, true};
  std::vector<const MemorySite*> sites;
  for (const auto& s : r.sites)
    if (!s.frame.file.empty()) sites.push_back(&s);
  std::sort(sites.begin(), sites.end(), [](auto* a, auto* b) {
    return std::tie(a->frame.file, a->frame.line) < std::tie(b->frame.file, b->frame.line);
  });
  for (const MemorySite* s : sites)
    t.rows.push_back({frame_location(s->frame), format_bytes(static_cast<double>(s->bytes)), std::to_string(s->count),
                      format_bytes(static_cast<double>(s->peak_bytes)),
                      format_bytes(static_cast<double>(s->leaked_bytes)),
                      shorten(source_line(s->frame.file, s->frame.line), 70)});
  return t;
}

Table peak_stack_table(const MemoryReport& r) {
  Table t{{"#", "function", "location"}, {false, true, true}, {}};
  if (r.peak_stacks.empty()) return t;
  int i = 0;
  for (const auto& f : r.peak_stacks.front().frames) {
    t.rows.push_back({std::to_string(i++), shorten(f.function, 70), frame_location(f)});
    if (i == 20) break;
  }
  return t;
}

std::string render(const MemoryReport& r, bool markdown) {
  auto table = [&](const Table& t) { return markdown ? t.markdown() : t.text(); };
  std::ostringstream out;
  std::string h = markdown ? "### " : "";
  out << h << "Memory: " << r.name << " (" << r.iterations << (r.iterations == 1 ? " call" : " calls") << ")\n\n";
  if (r.truncated)
    out << "note: the trace ended early (the program crashed or the disk filled): figures cover what was recorded\n\n";
  if (!r.ended_by_exec.empty())
    out << "note: this image ended by exec'ing " << r.ended_by_exec
        << ": its records end there, the exec released what it still held (live at exec), and the new image is "
           "reported next\n\n";
  out << table(summary_table(r)) << "\n";
  if (!r.sites.empty()) {
    out << h << "Top call sites\n\n" << table(sites_table(r)) << "\n";
    out << h << "Per source line (increment: still allocated at the end)\n\n" << table(lines_table(r)) << "\n";
  }
  if (!r.peak_stacks.empty()) {
    out << h << "Peak: " << format_bytes(static_cast<double>(r.peak_bytes)) << "; largest holder "
        << format_bytes(static_cast<double>(r.peak_stacks.front().bytes)) << " in " << r.peak_stacks.front().count
        << " block(s), allocated from\n\n"
        << table(peak_stack_table(r)) << "\n";
  }
  return out.str();
}

}  // namespace

std::string render_memory_text(const MemoryReport& r) { return render(r, false); }
std::string render_memory_markdown(const MemoryReport& r) { return render(r, true); }

MemoryEntry memory_entry(const MemoryReport& r, Subject subject) {
  double n = static_cast<double>(std::max<std::int64_t>(r.iterations, 1));
  MemoryEntry e;
  e.subject = std::move(subject);
  e.iterations = r.iterations;
  e.peak_bytes = r.peak_bytes;
  e.bytes_allocated = r.bytes_allocated;
  e.allocations = r.allocations;
  e.frees = r.frees;
  e.foreign_frees = r.foreign_frees;
  e.temporary_allocations = r.temporary_allocations;
  e.leaked_bytes = r.leaked_bytes;
  e.leaked_allocations = r.leaked_allocations;
  e.truncated = r.truncated;
  e.ended_by_exec = r.ended_by_exec;
  e.per_call = {r.bytes_allocated / n, r.allocations / n, r.temporary_allocations / n};
  e.calls = r.calls;
  for (const auto& s : r.sites)
    e.top_sites.push_back({s.frame, s.bytes, s.count, s.peak_bytes, s.leaked_bytes, s.temporary});
  if (!r.peak_stacks.empty())
    for (const auto& f : r.peak_stacks.front().frames) e.peak_stack.push_back(f);
  for (const auto& p : r.timeline) e.timeline.emplace_back(p.time_bytes, p.heap_bytes);
  return e;
}

// massif's file format (valgrind's massif/ms_main.c, read by ms_print): snapshots of the heap in
// time unit "B"; the peak snapshot carries the allocation tree, innermost call first.
std::string render_massif(const MemoryReport& r, const std::string& command) {
  struct Node {
    std::uint64_t bytes = 0;
    std::map<std::string, Node> children;
  };
  Node root;
  for (const auto& s : r.peak_stacks) {
    root.bytes += s.bytes;
    Node* node = &root;
    for (const auto& f : s.frames) {
      std::ostringstream label;
      label << "0x" << std::hex << f.address << std::dec << ": " << f.function;
      if (!f.file.empty())
        label << " (" << f.file << ":" << f.line << ")";
      else if (!f.module.empty())
        label << " (in " << f.module << ")";
      node = &node->children[label.str()];
      node->bytes += s.bytes;
    }
  }
  // Blocks beyond the 50 largest stacks still count in the heap total.
  std::uint64_t rest = r.peak_bytes > root.bytes ? r.peak_bytes - root.bytes : 0;

  std::ostringstream out;
  out << "desc: kprof mem (heap-admin=0)\n";
  out << "cmd: " << (command.empty() ? r.name : command) << "\n";
  out << "time_unit: B\n";
  std::function<void(const Node&, const std::string&, int)> tree = [&](const Node& n, const std::string& label,
                                                                       int depth) {
    std::vector<std::pair<const std::string*, const Node*>> kids;
    for (const auto& [k, c] : n.children) kids.emplace_back(&k, &c);
    std::stable_sort(kids.begin(), kids.end(), [](auto& a, auto& b) { return a.second->bytes > b.second->bytes; });
    out << std::string(depth, ' ') << "n" << kids.size() << ": " << n.bytes << " " << label << "\n";
    for (const auto& [k, c] : kids) tree(*c, *k, depth + 1);
  };
  std::size_t peak_index = 0;
  for (std::size_t i = 0; i < r.timeline.size(); ++i)
    if (r.timeline[i].heap_bytes == r.peak_bytes) {
      peak_index = i;
      break;
    }
  for (std::size_t i = 0; i < r.timeline.size(); ++i) {
    out << "#-----------\nsnapshot=" << i << "\n#-----------\n";
    out << "time=" << r.timeline[i].time_bytes << "\n";
    out << "mem_heap_B=" << r.timeline[i].heap_bytes << "\n";
    out << "mem_heap_extra_B=0\nmem_stacks_B=0\n";
    if (i == peak_index && r.peak_bytes > 0) {
      out << "heap_tree=peak\n";
      Node top = root;
      top.bytes = r.peak_bytes;
      if (rest) top.children["0x0: in blocks of smaller call stacks"].bytes = rest;
      tree(top, "(heap allocation functions) malloc/new/new[], --alloc-fns, etc.", 0);
    } else {
      out << "heap_tree=empty\n";
    }
  }
  return out.str();
}

}  // namespace kprof
