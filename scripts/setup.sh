#!/usr/bin/env bash
# Installs every dependency of kprof: Debian packages, then the page's JavaScript libraries from npm
# (`npm ci`, pinned by package-lock.json; `kprof report` inlines them). Idempotent and quiet when all
# is present; run as root (CI, containers) or with sudo available.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build clang libclang-rt-14-dev clang-format git
  # kprof-mark: line markers inserted from libclang's AST (kprof_line_profile)
  libclang-14-dev
  # profilers kprof drives and reads
  valgrind google-perftools libgoogle-perftools-dev libunwind-dev libdw-dev libelf-dev
  # kernels: BLAS and Eigen
  libopenblas-dev libeigen3-dev
  # libraries: tests, benchmarks, command line, JSON, history
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev
  # pprof export: libprotobuf and protoc (build), zlib; pprof's profile.proto and `go tool pprof`
  # (the test reads the files with the real pprof, offline)
  libprotobuf-dev protobuf-compiler zlib1g-dev golang-go golang-github-google-pprof-dev
  # test-only tools: JSON Schema validation of run.json; the browser that loads `kprof report`'s page
  python3 python3-jsonschema chromium
)
# node and npm install the page's libraries; a machine that has them already (any vendor) keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "kprof setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The page's libraries (Vega, Vega-Lite, vega-embed), the browser test's driver (puppeteer-core,
# which drives the chromium above and downloads no browser) and the speedscope export test's
# validator (speedscope's schema, ajv), exactly as package-lock.json pins them.
# npm ci starts from an empty node_modules, so it runs only when the lock file changed since the last.
root="$(cd "$(dirname "$0")/.." && pwd)"
stamp="$root/node_modules/.kprof-package-lock.json"
if ! cmp -s "$root/package-lock.json" "$stamp"; then
  echo "kprof setup: npm ci (package-lock.json)" >&2
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$root/package-lock.json" "$stamp"
fi
