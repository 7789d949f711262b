#!/usr/bin/env python3
"""`kprof lines --with callgrind,cpu,mem` and `kprof annotate`: the line timers and the three
profilers run on one job into one folder, and one table per function holds every per-line figure,
each equal to what its own document says. Bad input: exit 2 naming the problem.
Usage: test_lines_with.py <kprof> <work dir>"""
import json
import os
import shutil
import subprocess
import sys

KPROF, WORK = sys.argv[1:3]
JOB = ["nmf/scalar", "-s", "32x300x8", "-t", "f64", "--iterations", "2"]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def kprof(*args):
    return subprocess.run([KPROF, *args], capture_output=True, text=True)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
out = os.path.join(WORK, "with")
p = kprof("lines", *JOB, "--with", "callgrind,cpu,mem", "-o", out)
check(p.returncode == 0, f"lines --with callgrind,cpu,mem exits 0 ({p.returncode}: {p.stderr[-400:]})")
table = p.stdout
check(table.startswith("nls_scalar  ("), "the table starts with the kernel's own function")
header = table.splitlines()[1] if len(table.splitlines()) > 1 else ""
for column in ("Ir · callgrind", "samples · cpu", "time · lines", "hits · lines", "bytes · mem"):
    check(column in header, f"nls_scalar's table has the column {column!r}")

view = json.loads(kprof("annotate", out, "-f", "json", "--lines", "0").stdout)
nls = next(v for v in view["functions"] if v["function"] == "nls_scalar")
columns = [c["label"].split(" ")[0] + " " + c["label"].split(" ")[2] for c in nls["columns"]]
by_text = {l["text"].strip(): dict(zip(columns, l["values"])) for l in nls["lines"]}

lines_doc = json.load(open(os.path.join(out, "lines.json")))["sections"]["lines"]["functions"][0]
for row in lines_doc["lines"]:
    if row["hits"] and "KPROF_FUNCTION" not in row["text"]:
        got = by_text.get(row["text"].strip(), {}).get("hits lines")
        check(got == row["hits"], f"hits of {row['text'].strip()[:40]!r}: lines.json {row['hits']}, annotate {got}")
        break
memory = json.load(open(os.path.join(out, "memory.json")))["sections"]["memory"]["results"][0]
bytes_total = sum(v.get("bytes mem") or 0 for f in view["functions"] for v in
                  [dict(zip([c["label"].split(" ")[0] + " " + c["label"].split(" ")[2] for c in f["columns"]], l["values"]))
                   for l in f["lines"]])
check(bytes_total == memory["bytes_allocated"],
      f"the bytes on the lines add up to what mem says the region allocated ({bytes_total} vs {memory['bytes_allocated']})")
gemm_inner = [l for f in view["functions"] if f["function"] == "gemm_nn_minus" for l in f["lines"]
              if "+= A[i + l * a] * blj" in l["text"]]
check(len(gemm_inner) == 1 and gemm_inner[0]["values"][0] and gemm_inner[0]["values"][0] > 0,
      "the hot inner loop of gemm_nn_minus has callgrind's Ir")

p = kprof("lines", *JOB, "--with", "callgrind")
check(p.returncode == 2 and "--with needs -o" in p.stderr, f"--with without -o: exit 2 saying why ({p.stderr.strip()})")
p = kprof("lines", *JOB, "--with", "perf", "-o", out)
check(p.returncode == 2 and "perf" in p.stderr, "--with an unknown profiler: exit 2 naming it")
empty = os.path.join(WORK, "empty")
os.makedirs(empty)
p = kprof("annotate", empty)
check(p.returncode == 2 and "no per-line figures" in p.stderr, f"annotate on a folder without documents: exit 2 ({p.stderr.strip()})")
p = kprof("annotate", out, "--function", "no_such_function")
check(p.returncode == 2 and "no_such_function" in p.stderr, "annotate --function matching nothing: exit 2 naming it")

print(f"{len(failures)} failure(s)")
if not failures:
    shutil.rmtree(WORK, ignore_errors=True)
sys.exit(1 if failures else 0)
