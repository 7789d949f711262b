#!/usr/bin/env python3
"""Interrupting kprof (kprof/interrupt.h, docs/USAGE.md "Interrupting kprof"): SIGINT, SIGTERM and
SIGHUP sent to kprof alone, as `timeout` and a cancelled CI job do, at several points of each
subcommand that runs something. After each: kprof exited with 128 + the signal, no process it
started is left, no temporary file or folder is left (in the output folder or $TMPDIR), and the
outputs of an earlier run into the same folder are intact.

Usage: test_interrupts.py <kprof> <work dir>
"""
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

from fault_checks import marked_processes, temporaries

KPROF, WORK = sys.argv[1:3]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
DELAYS = [0.4, 1.2, 2.5]  # seconds after the start: set-up, the first measurements, well into the work

# (name, arguments of a long run, arguments of a short earlier run into the same folder or None,
#  whether a program kprof started survives SIGINT so that kprof reports what it recorded)
COMMANDS = [
    ("run", ["run", "gemm/scalar", "-s", "500", "--rounds", "400", "-q"], ["run", "dot/scalar", "-s", "1000", "-q"],
     False),
    ("callgrind kernel", ["callgrind", "gemm/scalar", "-s", "400", "--iterations", "3", "-q"],
     ["callgrind", "dot/scalar", "-s", "1000", "-q"], False),
    ("cpu kernel", ["cpu", "gemm/scalar", "-s", "500", "--seconds", "30", "-q"],
     ["cpu", "dot/scalar", "-s", "1000", "--seconds", "0.1", "-q"], False),
    ("mem kernel", ["mem", "gemm/eigen", "-s", "500", "--iterations", "5000", "-q"],
     ["mem", "dot/scalar", "-s", "1000", "-q", "-f", "none"], False),
    ("lines", ["lines", "gemm/scalar", "-s", "500", "--iterations", "400"], None, True),
    ("cpu -- PROG", ["cpu", "--", "sleep", "30"], None, False),
    ("mem -- PROG", ["mem", "--", "sleep", "30"], None, True),
    ("callgrind -- PROG", ["callgrind", "--", "sleep", "30"], None, False),
]

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def digests(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            out[path] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return out


def interrupt_case(number, name, long_args, short_args, survives, sig, delay):
    case = f"{name}, {signal.Signals(sig).name} after {delay} s"
    tmp, out = os.path.join(WORK, f"tmp{number}"), os.path.join(WORK, f"out{number}")
    os.makedirs(tmp)
    mark = f"kprof-interrupt-test-{os.getpid()}-{number}"
    env = dict(os.environ, TMPDIR=tmp, KPROF_FAULT_MARK=mark)
    if short_args:
        subprocess.run([KPROF, *short_args[:1], "-o", out, *short_args[1:]], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    earlier = digests(out) if os.path.isdir(out) else {}
    # "--" ends kprof's own options: -o goes before it.
    cut = long_args.index("--") if "--" in long_args else len(long_args)
    argv = [KPROF, *long_args[:cut], "-o", out, *long_args[cut:]]
    p = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    still_running = p.poll() is None
    check(still_running, f"{case}: kprof was still running when the signal came (else the case tests nothing)")
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
        check(False, f"{case}: kprof did not end within 30 s of the signal")
    if survives and sig == signal.SIGINT:
        # kprof reports what the program recorded, then exits as the program's end says.
        check(p.returncode not in (-6, -11, 134, 139), f"{case}: kprof reported and exited {p.returncode}")
    else:
        check(p.returncode == 128 + sig, f"{case}: exit {p.returncode}, expected {128 + sig}; stderr: {err.strip()[-300:]}")
        if still_running:
            check("interrupted (" + signal.Signals(sig).name + ")" in err, f"{case}: kprof says it was interrupted")
    time.sleep(0.2)
    left = marked_processes(mark)
    check(not left, f"{case}: no process kprof started is left; found {left}")
    for pid in left:
        os.kill(int(pid.split()[0]), signal.SIGKILL)
    leftovers = temporaries(out, tmp) if os.path.isdir(out) else temporaries(tmp)
    check(not leftovers, f"{case}: no temporary left; found {leftovers}")
    now = digests(out) if os.path.isdir(out) else {}
    check(all(now.get(path) == digest for path, digest in earlier.items()),
          f"{case}: the earlier run's {len(earlier)} output(s) are intact")


def terminal_ctrl_c_during_lines_with(number):
    """A Ctrl-C from the terminal reaches the whole process group: during `lines --with cpu` it ends the
    cpu profiler kprof is waiting for, and kprof must exit 130 saying so, not report a failed tool."""
    case = "lines --with cpu, Ctrl-C to the process group during cpu"
    tmp, out = os.path.join(WORK, f"tmp{number}"), os.path.join(WORK, f"out{number}")
    os.makedirs(tmp)
    mark = f"kprof-interrupt-test-{os.getpid()}-{number}"
    env = dict(os.environ, TMPDIR=tmp, KPROF_FAULT_MARK=mark)
    p = subprocess.Popen([KPROF, "lines", "gemm/scalar", "-s", "300", "--with", "cpu", "-o", out], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    seen = []
    for line in p.stderr:  # kprof names each profiler as it starts it
        seen.append(line)
        if " cpu gemm/scalar" in line:
            break
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)
    try:
        err = "".join(seen) + p.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        err = "".join(seen) + p.communicate()[1]
        check(False, f"{case}: kprof did not end within 30 s of the signal")
    check(p.returncode == 130, f"{case}: exit {p.returncode}, expected 130; stderr: {err.strip()[-300:]}")
    check("interrupted (SIGINT) during kprof cpu" in err, f"{case}: kprof says which profiler the Ctrl-C ended")
    check(os.path.exists(os.path.join(out, "lines.json")), f"{case}: the line timers' profile, finished before, is kept")
    time.sleep(0.2)
    check(not marked_processes(mark), f"{case}: no process kprof started is left")
    check(not temporaries(out, tmp), f"{case}: no temporary left; found {temporaries(out, tmp)}")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.environ["KPROF_DATA_DIR"] = os.path.join(WORK, "data")
    number = 0
    for i, (name, long_args, short_args, survives) in enumerate(COMMANDS):
        for j, delay in enumerate(DELAYS):
            interrupt_case(number, name, long_args, short_args, survives, SIGNALS[(i + j) % 3], delay)
            number += 1
    terminal_ctrl_c_during_lines_with(number)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
