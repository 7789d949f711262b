#!/usr/bin/env python3
"""Odd programs and concurrent writers (issue 18's classes 2 and 7):

1. Programs that crash or exec, under `kprof mem --`, `kprof cpu --` and `kprof callgrind --`: each
   ends with the exit code and message docs/USAGE.md gives (3 and the program's status for a crash,
   what each profiler does at an exec), reports what was recorded where it can, and leaves no
   process and no temporary behind.
2. Two kprof of one kind writing into one -o folder at the same time (run, lines, callgrind, cpu,
   mem): both succeed, every document they leave is whole JSON, and no temporary is left.

Usage: test_programs_and_writers.py <kprof> <folder of the memory test programs> <work dir>
"""
import json
import os
import shutil
import subprocess
import sys

from fault_checks import marked_processes, temporaries

KPROF, PROGRAMS, WORK = sys.argv[1:4]
CRASH = os.path.join(PROGRAMS, "mem_crash")  # allocates 424242 bytes, then abort()
EXECS = os.path.join(PROGRAMS, "mem_exec_chain")  # a failed exec, then execs itself once

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def start(case, args, out):
    """kprof with -o `out` (before any "--"), in an environment marked for this case."""
    tmp = os.path.join(WORK, "tmp-" + case)
    os.makedirs(tmp, exist_ok=True)
    mark = f"kprof-fault-test-{os.getpid()}-{case}"
    cut = args.index("--") if "--" in args else len(args)
    quiet = [] if args[0] == "lines" else ["-q"]  # lines prints no progress
    argv = [KPROF, *args[:cut], *quiet, "-o", out, *args[cut:]]
    env = dict(os.environ, TMPDIR=tmp, KPROF_FAULT_MARK=mark)
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True), mark, tmp


def nothing_left(case, mark, *folders):
    check(not marked_processes(mark), f"{case}: no process kprof started is left")
    left = temporaries(*[f for f in folders if os.path.isdir(f)])
    check(not left, f"{case}: no temporary left; found {left}")


def documents(folder):
    """Every .json kprof wrote into `folder`, parsed (a half-written one fails the parse)."""
    out = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json"):
            try:
                out[name] = json.load(open(os.path.join(folder, name)))
            except ValueError as e:
                out[name] = None
                check(False, f"{folder}/{name} is whole JSON: {e}")
    return out


def section_results(doc, section):
    return doc.get("sections", {}).get(section, {}).get("results", []) if doc else []


# (subcommand, program, expected exit, text stderr must hold, check of what was written)
def crash_under_mem(docs):
    results = section_results(docs.get("memory.json"), "memory")
    return len(results) == 1 and results[0].get("exit_status") == 134


def crash_under_callgrind(docs):
    results = section_results(docs.get("callgrind.json"), "callgrind")
    return len(results) == 1 and results[0].get("exit_status") == 134


def exec_under_mem(docs):
    results = section_results(docs.get("memory.json"), "memory")
    return (len(results) == 2 and results[0].get("ended_by_exec") == EXECS and results[1].get("exit_status") == 0
            and results[0]["bytes_allocated"] >= 9_000_000 and results[1]["bytes_allocated"] >= 3_000_000)


def exec_under_cpu(docs):
    return len(section_results(docs.get("cpu.json"), "cpu")) == 1


def nothing_written(docs):
    return not docs


PROGRAM_CASES = [
    ("mem", CRASH, 3, "exited with status 134", crash_under_mem),
    ("cpu", CRASH, 3, "killed by signal 6", nothing_written),
    ("callgrind", CRASH, 3, "ended with status 134", crash_under_callgrind),
    ("mem", EXECS, 0, "", exec_under_mem),
    ("cpu", EXECS, 0, "", exec_under_cpu),
    ("callgrind", EXECS, 3, "callgrind stops at an exec", nothing_written),
]


def program_case(number, sub, program, code, says, written):
    case = f"{sub} -- {os.path.basename(program)}"
    out = os.path.join(WORK, f"program{number}")
    p, mark, tmp = start(f"p{number}", [sub, "--", program], out)
    _, err = p.communicate(timeout=300)
    check(p.returncode == code, f"{case}: exit {p.returncode}, expected {code}; stderr: {err.strip()[-300:]}")
    check(says in err, f"{case}: stderr says '{says}'; it says: {err.strip()[-300:]}")
    check(written(documents(out)), f"{case}: the documents written hold what was recorded ({written.__name__})")
    nothing_left(case, mark, out, tmp)


WRITER_CASES = [
    ("run", ["run", "dot/scalar", "-s", "20000", "--rounds", "30"]),
    ("lines", ["lines", "nmf/scalar", "-s", "40x30"]),
    ("callgrind", ["callgrind", "dot/scalar", "-s", "2000"]),
    ("cpu", ["cpu", "dot/scalar", "-s", "20000", "--seconds", "0.3"]),
    ("mem", ["mem", "dot/scalar", "-s", "2000", "-f", "none"]),
]


def writers_case(number, name, args):
    case = f"two {name} into one folder"
    out = os.path.join(WORK, f"writers{number}")
    both = [start(f"w{number}-{i}", args, out) for i in range(2)]
    for i, (p, mark, tmp) in enumerate(both):
        _, err = p.communicate(timeout=300)
        check(p.returncode == 0, f"{case}: writer {i} exit {p.returncode}; stderr: {err.strip()[-300:]}")
    docs = documents(out)
    check(len(docs) >= 1 and all(d is not None for d in docs.values()),
          f"{case}: {len(docs)} document(s), each whole JSON")
    for _, mark, tmp in both:
        nothing_left(case, mark, out, tmp)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    os.environ["KPROF_DATA_DIR"] = os.path.join(WORK, "data")
    for number, case in enumerate(PROGRAM_CASES):
        program_case(number, *case)
    for number, (name, args) in enumerate(WRITER_CASES):
        writers_case(number, name, args)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
