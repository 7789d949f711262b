#pragma once
// The programs kprof has started and not yet waited for: what the signal path (kprof/interrupt.h)
// forwards a signal to. Used by run_process only.
#include <sys/types.h>

#include <functional>

namespace kprof::detail {

// handle_interrupts has run: kprof's own signal path decides what a signal does.
bool interrupts_handled();

// Starts a program with `spawn` (returns its pid, or throws) and registers it, in one step with
// respect to an interrupt: a signal is either forwarded to it or arrived before it was started.
pid_t spawn_registered(const std::function<pid_t()>& spawn, bool own_group, bool survives_interrupt);

// The program has been waited for. When kprof is being interrupted this does not return: the
// signal path removes the temporaries and ends kprof, and nothing after the wait may run first.
void child_ended(pid_t pid);

}  // namespace kprof::detail
