#!/usr/bin/env bash
# bench/rpc.sh - requests per second on auraed's socket, beside a bare
# Unix-socket echo server measured in the same run.
#
# usage: bench/rpc.sh            (or: make bench)
#
# Three scenarios, each against auraed (method aurae.version) and against
# bench/echo-server (which answers every line with a fixed line and does
# nothing else):
#   sequential   one client, one request in flight (ping-pong)
#   pipelined    one client, 64 requests in flight
#   parallel     100 clients at once, one request in flight each
# Each measurement runs DURATION seconds (default 2) and is repeated
# REPEAT times (default 3), alternating the two servers; the median
# counts.  With two CPUs or more, the server runs on CPU 1 and the client
# on CPU 0, for both servers alike.  The table ends with the ratio
# auraed/echo; the target is at least 50%.  BENCH_STRICT=1 makes a
# ratio under the target an error (exit 1).
#
# The programs come from the build tree (make bench-build); AURAED may
# name another daemon.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
export LD_LIBRARY_PATH="$root/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
RPCBENCH=$root/bench/rpcbench
ECHO_SERVER=$root/bench/echo-server
DURATION=${DURATION:-2}
REPEAT=${REPEAT:-3}
TARGET=50

for p in "$AURAED" "$RPCBENCH" "$ECHO_SERVER"; do
	[ -x "$p" ] || { echo "rpc.sh: $p is not built (run make bench-build)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aurae-bench.XXXXXX")
chmod 755 "$tmp"
pids=()

# Kill what we started (by pid), remove the directory.
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2> /dev/null || :
	done
	for p in "${pids[@]}"; do
		wait "$p" 2> /dev/null || :
	done
	# The daemon removes its cgroup parent when it exits cleanly; not if
	# it was killed.
	for p in /sys/fs/cgroup/aurae-bench-$$ /sys/fs/cgroup/*/aurae-bench-$$; do
		[ -d "$p" ] && rmdir "$p" 2> /dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Pin the server to CPU 1 and the client to CPU 0 when there are two.
server_cpu=() client_cpu=()
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
	server_cpu=(taskset -c 1)
	client_cpu=(taskset -c 0)
fi

# wait_ready SOCKET PID: poll with one round trip, for at most 10 s.
wait_ready() {
	local end=$((SECONDS + 10))
	until "$RPCBENCH" -s "$1" -P 2> /dev/null; do
		kill -0 "$2" 2> /dev/null || { echo "rpc.sh: server $2 exited" >&2; cat "$tmp"/*.log >&2; exit 1; }
		[ $SECONDS -lt $end ] || { echo "rpc.sh: $1 does not answer" >&2; exit 1; }
		sleep 0.02
	done
}

cg=()
if "$AURAED" --help 2>&1 | grep -q -e --cgroup-parent; then
	cg=(--cgroup-parent "aurae-bench-$$")
fi
"${server_cpu[@]}" "$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
	"${cg[@]}" > "$tmp/auraed.log" 2>&1 < /dev/null &
pids+=($!)
apid=$!
"${server_cpu[@]}" "$ECHO_SERVER" "$tmp/echo.sock" > "$tmp/echo.log" 2>&1 < /dev/null &
pids+=($!)
epid=$!
wait_ready "$tmp/run/aurae.sock" "$apid"
wait_ready "$tmp/echo.sock" "$epid"

# measure SOCKET ARGS...: the median rate of REPEAT runs is printed by
# the caller; this prints one rate.
measure() {
	local sock=$1
	shift
	"${client_cpu[@]}" "$RPCBENCH" -s "$sock" -d "$DURATION" "$@" | awk '{ print $3 }'
}

# median N...: the middle value.
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "bench/rpc.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), kernel $(uname -r)"
echo "daemon: $("$AURAED" --version), method aurae.version; ${DURATION}s per run, median of $REPEAT${server_cpu[*]:+, server on CPU 1 and client on CPU 0}"
echo
printf '%-32s %14s %14s %9s\n' scenario "auraed req/s" "echo req/s" ratio
status=0
for scenario in "sequential:1 client, 1 in flight:-c 1 -w 1" \
    "pipelined:1 client, 64 in flight:-c 1 -w 64" \
    "parallel:100 clients, 1 in flight each:-c 100 -w 1"; do
	IFS=: read -r name desc args <<< "$scenario"
	a=() e=()
	for _ in $(seq "$REPEAT"); do
		# shellcheck disable=SC2086 # args are words
		e+=("$(measure "$tmp/echo.sock" $args)")
		# shellcheck disable=SC2086
		a+=("$(measure "$tmp/run/aurae.sock" $args)")
	done
	am=$(median "${a[@]}")
	em=$(median "${e[@]}")
	ratio=$(awk -v a="$am" -v e="$em" 'BEGIN { printf "%.0f", (e > 0 ? 100 * a / e : 0) }')
	printf '%-32s %14s %14s %8s%%\n' "$name ($desc)" "$am" "$em" "$ratio"
	[ "$ratio" -ge "$TARGET" ] || status=1
done
echo
if [ $status -eq 0 ]; then
	echo "target met: auraed reaches at least ${TARGET}% of the echo server in every scenario"
else
	echo "target missed: auraed is below ${TARGET}% of the echo server in at least one scenario"
fi
[ "${BENCH_STRICT:-0}" = 1 ] && exit $status
exit 0
