#!/usr/bin/env bash
# Builds tests/consumer both ways and runs the kernel it registers through kprof's command line.
# Usage: consumer_test.sh <subdirectory|package> <kprof source dir> <kprof build dir> <work dir>
set -euo pipefail
mode="$1" src="$2" build="$3" work="$4"
rm -rf "$work" && mkdir -p "$work"
# fmt is not a dependency (issue 12 item 14): it is installed on this machine, so say it is absent.
args=(-DKPROF_CONSUME="$mode" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_DISABLE_FIND_PACKAGE_fmt=ON)
if [ "$mode" = package ]; then
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  args+=(-DCMAKE_PREFIX_PATH="$work/prefix")
else
  args+=(-DKPROF_SOURCE_DIR="$src")
fi
cmake -S "$src/tests/consumer" -B "$work/build" -G Ninja "${args[@]}" >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
bin="$work/build/my_kernels"
out=$("$bin" run user_axpy -s 1000 -t f64 --rounds 3 --min-time-ms 1 -q --format json)
echo "$out" | grep -q '"family": "user_axpy"'
echo "$out" | grep -q '"status": "ok"'
# The user's binary has only the user's families, and every kprof subcommand.
"$bin" list | grep -q '^user_axpy:'
if "$bin" run gemm >/dev/null 2>&1; then
  echo "unexpected: built-in families leaked into the consumer binary" >&2
  exit 1
fi
# kprof_add_kernels linked the memory hooks: `mem` traces the scratch copy (8000 bytes a call).
mem=$("$bin" mem user_axpy/scratch -s 1000 -t f64 --format json)
echo "$mem" | grep -Eq '"bytes_allocated": [1-9]' || { echo "mem: no allocation seen: $mem" >&2; exit 1; }
# ... and the instrumented flavour next to it: `lines` times the marked line.
lines=$("$bin" lines user_axpy/scratch -s 1000 -t f64 --iterations 5 --format json)
echo "$lines" | grep -q '"hits"' || { echo "lines: no line timings: $lines" >&2; exit 1; }
# kprof::kprof is registration and running only: no CLI11, Google Benchmark, SQLite, libdw or BLAS.
"$work/build/register_only" | grep -q '^twice/add: ok$'
if ldd "$work/build/register_only" | grep -E 'libbenchmark|libsqlite3|libdw|libopenblas'; then
  echo "register_only (kprof::kprof alone) links the command line's dependencies" >&2
  exit 1
fi
# BLAS is optional: a user's binary whose kernels call no BLAS does not link it, and says so.
if ldd "$bin" | grep libopenblas; then
  echo "my_kernels links OpenBLAS though none of its kernels calls BLAS" >&2
  exit 1
fi
"$bin" env | grep -q '^blas_library: none$'
# Embedded, kprof installs nothing of its own (KPROF_INSTALL is off for a subproject).
cmake --install "$work/build" --prefix "$work/user-prefix" >/dev/null
if [ "$mode" = subdirectory ] && [ -e "$work/user-prefix/include/kprof" ]; then
  echo "an embedded kprof installed its headers into the user's prefix" >&2
  exit 1
fi
[ -x "$work/user-prefix/bin/my_kernels" ]
if grep -v "^$work/user-prefix/" "$work/build/install_manifest.txt"; then
  echo "the consumer's install wrote the files above outside its prefix" >&2
  exit 1
fi
# A consumer tree and prefix are ~1.3 GB: kept only when a check above failed (set -e stops before).
rm -rf "$work"
echo "consumer ($mode): ok"
