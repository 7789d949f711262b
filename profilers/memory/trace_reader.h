#pragma once
// Reads a trace written by the hooks (trace_format.h) record by record. Analysis only: the file
// is mapped read-only and visited in order; a crashed program's zero-filled tail ends the visit.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "trace_format.h"

namespace kprof::memory {

struct TraceModule {
  std::uint64_t base = 0;  // load bias (dl_iterate_phdr's dlpi_addr)
  std::string path;
};

class TraceVisitor {
 public:
  virtual ~TraceVisitor() = default;
  // `offset` identifies the record, so a second pass can stop at a record found by the first.
  virtual void on_stack(std::uint32_t id, const std::uint64_t* ips, int depth, std::uint32_t epoch) {}
  virtual void on_alloc(std::uint64_t offset, Entry entry, std::uint64_t ptr, std::uint64_t size, std::uint32_t stack) {
  }
  virtual void on_free(std::uint64_t offset, Entry entry, std::uint64_t ptr) {}
  virtual void on_module(std::uint32_t epoch, const TraceModule& module) {}
  // The program called exec with `path`; records after it mean the exec failed and it went on.
  virtual void on_exec(const std::string& path) {}
};

class TraceFile {
 public:
  // Throws UsageError naming the file when it is missing, not a kprof trace, or of another version.
  explicit TraceFile(const std::filesystem::path& path);
  ~TraceFile();
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  const TraceHeader& header() const { return header_; }
  // Visits every record; returns false when the trace ended early (a record cut short, or a
  // zero-filled tail: the program died before the tracer closed the file). A trace whose last
  // record is an exec is whole: the exec ended the image.
  bool visit(TraceVisitor& visitor) const;

 private:
  std::filesystem::path path_;
  const unsigned char* data_ = nullptr;
  std::uint64_t size_ = 0;
  TraceHeader header_{};
};

}  // namespace kprof::memory
