#!/usr/bin/env python3
"""`kprof lines --trace`: the Chrome trace-event file of real runs, read by a real reader of the
format (speedscope 1.25.0 in headless Chromium, read_trace_in_speedscope.mjs), checked against the
file itself and against kprof's own table:
  - nmf/scalar: one thread; intervals nest; speedscope imports it cleanly and shows every marked
    line; its totals and self times agree with the file's within its display precision; the line
    with the most self time is the same for speedscope, for the file and (by time) for kprof's table;
  - distances/threads-avx512 on 2 threads: one timeline per thread in the file and in speedscope;
  - nmf/scalar with --trace-events 1000: bounded, the rest counted and said;
  - bad input: exit 2 and nothing written.
Usage: test_lines_trace_cli.py <kprof> <source dir> <work dir>"""
import json
import os
import shutil
import subprocess
import sys

KPROF, SOURCE, WORK = sys.argv[1:4]
READER = os.path.join(SOURCE, "tests", "lines", "read_trace_in_speedscope.mjs")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def kprof_lines(name, *args):
    out = os.path.join(WORK, name)
    trace = os.path.join(WORK, name + ".trace.json")
    p = subprocess.run([KPROF, "lines", *args, "-o", out, "--trace", trace], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"kprof lines {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return json.load(open(trace)), json.load(open(os.path.join(out, "lines.json"))), p.stdout, trace


def by_thread(doc):
    threads = {}
    for e in doc["traceEvents"]:
        if e["ph"] == "X":
            threads.setdefault(e["tid"], []).append(e)
    return threads


def nests(events):
    """Every two intervals of one thread are disjoint or one holds the other (1 ns of float slack)."""
    stack = []
    for e in sorted(events, key=lambda e: (e["ts"], -e["dur"])):
        while stack and not (stack[-1]["ts"] <= e["ts"] + 1e-3 and e["ts"] + e["dur"] <= stack[-1]["ts"] + stack[-1]["dur"] + 1e-3):
            if stack[-1]["ts"] + stack[-1]["dur"] > e["ts"] + 1e-3:
                return False
            stack.pop()
        stack.append(e)
    return True


def statement_line(e):
    """The statement's line from a line event's name, "file.cpp:79  text" (args.line is the marker's)."""
    return int(e["name"].split(":", 1)[1].split()[0])


def speedscope_name(e):
    return e["name"] + " " + json.dumps(e["args"], separators=(",", ":"), ensure_ascii=False)


def totals_and_self(events):
    """name as speedscope shows it -> [total ns, self ns], from the intervals' nesting."""
    sums, stack = {}, []
    for e in sorted(events, key=lambda e: (e["ts"], -e["dur"])):
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"] + 1e-3 and stack[-1]["dur"] > 0:
            stack.pop()
        s = sums.setdefault(speedscope_name(e), [0.0, 0.0])
        s[0] += e["dur"] * 1000
        s[1] += e["dur"] * 1000
        if stack:
            sums[speedscope_name(stack[-1])][1] -= e["dur"] * 1000
        stack.append(e)
    return sums


def read_in_speedscope(trace, name):
    result = os.path.join(WORK, name + ".speedscope-read.json")
    p = subprocess.run(["node", READER, "--trace", trace, "--out", result, "--screenshot",
                        os.path.join(WORK, name + ".png")], capture_output=True, text=True)
    check(p.returncode == 0, f"{name}: speedscope imports the trace cleanly ({p.stderr.strip()[-300:]})")
    return json.load(open(result)) if os.path.exists(result) else {"profiles": []}


def close(a, b, rel=0.01, floor=50):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), floor)


def single_thread_case():
    doc, run, stdout, trace = kprof_lines("nmf", "nmf/scalar", "-s", "32x300x8", "--iterations", "2")
    threads = by_thread(doc)
    check(len(threads) == 1, f"nmf/scalar: one thread in the trace ({len(threads)})")
    events = next(iter(threads.values()))
    check(nests(events), "nmf/scalar: the intervals nest")
    zero = doc["otherData"]["zero_length_left_out"]
    check(doc["otherData"]["events_kept"] == len(events) + zero and not doc["otherData"]["events_dropped"],
          f"nmf/scalar: {len(events)} intervals written (+ {zero} of zero length left out), none dropped")
    check(f"Trace: {len(events) + zero} intervals on 1 thread(s)" in stdout,
          "nmf/scalar: the text report says what the trace holds")
    (fn,) = run["sections"]["lines"]["functions"]
    marked = {r["line"] for r in fn["lines"] if r["hits"]}
    traced = {statement_line(e) for e in events if e["cat"] == "line"}
    check(traced == marked, f"nmf/scalar: the trace has exactly the table's lines ({sorted(traced ^ marked)} differ)")
    calls = sum(1 for e in events if e["cat"] == "function")
    check(calls == fn["calls"], f"nmf/scalar: one function interval per call ({calls} = {fn['calls']})")

    broken_copy_refused(doc, "nmf")
    expected = totals_and_self(events)
    read = read_in_speedscope(trace, "nmf")
    check(len(read["profiles"]) == 1, f"nmf/scalar: speedscope shows one profile ({len(read['profiles'])})")
    if not read["profiles"]:
        return
    rows = {r["name"]: r for r in read["profiles"][0]["rows"]}
    check(set(rows) == set(expected), f"nmf/scalar: speedscope's rows are the file's {len(expected)} lines and functions "
          f"(missing {sorted(set(expected) - set(rows))[:3]}, extra {sorted(set(rows) - set(expected))[:3]})")
    off = [n for n in expected if n in rows and not (close(rows[n]["total_ns"], expected[n][0]) and
                                                     close(rows[n]["self_ns"], expected[n][1]))]
    check(not off, f"nmf/scalar: speedscope's total and self of every row agree with the file's within 1% ({off[:3]})")
    top_read = max(read["profiles"][0]["rows"], key=lambda r: r["self_ns"])["name"]
    top_file = max(expected, key=lambda n: expected[n][1])
    check(top_read == top_file, f"nmf/scalar: speedscope's and the file's line with most self time agree ({top_read})")
    top_line = next(statement_line(e) for e in events if speedscope_name(e) == top_file)
    table_top = max((r for r in fn["lines"] if r["hits"]), key=lambda r: r["ns"])["line"]
    check(top_line == table_top, f"nmf/scalar: ... and it is kprof's top line by time (line {top_line}, table {table_top})")


def broken_copy_refused(doc, name):
    """The reader must be able to fail: a copy with one line running past its function is refused."""
    broken = json.loads(json.dumps(doc))
    function = next(e for e in broken["traceEvents"] if e.get("cat") == "function")
    last_line = max((e for e in broken["traceEvents"] if e.get("cat") == "line" and e["tid"] == function["tid"] and
                     e["ts"] + e["dur"] <= function["ts"] + function["dur"]), key=lambda e: e["ts"])
    last_line["dur"] += function["dur"]
    path = os.path.join(WORK, name + ".broken.json")
    json.dump(broken, open(path, "w"))
    p = subprocess.run(["node", READER, "--trace", path, "--out", path + ".read.json"], capture_output=True, text=True)
    check(p.returncode == 1, f"{name}: a copy whose line outlasts its function is refused ({p.stderr.strip()[:160]})")


def threads_case():
    doc, run, _, trace = kprof_lines("threads", "distances/threads-avx512", "-s", "2000x64x200", "--threads", "2")
    threads = by_thread(doc)
    check(len(threads) == run["sections"]["lines"]["threads"] and len(threads) >= 2,
          f"distances/threads-avx512 --threads 2: one timeline per thread that marked ({len(threads)})")
    check(all(nests(ev) for ev in threads.values()), "distances/threads-avx512: the intervals nest on every thread")
    names = [e["args"]["name"] for e in doc["traceEvents"] if e["ph"] == "M" and e["name"] == "thread_name"]
    check(len(names) == len(threads), f"distances/threads-avx512: every thread named ({names})")
    read = read_in_speedscope(trace, "threads")
    check(len(read["profiles"]) == len(threads), f"distances/threads-avx512: speedscope shows one profile per thread "
          f"({[p['name'] for p in read['profiles']]})")


def bounded_case():
    doc, _, stdout, _ = kprof_lines("bounded", "nmf/scalar", "-s", "32x300x8", "--trace-events", "1000")
    threads = by_thread(doc)
    kept = {tid: len(ev) for tid, ev in threads.items()}
    dropped = sum(doc["otherData"]["events_dropped"].values())
    zero = doc["otherData"]["zero_length_left_out"]
    check(sum(kept.values()) + zero == 1000 * len(kept) and doc["otherData"]["events_kept"] == 1000 * len(kept),
          f"nmf/scalar --trace-events 1000: each thread keeps 1000 ({kept} written, {zero} of zero length)")
    check(dropped > 0 and "were not kept" in stdout and "raise --trace-events" in stdout,
          f"nmf/scalar --trace-events 1000: {dropped} more counted and said")
    check(all(nests(ev) for ev in threads.values()), "nmf/scalar --trace-events 1000: the kept intervals nest")


def bad_input_case():
    blocker = os.path.join(WORK, "a-file")
    open(blocker, "w").write("x")
    for args, why in [(["--trace", os.path.join(blocker, "t.json")], "a trace path under a file"),
                      (["--trace", WORK], "a trace path that is a folder"),
                      (["--trace", os.path.join(WORK, "t.json"), "--trace-events", "0"], "--trace-events 0"),
                      (["--trace", os.path.join(WORK, "t.json"), "--with", "cpu"], "--trace with --with")]:
        p = subprocess.run([KPROF, "lines", "gemm/scalar", "-s", "32", *args], capture_output=True, text=True)
        check(p.returncode == 2 and p.stderr.strip(), f"bad input ({why}): exit 2 with a message ({p.returncode}: "
              f"{p.stderr.strip()[:120]})")
    check(not os.path.exists(os.path.join(WORK, "t.json")), "bad input: no trace file written")
    check(sorted(os.listdir(WORK)) == ["a-file"], f"bad input: nothing else left ({os.listdir(WORK)})")


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
bad_input_case()
single_thread_case()
threads_case()
bounded_case()
if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("all checks passed")
