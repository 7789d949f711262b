#!/usr/bin/env bash
# Region-only against whole-program callgrind on a built-in kernel, for docs/PERFORMANCE.md
# "callgrind and gperftools": `kprof region` natively and under valgrind's core alone, `kprof
# callgrind` (region only: the whole command, reading and printing included), and whole-program
# callgrind of the same `kprof region` invocation; RUNS rounds interleaved. Prints wall and CPU
# (user + sys, children included) seconds and the Ir collected; CPU time is the figure to compare
# on a shared machine (see bench_region_harness.sh).
#
#   bench_kprof_region.sh <kprof> <family/variant> <size> [iterations=1] [runs=2] [workdir=/tmp/kprof-region-kprof]
set -euo pipefail
kprof=$1
target=$2
size=$3
iterations=${4:-1}
runs=${5:-2}
work=${6:-/tmp/kprof-region-kprof}
mkdir -p "$work"
region=(region "$target" -s "$size" --iterations "$iterations" --collector none)

run() {  # run <name> <Ir source> <command...>
  local name=$1 ir_from=$2
  shift 2
  rm -rf "${work:?}/$name" && mkdir -p "$work/$name"
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$work/$name.out" 2>"$work/$name.err"
  local ir="-"
  case $ir_from in
    json) ir=$(jq -r '.sections.callgrind.results[0].events.Ir' "$work/$name/callgrind.json") ;;
    file) ir=$(sed -n "s/^totals: //p" "$work/$name/callgrind.out") ;;
  esac
  awk -v n="$name" -v ir="$ir" '{ printf "%-7s wall %8.2f s  cpu %8.2f s  Ir %s\n", n, $1, $2 + $3, ir }' "$work/time"
}

echo "# $target -s $size --iterations $iterations; $(date -u +%FT%TZ) $(uptime)"
for ((i = 1; i <= runs; ++i)); do
  run native - "$kprof" "${region[@]}"
  run none - valgrind --tool=none "$kprof" "${region[@]}"
  run region json "$kprof" callgrind "$target" -s "$size" --iterations "$iterations" -q -o "$work/region"
  run whole file valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$work/whole/callgrind.out" \
    "$kprof" "${region[@]}"
  echo "# $(uptime)"
done
