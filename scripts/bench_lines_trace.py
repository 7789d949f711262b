#!/usr/bin/env python3
"""What `kprof lines --trace` costs: the region's wall time of `kprof lines` with and without
--trace (alternated, 9 rounds, medians and their ratio) and the calibrated cost of a line change in
each mode, on nmf/scalar (many line changes: ~6,300 intervals per call) and gemm/scalar (few: its
loops re-mark one line). docs/PERFORMANCE.md quotes it. Run on a quiet machine (nothing building).
Usage: scripts/bench_lines_trace.py [build dir]"""
import json
import os
import statistics
import subprocess
import sys
import tempfile

KPROF = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "build", "targets", "kprof")
JOBS = {"nmf/scalar": ["-s", "32x300x8", "--iterations", "5"],
        "gemm/scalar": ["-s", "64x1000x32", "--iterations", "3"]}
ROUNDS = 9


def one_run(job, args, trace):
    extra = ["--trace", trace, "--trace-events", "1000000"] if trace else []
    p = subprocess.run([KPROF, "lines", job, *args, "-f", "json", *extra], capture_output=True, text=True, check=True)
    section = json.loads(p.stdout)
    return section["region_wall_ns"] / 1e6, section["clock"]["line_mark_ns"]


with tempfile.TemporaryDirectory() as tmp:
    trace = os.path.join(tmp, "bench.trace.json")
    for job, args in JOBS.items():
        wall, mark = {"off": [], "on": []}, {"off": [], "on": []}
        for _ in range(ROUNDS):
            for mode in ("off", "on"):
                w, m = one_run(job, args, trace if mode == "on" else None)
                wall[mode].append(w)
                mark[mode].append(m)
        other = json.load(open(trace))["otherData"]
        off, on = statistics.median(wall["off"]), statistics.median(wall["on"])
        print(f"{job} {' '.join(args)}: region wall median {off:.2f} ms without --trace, {on:.2f} ms with "
              f"(ratio {on / off:.3f}); a line change costs {statistics.median(mark['off']):.1f} ns / "
              f"{statistics.median(mark['on']):.1f} ns (calibrated); {other['events_kept']} intervals per run")
        print("  without:", " ".join(f"{w:.2f}" for w in wall["off"]))
        print("  with:   ", " ".join(f"{w:.2f}" for w in wall["on"]))
