#!/usr/bin/env bash
# bench/fuse-roundtrip.sh - what one request through an auraefs mount
# costs on this machine, against the same call on the directory itself
# and against the machine's floor for a round trip between two processes.
#
# usage: bench/fuse-roundtrip.sh            (as root)
#
#   1. fchown(fd, 0, 0) of an open file, N times (default 20,000), in the
#      native directory and through an auraefs mount of a cell's view of
#      it.  Through FUSE that is three requests (GETXATTR of
#      security.capability, GETATTR, SETATTR: the kernel's set-ID checks
#      before a chown), the kind an untar makes eight of per file.
#   2. The floor: two processes passing one byte back and forth over two
#      pipes, N rounds (each round wakes each side once, as a request
#      and its reply do).
# Each is run ROUNDS times (default 3), alternating; medians in µs.
#
# Everything it starts is private and stopped by pid at the end: auraed
# (its own run and state directories and cgroup parent), the cell, the
# mount; the temporary directory is removed.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
AER=$root/utils/aer/aer
AURAEFS=$root/utils/auraefs/auraefs
export LD_LIBRARY_PATH="$root/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
N=${N:-20000}
ROUNDS=${ROUNDS:-3}

for c in fusermount3 python3; do
	command -v "$c" > /dev/null ||
		{ echo "fuse-roundtrip.sh: $c is needed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "fuse-roundtrip.sh: run as root" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aurae-rt.XXXXXX")
chmod 755 "$tmp"
daemon='' fuse_pid=''
cleanup() {
	if [ -n "$fuse_pid" ]; then
		fusermount3 -u "$tmp/m" 2> /dev/null || fusermount3 -uz "$tmp/m" 2> /dev/null || :
		kill "$fuse_pid" 2> /dev/null || :
		wait "$fuse_pid" 2> /dev/null || :
	fi
	if [ -n "$daemon" ]; then
		"$AER" call cells.remove name=rt force:=true > /dev/null 2>&1 || :
		kill "$daemon" 2> /dev/null || :
		wait "$daemon" 2> /dev/null || :
	fi
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

"$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
    --cgroup-parent "aurae-rt-$$" > "$tmp/auraed.log" 2>&1 &
daemon=$!
export AURAE_HOST=$tmp/run/aurae.sock
for _ in $(seq 500); do "$AER" health > /dev/null 2>&1 && break; sleep 0.02; done
"$AER" cell create rt > /dev/null
mkdir "$tmp/d" "$tmp/m"
"$AURAEFS" -f "rt:$tmp/d" "$tmp/m" 2> "$tmp/auraefs.log" &
fuse_pid=$!
for _ in $(seq 500); do
	grep -q " $tmp/m fuse" /proc/self/mounts && break
	kill -0 "$fuse_pid" 2> /dev/null ||
		{ echo "fuse-roundtrip.sh: auraefs did not mount" >&2; cat "$tmp/auraefs.log" >&2; exit 1; }
	sleep 0.02
done

# One measurement: µs per call (per round for the pipes).
measure() {
	python3 - "$1" "$N" <<'PY'
import os, sys, time
what, n = sys.argv[1], int(sys.argv[2])
if what == "pipes":
    a_r, a_w = os.pipe(); b_r, b_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        for i in range(n):
            os.read(a_r, 1); os.write(b_w, b"x")
        os._exit(0)
    t = time.perf_counter()
    for i in range(n):
        os.write(a_w, b"x"); os.read(b_r, 1)
    e = time.perf_counter() - t
    os.waitpid(pid, 0)
else:
    fd = os.open(os.path.join(what, "f"), os.O_WRONLY | os.O_CREAT, 0o644)
    t = time.perf_counter()
    for i in range(n):
        os.fchown(fd, 0, 0)
    e = time.perf_counter() - t
    os.close(fd)
print("%.1f" % (e / n * 1e6))
PY
}

declare -A t
for r in $(seq "$ROUNDS"); do
	n=$(measure "$tmp/d") a=$(measure "$tmp/m") p=$(measure pipes)
	t[native]+="$n " t[auraefs]+="$a " t[pipes]+="$p "
	echo "round $r: fchown native $n us, through auraefs $a us; pipe round trip $p us"
done
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# shellcheck disable=SC2086
mn=$(median ${t[native]}) ma=$(median ${t[auraefs]}) mp=$(median ${t[pipes]})
awk -v n="$mn" -v a="$ma" -v p="$mp" 'BEGIN {
	printf "medians: fchown native %.1f us, through auraefs %.1f us (%.1fx; %.1f us a request, 3 requests); pipe round trip %.1f us (a request is %.1fx that)\n",
	    n, a, a / n, a / 3, p, a / 3 / p }'
