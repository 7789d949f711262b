#!/usr/bin/env bash
# Builds tests/consumer both ways and runs the kernel it registers through kprof's command line.
# Usage: consumer_test.sh <subdirectory|package> <kprof source dir> <kprof build dir> <work dir>
set -euo pipefail
mode="$1" src="$2" build="$3" work="$4"
rm -rf "$work" && mkdir -p "$work"
args=(-DKPROF_CONSUME="$mode" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "$mode" = package ]; then
  cmake --install "$build" --prefix "$work/prefix" >/dev/null
  args+=(-DCMAKE_PREFIX_PATH="$work/prefix")
else
  args+=(-DKPROF_SOURCE_DIR="$src")
fi
cmake -S "$src/tests/consumer" -B "$work/build" -G Ninja "${args[@]}" >/dev/null
cmake --build "$work/build" -j"$(nproc)" >/dev/null
out=$("$work/build/my_kernels" run user_axpy -s 1000 -t f64 --rounds 3 --min-time-ms 1 -q --format json)
echo "$out" | grep -q '"family": "user_axpy"'
echo "$out" | grep -q '"status": "ok"'
# The user's binary has only the user's families, and every kprof subcommand.
"$work/build/my_kernels" list | grep -q '^user_axpy:'
if "$work/build/my_kernels" run gemm >/dev/null 2>&1; then
  echo "unexpected: built-in families leaked into the consumer binary" >&2
  exit 1
fi
echo "consumer ($mode): ok"
