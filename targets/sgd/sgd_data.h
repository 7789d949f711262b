#pragma once
// The sgd family's data: a generated CSV of labelled rows (the seed's make_classification and
// to_csv), and a streaming reader that parses it in chunks (pd.read_csv(chunksize=...)).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace kprof::targets {

// Locates the CSV for `rows` x `features`, writing it first if it does not exist yet or is not
// whole: its size and checksum, kept in `<csv>.sum`, must match (a truncated or edited cache, or
// one without its .sum, is made again). Written atomically, so a killed run never leaves half a
// file. Folder: $KPROF_DATA_DIR or /tmp/kprof-data.
std::filesystem::path sgd_csv(std::int64_t rows, std::int64_t features);

// Reads rows "x0,...,x{d-1},y" after one header line. Parsing is the same for every variant, so
// the variants differ only in how much they hold in memory and in their gradient step.
class CsvReader {
 public:
  CsvReader(const std::filesystem::path& path, std::int64_t features);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Appends up to `max_rows` rows to x (row-major) and y; returns the number read (0 at the end).
  template <class T>
  std::int64_t read(std::int64_t max_rows, std::vector<T>& x, std::vector<T>& y);

 private:
  bool next_line(const char*& begin, const char*& end);
  std::filesystem::path path_;
  std::int64_t features_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::int64_t line_ = 1;
};

}  // namespace kprof::targets
