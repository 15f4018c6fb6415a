#!/usr/bin/env bash
# bench/cells.sh - the cost of cells, against their peers, in one run.
#
# usage: bench/cells.sh [--write]      (or: make bench)
#
#   1. cellrun true (full isolation: pid, mount, ipc, uts, net, cgroup)
#      against the floor of this machine,
#        unshare --fork --pid --mount-proc --uts --ipc --mount --net true,
#      and against runc run of a busybox bundle (crun refuses hybrid
#      cgroup hosts such as this one: "cgroups in hybrid mode not
#      supported").  Targets: median <= 2x unshare, >= 5x faster than runc.
#   2. aer exec CELL true into an existing cell, against nsenter into the
#      same namespaces.  Target <= 2x.
#   3. aer ls -o json with 1,000 cells.  Target < 50 ms.
#   4. daemon RSS idle, and per additional cell including its init
#      (RSS and PSS).  Targets: < 4 MiB idle, < 300 KiB per cell.
# hyperfine runs every timing; its medians are compared.  With --write the
# table replaces the "bench/cells.sh" section of docs/PERFORMANCE.md.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
AER=$root/utils/aer/aer
CELLRUN=$root/utils/cellrun/cellrun
export LD_LIBRARY_PATH="$root/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
RUNS=${RUNS:-40}
NCELLS=${NCELLS:-1000}
write=
[ "${1:-}" = --write ] && write=1

for c in hyperfine unshare nsenter jq; do
	command -v "$c" > /dev/null || { echo "cells.sh: $c is needed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "cells.sh: run as root" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aurae-bench.XXXXXX")
chmod 755 "$tmp"
daemon=
cgp=aurae-bench-$$

# Stop our daemon (by pid), its cells, and remove the directory.
cleanup() {
	if [ -n "$daemon" ]; then
		for c in $("$AER" ls cells 2> /dev/null | cut -f1 | sort -r); do
			"$AER" call cells.remove name="$c" force:=true > /dev/null 2>&1 || :
		done
		kill "$daemon" 2> /dev/null || :
		wait "$daemon" 2> /dev/null || :
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

"$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
    --cgroup-parent "$cgp" > "$tmp/auraed.log" 2>&1 &
daemon=$!
export AURAE_HOST=$tmp/run/aurae.sock
for i in $(seq 500); do "$AER" health > /dev/null 2>&1 && break; sleep 0.02; done

# A busybox bundle for runc.
have_runc=
if command -v runc > /dev/null && [ -x /bin/busybox ]; then
	mkdir -p "$tmp/bundle/rootfs/bin"
	cp /bin/busybox "$tmp/bundle/rootfs/bin/"
	ln -s busybox "$tmp/bundle/rootfs/bin/true"
	(cd "$tmp/bundle" && runc spec)
	jq '.process.args = ["/bin/true"] | .process.terminal = false |
	    .root.readonly = true' "$tmp/bundle/config.json" > "$tmp/c.json"
	mv "$tmp/c.json" "$tmp/bundle/config.json"
	have_runc=1
fi

# median_ms EXPORT-FILE N: the median of benchmark N (0-based) in ms, to
# a tenth.
median_ms() {
	jq -r ".results[$2].median * 10000 | round / 10" "$1"
}

# ratio A B: A / B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

echo "== cellrun true against unshare and runc"
cmds=("$CELLRUN true" "unshare --fork --pid --mount-proc --uts --ipc --mount --net true")
[ -n "$have_runc" ] && cmds+=("runc run -b $tmp/bundle bench-$$")
hyperfine -N -w 5 -r "$RUNS" --export-json "$tmp/run.json" "${cmds[@]}" > "$tmp/run.txt"
cat "$tmp/run.txt"
t_cellrun=$(median_ms "$tmp/run.json" 0)
t_unshare=$(median_ms "$tmp/run.json" 1)
t_runc=$([ -n "$have_runc" ] && median_ms "$tmp/run.json" 2 || echo 0)

echo "== aer exec against nsenter"
"$AER" cell create bench-exec > /dev/null
init=$("$AER" -o json cell info bench-exec | jq -r .init_pid)
hyperfine -N -w 5 -r "$RUNS" --export-json "$tmp/exec.json" \
    "$AER exec bench-exec -- true" \
    "nsenter -t $init -p -m -u -i -n -C -F true" > "$tmp/exec.txt" || :
cat "$tmp/exec.txt"
t_exec=$(median_ms "$tmp/exec.json" 0 2> /dev/null || echo 0)
t_nsenter=$(median_ms "$tmp/exec.json" 1 2> /dev/null || echo 0)
"$AER" call cells.remove name=bench-exec force:=true > /dev/null

echo "== memory: idle, then $NCELLS cells"
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
pss() { awk '/^Pss:/ { print $2 }' "/proc/$1/smaps_rollup"; }
idle_rss=$(rss "$daemon")
idle_pss=$(pss "$daemon")
for i in $(seq "$NCELLS"); do
	echo "{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"cells.create\",\"params\":{\"name\":\"b$i\"}}"
done | "$AER" dial-stdio > "$tmp/create.out"
[ "$("$AER" ls cells | wc -l)" -eq "$NCELLS" ] || { echo "cells.sh: creating cells failed" >&2; exit 1; }
sum_rss=$(rss "$daemon")
sum_pss=$(pss "$daemon")
for p in $(for c in $(seq "$NCELLS"); do echo "b$c"; done | while read -r c; do
	"$AER" -o json cell info "$c" | jq -r .init_pid; done); do
	sum_rss=$((sum_rss + $(rss "$p")))
	sum_pss=$((sum_pss + $(pss "$p")))
done
per_rss=$(( (sum_rss - idle_rss) / NCELLS ))
per_pss=$(( (sum_pss - idle_pss) / NCELLS ))
echo "daemon idle: RSS ${idle_rss} KiB, PSS ${idle_pss} KiB"
echo "per cell (daemon growth + init): RSS ${per_rss} KiB, PSS ${per_pss} KiB"

echo "== aer ls -o json with $NCELLS cells"
hyperfine -N -w 3 -r "$RUNS" --export-json "$tmp/ls.json" "$AER ls -o json" > "$tmp/ls.txt"
cat "$tmp/ls.txt"
t_ls=$(median_ms "$tmp/ls.json" 0)

table=$(cat <<TABLE
| measurement | Aurae | peer | ratio | target |
|---|---|---|---|---|
| \`cellrun true\` vs \`unshare ... true\` (median) | ${t_cellrun} ms | ${t_unshare} ms | $(ratio "$t_cellrun" "$t_unshare")x | <= 2x |
| \`cellrun true\` vs \`runc run\` busybox (median) | ${t_cellrun} ms | ${t_runc} ms | runc/cellrun $( [ "$t_runc" != 0 ] && ratio "$t_runc" "$t_cellrun" || echo n/a)x | >= 5x |
| \`aer exec CELL true\` vs \`nsenter\` (median) | ${t_exec} ms | ${t_nsenter} ms | $( [ "$t_nsenter" != 0 ] && ratio "$t_exec" "$t_nsenter" || echo n/a)x | <= 2x |
| \`aer ls -o json\`, ${NCELLS} cells (median) | ${t_ls} ms | - | - | < 50 ms |
| daemon idle RSS / PSS | ${idle_rss} / ${idle_pss} KiB | - | - | < 4096 KiB |
| per cell incl. init, RSS / PSS | ${per_rss} / ${per_pss} KiB | conmon ~270 KB | - | < 300 KiB |
TABLE
)
echo
echo "$table"

if [ -n "$write" ]; then
	doc=$root/docs/PERFORMANCE.md
	section=$(printf '%s\n' "<!-- bench/cells.sh begin -->" \
	    "## Cells (bench/cells.sh)" "" \
	    "Reproduce: \`bench/cells.sh --write\` as root (RUNS=$RUNS, NCELLS=$NCELLS)." \
	    "Machine: $(nproc) CPUs, Linux $(uname -r), $(date -u +%Y-%m-%d)." "" \
	    "$table" "<!-- bench/cells.sh end -->")
	touch "$doc"
	awk -v s="$section" '
	    /<!-- bench\/cells.sh begin -->/ { print s; skip = 1; done = 1; next }
	    /<!-- bench\/cells.sh end -->/ { skip = 0; next }
	    !skip { print }
	    END { if (!done) { print ""; print s } }' "$doc" > "$doc.tmp"
	mv "$doc.tmp" "$doc"
	echo "wrote $doc"
fi
