// The signal path of kprof/interrupt.h: a handler that writes the signal into a pipe, and a thread
// that forwards it to the programs kprof started, waits for them, removes the temporaries and
// ends kprof.
#include "kprof/interrupt.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "children.h"

namespace kprof {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
// How long the programs kprof started get to end after the signal before they are killed: enough
// for valgrind or a program to exit as it does on Ctrl-C, short enough for a CI job's cancellation.
constexpr auto kGrace = std::chrono::seconds(10);
constexpr auto kAfterKill = std::chrono::seconds(2);

struct Child {
  bool own_group = false;
  bool survives_interrupt = false;
};

struct State {
  std::mutex mutex;
  std::map<std::size_t, std::filesystem::path> temporaries;
  std::size_t next_id = 1;
  std::map<pid_t, Child> children;
  int ending_signal = 0;  // set once the signal path has decided to end kprof
  bool handled = false;   // handle_interrupts has run
  int pipe_read = -1;
};

// Never destroyed: the thread may still use it while the process exits.
State& state() {
  static State* s = new State;
  return *s;
}

int signal_pipe_write = -1;  // set before the handlers are installed

void on_signal(int sig, siginfo_t* info, void*) {
  const int saved = errno;
  // SI_KERNEL: the terminal sent it (to kprof's whole foreground group, programs included).
  const unsigned char message[2] = {static_cast<unsigned char>(sig),
                                    static_cast<unsigned char>(info != nullptr && info->si_code == SI_KERNEL)};
  [[maybe_unused]] const ssize_t written = ::write(signal_pipe_write, message, sizeof message);
  errno = saved;
}

struct Signal {
  int number = 0;
  bool from_terminal = false;
};

// The next signal written by on_signal, or none within `timeout_ms` (-1: wait for one).
bool next_signal(int fd, int timeout_ms, Signal& out) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  unsigned char message[2];
  if (::read(fd, message, sizeof message) != sizeof message) return false;
  out = {message[0], message[1] != 0};
  return true;
}

void signal_children(const State& s, int sig, bool from_terminal) {
  for (const auto& [pid, child] : s.children)
    if (!from_terminal || child.own_group)  // the terminal has already signalled kprof's own group
      ::kill(child.own_group ? -pid : pid, sig);
}

bool a_program_survives_interrupt(const State& s) {
  for (const auto& [pid, child] : s.children)
    if (child.survives_interrupt) return true;
  return false;
}

// Until run_process has waited for every program (child_ended); SIGKILL after the grace period or
// at a second signal, and no longer than a moment after that (a program whose output pipe a
// grandchild holds open would keep run_process from waiting).
void wait_for_children(State& s, std::unique_lock<std::mutex>& lock) {
  const auto deadline = Clock::now() + kGrace;
  std::optional<Clock::time_point> killed;
  while (!s.children.empty() && !(killed && Clock::now() > *killed + kAfterKill)) {
    lock.unlock();
    Signal again;
    const bool second = next_signal(s.pipe_read, 50, again);
    lock.lock();
    if (!killed && (second || Clock::now() >= deadline)) {
      signal_children(s, SIGKILL, false);
      killed = Clock::now();
    }
  }
}

void say(const std::string& text) {
  const std::string line = "kprof: " + text + "\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

[[noreturn]] void end_kprof(State& s, int sig, std::size_t programs) {
  std::size_t removed = 0;
  for (const auto& [id, path] : s.temporaries) {
    std::error_code ec;
    if (std::filesystem::remove_all(path, ec) > 0) ++removed;
  }
  std::string text = std::string("interrupted (SIG") + ::sigabbrev_np(sig) + ")";
  if (programs > 0) text += ": stopped " + std::to_string(programs) + " program(s) it had started";
  text += (programs > 0 ? ", removed " : ": removed ") + std::to_string(removed) + " temporary file(s)";
  say(text);
  ::_exit(128 + sig);
}

void watch() {
  State& s = state();
  for (;;) {
    Signal sig;
    if (!next_signal(s.pipe_read, -1, sig)) continue;
    std::unique_lock lock(s.mutex);
    signal_children(s, sig.number, sig.from_terminal);
    // `lines` and `mem -- PROG` report what the program recorded before Ctrl-C ended it.
    if (sig.number == SIGINT && a_program_survives_interrupt(s)) continue;
    s.ending_signal = sig.number;
    const std::size_t programs = s.children.size();
    wait_for_children(s, lock);
    end_kprof(s, sig.number, programs);
  }
}

// The signal path is ending kprof: whatever the calling thread would do next must not happen.
[[noreturn]] void park(std::unique_lock<std::mutex>& lock) {
  lock.unlock();
  for (;;) ::pause();
}

}  // namespace

void handle_interrupts() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (s.handled) return;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;  // then signals keep their default action
  s.pipe_read = fds[0];
  signal_pipe_write = fds[1];
  std::thread(watch).detach();
  for (int sig : kSignals) {
    struct sigaction old {};
    ::sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;  // e.g. SIGINT of a background job
    struct sigaction action {};
    action.sa_sigaction = on_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
  s.handled = true;
}

std::size_t register_temporary(const std::filesystem::path& path) {
  State& s = state();
  std::unique_lock lock(s.mutex);
  if (s.ending_signal != 0) park(lock);
  s.temporaries[s.next_id] = path;
  return s.next_id++;
}

void forget_temporary(std::size_t id) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.temporaries.erase(id);
}

std::size_t make_temporary(const std::function<std::filesystem::path()>& make) {
  State& s = state();
  std::unique_lock lock(s.mutex);
  if (s.ending_signal != 0) park(lock);
  const std::filesystem::path path = make();
  if (path.empty()) return 0;
  s.temporaries[s.next_id] = path;
  return s.next_id++;
}

namespace detail {

bool interrupts_handled() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  return s.handled;
}

pid_t spawn_registered(const std::function<pid_t()>& spawn, bool own_group, bool survives_interrupt) {
  State& s = state();
  std::unique_lock lock(s.mutex);
  if (s.ending_signal != 0) park(lock);
  const pid_t pid = spawn();
  s.children[pid] = {own_group, survives_interrupt};
  return pid;
}

void child_ended(pid_t pid) {
  State& s = state();
  std::unique_lock lock(s.mutex);
  s.children.erase(pid);
  if (s.ending_signal != 0) park(lock);
}

}  // namespace detail
}  // namespace kprof
