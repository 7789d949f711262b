#!/usr/bin/env python3
"""kprof-mark's command line: a marked copy written, the original untouched; bad input refused with
exit 2 and a message naming the file and clang's diagnostic (or the missing function), nothing written.
Usage: test_kprof_mark_cli.py <kprof-mark> <tests/lines source dir> <work dir>"""
import os
import shutil
import subprocess
import sys

MARK, SRC, WORK = sys.argv[1:4]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def mark(*args):
    return subprocess.run([MARK, *args], capture_output=True, text=True)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
source = os.path.join(SRC, "unmarked_code.cpp")
before = open(source).read()
out = os.path.join(WORK, "marked.cpp")
p = mark(source, "-o", out, "--function", "early_exit", "--", f"-I{SRC}", "-std=c++20")
check(p.returncode == 0, f"marks early_exit (exit {p.returncode}: {p.stderr.strip()})")
check(open(source).read() == before, "the original is not modified")
marked = open(out).read() if os.path.exists(out) else ""
check(marked.startswith('#include "kprof/lines.h"\n#line 1 "' + source + '"\n'), "the copy maps to the original file")
check(len(marked.splitlines()) == len(before.splitlines()) + 2, "every line stays where it was (plus the 2-line prologue)")
check(marked.count("KPROF_AUTO_FUNCTION;") == 1 and marked.count("KPROF_AUTO_LINE;") == 4,
      f"one KPROF_AUTO_FUNCTION and 4 KPROF_AUTO_LINE in early_exit: {marked.count('KPROF_AUTO_LINE;')}")
check("early_exit: 4 markers" in p.stderr, "the summary counts the markers")

p = mark(source, "-o", out, "--all", "--", f"-I{SRC}", "-std=c++20")
check("skipped unmarked_fixture::doubled: constexpr" in p.stderr, f"constexpr functions are skipped, saying why")

p = mark(source, "-o", out, "--function", "early_exit", "--exclude-line", "41", "--", f"-I{SRC}", "-std=c++20")
check(p.returncode == 0 and "line 41 not instrumented: excluded" in p.stderr, "an excluded line is reported")
excluded = open(out).read()
check(excluded.endswith('note_unmarked_lines("' + source + '", {{41, "excluded"}});\n') and
      excluded.count("\n") == marked.count("\n") + 2,
      "the copy registers the excluded line for the report, after the original's last line")

broken = os.path.join(WORK, "broken.cpp")
open(broken, "w").write("int f(int x) {\n  return x +;\n}\n")
refused = os.path.join(WORK, "refused.cpp")
p = mark(broken, "-o", refused, "--function", "f", "--", "-std=c++20")
check(p.returncode == 2, f"a source that does not parse: exit 2 (got {p.returncode})")
check(broken in p.stderr and "expected expression" in p.stderr and "2:" in p.stderr,
      f"the message names the file, line and clang's diagnostic: {p.stderr.strip()}")
check(not os.path.exists(refused), "nothing written for a source that does not parse")

p = mark(source, "-o", refused, "--function", "no_such_function", "--", f"-I{SRC}", "-std=c++20")
check(p.returncode == 2 and "no_such_function" in p.stderr and "early_exit" in p.stderr,
      f"an unknown function: exit 2 naming it and what the file defines: {p.stderr.strip()[:200]}")
p = mark(os.path.join(WORK, "missing.cpp"), "-o", refused, "--all")
check(p.returncode == 2 and "missing.cpp" in p.stderr, f"a missing source: exit 2 naming it: {p.stderr.strip()}")
p = mark(source, "-o", refused)
check(p.returncode == 2 and "--function" in p.stderr, "no function named: exit 2 saying how to name one")
check(not [f for f in os.listdir(WORK) if ".tmp" in f], "no temporary left")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
