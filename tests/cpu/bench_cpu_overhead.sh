#!/usr/bin/env bash
# gperftools' own overhead on a kernel region, for docs/PERFORMANCE.md "callgrind and gperftools".
#
# Each round, interleaved so that load changes hit every configuration alike:
#   base  kprof region <target> --iterations 1 --collector none           (start-up + setup + 2 calls)
#   off   kprof region <target> --iterations N --collector none
#   F Hz  CPUPROFILE_FREQUENCY=F kprof region <target> --iterations N --collector cpu
# and the CPU time (user + sys) of each process. The region's CPU time is off - base; the
# profiler's overhead is (F Hz - off) / (off - base). CPU time, not wall time: the runs are
# single-threaded, and on a shared machine (autogroup scheduling shares the cores between login
# sessions whatever their nice values) wall time measures the other sessions more than kprof.
# Samples are gperftools' own count ("PROFILE: interrupts/..." on stderr) against the expected
# region CPU time x F. Then one `kprof cpu` per frequency gives the share of samples whose stack
# passes through the kernel function (inclusive samples of the first top function whose name
# contains PATTERN / all samples).
#
#   bench_cpu_overhead.sh <kprof> <family/variant> <size> <iterations> <pattern> [runs=5] [freqs="100 1000 4000"]
set -euo pipefail
kprof=$1
target=$2
size=$3
iterations=$4
pattern=$5
runs=${6:-5}
freqs=${7:-100 1000 4000}
work=$(mktemp -d /tmp/kprof-cpu-overhead.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
cpu_of() { awk '{ print $1 + $2 }' "$work/time"; }

measure() {  # measure <name> <iterations> <collector> [frequency]
  local name=$1 n=$2 collector=$3 f=${4:-}
  env ${f:+CPUPROFILE_FREQUENCY=$f} /usr/bin/time -f '%U %S' -o "$work/time" "$kprof" region "$target" -s "$size" \
    --iterations "$n" --collector "$collector" --cpu-profile "$work/p.prof" 2>"$work/err"
  cpu_of >>"$work/$name.cpu"
  if [[ $collector == cpu ]]; then
    sed -n 's/^PROFILE: interrupts\/evictions\/bytes = \([0-9]*\)\/.*/\1/p' "$work/err" >>"$work/$name.samples"
  fi
}

echo "# $(date -u +%FT%TZ) $(uptime)"
for ((i = 1; i <= runs; ++i)); do
  measure base 1 none
  measure off "$iterations" none
  for f in $freqs; do measure "f$f" "$iterations" cpu "$f"; done
done
echo "# $(uptime)"

base=$(median <"$work/base.cpu")
off=$(median <"$work/off.cpu")
region=$(echo "$off - $base" | bc -l)
printf '%s -s %s --iterations %s, %d rounds, process CPU seconds (median):\n' "$target" "$size" "$iterations" "$runs"
printf '  start-up+setup %.3f s; profiler off %.3f s (runs: %s) -> region %.3f s\n' "$base" "$off" \
  "$(sort -g "$work/off.cpu" | tr '\n' ' ')" "$region"
for f in $freqs; do
  on=$(median <"$work/f$f.cpu")
  samples=$(median <"$work/f$f.samples")
  "$kprof" cpu "$target" -s "$size" --iterations "$iterations" --frequency "$f" -q -o "$work/cpu$f" >/dev/null 2>&1
  share=$(jq -r --arg p "$pattern" '.sections.cpu.results[0] | . as $r |
    ([.top_functions[] | select(.function | contains($p)) | .inclusive_samples] | first // 0) / $r.samples' \
    "$work/cpu$f/cpu.json")
  printf '  %5s Hz: %.3f s (runs: %s) overhead %+.2f%% of the region; samples %s (median; %.0f expected); in %s: %.3f\n' \
    "$f" "$on" "$(sort -g "$work/f$f.cpu" | tr '\n' ' ')" "$(echo "($on - $off) / $region * 100" | bc -l)" \
    "$samples" "$(echo "$region * $f" | bc -l)" "$pattern" "$share"
done
