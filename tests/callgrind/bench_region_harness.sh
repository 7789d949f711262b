#!/usr/bin/env bash
# Figures of docs/PERFORMANCE.md "callgrind and gperftools": the harness natively, under valgrind's
# core alone (--tool=none), under callgrind region only (as `kprof callgrind` runs a kernel) and
# under whole-program callgrind, RUNS times each, interleaved (so that load changes hit every
# configuration alike). Prints one line per run: configuration, wall and CPU (user + sys) seconds
# of the whole process, the Ir callgrind collected, and the harness's own setup/kernel times
# (under valgrind: its times inside valgrind). Everything here is single-threaded, so CPU time is
# what the run would take alone; on a shared machine it is the figure to compare (wall time
# depends on the other login sessions: autogroup scheduling shares the cores between sessions
# whatever their nice values).
#
#   bench_region_harness.sh <kprof_bench_region_harness> <typical|libm> [runs=2] [workdir=/tmp/kprof-region-bench] [setup_rounds]
# (setup_rounds: the harness's default, ~1 s natively, unless given)
set -euo pipefail
harness=$1
setup=$2
runs=${3:-2}
work=${4:-/tmp/kprof-region-bench}
rounds=(${5:-})
mkdir -p "$work"

run() {  # run <name> <command...>: wall and CPU time of the command, Ir of its callgrind file, its output
  local name=$1
  shift
  local out=$work/$name.$setup.cg
  rm -f "$out"
  local line times ir="-"
  line=$(/usr/bin/time -f '%e %U %S' -o "$work/time" "$@" 2>"$work/$name.$setup.log" | tail -n 1)
  times=$(awk '{ printf "wall %8.2f s  cpu %8.2f s", $1, $2 + $3 }' "$work/time")
  # callgrind writes "summary: 0" when instrumentation starts off; "totals:" is the sum.
  [[ -f $out ]] && ir=$(sed -n "s/^totals: //p" "$out")
  printf '%-8s %-7s %s  Ir %-12s  %s\n' "$setup" "$name" "$times" "$ir" "$line"
}

echo "# $(date -u +%FT%TZ) $(uptime)"
for ((i = 1; i <= runs; ++i)); do
  run native "$harness" whole "$setup" "${rounds[@]}"
  run none valgrind --tool=none "$harness" whole "$setup" "${rounds[@]}"
  run region valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no --dump-instr=yes \
    --callgrind-out-file="$work/region.$setup.cg" "$harness" region "$setup" "${rounds[@]}"
  run whole valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$work/whole.$setup.cg" \
    "$harness" whole "$setup" "${rounds[@]}"
  echo "# $(uptime)"
done
