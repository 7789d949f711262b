#include "kprof/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "kprof/errors.h"
#include "kprof/interrupt.h"

namespace kprof {
namespace {

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::filesystem::path temporary_name_for(const std::filesystem::path& final_path) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path dir = final_path.has_parent_path() ? final_path.parent_path() : ".";
  return dir / ("." + final_path.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                std::to_string(counter++));
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  int fd = -1;
  const std::size_t registration = make_temporary([&] {
    fd = ::mkstemp(tmpl.data());
    return fd < 0 ? std::filesystem::path() : std::filesystem::path(tmpl);
  });
  if (fd < 0) throw UsageError("cannot write '" + path.string() + "': " + errno_text());
  struct Forget {
    std::size_t id;
    ~Forget() { forget_temporary(id); }
  } forget{registration};
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = errno_text();
      ::close(fd);
      ::unlink(tmpl.c_str());
      throw UsageError("cannot write '" + path.string() + "': " + why);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::close(fd) != 0 || ::rename(tmpl.c_str(), path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmpl.c_str());
    throw UsageError("cannot write '" + path.string() + "': " + why);
  }
}

void ensure_writable_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UsageError("cannot create output folder '" + dir.string() + "': " + ec.message());
  if (!std::filesystem::is_directory(dir)) throw UsageError("output path '" + dir.string() + "' is not a folder");
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    throw UsageError("output folder '" + dir.string() + "' is not writable: " + errno_text());
}

std::string read_file(const std::filesystem::path& path) {
  // Regular files only, of a bounded size: a folder given as a file is named as such (not called
  // corrupt), and /dev/zero or a FIFO cannot make kprof read forever.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::is_directory(status))
    throw UsageError("cannot read '" + path.string() + "': it is a folder, not a file");
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw UsageError("cannot read '" + path.string() + "': not a regular file (a device, a pipe or a socket)");
  constexpr std::uintmax_t kLargest = std::uintmax_t{4} << 30;
  if (!ec && std::filesystem::exists(status) && std::filesystem::file_size(path, ec) > kLargest && !ec)
    throw UsageError("cannot read '" + path.string() + "': larger than 4 GiB, more than any kprof document or profile");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read '" + path.string() + "': " + errno_text());
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw UsageError("cannot read '" + path.string() + "': read error");
  return s.str();
}

std::string file_safe(std::string text) {
  for (char& c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' && c != '=') c = '_';
  return text;
}

RemoveOnExit::RemoveOnExit(const std::vector<std::filesystem::path>& paths) {
  for (const auto& p : paths) add(p);
}

void RemoveOnExit::add(const std::filesystem::path& path) { held_.push_back({path, register_temporary(path)}); }

void RemoveOnExit::release() {
  for (const auto& h : held_) forget_temporary(h.registration);
  held_.clear();
}

RemoveOnExit::~RemoveOnExit() {
  std::error_code ec;  // best effort: a destructor must not throw
  for (const auto& h : held_) {
    std::filesystem::remove_all(h.path, ec);
    forget_temporary(h.registration);
  }
}

std::filesystem::path make_scratch_dir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = (std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / (prefix + "XXXXXX")).string();
  const std::size_t registration =
      make_temporary([&] { return ::mkdtemp(tmpl.data()) ? std::filesystem::path(tmpl) : std::filesystem::path(); });
  if (registration == 0) throw UsageError("cannot create a scratch folder " + tmpl + ": " + errno_text());
  return tmpl;
}

}  // namespace kprof
