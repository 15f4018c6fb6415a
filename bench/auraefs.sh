#!/usr/bin/env bash
# bench/auraefs.sh - auraefs against the native directory and sshfs, in
# one run.
#
# usage: [FS=ext4] bench/auraefs.sh [--write]   (as root; or: make bench)
#
#   0. one request: fchown(fd, 0, 0) of an open file, CALLS times (default
#      20,000).  Through FUSE that is three requests (GETXATTR of
#      security.capability and GETATTR, the kernel's set-ID checks before
#      a chown, then SETATTR), the kind an untar makes eight of a file.
#      Beside it the machine's floor for a request: two processes passing
#      a byte back and forth over two pipes, CALLS rounds; and a stat of
#      a name that is not there, CALLS times (after the first, FUSE
#      asks nothing where auraefs watches the directory).
#   1. sequential write of SIZE_MB MiB (default 1 GiB): dd bs=1M from
#      /dev/zero with conv=fsync, so the time includes reaching the disk.
#   2. sequential read of that file, dd bs=1M to /dev/null: "cold" after
#      dropping that one file's pages (dd iflag=nocache count=0, that is
#      posix_fadvise(DONTNEED), on the mount and on the directory under
#      it: the rest of the machine's page cache is left alone), and
#      "warm" right after, from the page cache.
#   3. tar -xf of a generated tree of NFILES (default 20,000) small files
#      (mean 4 KiB) in 1,600 directories, into an empty directory; a sync
#      before each, not timed (the writeback to the disk is the same for
#      all, and would hide the difference).  The kernel caches every inode
#      created; auraefs keeps a descriptor for each.
#   4. find -printf '%p %s %m %T@' (an lstat of every entry) over the
#      tree just untarred, three times: the first walk, the second, and
#      the third (every cache filled).  Each tree is removed before the
#      next.
# Each is done in the native directory, through an auraefs mount of a
# cell's view of a directory (the cell has no root of its own, so it
# sees this machine's files), through the same with -o writeback (the
# kernel's writeback cache; off by default), and through sshfs to a
# private sshd on 127.0.0.1.  All four write to the
# same disk.  Targets: auraefs's sequential read and write at least 70%
# of native and at least 2x sshfs; untar and find within 3x of native.
# Below the table, the floor for the untar through any FUSE mount on
# the machine: the native untar plus eight pipe round trips a file.
# Every measurement is repeated RUNS times (default 3; tar and find
# 2 * RUNS - 1), the targets in turn, and the medians are compared; so
# are the ratios taken within each round (native and auraefs back to
# back), which a disk whose speed drifts within minutes affects less.  With
# --write the table replaces the "bench/auraefs.sh" section of
# docs/PERFORMANCE.md.
#
# FS=ext4 runs it all on a filesystem of its own instead of TMPDIR's: a
# fresh ext4 made with mkfs.ext4's defaults (so with a journal, as
# Debian installs it) in a file under TMPDIR, on a loop device with
# direct I/O (no second page cache under it).  This machine's root is an
# ext4 without a journal, whose inode allocator steps over every inode
# freed in the last minutes, one buffer lookup each: the untar after a
# removal pays that for every file it creates, native or not, so it
# measures the allocator as much as the mount.  With --write that run
# replaces the "bench/auraefs.sh FS=ext4" section instead.
#
# Everything it starts is private and stopped at the end by pid: auraed
# (its own run and state directories, a cgroup parent of its own), the
# cell, the mounts (fusermount3 -u), sshd (loopback only, its own host
# key and config, a temporary key for root); the temporary directory is
# removed.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
AER=$root/utils/aer/aer
AURAEFS=$root/utils/auraefs/auraefs
export LD_LIBRARY_PATH="$root/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
RUNS=${RUNS:-3}
SIZE_MB=${SIZE_MB:-1024}
NFILES=${NFILES:-20000}
CALLS=${CALLS:-20000}
FS=${FS:-}
write=
[ "${1:-}" = --write ] && write=1

for c in sshfs ssh ssh-keygen fusermount3 python3 tar dd find jq; do
	command -v "$c" > /dev/null ||
		{ echo "auraefs.sh: $c is needed" >&2; exit 1; }
done
[ -x /usr/sbin/sshd ] || { echo "auraefs.sh: sshd is needed (openssh-server)" >&2; exit 1; }
[ -c /dev/fuse ] || { echo "auraefs.sh: /dev/fuse is missing" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "auraefs.sh: run as root" >&2; exit 1; }
case $FS in
'') ;;
ext4)	for c in losetup mkfs.ext4; do
		command -v "$c" > /dev/null ||
			{ echo "auraefs.sh: FS=ext4 needs $c" >&2; exit 1; }
	done ;;
*)	echo "auraefs.sh: FS=$FS: only FS=ext4 is known" >&2; exit 1 ;;
esac

# Four copies of the file and of the tree, with room to spare.
base=${TMPDIR:-/tmp}
need_kb=$(( (4 * SIZE_MB + 4 * NFILES / 100 + 1024) * 1024 ))
avail_kb=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
if [ "$avail_kb" -lt "$need_kb" ]; then
	echo "auraefs.sh: $base has $((avail_kb / 1024)) MiB free; $((need_kb / 1024)) MiB are needed (set TMPDIR elsewhere)" >&2
	exit 1
fi

tmp=$(mktemp -d "$base/aurae-bench.XXXXXX")
chmod 755 "$tmp"
daemon= sshd_pid= loopdev=
mounts=() fuse_pids=()

# Unmount what we mounted, stop what we started (by pid), remove the
# directory (never crossing into a mount left behind).
cleanup() {
	local m p
	for m in "${mounts[@]}"; do
		fusermount3 -u "$m" 2> /dev/null || fusermount3 -uz "$m" 2> /dev/null || :
	done
	for p in "${fuse_pids[@]}"; do
		kill "$p" 2> /dev/null || :
		wait "$p" 2> /dev/null || :
	done
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2> /dev/null || :
		wait "$sshd_pid" 2> /dev/null || :
	fi
	if [ -n "$daemon" ]; then
		"$AER" call cells.remove name=bench force:=true > /dev/null 2>&1 || :
		kill "$daemon" 2> /dev/null || :
		wait "$daemon" 2> /dev/null || :
	fi
	if [ -n "$loopdev" ]; then
		umount "$tmp/fs" 2> /dev/null || :
		losetup -d "$loopdev" 2> /dev/null || :
	fi
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

# Where the measured files live: TMPDIR's filesystem, or (FS=ext4) the
# fresh one, mounted before the cell is made so that the cell sees it.
data=$tmp
if [ "$FS" = ext4 ]; then
	truncate -s "$((need_kb * 5 / 4))K" "$tmp/fs.img"
	loopdev=$(losetup --direct-io=on --find --show "$tmp/fs.img")
	mkfs.ext4 -q "$loopdev"
	mkdir "$tmp/fs"
	mount "$loopdev" "$tmp/fs"
	data=$tmp/fs
fi

"$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
    --cgroup-parent "aurae-bench-$$" > "$tmp/auraed.log" 2>&1 &
daemon=$!
export AURAE_HOST=$tmp/run/aurae.sock
for i in $(seq 500); do "$AER" health > /dev/null 2>&1 && break; sleep 0.02; done
"$AER" cell create bench > /dev/null

# A private sshd on loopback, key login for root (as bench/assh.sh).
port=$((40000 + $$ % 20000))
ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
cat "$tmp/id.pub" > "$tmp/authorized_keys"
chmod 600 "$tmp/authorized_keys"
cat > "$tmp/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/host_key
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
UsePAM no
PidFile $tmp/sshd.pid
StrictModes no
Subsystem sftp internal-sftp
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$tmp/sshd_config" -D -e 2> "$tmp/sshd.log" &
sshd_pid=$!
ssh_opts=(-p "$port" -i "$tmp/id" -o StrictHostKeyChecking=no
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
for i in $(seq 100); do ssh "${ssh_opts[@]}" root@127.0.0.1 true 2> /dev/null && break; sleep 0.05; done

# The targets: name, the directory written through, the directory under it.
names=(native auraefs auraefs-wb sshfs)
mkdir -p "$data/native" "$data/exp" "$data/exp-wb" "$data/sshexp" \
    "$tmp/m-auraefs" "$tmp/m-wb" "$tmp/m-sshfs"
declare -A dir under
dir[native]=$data/native	under[native]=$data/native
dir[auraefs]=$tmp/m-auraefs	under[auraefs]=$data/exp
dir[auraefs-wb]=$tmp/m-wb	under[auraefs-wb]=$data/exp-wb
dir[sshfs]=$tmp/m-sshfs		under[sshfs]=$data/sshexp

# wait_mount DIR PID: until DIR is a mount point (or PID has died).
wait_mount() {
	for i in $(seq 500); do
		grep -q " $1 fuse" /proc/self/mounts && return 0
		kill -0 "$2" 2> /dev/null || break
		sleep 0.02
	done
	echo "auraefs.sh: $1 was not mounted" >&2
	exit 1
}

"$AURAEFS" -f "bench:$data/exp" "$tmp/m-auraefs" 2> "$tmp/auraefs.log" &
fuse_pids+=($!) mounts+=("$tmp/m-auraefs")
wait_mount "$tmp/m-auraefs" $!
"$AURAEFS" -f -o writeback "bench:$data/exp-wb" "$tmp/m-wb" 2> "$tmp/auraefs-wb.log" &
fuse_pids+=($!) mounts+=("$tmp/m-wb")
wait_mount "$tmp/m-wb" $!
sshfs -f -p "$port" -o "IdentityFile=$tmp/id,StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,LogLevel=ERROR" \
    "root@127.0.0.1:$data/sshexp" "$tmp/m-sshfs" 2> "$tmp/sshfs.log" &
fuse_pids+=($!) mounts+=("$tmp/m-sshfs")
wait_mount "$tmp/m-sshfs" $!

# secs CMD...: run CMD, print the seconds it took (to the millisecond);
# CMD's exit status.
secs() {
	local t0 t1 st=0
	t0=$(date +%s.%N)
	"$@" || st=$?
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
	return $st
}

# median N...: the median of the numbers.
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	    END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# drop_file PATH...: drop those files' pages from the page cache.
drop_file() {
	local f
	for f; do
		dd if="$f" iflag=nocache count=0 status=none
	done
}

declare -A t failed

# calls_us fchown DIR: the microseconds one fchown of an open file in
# DIR takes, over CALLS calls; calls_us missing DIR: one stat of a name
# DIR does not have; calls_us pipes: one round over two pipes.
calls_us() {
	python3 - "$1" "${2:-}" "$CALLS" <<'PY'
import os, sys, time
what, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
elif what == "missing":
    path = os.path.join(d, "missing")
    t = time.perf_counter()
    for i in range(n):
        try:
            os.stat(path)
            sys.exit("auraefs.sh: %s exists" % path)
        except FileNotFoundError:
            pass
    e = time.perf_counter() - t
else:
    path = os.path.join(d, "fchown")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    t = time.perf_counter()
    for i in range(n):
        os.fchown(fd, 0, 0)
    e = time.perf_counter() - t
    os.close(fd)
    os.unlink(path)
print("%.1f" % (e / n * 1e6))
PY
}

echo "== one request: fchown of an open file, a stat of a missing name, $CALLS calls, $RUNS runs"
for r in $(seq "$RUNS"); do
	line=
	for n in "${names[@]}"; do
		for k in fchown missing; do
			if x=$(calls_us "$k" "${dir[$n]}" 2> "$tmp/calls.err"); then
				t[$n.$k]+="$x " line+=" $n $k $x us,"
			else
				failed[$n.$k]=$(tail -n 1 "$tmp/calls.err")
			fi
		done
	done
	p=$(calls_us pipes)
	t[pipes]+="$p "
	echo "round $r:$line pipe round trip $p us"
done

echo "== sequential write and read, $SIZE_MB MiB, $RUNS runs"
for r in $(seq "$RUNS"); do
	for n in "${names[@]}"; do
		f=${dir[$n]}/big
		rm -f "$f"
		sync
		w=$(secs dd if=/dev/zero of="$f" bs=1M count="$SIZE_MB" conv=fsync status=none)
		drop_file "$f" "${under[$n]}/big"
		c=$(secs dd if="$f" of=/dev/null bs=1M status=none)
		h=$(secs dd if="$f" of=/dev/null bs=1M status=none)
		t[$n.write]+="$w " t[$n.cold]+="$c " t[$n.warm]+="$h "
		echo "$n: write $w s, cold read $c s, warm read $h s"
	done
done
for n in "${names[@]}"; do rm -f "${dir[$n]}/big"; done

echo "== making a tree of $NFILES files"
python3 - "$tmp/gen" "$NFILES" <<'PY'
import os, random, sys
top, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261123)
pool = rng.randbytes(1 << 20)
for i in range(n):
    d = os.path.join(top, "d%03d" % (i % 200), "s%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    size = int(rng.expovariate(1 / 4096)) % 65536
    off = rng.randrange(len(pool) - size)
    with open(os.path.join(d, "f%05d.c" % i), "wb") as f:
        f.write(pool[off:off + size])
PY
tar -C "$tmp/gen" -cf "$tmp/tree.tar" .
rm -rf "$tmp/gen"

mruns=$((2 * RUNS - 1))
echo "== tar -xf of $NFILES files, then find + stat, $mruns runs"
# (What failed, per target and measurement, is kept in failed: the
# error, for the table.)
for r in $(seq "$mruns"); do
	for n in "${names[@]}"; do
		[ -z "${failed[$n.untar]:-}" ] || continue
		mkdir "${dir[$n]}/t$r"
		sync
		if x=$(secs tar -C "${dir[$n]}/t$r" -xf "$tmp/tree.tar" 2> "$tmp/tar.err"); then
			t[$n.untar]+="$x "
			# Three walks: the first after the untar, the second,
			# and one with every cache filled (steady state: a
			# FUSE mount's first read of a directory makes the
			# kernel ask for the directory's attributes again on
			# the next walk, see docs/FILES.md).
			f1=$(secs sh -c "find '${dir[$n]}/t$r' -printf '%p %s %m %T@\n' > /dev/null")
			f2=$(secs sh -c "find '${dir[$n]}/t$r' -printf '%p %s %m %T@\n' > /dev/null")
			[ "$r" -gt 1 ] || [ "$(find "${dir[$n]}/t$r" -type f | wc -l)" -eq "$NFILES" ] ||
				{ echo "auraefs.sh: the tree through $n is not complete" >&2; exit 1; }
			s=$(secs sh -c "find '${dir[$n]}/t$r' -printf '%p %s %m %T@\n' > /dev/null")
			t[$n.find1]+="$f1 " t[$n.find2]+="$f2 " t[$n.find]+="$s "
			echo "$n: untar $x s, find: first walk $f1 s, second $f2 s, warm $s s"
		else
			failed[$n.untar]=$(sed -n 's/^tar: [^:]*: [^:]*: //p' "$tmp/tar.err" |
			    sort | uniq -c | sort -rn | sed -n '1s/^ *[0-9]* *//p')
			failed[$n.find]=${failed[$n.untar]}
			failed[$n.find1]=${failed[$n.untar]}
			failed[$n.find2]=${failed[$n.untar]}
			echo "$n: tar -xf failed: ${failed[$n.untar]}"
		fi
		# One tree at a time.  Through auraefs's mounts, so that the
		# kernel forgets the inodes (and auraefs closes its descriptor
		# of each); it cannot hold more than its limit on descriptors.
		case $n in
		auraefs*) rm -rf "${dir[$n]}/t$r" 2> /dev/null || rm -rf "${under[$n]}/t$r" ;;
		*) rm -rf "${under[$n]}/t$r" ;;
		esac
	done
done

declare -A m
for n in "${names[@]}"; do
	for k in fchown missing write cold warm untar find1 find2 find; do
		m[$n.$k]=
		# shellcheck disable=SC2086
		[ -z "${t[$n.$k]:-}" ] || m[$n.$k]=$(median ${t[$n.$k]})
	done
	echo "$n medians: fchown ${m[$n.fchown]} us, missing ${m[$n.missing]} us, write ${m[$n.write]} s, cold read ${m[$n.cold]} s, warm read ${m[$n.warm]} s, untar ${m[$n.untar]} s, find ${m[$n.find1]} / ${m[$n.find2]} / ${m[$n.find]} s"
done

# shellcheck disable=SC2086
m[pipes]=$(median ${t[pipes]})
echo "pipe round trip median: ${m[pipes]} us"

# The formatters print "-" for a measurement that failed (no median).
# mbs SECONDS: MiB/s for the big file.
mbs() { [ -n "$1" ] || { echo -; return; }; awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f MiB/s", m / s }'; }
# pct A B: the throughput of time B as a share of time A's (A / B).
pct() { [ -n "$1" ] && [ -n "$2" ] || { echo -; return; }; awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
# xfactor A B: A / B with one decimal, and an x.
xfactor() { [ -n "$1" ] && [ -n "$2" ] || { echo -; return; }; awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
# us MICROSECONDS: microseconds.
us() { [ -n "$1" ] || { echo -; return; }; awk -v u="$1" 'BEGIN { printf "%.1f µs", u }'; }
# ms SECONDS: milliseconds.
ms() { [ -n "$1" ] || { echo -; return; }; awk -v s="$1" 'BEGIN { printf "%.0f ms", 1000 * s }'; }
# paired KIND A B: the median over rounds of A's time / B's time in the
# same round (the disk here drifts by a factor of three within minutes;
# each round measures all targets back to back).
paired() {
	local -a a b
	read -r -a a <<< "${t[$2.$1]:-}"
	read -r -a b <<< "${t[$3.$1]:-}"
	[ "${#a[@]}" -gt 0 ] && [ "${#a[@]}" -eq "${#b[@]}" ] || { echo; return; }
	for i in "${!a[@]}"; do
		awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.4f\n", x / y }'
	done | sort -g | awk '{ v[NR] = $1 }
	    END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# cell TARGET KIND FORMATTER: one measurement, or what made it fail.
cell() {
	if [ -n "${failed[$1.$2]:-}" ]; then
		echo "failed: ${failed[$1.$2]}"
	else
		"$3" "${m[$1.$2]}"
	fi
}

# row_rate LABEL KIND TARGET: a throughput row.
row_rate() {
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" \
	    "$(cell native "$2" mbs)" "$(cell auraefs "$2" mbs)" \
	    "$(cell auraefs-wb "$2" mbs)" "$(cell sshfs "$2" mbs)" \
	    "$(pct "${m[native.$2]}" "${m[auraefs.$2]}")" \
	    "$(pct "$(paired "$2" native auraefs)" 1)" \
	    "$(xfactor "${m[sshfs.$2]}" "${m[auraefs.$2]}")" "$3"
}
# row_time LABEL KIND TARGET [FORMATTER]: a time row (default in ms).
row_time() {
	local f=${4:-ms}
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" \
	    "$(cell native "$2" "$f")" "$(cell auraefs "$2" "$f")" \
	    "$(cell auraefs-wb "$2" "$f")" "$(cell sshfs "$2" "$f")" \
	    "$(xfactor "${m[auraefs.$2]}" "${m[native.$2]}")" \
	    "$(xfactor "$(paired "$2" auraefs native)" 1)" \
	    "$(xfactor "${m[sshfs.$2]}" "${m[auraefs.$2]}")" "$3"
}

table=$(
	echo "| measurement | native | auraefs | auraefs -o writeback | sshfs | auraefs/native | auraefs/native, paired | auraefs vs sshfs | target |"
	echo "|---|---|---|---|---|---|---|---|---|"
	row_rate "sequential write $SIZE_MB MiB (dd bs=1M, conv=fsync)" write ">= 70%, >= 2x"
	row_rate "sequential read, the file's cache dropped" cold ">= 70%, >= 2x"
	row_rate "sequential read, warm page cache" warm "-"
	row_time "tar -xf $NFILES files" untar "<= 3x"
	row_time "find + lstat of $NFILES files, first walk after the untar" find1 "<= 3x"
	row_time "find + lstat of $NFILES files, second walk" find2 "<= 3x"
	row_time "find + lstat of $NFILES files, warm (third walk)" find "<= 3x"
	row_time "one fchown of an open file (through FUSE three requests)" fchown "-" us
	row_time "one stat of a missing name, again and again" missing "-" us
)
# The floor for the untar through any FUSE mount here: the native
# untar, and the eight requests a file an untar makes (see the top),
# each at least one round trip between two processes.
floor=$(awk -v n="${m[native.untar]:-0}" -v f="$NFILES" -v p="${m[pipes]:-0}" \
    'BEGIN { printf "%.3f", n + 8 * f * p / 1e6 }')
floor_line="Floor for the untar through a FUSE mount: the native untar and eight round trips a file, $(ms "${m[native.untar]:-}") + 8 x $NFILES x $(us "${m[pipes]:-}") = $(ms "$floor"), $(xfactor "$floor" "${m[native.untar]:-}") native."
echo
echo "$table"
echo
echo "$floor_line"

if [ -n "$write" ]; then
	doc=$root/docs/PERFORMANCE.md
	if [ "$FS" = ext4 ]; then
		key="bench/auraefs.sh FS=ext4"
		title="## auraefs on a fresh ext4 (FS=ext4 bench/auraefs.sh)"
		how="FS=ext4 bench/auraefs.sh --write"
	else
		key=bench/auraefs.sh title="## auraefs (bench/auraefs.sh)"
		how="bench/auraefs.sh --write"
	fi
	section=$(printf '%s\n' "<!-- $key begin -->" "$title" "" \
	    "Reproduce: \`$how\` as root (RUNS=$RUNS, SIZE_MB=$SIZE_MB, NFILES=$NFILES)." \
	    "Machine: $(nproc) CPUs, Linux $(uname -r), $(date -u +%Y-%m-%d); sshfs $(sshfs --version 2>&1 | sed -n 's/^SSHFS version //p' | head -n 1), $(ssh -V 2>&1 | cut -d, -f1); a round trip between two processes over pipes (the floor for one request) $(us "${m[pipes]}")." \
	    "Medians.  auraefs/native: the share of native throughput (rates), or the time taken against native (times), from the medians; paired: the median of the same ratio taken in each round (native and auraefs run back to back, so a drifting disk affects both alike); auraefs vs sshfs: how many times faster auraefs is." "" \
	    "$table" "" "$floor_line" "<!-- $key end -->")
	touch "$doc"
	awk -v s="$section" -v b="<!-- $key begin -->" -v e="<!-- $key end -->" '
	    $0 == b { print s; skip = 1; done = 1; next }
	    $0 == e { skip = 0; next }
	    !skip { print }
	    END { if (!done) { print ""; print s } }' "$doc" > "$doc.tmp"
	mv "$doc.tmp" "$doc"
	echo "wrote $doc"
fi
