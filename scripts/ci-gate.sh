#!/usr/bin/env bash
# ci-gate.sh: build the base and head commits of a change in separate worktrees and build folders,
# then run both kprof binaries alternately on this machine and gate (kprof regress).
#
#   scripts/ci-gate.sh BASE_REF [HEAD_REF] [-- extra `kprof regress` arguments]
#
# Exit: 0 clean, 1 regression, 2 bad input or a build that failed.
# Environment (all optional):
#   KPROF_GATE_DIR           work folder (default .kprof-gate): worktree, build, binaries, reports
#   KPROF_GATE_FILTERS       benchmarks, space separated (default: "dot axpy")
#   KPROF_GATE_SIZES         sizes, space separated (default: each family's defaults)
#   KPROF_GATE_DTYPE         f32, f64 or both (default both)
#   KPROF_GATE_ALTERNATIONS  invocations of each binary, ABBA order (default 7)
#   KPROF_GATE_COLLECT       "callgrind", "mem" or both: exact instruction/memory gates (default none)
#   KPROF_GATE_NOISE         noise profile from `kprof regress --aa` (default none: default thresholds)
#   KPROF_GATE_RECORD_BRANCH record the head run in the history database under this branch
#                            (database: KPROF_HISTORY_DB, else kprof's default path)
#   KPROF_GATE_CMAKE_ARGS    extra cmake arguments for both builds
#   KPROF_GATE_BUILD_JOBS    parallel build jobs (default: ninja's choice)
#   KPROF_GATE_BUILD_NICE    niceness of the builds only, never of the measurement (default 0)
# Writes $KPROF_GATE_DIR/gate.md (also appended to $GITHUB_STEP_SUMMARY when set), gate.xml (JUnit)
# and gate.json; prints ::error annotations when GITHUB_ACTIONS=true.
set -euo pipefail

usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[[ $# -ge 1 && $1 != -h && $1 != --help ]] || usage
base_ref=$1
shift
head_ref=HEAD
if [[ $# -ge 1 && $1 != -- ]]; then head_ref=$1; shift; fi
[[ $# -ge 1 && $1 == -- ]] && shift
extra=("$@")

repo=$(git rev-parse --show-toplevel) || { echo "ci-gate: not inside a git repository" >&2; exit 2; }
gate_dir=$(realpath -m "${KPROF_GATE_DIR:-$repo/.kprof-gate}")
base_sha=$(git -C "$repo" rev-parse --verify "$base_ref^{commit}" 2>/dev/null) ||
  { echo "ci-gate: unknown base commit '$base_ref'" >&2; exit 2; }
head_sha=$(git -C "$repo" rev-parse --verify "$head_ref^{commit}" 2>/dev/null) ||
  { echo "ci-gate: unknown head commit '$head_ref'" >&2; exit 2; }
mkdir -p "$gate_dir"
# The worktrees and builds inside the repository must not show up as untracked files.
[[ -f $gate_dir/.gitignore ]] || echo '*' >"$gate_dir/.gitignore"

build_cmd=(nice -n "${KPROF_GATE_BUILD_NICE:-0}" cmake --build)
build_opts=(--target kprof)
[[ -n ${KPROF_GATE_BUILD_JOBS:-} ]] && build_opts+=(-j "$KPROF_GATE_BUILD_JOBS")

tree="$gate_dir/src" out="$gate_dir/build"
git -C "$repo" worktree prune

# build <side> <sha>: one worktree and one build folder for both commits, built one after the other.
# Moving the worktree to the other commit touches only the files that differ, so the second build
# recompiles just what the change touched (and a build folder cached from an earlier gate, the same).
# Both binaries are built from the same source path, so the callgrind diff of an instruction
# regression matches file:line between them. Echoes the path of the side's kprof wrapper.
build() {
  local side=$1 sha=$2 started=$SECONDS
  if git -C "$tree" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
    [[ $(git -C "$tree" rev-parse --show-toplevel) == "$tree" ]]; then
    git -C "$tree" checkout --quiet --force --detach "$sha" >&2
  else
    rm -rf "$tree"
    git -C "$repo" worktree add --quiet --detach "$tree" "$sha" >&2
  fi
  # shellcheck disable=SC2086
  cmake -S "$tree" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKPROF_BUILD_TESTS=OFF \
    -DKPROF_BUILD_BENCHMARKS=OFF ${KPROF_GATE_CMAKE_ARGS:-} >/dev/null ||
    { echo "ci-gate: configuring the $side commit $sha failed" >&2; exit 2; }
  "${build_cmd[@]}" "$out" "${build_opts[@]}" >&2 ||
    { echo "ci-gate: building the $side commit $sha failed" >&2; exit 2; }
  # The binary is self-contained (project libraries are static); a copy outlives the next build.
  mkdir -p "$gate_dir/bin-$side"
  cp "$out/targets/kprof" "$gate_dir/bin-$side/kprof.tmp"
  mv -f "$gate_dir/bin-$side/kprof.tmp" "$gate_dir/bin-$side/kprof"
  # Each side's runs carry its own commit, whatever folder the gate runs in.
  cat >"$gate_dir/kprof-$side" <<WRAP
#!/bin/sh
KPROF_GIT_COMMIT=$sha exec "$gate_dir/bin-$side/kprof" "\$@"
WRAP
  chmod +x "$gate_dir/kprof-$side"
  echo "ci-gate: $side ${sha:0:12} built in $((SECONDS - started)) s" >&2
  echo "$gate_dir/kprof-$side"
}

base_bin=$(build base "$base_sha")
head_bin=$(build head "$head_sha")

args=(regress --baseline-bin "$base_bin" --current-bin "$head_bin"
      --alternations "${KPROF_GATE_ALTERNATIONS:-7}"
      --markdown "$gate_dir/gate.md" --junit "$gate_dir/gate.xml" --json "$gate_dir/gate.json")
read -r -a filters <<<"${KPROF_GATE_FILTERS:-dot axpy}"
args+=("${filters[@]}")
for s in ${KPROF_GATE_SIZES:-}; do args+=(-s "$s"); done
[[ -n ${KPROF_GATE_DTYPE:-} ]] && args+=(-t "$KPROF_GATE_DTYPE")
for c in ${KPROF_GATE_COLLECT:-}; do args+=(--collect "$c"); done
[[ -n ${KPROF_GATE_NOISE:-} ]] && args+=(--noise "$KPROF_GATE_NOISE")
[[ -n ${KPROF_GATE_RECORD_BRANCH:-} ]] && args+=(--record --branch "$KPROF_GATE_RECORD_BRANCH")

started=$SECONDS
set +e
"$head_bin" "${args[@]}" "${extra[@]}"
code=$?
set -e
echo "ci-gate: measured and compared in $((SECONDS - started)) s (exit $code)" >&2
if [[ -n ${GITHUB_STEP_SUMMARY:-} && -f $gate_dir/gate.md ]]; then cat "$gate_dir/gate.md" >>"$GITHUB_STEP_SUMMARY"; fi
exit $code
