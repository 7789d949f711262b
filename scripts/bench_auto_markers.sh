#!/bin/bash
# Overhead of line markers on nmf/scalar 64x1797x16 f64: plain vs automatic markers (same source,
# tests/lines/nmf_scalar_unmarked.cpp) vs manual markers (kprof vs kprof-instrumented), alternated.
B=${1:-build}
for round in 1 2 3; do
  for bin in $B/tests/lines/nmf_auto_lines $B/tests/lines/nmf_auto_lines-instrumented $B/targets/kprof $B/targets/kprof-instrumented; do
    KPROF_LINES_HANDED_OVER=1 $bin run nmf/scalar -s 64x1797x16 -t f64 --rounds 7 -q --format json 2>/dev/null |
      python3 -c "import json,sys; r=json.load(sys.stdin)['results'][0]; print('$(basename $bin)', round(r['time']['median_ns']/1e6,2))"
  done
done
