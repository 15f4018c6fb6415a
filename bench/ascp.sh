#!/usr/bin/env bash
# bench/ascp.sh - ascp against tar and cp on the same disk, in one run.
#
# usage: bench/ascp.sh [--write]      (as root; or: make bench)
#
#   1. a tree of SIZE_MB MiB (default 1 GiB) of mixed sizes into a cell,
#      ascp -rq SRC CELL:DST/, against tar -C SRC -cf - . | tar -C DST -xf -.
#      Target: ascp at least 90% of tar's throughput (tar/ascp >= 0.90).
#   2. one SIZE_MB MiB file into a cell, ascp -q FILE CELL:DST/, against
#      cp FILE DST/.  Target: at least 90% of cp's (cp/ascp >= 0.90).
#   3. the same two out of the cell (ascp -rq CELL:SRC DST/, ascp -q
#      CELL:FILE DST/) against the same peers; no target.
# The cell has no root of its own, so it sees this machine's files through
# its own mount namespace and every copy reads and writes the same disk.
# The tree is made once per run (a seeded generator: same names and sizes
# every time): small files of 1-64 KiB in 128 nested directories, medium
# ones of 1-16 MiB, and a few of about 100 MiB.  Every timed run starts
# from an empty destination and after a sync, so that writing back the
# previous run is not charged to the next; the page cache is not dropped
# (a shared machine), so the sources are read from memory (and read
# again before each run: this machine's DAMON pages out what it finds
# cold).
# The destination DST is a symbolic link to a new directory of a new name
# each run, in a directory marked as a top of hierarchy (chattr +T), so
# that ext4 puts it in another block group than the tree just deleted:
# without a journal, ext4 will not reuse an inode freed less than 5
# minutes ago and skips each such one in turn for every file it creates
# (recently_deleted(), quadratic in the files just removed), which made
# each copy of the tree, tar's or ascp's alike, 2-3 times as slow.
# The tools run from copies, so that a rebuild during the run does not
# break it.  hyperfine runs every timing, RUNS times in each order; the
# medians of all 2 x RUNS are compared.  The CPU time of a copy (ascp's
# with the daemon's copy helper) is measured beside them, as it is steadier
# than the time on a busy machine.  With --write the table replaces the
# "bench/ascp.sh" section of docs/PERFORMANCE.md.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
AER=$root/utils/aer/aer
ASCP=$root/utils/ascp/ascp
RUNS=${RUNS:-5}
SIZE_MB=${SIZE_MB:-1024}
write=
[ "${1:-}" = --write ] && write=1

for c in hyperfine jq python3 tar cp df sync; do
	command -v "$c" > /dev/null || { echo "ascp.sh: $c is needed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "ascp.sh: run as root" >&2; exit 1; }

# The tree, the file and one copy at a time, with room to spare.
base=${TMPDIR:-/tmp}
need_kb=$((5 * 1024 * 1024 * SIZE_MB / 1024))
avail_kb=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
	echo "ascp.sh: $base has $((avail_kb / 1024)) MiB free; $((need_kb / 1024)) MiB are needed (set TMPDIR elsewhere)" >&2
	exit 1
fi

tmp=$(mktemp -d "$base/aurae-bench.XXXXXX")
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

chmod 755 "$tmp"
chattr +T "$tmp" 2> /dev/null || :
mkdir "$tmp/bin"
cp "$AER" "$ASCP" "$root"/libaurae-client/libaurae-client.so.1 "$tmp/bin/"
AER=$tmp/bin/aer
ASCP=$tmp/bin/ascp
export LD_LIBRARY_PATH="$tmp/bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

load0=$(cut -d' ' -f1 /proc/loadavg)
"$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
    --cgroup-parent "$cgp" > "$tmp/auraed.log" 2>&1 &
daemon=$!
export AURAE_HOST=$tmp/run/aurae.sock
for i in $(seq 500); do "$AER" health > /dev/null 2>&1 && break; sleep 0.02; done
"$AER" cell create bench > /dev/null

echo "== making a $SIZE_MB MiB tree and a $SIZE_MB MiB file in $tmp"
python3 - "$tmp/src" "$tmp/big" "$SIZE_MB" <<'PY'
import os, random, sys
src, big, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
KiB, MiB = 1024, 1024 * 1024
rng = random.Random(20261123)
pool = rng.randbytes(64 * MiB)     # contents: incompressible, same each run

def put(path, size):
    with open(path, "wb") as f:
        off = rng.randrange(0, 4 * MiB)
        while size > 0:
            n = min(size, len(pool) - off)
            f.write(memoryview(pool)[off:off + n])
            size -= n
            off = 0

total = mb * MiB
# A fifth in small files, three tenths in medium ones, half in large.
plan = [("small", total // 5, 1 * KiB, 64 * KiB),
        ("medium", total * 3 // 10, 1 * MiB, 16 * MiB),
        ("large", total - total // 5 - total * 3 // 10, 90 * MiB, 110 * MiB)]
dirs = [os.path.join(src, "d%02d" % i, "e%d" % j, "f%d" % (j % 3))
        for i in range(16) for j in range(8)]
for d in dirs:
    os.makedirs(d, exist_ok=True)
os.makedirs(os.path.join(src, "medium"), exist_ok=True)
os.makedirs(os.path.join(src, "large", "nested"), exist_ok=True)
for kind, budget, lo, hi in plan:
    i = 0
    while budget > 0:
        size = min(budget, rng.randint(lo, hi))
        if kind == "small":
            path = os.path.join(dirs[i % len(dirs)], "s%05d" % i)
        elif kind == "medium":
            path = os.path.join(src, "medium", "m%03d.bin" % i)
        else:
            path = os.path.join(src, "large", "nested", "l%02d.bin" % i)
        put(path, size)
        budget -= size
        i += 1
put(big, total)
PY
nfiles=$(find "$tmp/src" -type f | wc -l)
ndirs=$(find "$tmp/src" -type d | wc -l)
echo "$nfiles files in $ndirs directories, $(du -sm "$tmp/src" | cut -f1) MiB"
sync

# median_s NAME N: the median in seconds, to a thousandth, of command N
# (0: ascp, 1: the peer) over both of NAME's hyperfine runs.
median_s() {
	jq -s --argjson n "$2" '[.[0].results[$n].times[], .[1].results[1 - $n].times[]] |
	    sort | (if length % 2 == 1 then .[length / 2 | floor]
	    else (.[length / 2 - 1] + .[length / 2]) / 2 end) * 1000 | round / 1000' \
	    "$tmp/$1.ab.json" "$tmp/$1.ba.json"
}

# ratio A B: A / B with two decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# mibs SECONDS: SIZE_MB MiB in that time, in MiB/s.
mibs() {
	awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f", m / s }'
}

# prep SOURCE: what runs before every timed run (and each CPU
# measurement): an empty destination, the source read into the page cache
# again (this machine's DAMON pages out what it finds cold, so part of a
# source not read for a minute would otherwise come from the disk), and a
# sync.
prep() {
	echo "rm -rf $tmp/dst $tmp/dst.* && find $1 -type f -exec cat {} + > /dev/null && ln -s \$(mktemp -d $tmp/dst.XXXXXX) $tmp/dst && sync"
}

# cpu_s PREP CMD: the CPU time (user + system, in seconds) of one run of CMD
# (through sh) and of the copy helpers auraed reaped meanwhile; the
# median of three.
tck=$(getconf CLK_TCK)
cpu_s() {
	local i me c0 d0 c1 d1
	for i in 1 2 3; do
		me=$BASHPID	# this loop's shell: it waits for the command
		sh -c "$1"
		c0=$(awk '{ print $16 + $17 }' "/proc/$me/stat")
		d0=$(awk '{ print $16 + $17 }' "/proc/$daemon/stat")
		sh -c "$2" > /dev/null
		sleep 0.2	# for auraed to reap its helper
		c1=$(awk '{ print $16 + $17 }' "/proc/$me/stat")
		d1=$(awk '{ print $16 + $17 }' "/proc/$daemon/stat")
		echo $(( c1 - c0 + d1 - d0 ))
	done | sort -n | sed -n 2p | awk -v t="$tck" '{ printf "%.2f", $1 / t }'
}

# bench NAME SOURCE ASCP-COMMAND PEER-COMMAND: hyperfine runs both RUNS
# times in this order, then RUNS times in the other (so that a change in
# the machine's load in between weighs on both), then their CPU time.
bench() {
	local p
	p=$(prep "$2")
	set -- "$1" "$3" "$4"
	echo "== $1"
	hyperfine -w 1 -r "$RUNS" --prepare "$p" \
	    --export-json "$tmp/$1.ab.json" "$2" "$3" > "$tmp/$1.txt"
	hyperfine -w 1 -r "$RUNS" --prepare "$p" \
	    --export-json "$tmp/$1.ba.json" "$3" "$2" >> "$tmp/$1.txt"
	cat "$tmp/$1.txt"
	jq -s -r '[.[0].results[0], .[1].results[1]], [.[0].results[1], .[1].results[0]] |
	    (.[0].command | split(" ")[0] | split("/")[-1]) + " runs (s): " +
	    (map(.times[] * 100 | round / 100 | tostring) | join(" "))' \
	    "$tmp/$1.ab.json" "$tmp/$1.ba.json"
	cpu_a=$(cpu_s "$p" "$2")
	cpu_p=$(cpu_s "$p" "$3")
	echo "CPU (s): ascp $cpu_a (with the daemon's copy helper), peer $cpu_p"
	eval "cpu_$(echo "$1" | tr - _)=\"$cpu_a $cpu_p\""
}

bench tree-in "$tmp/src" "$ASCP -rq $tmp/src bench:$tmp/dst/" \
    "tar -C $tmp/src -cf - . | tar -C $tmp/dst -xf -"
bench file-in "$tmp/big" "$ASCP -q $tmp/big bench:$tmp/dst/" "cp $tmp/big $tmp/dst/"
bench tree-out "$tmp/src" "$ASCP -rq bench:$tmp/src $tmp/dst/" \
    "tar -C $tmp/src -cf - . | tar -C $tmp/dst -xf -"
bench file-out "$tmp/big" "$ASCP -q bench:$tmp/big $tmp/dst/" "cp $tmp/big $tmp/dst/"

# row LABEL NAME PEER TARGET: a table row from NAME's medians.
row() {
	local a p r res=- cpu
	a=$(median_s "$2" 0)
	p=$(median_s "$2" 1)
	r=$(ratio "$p" "$a")
	if [ "$4" != - ]; then
		res=$(awk -v r="$r" -v t="${4#>= }" 'BEGIN { print (r >= t) ? "met" : "missed" }')
	fi
	eval "cpu=\$cpu_$(echo "$2" | tr - _)"
	printf '| %s | %s s, %s MiB/s | %s: %s s, %s MiB/s | %s | %s | %s | %s / %s s |\n' \
	    "$1" "$a" "$(mibs "$a")" "$3" "$p" "$(mibs "$p")" "$r" "$4" "$res" \
	    "${cpu% *}" "${cpu#* }"
}

table=$(
	echo "| copy ($SIZE_MB MiB, median of $((2 * RUNS))) | ascp | peer | peer/ascp | target | result | CPU ascp / peer |"
	echo "|---|---|---|---|---|---|---|"
	row "tree into a cell, \`ascp -rq SRC CELL:DST/\`" tree-in "\`tar -cf -\` piped to \`tar -xf -\`" ">= 0.90"
	row "one file into a cell, \`ascp -q FILE CELL:DST/\`" file-in "\`cp\`" ">= 0.90"
	row "tree out of a cell, \`ascp -rq CELL:SRC DST/\`" tree-out "\`tar -cf -\` piped to \`tar -xf -\`" -
	row "one file out of a cell, \`ascp -q CELL:FILE DST/\`" file-out "\`cp\`" -
)
echo
echo "$table"

if [ -n "$write" ]; then
	doc=$root/docs/PERFORMANCE.md
	section=$(printf '%s\n' "<!-- bench/ascp.sh begin -->" \
	    "## ascp (bench/ascp.sh)" "" \
	    "Reproduce: \`RUNS=$RUNS SIZE_MB=$SIZE_MB bench/ascp.sh --write\` as root (\`make bench\` runs it without --write)." \
	    "The tree: $nfiles files of 1 KiB to 110 MiB in $ndirs directories; the single file: $SIZE_MB MiB; both under ${TMPDIR:-/tmp} ($(findmnt -no FSTYPE -T "$tmp" 2> /dev/null || echo ?)), read into the page cache before each run, then a sync." \
	    "Times: the median of $RUNS runs in each order (ascp first, then the peer first).  CPU: user + system seconds of one copy (median of 3), ascp's with the daemon's copy helper, tar's with both processes." \
	    "Machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r), $(date -u +%Y-%m-%d), load average $load0 at the start." "" \
	    "$table" "<!-- bench/ascp.sh end -->")
	touch "$doc"
	s=$section awk '
	    BEGIN { s = ENVIRON["s"] }
	    /<!-- bench\/ascp.sh begin -->/ { print s; skip = 1; done = 1; next }
	    /<!-- bench\/ascp.sh end -->/ { skip = 0; next }
	    !skip { print }
	    END { if (!done) { print ""; print s } }' "$doc" > "$doc.tmp"
	mv "$doc.tmp" "$doc"
	echo "wrote $doc"
fi
