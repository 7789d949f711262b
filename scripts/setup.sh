#!/usr/bin/env bash
# Installs every system dependency of kprof from Debian packages. Idempotent and quiet when all is
# present; run as root (CI, containers) or with sudo available.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build clang libclang-rt-14-dev clang-format git
  # profilers kprof drives and reads
  valgrind google-perftools libgoogle-perftools-dev libunwind-dev libdw-dev libelf-dev
  # kernels: BLAS and Eigen
  libopenblas-dev libeigen3-dev
  # libraries: tests, benchmarks, command line, JSON, history
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev
  # test-only tools: JSON Schema validation of run.json
  python3 python3-jsonschema
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "kprof setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
