#!/usr/bin/env python3
"""A scalar kernel marked automatically (kprof_line_profile on a test copy without its markers)
against the manual markers of its source in targets/: every manually marked statement is in the
automatic table with exactly the same hit count (lines matched by their text: the copy has fewer
lines), the time shares of the lines that matter agree (medians of 5 runs each, printed; a loose
bound catches time landing on the wrong line without failing on a busy machine), and the table
matches its golden.
Usage: test_auto_lines.py <nmf|gemm> <kprof> <auto-marked kprof> <golden table> <work dir>"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

# What each kernel's test copy is a copy of, and the job both binaries run.
KERNELS = {
    "nmf": {"job": ["nmf/scalar", "-s", "32x300x8", "-t", "f64", "--iterations", "3"],
            "original": "targets/nmf/nmf_scalar.cpp", "copy": "tests/lines/nmf_scalar_unmarked.cpp",
            "namespace": "namespace kprof::targets::nmf {"},
    "gemm": {"job": ["gemm/scalar", "-s", "64x1000x32", "-t", "f64", "--iterations", "3"],
             "original": "targets/gemm/gemm_scalar.cpp", "copy": "tests/lines/gemm_scalar_unmarked.cpp",
             "namespace": "namespace kprof::targets {"},
}
KERNEL, KPROF, AUTO, GOLDEN, WORK = sys.argv[1:6]
SPEC = KERNELS[KERNEL]
JOB = SPEC["job"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def lines_table(binary, name, fmt="none"):
    out = os.path.join(WORK, name)
    p = subprocess.run([binary, "lines", *JOB, "-o", out, "-f", fmt], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{binary} lines exit {p.returncode}: {p.stderr}")
    (fn,) = json.load(open(os.path.join(out, "lines.json")))["sections"]["lines"]["functions"]
    return fn, p.stdout


def statements(fn):
    """text -> (hits, percent) of every timed statement (the manual KPROF_FUNCTION row left out)."""
    return {r["text"].strip(): (r["hits"], r["percent"]) for r in fn["lines"]
            if r["hits"] and "KPROF_FUNCTION" not in r["text"]}


def matches_golden(text, golden):
    def pattern(line):
        parts = re.split(r"(\{float\}|\{int\}|\{any\})", " ".join(line.split()))
        regex = {"{float}": r"-?[0-9.]+", "{int}": r"[0-9]+", "{any}": r".*"}
        return "".join(regex.get(p, re.escape(p)) for p in parts)
    got = [" ".join(l.split()) for l in text.strip().splitlines()]
    want = golden.strip().splitlines()
    if len(got) != len(want):
        return f"{len(got)} lines, golden has {len(want)}"
    for n, (g, w) in enumerate(zip(got, want), 1):
        if not re.fullmatch(pattern(w), g):
            return f"line {n}: got {g!r}, golden {w!r}"
    return ""


def body(text):
    """The code from the namespace on, marker lines and the markers' include left out."""
    lines = text[text.index(SPEC["namespace"]):].splitlines()
    return [l for l in lines if not re.fullmatch(r"\s*KPROF_(LINE|FUNCTION);\s*", l)]


# The copy is the kernel itself minus its markers: a change to nmf_scalar.cpp must reach it.
source_dir = os.path.abspath(os.path.join(os.path.dirname(GOLDEN), "..", "..", ".."))  # tests/lines/golden/
original = open(os.path.join(source_dir, SPEC["original"])).read()
copy = open(os.path.join(source_dir, SPEC["copy"])).read()
check(body(original) == body(copy), f"{SPEC['copy']} is {SPEC['original']} without its "
      "markers (if not: copy it again and delete the KPROF_FUNCTION / KPROF_LINE lines)")

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
manual_fn, _ = lines_table(KPROF, "manual")
auto_fn, auto_text = lines_table(AUTO, "auto", "table")
manual, auto = statements(manual_fn), statements(auto_fn)
check(manual_fn["file"].endswith(SPEC["original"]) and auto_fn["file"].endswith(SPEC["copy"]),
      f"the manual table names {SPEC['original']}, the automatic one {SPEC['copy']} (not the build's marked copy)")
for text, (hits, _) in manual.items():
    check(text in auto and auto[text][0] == hits,
          f"same hits for {text[:60]!r}: manual {hits}, automatic {auto.get(text, ('none',))[0]}")
extra = sorted(set(auto) - set(manual))
print(f"lines the automatic markers add ({len(extra)}): " + "; ".join(t[:40] for t in extra))

# Time shares: medians over 5 runs each, for the statements with at least 5% of the function (one
# preempted run moves a line's share by 10 points on a busy machine).
shares = {t: [manual[t][1]] for t in manual}
auto_shares = {t: [auto[t][1]] for t in auto}
for run in range(4):
    for t, (_, pct) in statements(lines_table(KPROF, f"manual{run}")[0]).items():
        shares[t].append(pct)
    for t, (_, pct) in statements(lines_table(AUTO, f"auto{run}")[0]).items():
        auto_shares[t].append(pct)
for t in manual:
    m, a = statistics.median(shares[t]), statistics.median(auto_shares.get(t, [0.0]))
    if m >= 5:
        print(f"share of {t[:50]!r}: manual {m:.1f}%, automatic {a:.1f}%")
        check(abs(m - a) <= 12, f"time share of {t[:50]!r} agrees (manual {m:.1f}%, automatic {a:.1f}%)")

table = auto_text[auto_text.index("Line #"):auto_text.index("Lines ranked by time")]
why = matches_golden(table, open(GOLDEN).read())
check(not why, f"the automatic table matches {os.path.basename(GOLDEN)} {why}")
if why:
    print(table)

print(f"{len(failures)} failure(s)")
if not failures:
    shutil.rmtree(WORK, ignore_errors=True)
sys.exit(1 if failures else 0)
