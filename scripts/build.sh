#!/usr/bin/env bash
# Configures and builds kprof. Usage: scripts/build.sh [build-dir] [extra cmake args...]
# Default build dir: build/ (RelWithDebInfo, -O3 -g). Uses every core.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
shift || true
cmake -S "$root" -B "$build" -G Ninja "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
