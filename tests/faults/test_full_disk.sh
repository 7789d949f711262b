#!/usr/bin/env bash
# A full disk: every command that writes into -o, pointed at a tiny tmpfs with no room left, exits 2
# naming the file it could not write ("No space left on device") and leaves no temporary file.
# The tmpfs is mounted in a mount namespace of its own (unshare; as root or through a user
# namespace), so nothing outside this test sees it.
# Usage: test_full_disk.sh <kprof> <work dir>
set -u
kprof=$1 work=$2
rm -rf "$work" && mkdir -p "$work/full"

if [ "${KPROF_IN_NAMESPACE:-}" != 1 ]; then
  for how in "unshare --mount" "unshare --user --map-root-user --mount"; do
    if $how true 2>/dev/null; then
      KPROF_IN_NAMESPACE=1 exec $how "$0" "$@"
    fi
  done
  echo "FAIL: cannot make a mount namespace here (unshare --mount, also through a user namespace); a full disk needs one" >&2
  exit 1
fi

mount -t tmpfs -o size=64k tmpfs "$work/full" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }
failures=0
for args in "run dot/scalar -s 1000 -q" "cpu dot/scalar -s 100000 --seconds 0.3 -q" \
            "callgrind dot/scalar -s 1000 -q" "mem dot/scalar -s 1000 -q" "lines nmf/scalar -s 16x50x4 --iterations 1"; do
  name=${args%% *}
  # Left room: none worth speaking of (a few blocks, less than any document kprof writes).
  rm -rf "$work/full"/*
  dd if=/dev/zero of="$work/full/fill" bs=4k count=15 status=none 2>/dev/null
  mkdir -p "$work/full/$name"
  # shellcheck disable=SC2086
  "$kprof" $args -o "$work/full/$name" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  left=$(find "$work/full" -name '*.tmp.*' | tr '\n' ' ')
  if [ "$rc" -ne 2 ] || ! grep -q "No space left on device" "$work/$name.err" || ! grep -q "$work/full/$name" "$work/$name.err"; then
    echo "FAIL kprof $args -o FULL: exit $rc (expected 2 naming the file and 'No space left on device'): $(tail -c 300 "$work/$name.err")"
    failures=$((failures + 1))
  elif [ -n "$left" ]; then
    echo "FAIL kprof $args -o FULL: temporaries left: $left"
    failures=$((failures + 1))
  else
    echo "ok   kprof $args -o FULL: exit 2, $(grep -o "cannot write.*" "$work/$name.err" | head -1)"
  fi
done
umount "$work/full"
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
