#!/bin/bash
# Overhead of line markers on a scalar kernel: the plain build vs automatic markers (the same source,
# tests/lines/<kernel>_scalar_unmarked.cpp, marked by kprof-mark) vs the built-in manual markers
# (kprof vs kprof-instrumented), alternated over 3 rounds. Usage: bench_auto_markers.sh [build] [nmf|gemm]
B=${1:-build}
KERNEL=${2:-nmf}
case $KERNEL in
  nmf) JOB=(nmf/scalar -s 64x1797x16 -t f64) ;;
  gemm) JOB=(gemm/scalar -s 512 -t f64) ;;
  *) echo "bench_auto_markers.sh: unknown kernel '$KERNEL' (nmf or gemm)" >&2; exit 2 ;;
esac
for round in 1 2 3; do
  for bin in $B/tests/lines/${KERNEL}_auto_lines $B/tests/lines/${KERNEL}_auto_lines-instrumented $B/targets/kprof $B/targets/kprof-instrumented; do
    KPROF_LINES_HANDED_OVER=1 $bin run "${JOB[@]}" --rounds 7 -q --format json 2>/dev/null |
      python3 -c "import json,sys; r=json.load(sys.stdin)['results'][0]; print('$(basename $bin)', round(r['time']['median_ns']/1e6,2))"
  done
done
