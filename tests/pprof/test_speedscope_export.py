#!/usr/bin/env python3
"""kprof's speedscope files validated against speedscope's own schema.

Runs `kprof cpu`, `kprof mem -o` and `kprof callgrind` on built-in kernels (as test_pprof_export
does), validates each <kind>.<key>.speedscope.json with node against the file-format-schema.json
the speedscope npm package ships (ajv; validate_speedscope.mjs, offline: both pinned in
package-lock.json, installed by scripts/setup.sh's `npm ci`), and compares each profile's total
and its top function by self weight with kprof's own JSON document of the same run. A broken copy
of a file must be refused, so the validator is seen failing. An output folder kprof cannot create
exits 2 and leaves the folder's contents as they were.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

KPROF = sys.argv[1]
NODE_MODULES = sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
FAILURES = []


def fail(message):
    FAILURES.append(message)
    print("FAIL: " + message, flush=True)


def run(argv):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=400)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def validate(paths):
    """node + ajv against speedscope's schema: (exit code, output)."""
    if shutil.which("node") is None:
        raise SystemExit("FAIL: `node` is not installed; scripts/setup.sh installs nodejs")
    if not os.path.isfile(os.path.join(NODE_MODULES, "speedscope", "dist", "release", "file-format-schema.json")):
        raise SystemExit(f"FAIL: no speedscope package in {NODE_MODULES}; run scripts/setup.sh (npm ci)")
    result = subprocess.run(["node", os.path.join(HERE, "validate_speedscope.mjs"), NODE_MODULES, *paths],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return result.returncode, result.stdout


def load(path):
    """The file, checked against the schema."""
    code, output = validate([path])
    print(output.strip())
    if code != 0:
        fail(f"{path} is not a valid speedscope file:\n{output}")
    with open(path) as f:
        return json.load(f)


def profile(doc, name):
    for p in doc["profiles"]:
        if p["name"] == name:
            return p
    raise SystemExit(f"no profile {name!r} in {[p['name'] for p in doc['profiles']]}")


def self_weights(doc, p):
    """Self weight per function name: each sample's weight at its innermost frame."""
    frames = doc["shared"]["frames"]
    by_function = {}
    for stack, weight in zip(p["samples"], p["weights"]):
        name = frames[stack[-1]]["name"]
        by_function[name] = by_function.get(name, 0) + weight
    return by_function


def check_profile(what, doc, name, unit, kprof_total, kprof_top=None, kprof_top_self=None):
    p = profile(doc, name)
    total = sum(p["weights"])
    print(f"{what}: {name!r} ({p['unit']}): total {total} (endValue {p['endValue']}), kprof {kprof_total}")
    if p["unit"] != unit:
        fail(f"{what}: profile {name!r} has unit {p['unit']!r}, not {unit!r}")
    if total != kprof_total or p["endValue"] - p["startValue"] != total:
        fail(f"{what}: {name!r}: weights {total}, endValue {p['endValue']}, kprof's total {kprof_total}")
    if kprof_top is None:
        return
    by_function = self_weights(doc, p)
    top = max(by_function, key=by_function.get)
    print(f"{what}: {name!r}: top {by_function[top]} {top}; kprof: {kprof_top_self} {kprof_top}")
    if top != kprof_top or by_function[top] != kprof_top_self:
        fail(f"{what}: {name!r}: top function {top!r} ({by_function[top]}) is not kprof's {kprof_top!r} "
             f"({kprof_top_self})")


def check_lines(what, doc, source_file):
    """Frames carry the kernel's file and line."""
    found = [f for f in doc["shared"]["frames"] if source_file in f.get("file", "") and f.get("line", 0) > 0]
    if not found:
        fail(f"{what}: no frame in {source_file} with a line: {doc['shared']['frames'][:20]}")
    names = [(f["name"], f.get("file"), f.get("line")) for f in doc["shared"]["frames"]]
    if len(names) != len(set(names)):
        fail(f"{what}: a frame is listed twice in shared.frames")


def section(path, name):
    with open(path) as f:
        return json.load(f)["sections"][name]["results"][0]


def speedscope_file(pprof_file):
    return pprof_file.removesuffix(".pb.gz") + ".speedscope.json"


def check_cpu(scratch):
    out = os.path.join(scratch, "cpu")
    run([KPROF, "cpu", "gemm/scalar", "-s", "n=96", "--seconds", "0.5", "-o", out, "-q"])
    result = section(os.path.join(out, "cpu.json"), "cpu")
    path = speedscope_file(result["pprof_file"])
    doc = load(path)
    if [p["name"] for p in doc["profiles"]] != ["cpu"]:
        fail(f"cpu: profiles {[p['name'] for p in doc['profiles']]}, expected one named cpu")
    period_ns = result["period_us"] * 1000
    top = result["top_functions"][0]
    check_profile("cpu", doc, "cpu", "nanoseconds", result["samples"] * period_ns, top["function"],
                  top["self_samples"] * period_ns)
    check_lines("cpu", doc, "gemm/gemm_scalar.cpp")
    return path


def check_mem(scratch):
    out = os.path.join(scratch, "mem")
    run([KPROF, "mem", "sgd/full-blas", "-s", "rows=2000", "-o", out, "-q", "-f", "none"])
    result = section(os.path.join(out, "memory.json"), "memory")
    path = os.path.join(out, speedscope_file(result["pprof_file"]))
    doc = load(path)
    names = [p["name"] for p in doc["profiles"]]
    if names != ["alloc_space", "alloc_objects", "inuse_space at the peak"]:
        fail(f"mem: profiles {names}")
    by_function = {}  # kprof's site table by function (test_pprof_export checks it is the whole run)
    for site in result["top_sites"]:
        by_function[site["function"]] = by_function.get(site["function"], 0) + site["bytes"]
    top = max(by_function, key=by_function.get)
    check_profile("mem", doc, "alloc_space", "bytes", result["bytes_allocated"], top, by_function[top])
    check_profile("mem", doc, "alloc_objects", "none", result["allocations"])
    check_profile("mem", doc, "inuse_space at the peak", "bytes", result["peak_bytes"])
    check_lines("mem", doc, "sgd/")
    return path


def check_callgrind(scratch):
    out = os.path.join(scratch, "callgrind")
    run([KPROF, "callgrind", "gemm/scalar", "-s", "n=32", "--iterations", "1", "--cache-sim", "-o", out, "-q"])
    result = section(os.path.join(out, "callgrind.json"), "callgrind")
    path = speedscope_file(result["pprof_file"])
    doc = load(path)
    names = [p["name"] for p in doc["profiles"]]  # in callgrind's order; kprof's JSON sorts its events by name
    if sorted(names) != sorted(result["events"]) or names[0] != "Ir":
        fail(f"callgrind: profiles {names}, events {list(result['events'])} (one profile per event, Ir first)")
    top = result["top_functions"][0]
    check_profile("callgrind", doc, "Ir", "none", result["events"]["Ir"], top["function"], top["self"]["Ir"])
    for event, total in result["events"].items():
        check_profile("callgrind", doc, event, "none", total)
    check_lines("callgrind", doc, "gemm/gemm_scalar.cpp")
    return path


def check_validator_refuses(scratch, path):
    """A copy with a unit speedscope does not know and a frame index past the frames: refused."""
    with open(path) as f:
        doc = json.load(f)
    doc["profiles"][0]["unit"] = "count"
    doc["profiles"][-1]["samples"][0] = [len(doc["shared"]["frames"])]
    broken = os.path.join(scratch, "broken.speedscope.json")
    with open(broken, "w") as f:
        json.dump(doc, f)
    code, output = validate([broken])
    print("broken copy: " + output.strip())
    if code == 0 or "unit" not in output:
        fail(f"the validator accepted a broken file:\n{output}")


def check_unwritable_folder(scratch):
    """-o under a regular file: exit 2 naming the folder, nothing written beside the file."""
    base = os.path.join(scratch, "unwritable")
    os.makedirs(base)
    with open(os.path.join(base, "file"), "w") as f:
        f.write("keep me")
    for argv in (["cpu", "gemm/scalar", "-s", "n=32", "--seconds", "0.1"], ["mem", "sgd/full-blas", "-s", "rows=200"],
                 ["callgrind", "gemm/scalar", "-s", "n=16", "--iterations", "1"]):
        result = subprocess.run([KPROF, *argv, "-q", "-o", os.path.join(base, "file", "sub")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=400)
        print(f"{argv[0]} -o <file>/sub: exit {result.returncode}: {result.stderr.strip()}")
        if result.returncode != 2 or "folder" not in result.stderr:
            fail(f"{argv[0]}: an output folder under a file: exit {result.returncode}, {result.stderr!r}")
        if os.listdir(base) != ["file"] or open(os.path.join(base, "file")).read() != "keep me":
            fail(f"{argv[0]}: the folder now holds {os.listdir(base)}")


def main():
    scratch = tempfile.mkdtemp(prefix="kprof-speedscope-test-")
    try:
        cpu = check_cpu(scratch)
        mem = check_mem(scratch)
        callgrind = check_callgrind(scratch)
        code, output = validate([cpu, mem, callgrind])
        if code != 0:
            fail(f"the three files together: {output}")
        check_validator_refuses(scratch, callgrind)
        check_unwritable_folder(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if FAILURES:
        raise SystemExit(f"{len(FAILURES)} check(s) failed")
    print("speedscope's schema accepts every file, with kprof's totals and top functions")


if __name__ == "__main__":
    main()
