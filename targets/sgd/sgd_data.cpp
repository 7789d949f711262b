#include "sgd_data.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <span>

#include "kprof/atomic_file.h"
#include "kprof/errors.h"
#include "kprof/kernel.h"

namespace kprof::targets {

namespace {

// FNV-1a over the file's bytes, with its size: enough to tell a whole cache from a truncated,
// half-written or edited one (not a defence against tampering).
std::string fingerprint(const std::string& contents) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : contents) hash = (hash ^ c) * 1099511628211ull;
  return std::to_string(contents.size()) + " " + std::to_string(hash) + "\n";
}

// The cache is trusted only when its fingerprint, written next to it when it was made, matches.
bool cache_is_whole(const std::filesystem::path& csv, const std::filesystem::path& sum) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(csv, ec) || !std::filesystem::is_regular_file(sum, ec)) return false;
  try {
    return read_file(sum) == fingerprint(read_file(csv));
  } catch (const UsageError&) {
    return false;
  }
}

std::string generate_csv(std::int64_t rows, std::int64_t features) {
  // A linearly separable-ish problem with label noise: y = [w_true·x + 0.3·noise > 0].
  std::vector<double> w_true(features);
  fill_uniform(std::span<double>(w_true), 4242);
  std::string csv;
  csv.reserve(static_cast<std::size_t>(rows) * (features * 10 + 3) + 64);
  for (std::int64_t j = 0; j < features; ++j) csv += "x" + std::to_string(j) + ",";
  csv += "y\n";
  const std::int64_t block = 4096;
  std::vector<double> x(block * (features + 1));
  char number[32];
  for (std::int64_t start = 0; start < rows; start += block) {
    std::int64_t n = std::min(block, rows - start);
    fill_uniform(std::span<double>(x.data(), n * (features + 1)), 1000 + static_cast<std::uint64_t>(start / block));
    for (std::int64_t i = 0; i < n; ++i) {
      const double* row = &x[i * (features + 1)];
      double z = 0.3 * row[features];
      for (std::int64_t j = 0; j < features; ++j) {
        z += w_true[j] * row[j];
        auto [end, rc] = std::to_chars(number, number + sizeof number, row[j], std::chars_format::fixed, 6);
        csv.append(number, end);
        csv += ',';
      }
      csv += z > 0 ? "1\n" : "0\n";
    }
  }
  return csv;
}

}  // namespace

std::filesystem::path sgd_csv(std::int64_t rows, std::int64_t features) {
  const char* env = std::getenv("KPROF_DATA_DIR");
  std::filesystem::path dir = env && *env ? env : "/tmp/kprof-data";
  std::filesystem::path path = dir / ("sgd-" + std::to_string(rows) + "x" + std::to_string(features) + ".csv");
  std::filesystem::path sum = path;
  sum += ".sum";
  if (cache_is_whole(path, sum)) return path;
  ensure_writable_dir(dir);
  const std::string csv = generate_csv(rows, features);
  // The data first, then its fingerprint: a run stopped in between leaves a cache made again next time.
  write_file_atomically(path, csv);
  write_file_atomically(sum, fingerprint(csv));
  return path;
}

CsvReader::CsvReader(const std::filesystem::path& path, std::int64_t features)
    : path_(path), features_(features), buffer_(1 << 20) {
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw UsageError("cannot open " + path.string() + ": " + std::strerror(errno));
  const char *b, *e;
  if (!next_line(b, e)) throw UsageError(path.string() + " is empty (expected a header line)");
}

CsvReader::~CsvReader() {
  if (file_) std::fclose(file_);
}

bool CsvReader::next_line(const char*& begin, const char*& end) {
  for (;;) {
    const char* start = buffer_.data() + begin_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (newline) {
      begin = start;
      end = newline;
      begin_ = static_cast<std::size_t>(newline - buffer_.data()) + 1;
      ++line_;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      begin = start;  // a last line without a newline
      end = buffer_.data() + end_;
      begin_ = end_;
      return true;
    }
    std::memmove(buffer_.data(), start, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    if (end_ == buffer_.size()) throw UsageError(path_.string() + ": line " + std::to_string(line_) + " is too long");
    std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    end_ += got;
    if (got == 0) eof_ = true;
  }
}

template <class T>
std::int64_t CsvReader::read(std::int64_t max_rows, std::vector<T>& x, std::vector<T>& y) {
  std::int64_t n = 0;
  const char *b, *e;
  while (n < max_rows && next_line(b, e)) {
    for (std::int64_t j = 0; j <= features_; ++j) {
      T value{};
      auto [ptr, ec] = std::from_chars(b, e, value);
      if (ec != std::errc()) throw UsageError(path_.string() + ": line " + std::to_string(line_ - 1) + ": bad number");
      if (j < features_)
        x.push_back(value);
      else
        y.push_back(value);
      b = ptr < e && *ptr == ',' ? ptr + 1 : ptr;
    }
    ++n;
  }
  return n;
}

template std::int64_t CsvReader::read<float>(std::int64_t, std::vector<float>&, std::vector<float>&);
template std::int64_t CsvReader::read<double>(std::int64_t, std::vector<double>&, std::vector<double>&);

}  // namespace kprof::targets
