#!/usr/bin/env bash
# kprof report end to end: real `kprof run` documents → index.html → headless Chromium
# (browser_check.mjs), then the bad inputs: an empty folder (exit 2), a document of another schema
# version and a folder without run.json (a page for what exists, with a note for the rest).
# Usage: report_test.sh KPROF SOURCE_DIR WORK_DIR PROBE (tests/regress' kprof_regress_probe)
set -euo pipefail
kprof=$1 source=$2 work=$3 probe=$4
check="node $source/tests/html/browser_check.mjs"
rm -rf "$work"
mkdir -p "$work"
step() { printf '\n=== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "a real run: two sizes, both element types; AVX-512 masked so that its variants are skipped"
# Small sizes and few rounds: the page is under test, not the kernels. Exit 1 (a wrong variant) is
# a finding the page must show, not a failure of this test.
KPROF_DISABLE_ISA=avx512 "$kprof" run gemm dot nmf -s 32 -s 48 --rounds 3 --min-time-ms 1 -q -f none \
  --out "$work/full" || [ $? -eq 1 ] || fail "kprof run"
step "the profilers' documents next to it: callgrind and cpu (flame graphs), mem (tables, heap over time)"
"$kprof" callgrind dot/scalar,simd-avx2 -s 2000 --iterations 2 --compare -q -o "$work/full/callgrind" >/dev/null
"$kprof" cpu dot/scalar -s 20000 --seconds 0.3 -q -o "$work/full/cpu" >/dev/null
"$kprof" mem nmf/eigen -s 32x300x8 -q -f none -o "$work/full/memory"
"$kprof" lines nmf/scalar -s 32x300x8 --iterations 2 -f none -o "$work/full/lines" 2>/dev/null
# The hottest line of nmf/scalar by line-timer time and its function, from the lines document itself.
hottest=$(python3 - "$work/full/lines/lines.json" <<'PY'
import json, sys
lines = json.load(open(sys.argv[1]))["sections"]["lines"]
rows = [(l["ns"], f["function"], l["line"]) for f in lines["functions"] if f["file"].endswith("nmf_scalar.cpp")
        for l in f["lines"]]
ns, function, line = max(rows)
print(f"{function}:ns:{line}")
PY
)
step "the regression gate: the probe's instructions made 3% worse, compared from its callgrind files"
"$probe" callgrind probe/instructions -s 4096 --iterations 2 -q -o "$work/gate-base" >/dev/null
KPROF_PROBE_EXTRA_INSTR_PCT=3 "$probe" callgrind probe/instructions -s 4096 --iterations 2 -q -o "$work/gate-current" \
  >/dev/null
mkdir -p "$work/full/regress"
set +e
"$kprof" regress -b "$work/gate-base/callgrind.json" -c "$work/gate-current/callgrind.json" --on-mismatch warn \
  --no-annotations --json "$work/full/regress/regress.json" >"$work/gate.txt"
gate=$?
set -e
cat "$work/gate.txt"
[ $gate -eq 1 ] || fail "the gate exited $gate on a 3% instruction regression, not 1"
read -r gate_base gate_now < <(python3 - "$work/gate-base/callgrind.json" "$work/gate-current/callgrind.json" <<'PY'
import json, sys
print(*[json.load(open(f))["sections"]["callgrind"]["results"][0]["per_call"]["Ir"] for f in sys.argv[1:]])
PY
)
step "history: the probe's instructions over six recorded runs, the 3% step at the fourth"
db="$work/history.sqlite"
rm -f "$db"
for i in 1 2 3; do "$kprof" history --db "$db" record --branch main --commit "base$i" "$work/gate-base/callgrind.json"; done
for i in 4 5 6; do
  "$kprof" history --db "$db" record --branch main --commit "current$i" "$work/gate-current/callgrind.json"
done
mkdir -p "$work/full/history"
"$kprof" history --db "$db" show --metric instructions --window 2 --json "$work/full/history/history.json" \
  >"$work/history.txt"
cat "$work/history.txt"
grep -q '^STEP probe/instructions/f64/n=4096' "$work/history.txt" || fail "kprof history found no step"
# The allocation flame graph's widest call site and the differential graph's two totals per call,
# from the memory and callgrind documents themselves.
mapfile -t figures < <(python3 - "$work/full/memory/memory.json" "$work/full/callgrind/callgrind.json" <<'PY'
import json, sys
memory = json.load(open(sys.argv[1]))["sections"]["memory"]["results"][0]
callgrind = {r["variant"]: r["per_call"]["Ir"] for r in json.load(open(sys.argv[2]))["sections"]["callgrind"]["results"]}
print(memory["top_sites"][0]["function"], callgrind["scalar"], callgrind["simd-avx2"], sep="\n")
PY
)
top_site=${figures[0]} base_ir=${figures[1]} now_ir=${figures[2]}
page=$("$kprof" report "$work/full" --markdown "$work/full/report.md")
[ "$page" = "$work/full/index.html" ] || fail "kprof report printed '$page', not the page's path"
step "the Markdown summary: one environment table, one comparison per family, pointers"
cat "$work/full/report.md"
[ "$(grep -c '^## Environment$' "$work/full/report.md")" -eq 1 ] || fail "report.md: not one environment table"
for family in gemm dot nmf; do
  grep -q "^### $family$" "$work/full/report.md" || fail "report.md: no comparison for $family"
done
grep -q '^| scalar *|' "$work/full/report.md" || fail "report.md: no row per variant"
grep -q '\*\*skipped\*\* simd-avx512' "$work/full/report.md" || fail "report.md: skipped variants not listed with their reason"
grep -q '^- \*\*index.html\*\*' "$work/full/report.md" || fail "report.md: no pointer to the page"
size=$(stat -c %s "$page")
echo "index.html: $size bytes"
[ "$size" -lt 5000000 ] || fail "the page is $size bytes, over 5 MB"
grep -q 'skipped' "$work/full/run.json" || fail "the run has no skipped variant to show"
$check --page "$page" --run "$work/full/run.json" --expect-text "Variants side by side" \
  --expect-text "Roofline" --expect-text "skipped" --expect-text "Flame graphs" \
  --expect-text "CPU samples (kprof cpu)" --expect-text "Instructions, inclusive (kprof callgrind)" \
  --expect-chart-text "dot_scalar" --expect-text "Memory" --expect-chart-text "bytes allocated so far" \
  --expect-text "Annotated source" --expect-hottest "$hottest" --screenshot "$work/screenshot.png" \
  --expect-text "Bytes allocated, by call stack (kprof mem)" --expect-frame "flame-allocations:$top_site" \
  --expect-frame "flame-differential:double kprof::targets::dot_avx2<double>(double const*, double const*, long)" \
  --expect-text "Regressions" --expect-text "1 regression" --expect-text "probe/instructions/f64/n=4096" \
  --expect-text "probe_family.cpp:" \
  --expect-text "History" --expect-marks "history-probe/instructions/f64/n=4096:points:6" \
  --expect-marks "history-probe/instructions/f64/n=4096:steps:1" \
  --expect-diff-root "flame-differential:baseline → current:$gate_base:$gate_now" \
  --expect-diff-root "flame-differential:scalar → simd-avx2:$base_ir:$now_ir" \
  --top-screenshot "$work/screenshot-top.png"  # docs/report.png is a copy of it

step "a size sweep: throughput against size per variant, a rule where the fastest variant changes"
"$kprof" run gemm/scalar,blas -s 4,8,16,32,64 -t f64 --rounds 3 --min-time-ms 1 -q -f none --out "$work/sweep"
"$kprof" report "$work/sweep" >/dev/null
# The crossovers counted from run.json itself: how often the fastest variant changes as work grows.
crossings=$(python3 - "$work/sweep/run.json" <<'PY'
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["results"] if r["status"] == "ok"]
best = {}
for r in rows:
    key = r["flops"]
    if key not in best or r["time"]["median_ns"] < best[key][0]:
        best[key] = (r["time"]["median_ns"], r["variant"])
order = [best[k][1] for k in sorted(best)]
print(sum(1 for a, b in zip(order, order[1:]) if a != b))
PY
)
echo "crossovers in run.json: $crossings"
$check --page "$work/sweep/index.html" --run "$work/sweep/run.json" --expect-text "Sweeps" \
  --expect-marks "sweep-gemm-f64:crossovers:$crossings"

step "thread and chunk sweeps: speed-up against threads with the ideal line, time against the working set"
# forest_fit reports a figure besides the time (held-out accuracy): the variants table shows it.
"$kprof" run gemm/scalar,blas distances/scalar,blas forest_fit -s gemm:48 \
  -s distances:n=1000,d=16,k=8,chunk=16..256:*2 -s forest_fit:trees=4,samples=500,features=8,depth=4,bins=16 \
  --threads 1,2 -t f64 --rounds 3 --min-time-ms 1 -q -f none --out "$work/threads"
"$kprof" report "$work/threads" >/dev/null
# Points per chart, counted from run.json: gemm's variants x thread counts; distances' variants x chunks at 1 thread.
mapfile -t counts < <(python3 - "$work/threads/run.json" <<'PY'
import json, sys
ok = [r for r in json.load(open(sys.argv[1]))["results"] if r["status"] == "ok"]
print(sum(1 for r in ok if r["family"] == "gemm"))
print(sum(1 for r in ok if r["family"] == "distances" and r["threads"] == 1))
PY
)
$check --page "$work/threads/index.html" --run "$work/threads/run.json" --expect-text "speed-up against threads" \
  --expect-marks "threads-gemm-f64-k=48,m=48,n=48:points:${counts[0]}" \
  --expect-marks "chunks-distances-f64-t1:points:${counts[1]}" --expect-text "best at chunk=" \
  --expect-chart-text "accuracy 0."

step "a folder without kprof documents: exit 2 with the reason"
mkdir -p "$work/empty"
echo '{"name": "not kprof"}' >"$work/empty/package.json"
set +e
"$kprof" report "$work/empty" 2>"$work/empty.err"
code=$?
set -e
cat "$work/empty.err"
[ $code -eq 2 ] || fail "exit $code for a folder without kprof documents, not 2"
grep -q "no kprof document" "$work/empty.err" || fail "the message does not say why"
[ ! -e "$work/empty/index.html" ] || fail "a page was written for nothing"

step "a document of another schema version next to a good one: a page, with a note"
mkdir -p "$work/mixed/cpu/x"
cp "$work/full/run.json" "$work/mixed/run.json"
sed 's/"schema_version": *1,/"schema_version": 99,/' "$work/full/run.json" >"$work/mixed/cpu/x/cpu.json"
grep -q '"schema_version": *99' "$work/mixed/cpu/x/cpu.json" || fail "could not make the other-version document"
"$kprof" report "$work/mixed" 2>"$work/mixed.err" >/dev/null
grep -q "cpu/x/cpu.json" "$work/mixed.err" || fail "the left-out document is not named on stderr"
$check --page "$work/mixed/index.html" --run "$work/mixed/run.json" --expect-text "Documents left out" \
  --expect-text "cpu/x/cpu.json"

step "a partial set: no run.json, only a document without results"
mkdir -p "$work/partial/lines"
python3 - "$work/full/run.json" "$work/partial/lines/lines.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
run["results"] = []
json.dump(run, open(sys.argv[2], "w"))
PY
"$kprof" report "$work/partial" >/dev/null
$check --page "$work/partial/index.html" --expect-text "No timing results in this folder"
echo "report_test: all passed"
