#pragma once
// The one signal path (docs/USAGE.md, "Interrupting kprof"). SIGINT, SIGTERM and SIGHUP — Ctrl-C,
// `timeout`, a cancelled CI job, a closed terminal — end kprof the same way whatever it is doing:
// the signal is forwarded to the programs kprof started (their process groups), kprof waits for
// them to end (SIGKILL after a grace period, or at once on a second signal), removes every
// temporary file and folder it made, and exits with 128 + the signal (130, 143, 129). Outputs
// already written stay whole: they were written to a temporary file and renamed.
//
// One exception keeps what `lines` and `mem -- PROG` promise: a Ctrl-C from the terminal while a
// program runs with Command::survive_interrupt reaches that program (the terminal sends it to the
// whole foreground group) and kprof reports what the program recorded before it ended.
//
// A signal handler only writes the signal into a pipe; a thread of its own does the rest, so that
// the work is not limited to async-signal-safe calls and no thread of a kernel has to block signals.
#include <cstddef>
#include <filesystem>
#include <functional>

namespace kprof {

// Installs the handlers and starts the thread; once, at the start of kprof::main. A signal that was
// ignored when kprof started (a background job's SIGINT) stays ignored.
void handle_interrupts();

// Registers `path` (a file or a folder) to be removed if kprof is interrupted; the id forgets it.
std::size_t register_temporary(const std::filesystem::path& path);
void forget_temporary(std::size_t id);

// Runs `make` (mkstemp, mkdtemp), which creates a temporary and returns its path (empty when it
// failed), and registers that path, both in one step with respect to an interrupt: the cleanup
// either finds it registered or finds it not made. Returns the registration's id (0: nothing made).
std::size_t make_temporary(const std::function<std::filesystem::path()>& make);

}  // namespace kprof
