#!/usr/bin/env python3
"""kprof's pprof files read by the real pprof.

Runs `kprof cpu`, `kprof mem` and `kprof callgrind` on built-in kernels, opens each .pb.gz with
`go tool pprof` (Debian's golang-go; offline: HOME, GOCACHE and GOPATH in a scratch folder, no
network needed) and compares pprof's top table, its total and its first row (the top function by
flat cost), with kprof's own JSON document of the same run. pprof must name the kernel's
source file with a line for its frames (`-raw` prints each location's file:line).
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KPROF = sys.argv[1]
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL: " + message, flush=True)


def run(argv, env=None):
    result = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=400)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def go_env(scratch):
    if shutil.which("go") is None:
        raise SystemExit("FAIL: `go` is not installed; scripts/setup.sh installs golang-go (go tool pprof) "
                         "and golang-github-google-pprof-dev")
    env = dict(os.environ)
    for name in ("HOME", "GOCACHE", "GOPATH"):
        env[name] = os.path.join(scratch, name.lower())
        os.makedirs(env[name], exist_ok=True)
    env["GOPROXY"] = "off"  # offline: pprof is part of the Go distribution
    env["GOFLAGS"] = ""
    env.pop("PPROF_BINARY_PATH", None)
    return env


def pprof(env, *args):
    return run(["go", "tool", "pprof", "-symbolize=none", *args], env=env)


NUMBER = r"([0-9][0-9.]*(?:e[+-]?[0-9]+)?)"


def top_table(env, path, sample_index):
    """pprof's total and its first row (flat, function) for one sample type, in its unit."""
    # Bytes and nanoseconds unscaled (pprof prints 1.2MB, 0.13s otherwise); counts are printed whole.
    unit = {"alloc_space": "B", "inuse_space": "B", "cpu": "ns"}.get(sample_index)
    text = pprof(env, "-top", "-nodecount=5", *(["-unit=" + unit] if unit else []), "-sample_index=" + sample_index,
                 path)
    suffix = re.escape(unit or "")
    total = re.search(r"of " + NUMBER + suffix + r" total", text)
    if total is None or "flat%" not in text:
        raise SystemExit(f"no total or table in pprof's output:\n{text}")
    first = text[text.index("flat%"):].splitlines()[1].split()
    return float(total.group(1)), float(first[0].removesuffix(unit or "")), " ".join(first[5:]), text


def check_top(what, path, env, sample_index, kprof_total, kprof_top_function, kprof_top_flat):
    total, flat, function, text = top_table(env, path, sample_index)
    print(f"{what}: pprof -sample_index={sample_index}: total {total:.0f}, top {flat:.0f} {function}")
    print(f"{what}: kprof: total {kprof_total}, top {kprof_top_flat} {kprof_top_function}")
    if abs(total - kprof_total) > 0.5:
        fail(f"{what}: pprof's total {total} is not kprof's {kprof_total}\n{text}")
    if abs(flat - kprof_top_flat) > 0.5:
        fail(f"{what}: pprof's top flat {flat} is not kprof's {kprof_top_flat}\n{text}")
    if function != kprof_top_function:
        fail(f"{what}: pprof's top function {function!r} is not kprof's {kprof_top_function!r}\n{text}")


def check_lines(what, path, env, source_file):
    """-raw prints each location as `address M=mapping function file:line`: the kernel's carry their line."""
    text = pprof(env, "-raw", path)
    pattern = re.escape(source_file) + r"[^ ]*:[1-9][0-9]*"
    if not re.search(pattern, text):
        fail(f"{what}: no {source_file}...:<line> location in pprof -raw\n{text[:3000]}")
    else:
        print(f"{what}: -raw shows {re.search(pattern, text).group(0)}")


def check_gzip(path):
    with open(path, "rb") as f:
        if f.read(2) != b"\x1f\x8b":
            fail(f"{path} is not gzipped")
    gzip.open(path).read()


def section(path, name):
    with open(path) as f:
        return json.load(f)["sections"][name]["results"][0]


def check_cpu(scratch, env):
    out = os.path.join(scratch, "cpu")
    run([KPROF, "cpu", "gemm/scalar", "-s", "n=96", "--seconds", "0.5", "-o", out, "-q"])
    doc = section(os.path.join(out, "cpu.json"), "cpu")
    path = doc["pprof_file"]
    check_gzip(path)
    top = doc["top_functions"][0]
    check_top("cpu", path, env, "samples", doc["samples"], top["function"], top["self_samples"])
    check_top("cpu", path, env, "cpu", doc["samples"] * doc["period_us"] * 1000, top["function"],
              top["self_samples"] * doc["period_us"] * 1000)
    check_lines("cpu", path, env, "gemm/gemm_scalar.cpp")


def check_mem(scratch, env):
    out = os.path.join(scratch, "mem")
    run([KPROF, "mem", "sgd/full-blas", "-s", "rows=2000", "-o", out, "-q", "-f", "none"])
    doc = section(os.path.join(out, "memory.json"), "memory")
    path = os.path.join(out, doc["pprof_file"])
    check_gzip(path)
    # kprof's site table, by function (pprof's flat is per function; a function may allocate at
    # several lines). The run's sites are all in the table: their bytes add up to the total.
    by_function = {}
    for site in doc["top_sites"]:
        name = site["function"]
        by_function[name] = by_function.get(name, 0) + site["bytes"]
    if sum(by_function.values()) != doc["bytes_allocated"]:
        raise SystemExit(f"the test's kernel allocates at more sites than kprof's table lists: {doc['top_sites']}")
    top = max(by_function, key=by_function.get)
    check_top("mem", path, env, "alloc_space", doc["bytes_allocated"], top, by_function[top])
    total, _, _, _ = top_table(env, path, "inuse_space")
    print(f"mem: pprof inuse_space total {total:.0f}, kprof peak_bytes {doc['peak_bytes']}")
    if total != doc["peak_bytes"]:
        fail(f"mem: pprof's inuse_space total {total} is not kprof's peak {doc['peak_bytes']}")
    total, _, _, _ = top_table(env, path, "alloc_objects")
    print(f"mem: pprof alloc_objects total {total:.0f}, kprof allocations {doc['allocations']}")
    if total != doc["allocations"]:
        fail(f"mem: pprof's alloc_objects total {total} is not kprof's {doc['allocations']}")
    check_lines("mem", path, env, "sgd/")


def check_callgrind(scratch, env):
    out = os.path.join(scratch, "callgrind")
    run([KPROF, "callgrind", "gemm/scalar", "-s", "n=32", "--iterations", "1", "--cache-sim", "-o", out, "-q"])
    doc = section(os.path.join(out, "callgrind.json"), "callgrind")
    path = doc["pprof_file"]
    check_gzip(path)
    if len(doc["events"]) < 2:
        fail(f"callgrind --cache-sim recorded only {doc['events']}")
    top = doc["top_functions"][0]
    check_top("callgrind", path, env, "Ir", doc["events"]["Ir"], top["function"], top["self"]["Ir"])
    for event, total in doc["events"].items():  # every event is a sample type with callgrind's total
        pprof_total, _, _, _ = top_table(env, path, event)
        if pprof_total != total:
            fail(f"callgrind: pprof's {event} total {pprof_total} is not kprof's {total}")
    print(f"callgrind: {len(doc['events'])} events, totals compared: {', '.join(doc['events'])}")
    check_lines("callgrind", path, env, "gemm/gemm_scalar.cpp")


def main():
    scratch = tempfile.mkdtemp(prefix="kprof-pprof-test-")
    try:
        env = go_env(scratch)
        check_cpu(scratch, env)
        check_mem(scratch, env)
        check_callgrind(scratch, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if FAILURES:
        raise SystemExit(f"{len(FAILURES)} check(s) failed")
    print("pprof read every file with kprof's totals and top functions")


if __name__ == "__main__":
    main()
