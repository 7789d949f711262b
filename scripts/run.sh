#!/usr/bin/env bash
# The main job: installs what is needed, builds kprof, then profiles the built-in kernels and writes
# every report into one folder (default kprof-report/, or $1):
#   run.txt/.md/.json          every family's variants compared (correctness first, then timing)
#   lines/<target>/            line timers (%lprun) of the instrumented scalar kernels (forest_fit: histograms vs
#                              split evaluation) + kcachegrind file
#   callgrind/<family>/        instruction counts of the kernel region, variants side by side + kcachegrind files
#   cpu/<target>/              gperftools samples of the region, per function and line + kcachegrind file
#   memory/<family>/           peak, allocations and call sites per variant + massif files
#   index.html                 one offline page: the variants side by side, the roofline, the machine (docs/REPORT.md)
#   report.md                  a summary fit for a CI step summary: environment, one comparison per family, pointers
# The last line printed is the page's path.
# Each report is written atomically by kprof; the folder is assembled next to the destination and
# swapped in only when every step succeeded, so a failed run never leaves a half-made report.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(realpath -m "${1:-$root/kprof-report}")"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
kprof="$root/build/targets/kprof"
# The reports record the commit they were made from, whatever folder they are written in.
if commit="$(git -C "$root" rev-parse HEAD 2>/dev/null)"; then export KPROF_GIT_COMMIT="$commit"; fi

parent="$(dirname "$out")"
mkdir -p "$parent"
work="$(mktemp -d "$parent/.kprof-report.XXXXXX")"
trap 'rm -rf "$work"' EXIT

step() { printf '\n=== %s\n' "$*" >&2; }

# Inside the folder, so that the reports name their files relative to it (they move with it).
cd "$work"

step "compare every family's variants"
"$kprof" run --out .

# Small sizes for the valgrind-driven steps: callgrind runs the region ~50-100x slower than native.
step "line timers"
for target in nmf/scalar gemm/scalar distances/scalar forest_fit/serial; do
  "$kprof" lines "$target" --out "lines/${target/\//-}" -f none
done

step "callgrind, region only, variants side by side"
"$kprof" callgrind gemm --compare -s 256 -q --out "callgrind/gemm" >/dev/null
"$kprof" callgrind distances --compare -s n=4096,d=64,k=64 -q --out "callgrind/distances" >/dev/null
"$kprof" callgrind nmf --compare -s 32x400x8 -q --out "callgrind/nmf" >/dev/null

step "gperftools CPU samples"
for target in gemm/simd-avx512 distances/blas nmf/scalar; do
  "$kprof" cpu "$target" -q --out "cpu/${target/\//-}" >/dev/null
done

step "memory"
for family in sgd distances nmf forest_fit; do
  "$kprof" mem "$family" -q --out "memory/$family" -f none
done

step "the page (index.html) and a summary (report.md)"
# Relative to the folder, so that the summary's pointers stay true once it is moved into place.
"$kprof" report . --markdown report.md -q >/dev/null

cd "$root"
chmod 755 "$work"
rm -rf "$out.old"
[ -e "$out" ] && mv "$out" "$out.old"
mv "$work" "$out"
trap - EXIT
rm -rf "$out.old"
echo "kprof: reports in $out (report.md: a summary for CI; run.txt, run.json; lines/, callgrind/, cpu/, memory/)" >&2
echo "$out/index.html"
