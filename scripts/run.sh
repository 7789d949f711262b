#!/usr/bin/env bash
# The main job: installs what is needed, builds kprof, compares every built-in kernel family's
# variants (correctness first, then timing) and writes the reports into kprof-report/ (or $1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/kprof-report}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
"$root/build/targets/kprof" run --out "$out"
echo "kprof: reports in $out (run.txt, run.md, run.json)"
