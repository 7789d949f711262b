#include "kprof/process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include "children.h"
#include "kprof/errors.h"

extern char** environ;

namespace kprof {
namespace {

using Clock = std::chrono::steady_clock;

bool executable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::string errno_text(int error) { return std::strerror(error); }

// kprof's environment with `changes` applied, as the "KEY=value" strings posix_spawn wants.
std::vector<std::string> environment_with(const std::vector<std::pair<std::string, std::string>>& changes) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    bool replaced = false;
    for (const auto& [key, value] : changes)
      if (entry.compare(0, key.size() + 1, key + "=") == 0) replaced = true;
    if (!replaced) out.push_back(std::move(entry));
  }
  for (const auto& [key, value] : changes) out.push_back(key + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// A pipe whose read end kprof keeps (close-on-exec, so that no child inherits it).
struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed: " + errno_text(errno));
    read = fds[0];
    write = fds[1];
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
};

// What the child's fds 0, 1 and 2 become; owns the posix_spawn objects.
class SpawnSetup {
 public:
  // `default_interrupt`: the child starts with SIGINT's default action, not kprof's SIG_IGN.
  SpawnSetup(const Command& c, Pipe* out, Pipe* err, bool default_interrupt) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
    paths_.reserve(3);
    if (!c.stdin_file.empty()) open(0, c.stdin_file, O_RDONLY);
    if (out != nullptr)
      posix_spawn_file_actions_adddup2(&actions_, out->write, 1);
    else if (!c.stdout_file.empty())
      open(1, c.stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
    if (err != nullptr)
      posix_spawn_file_actions_adddup2(&actions_, err->write, 2);
    else if (!c.stderr_file.empty())
      open(2, c.stderr_file, O_WRONLY | O_CREAT | O_TRUNC);
    short flags = 0;
    if (c.own_process_group) {
      flags |= POSIX_SPAWN_SETPGROUP;
      posix_spawnattr_setpgroup(&attr_, 0);
    }
    if (default_interrupt) {
      sigset_t interrupt;
      sigemptyset(&interrupt);
      sigaddset(&interrupt, SIGINT);
      posix_spawnattr_setsigdefault(&attr_, &interrupt);
      flags |= POSIX_SPAWN_SETSIGDEF;
    }
    posix_spawnattr_setflags(&attr_, flags);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  void open(int fd, const std::filesystem::path& path, int flags) {
    paths_.push_back(path.string());  // posix_spawn_file_actions_addopen may keep the pointer
    posix_spawn_file_actions_addopen(&actions_, fd, paths_.back().c_str(), flags, 0644);
  }
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
  std::vector<std::string> paths_;  // reserved for fds 0-2: pointers into it must stay valid
};

// SIGINT ignored in kprof while it lives (Command::survive_interrupt) when kprof's signal path
// (kprof/interrupt.h, which does this itself) is not installed: a library user's process. Set
// before the program starts, so that no Ctrl-C slips in between; the program gets SIGINT's default
// back unless kprof itself was started with SIGINT ignored (a background job), which it then
// inherits as usual.
class IgnoreInterrupt {
 public:
  explicit IgnoreInterrupt(bool active) : active_(active && !detail::interrupts_handled()) {
    if (active_) old_ = std::signal(SIGINT, SIG_IGN);
  }
  bool child_needs_default() const { return active_ && old_ != SIG_IGN; }
  IgnoreInterrupt(const IgnoreInterrupt&) = delete;
  IgnoreInterrupt& operator=(const IgnoreInterrupt&) = delete;
  ~IgnoreInterrupt() {
    if (active_) std::signal(SIGINT, old_);
  }

 private:
  bool active_;
  void (*old_)(int) = SIG_DFL;
};

double seconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// The child after start: its output drained, its end waited for, the deadline enforced.
class Child {
 public:
  Child(pid_t pid, const Command& c, std::optional<Clock::time_point> deadline)
      : pid_(pid), group_(c.own_process_group), deadline_(deadline) {}

  // Reads both pipes (either may be null) until the child closes them or the deadline passes.
  void drain(Pipe* out, Pipe* err, ProcessResult& r) {
    struct Stream {
      Pipe* pipe;
      std::string* text;
    };
    std::vector<Stream> open;
    if (out != nullptr) open.push_back({out, &r.out});
    if (err != nullptr) open.push_back({err, &r.err});
    while (!open.empty() && !r.timed_out) {
      std::vector<pollfd> fds;
      for (const auto& s : open) fds.push_back({s.pipe->read, POLLIN, 0});
      int n = ::poll(fds.data(), fds.size(), poll_timeout_ms());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error("poll failed: " + errno_text(errno));
      if (n == 0) {
        if (expired()) kill_for_timeout(r);
        continue;
      }
      for (std::size_t i = fds.size(); i-- > 0;) {
        if (fds[i].revents == 0) continue;
        char buf[65536];
        ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
        if (got > 0) {
          open[i].text->append(buf, static_cast<std::size_t>(got));
        } else if (got == 0 || errno != EINTR) {
          open[i].pipe->close_read();
          open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        }
      }
    }
  }

  void wait(ProcessResult& r) {
    int status = 0;
    rusage usage{};
    if (deadline_) {
      // No portable way to wait with a timeout: look every few milliseconds until the deadline.
      while (!r.timed_out) {
        pid_t done = ::wait4(pid_, &status, WNOHANG, &usage);
        if (done == pid_) return finish(status, usage, r);
        if (done < 0 && errno != EINTR) throw std::runtime_error("waiting for a child failed: " + errno_text(errno));
        if (expired())
          kill_for_timeout(r);
        else
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
    while (::wait4(pid_, &status, 0, &usage) < 0)
      if (errno != EINTR) throw std::runtime_error("waiting for a child failed: " + errno_text(errno));
    finish(status, usage, r);
  }

 private:
  bool expired() const { return deadline_ && Clock::now() >= *deadline_; }
  int poll_timeout_ms() const {
    if (!deadline_) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - Clock::now()).count();
    return static_cast<int>(std::max<long long>(0, left) + 1);
  }
  void kill_for_timeout(ProcessResult& r) {
    ::kill(group_ ? -pid_ : pid_, SIGKILL);
    r.timed_out = true;
  }
  static void finish(int status, const rusage& usage, ProcessResult& r) {
    r.cpu_seconds = seconds(usage);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  }

  pid_t pid_;
  bool group_;
  std::optional<Clock::time_point> deadline_;
};

}  // namespace

std::string ProcessResult::how_it_ended() const {
  if (timed_out) return "timed out after " + std::to_string(static_cast<long long>(wall_seconds + 0.5)) + " s";
  if (signal != 0)
    return "was killed by signal " + std::to_string(signal) + " (" + std::string(::strsignal(signal)) + ")";
  return "exited with status " + std::to_string(exit_code);
}

std::filesystem::path find_program(const std::string& name) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos)
    return executable_file(name) ? std::filesystem::path(name) : std::filesystem::path();
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (executable_file(candidate)) return candidate;
    start = end + 1;
  }
  return {};
}

std::filesystem::path require_program(const std::string& name) {
  if (name.empty()) throw UsageError("no program to run");
  std::filesystem::path found = find_program(name);
  if (!found.empty()) return found;
  if (name.find('/') == std::string::npos) throw UsageError("program not found in PATH: " + name);
  if (::access(name.c_str(), F_OK) != 0) throw UsageError("program not found: " + name);
  throw UsageError("program is not an executable file: " + name);
}

std::filesystem::path find_helper_library(const std::string& name, const char* env_var, const char* build_path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv(env_var); env && *env) candidates.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back(exe.parent_path() / ".." / "lib" / name);
    candidates.push_back(exe.parent_path() / name);
  }
  if (build_path != nullptr) candidates.emplace_back(build_path);
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return fs::weakly_canonical(c, ec);
  std::string tried;
  for (const auto& c : candidates) tried += " " + c.string();
  throw UsageError("cannot find " + name + " (tried:" + tried + "); set " + env_var);
}

std::string ld_preload_with(const std::vector<std::filesystem::path>& libraries) {
  std::string preload;
  for (const auto& library : libraries) preload += (preload.empty() ? "" : ":") + library.string();
  if (const char* existing = std::getenv("LD_PRELOAD"); existing && *existing) preload += ":" + std::string(existing);
  return preload;
}

std::filesystem::path exec_guard_library() {
#ifdef KPROF_EXEC_GUARD_BUILD_PATH
  const char* build_path = KPROF_EXEC_GUARD_BUILD_PATH;
#else
  const char* build_path = nullptr;
#endif
  return find_helper_library("libkprof_exec_guard.so", "KPROF_EXEC_GUARD", build_path);
}

std::vector<std::string> execs_logged(const std::filesystem::path& log) {
  std::vector<std::string> execs;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line != "-")  // exec_guard.cpp: the exec before this line failed
      execs.push_back(line);
    else if (!execs.empty())
      execs.pop_back();
  return execs;
}

std::filesystem::path self_exe() { return std::filesystem::read_symlink("/proc/self/exe"); }

std::string join_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

ProcessResult run_process(const Command& c) {
  if (c.argv.empty()) throw UsageError("no program to run");
  const std::filesystem::path program = require_program(c.argv[0]);
  std::vector<std::string> env = environment_with(c.env), args = c.argv;
  std::vector<char*> envp = c_strings(env), argv = c_strings(args);
  std::optional<Pipe> out, err;
  if (c.capture_stdout) out.emplace();
  if (c.capture_stderr) err.emplace();
  IgnoreInterrupt ignore(c.survive_interrupt);
  SpawnSetup setup(c, out ? &*out : nullptr, err ? &*err : nullptr, ignore.child_needs_default());

  std::fflush(nullptr);  // what kprof printed so far comes before what the program prints
  const auto start = Clock::now();
  std::optional<Clock::time_point> deadline;
  if (c.timeout_seconds > 0)
    deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(c.timeout_seconds));
  const pid_t pid = detail::spawn_registered(
      [&] {
        pid_t started = 0;
        int rc = ::posix_spawn(&started, program.c_str(), setup.actions(), setup.attr(), argv.data(), envp.data());
        if (rc != 0) throw UsageError("cannot start '" + c.argv[0] + "': " + errno_text(rc));
        return started;
      },
      c.own_process_group, c.survive_interrupt);
  if (out) out->close_write();  // the child's copies are the only writers now
  if (err) err->close_write();

  ProcessResult r;
  Child child(pid, c, deadline);
  child.drain(out ? &*out : nullptr, err ? &*err : nullptr, r);
  child.wait(r);
  detail::child_ended(pid);
  r.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return r;
}

}  // namespace kprof
