#!/usr/bin/env bash
# Installs what is needed, builds kprof and runs the whole test suite, in four stages (what CI runs):
#   1. RelWithDebInfo build, every test except the `long` label;
#   2. ASan+UBSan build, every test that can run under ASan (not `no_asan`, not `long`);
#   3. TSan build, the tests labelled `threads`;
#   4. libFuzzer (clang) on every reader of outside files, KPROF_FUZZ_SECONDS (30) each.
# docs/DEVELOPING.md "Tests" gives each stage's time on 2 cores and the tests ASan cannot run.
# Usage: scripts/test.sh [--quick] [--long]   (--quick: stage 1 only; --long: also the `long` label)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
quick=0
long=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --full) quick=0 ;;  # the default since every stage runs in CI; kept for old command lines
    --long) long=1 ;;
    *) echo "usage: scripts/test.sh [--quick] [--long]" >&2; exit 2 ;;
  esac
done
jobs="$(nproc)"
started=$(date +%s)
"$root/scripts/setup.sh"

# Each stage's start, in seconds since the first: the figures docs/DEVELOPING.md quotes.
step() { printf '\n=== %s (at %d s)\n' "$*" $(($(date +%s) - started)); }

# Builds only the executables the selected tests run: sanitizer builds of everything would double CI time.
# The targets are the tests' executables, not their names: some tests run another test's executable
# with other arguments or environment (test_memory_threads, test_lines_runtime_clock_gettime). ctest
# names a test's command only once it is built, so the executables are read from CTestTestfile.cmake.
build_tests() {  # build-dir ctest-label-args...
  local dir="$1"; shift
  local names
  names=$(ctest --test-dir "$dir" -N "$@" | awk '/Test +#/ {print $3}' | python3 -c '
import os, re, sys
root = os.path.realpath(sys.argv[1])
wanted, exes = set(sys.stdin.read().split()), set()
for d, _, files in os.walk(root):
    if "CTestTestfile.cmake" in files:
        for name, exe in re.findall(r"add_test\(\[=\[(.+?)\]=\] \"([^\"]+)\"", open(os.path.join(d, "CTestTestfile.cmake")).read()):
            if name in wanted and os.path.realpath(exe).startswith(root + os.sep):
                exes.add(os.path.basename(exe))
print(" ".join(sorted(exes)))' "$dir")
  [ -n "$names" ] && cmake --build "$dir" -j"$jobs" --target kprof $names
}

step "release build and tests"
"$root/scripts/build.sh" "$root/build"
if [ $long -eq 1 ]; then
  ctest --test-dir "$root/build" --output-on-failure -j"$jobs"
else
  ctest --test-dir "$root/build" --output-on-failure -j"$jobs" -LE long
fi
[ $quick -eq 1 ] && exit 0

step "ASan + UBSan"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPROF_SANITIZE=address,undefined \
  -DKPROF_BUILD_BENCHMARKS=OFF >/dev/null
build_tests "$root/build-asan" -LE "no_asan|long|valgrind"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-asan" --output-on-failure -j"$jobs" -LE "no_asan|long|valgrind"

step "TSan (threaded parts)"
cmake -S "$root" -B "$root/build-tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPROF_SANITIZE=thread \
  -DKPROF_BUILD_BENCHMARKS=OFF >/dev/null
build_tests "$root/build-tsan" -L threads -LE "no_tsan|long"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir "$root/build-tsan" --output-on-failure -j"$jobs" -L threads -LE "no_tsan|long"

step "libFuzzer"
CC=clang CXX=clang++ cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKPROF_BUILD_FUZZERS=ON -DKPROF_BUILD_TESTS=ON -DKPROF_BUILD_BENCHMARKS=OFF >/dev/null
fuzzers=$(cmake --build "$root/build-fuzz" --target help | awk -F: '/^fuzz_/ {print $1}')
if [ -z "$fuzzers" ]; then
  echo "no fuzz targets defined"
else
  cmake --build "$root/build-fuzz" -j"$jobs" --target $fuzzers
  fuzz_seconds="${KPROF_FUZZ_SECONDS:-30}"
  for f in $fuzzers; do
    exe=$(find "$root/build-fuzz" -type f -name "$f" -perm -u+x | head -n 1)
    corpus="$root/tests/fuzz/corpus/${f#fuzz_}"
    work=$(mktemp -d)
    [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
    echo "$f: ${fuzz_seconds}s"
    # A crash's report and input must survive: the whole log is shown on failure, and the input is
    # kept in build-fuzz (add it to the corpus as a regression seed once fixed).
    if ! "$exe" -max_total_time="$fuzz_seconds" -print_final_stats=1 -artifact_prefix="$root/build-fuzz/$f-" \
      "$work" >"$work.log" 2>&1; then
      cat "$work.log"
      echo "$f failed; its input is in $root/build-fuzz/$f-*" >&2
      exit 1
    fi
    tail -n 3 "$work.log"
    rm -rf "$work" "$work.log"
  done
fi
step "all test stages passed"
