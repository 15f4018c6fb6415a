#!/usr/bin/env bats
# t150-auraefs.bats - auraefs: a cell's files on a local FUSE mount, with
# POSIX semantics, confinement, read-only mounts, and what happens when
# the daemon, the cell or auraefs itself goes away.

load lib/common

setup_file() {
	skip_unless_root
	need_cmd fusermount3
	[ -c /dev/fuse ] || skip "/dev/fuse is missing"
	[ -x /bin/busybox ] || skip "/bin/busybox is missing (Debian busybox-static)"
	common_setup_file
	# A rooted cell: its files are ROOT, and it has its own "/".
	ROOT=$AT/root
	mkdir -p "$ROOT/bin" "$ROOT/etc" "$ROOT/data"
	cp /bin/busybox "$ROOT/bin/busybox"
	for a in sh cat ls echo readlink stat; do ln -s busybox "$ROOT/bin/$a"; done
	echo cell-passwd > "$ROOT/etc/passwd"
	export ROOT
	start_daemon
	aer cell create --root "$ROOT" web > /dev/null
}
teardown_file() {
	aer cell rm -f web > /dev/null 2>&1 || :
	common_teardown_file
}
setup() {
	common_setup
	MNT=$TT/mnt
	mkdir -p "$MNT"
	aer ls cells | grep -q '^web' ||
		aer cell create --root "$ROOT" web > /dev/null
}
teardown() {
	local m
	# The mount namespace of the non-root test, if it failed midway.
	if mountpoint -q "$TT/mntns" 2> /dev/null; then
		nsenter --mount="$TT/mntns" -- fusermount3 -u "$MNT" 2> /dev/null || :
		umount "$TT/mntns"
	fi
	for m in $(awk -v t="$TT" '$2 ~ "^"t {print $2}' /proc/self/mounts |
	    sort -r); do
		fusermount3 -u "$m" 2> /dev/null || umount -l "$m" || :
	done
	common_teardown
}

# in_cell CMD...: run a shell command in cell web, print its output.
in_cell() {
	aer exec web -- sh -c "$*"
}

# mount_fg SOURCE OPTIONS...: auraefs -f SOURCE $MNT in the background
# (its pid in FS_PID, its debug log in $TT/fs.log with -d), mounted;
# with at most $FS_NOFILE descriptors when that is set.
mount_fg() {
	local src=$1 end
	shift
	${FS_NOFILE:+prlimit --nofile=$FS_NOFILE} auraefs -f "$@" "$src" \
	    "$MNT" > "$TT/fs.log" 2>&1 &
	FS_PID=$!
	register_pid $FS_PID
	end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until grep -q " $MNT fuse.auraefs " /proc/self/mounts; do
		[ $SECONDS -lt $end ] || fail "no mount: $(cat "$TT/fs.log")"
		sleep 0.05
	done
}

# unmount_fg: unmount, and wait for that auraefs to exit.
unmount_fg() {
	fusermount3 -u "$MNT"
	wait $FS_PID
}

# eventually CMD...: until CMD succeeds, for at most 10 s.  What a mount
# watches is cached for a day: only auraefs telling the kernel makes a
# change show.
eventually() {
	local end=$((SECONDS + 10))
	until "$@"; do
		[ $SECONDS -lt $end ] || fail "not within 10 s: $*"
		sleep 0.05
	done
}

# requests: how many lookups, attribute reads and directory reads
# auraefs -d has logged so far.
requests() {
	grep -c 'opcode: \(LOOKUP\|GETATTR\|OPENDIR\|READDIR\|READDIRPLUS\) ' \
	    "$TT/fs.log" || :
}

# ls_has DIR LINE: ls of it has that line.
ls_has() {
	ls "$1" | grep -qx -e "$2"
}

@test "every operation, visible through the mount and inside the cell" {
	auraefs web "$MNT"
	grep -q " $MNT fuse.auraefs " /proc/self/mounts
	d=$MNT/data
	echo one > "$d/f"
	[ "$(in_cell cat /data/f)" = one ]
	echo two >> "$d/f"
	[ "$(cat "$ROOT/data/f")" = "one
two" ]
	# A change made in the cell shows once the attribute cache (1 s by
	# default, -o timeout=) expires.
	in_cell 'echo three >> /data/f'
	local end=$((SECONDS + 5))
	until [ "$(tail -1 "$d/f")" = three ]; do
		[ $SECONDS -lt $end ] || fail "the cell's append never showed"
		sleep 0.1
	done
	mv "$d/f" "$d/g"
	[ ! -e "$ROOT/data/f" ] && [ -f "$ROOT/data/g" ]
	chmod 0640 "$d/g"
	[ "$(stat -c %a "$ROOT/data/g")" = 640 ]
	truncate -s 3 "$d/g"
	[ "$(cat "$ROOT/data/g")" = one ]
	ln -s g "$d/sym"
	[ "$(readlink "$ROOT/data/sym")" = g ]
	[ "$(cat "$d/sym")" = one ]
	ln "$d/g" "$d/hard"
	[ "$(stat -c %h "$ROOT/data/g")" = 2 ]
	[ "$(stat -c %i "$ROOT/data/g")" = "$(stat -c %i "$ROOT/data/hard")" ]
	mkdir "$d/sub"
	[ -d "$ROOT/data/sub" ]
	touch -d '2001-01-01 00:00:00' "$d/sub"
	[ "$(stat -c %Y "$ROOT/data/sub")" = 978307200 ]
	rmdir "$d/sub"
	[ ! -e "$ROOT/data/sub" ]
	rm "$d/hard" "$d/sym"
	[ ! -e "$ROOT/data/hard" ] && [ ! -L "$ROOT/data/sym" ]
	# rename flags: RENAME_NOREPLACE refuses, RENAME_EXCHANGE swaps
	echo a > "$d/a"; echo b > "$d/b"
	run mv --no-clobber -T "$d/a" "$d/b"
	[ "$(cat "$ROOT/data/b")" = b ]
	python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
AT = -100
r = libc.renameat2(AT, sys.argv[1].encode(), AT, sys.argv[2].encode(), 2)
sys.exit(0 if r == 0 else ctypes.get_errno())' "$d/a" "$d/b"
	[ "$(cat "$ROOT/data/a")" = b ] && [ "$(cat "$ROOT/data/b")" = a ]
	# sparse files and holes
	truncate -s 1G "$d/sparse"
	[ "$(stat -c %s "$ROOT/data/sparse")" = 1073741824 ]
	[ "$(du -k "$ROOT/data/sparse" | cut -f1)" -lt 1024 ]
	printf x | dd of="$d/sparse" bs=1 seek=4096 conv=notrunc status=none
	[ "$(dd if="$ROOT/data/sparse" bs=1 skip=4096 count=1 status=none)" = x ]
	# extended attributes
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.k", b"v")' "$d/a"
	[ "$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "user.k").decode())' "$ROOT/data/a")" = v ]
	[ "$(python3 -c 'import os, sys; print(os.listxattr(sys.argv[1]))' "$d/a")" = "['user.k']" ]
	python3 -c 'import os, sys; os.removexattr(sys.argv[1], "user.k")' "$d/a"
	# statfs, access
	df "$MNT" > /dev/null
	[ -w "$d/a" ] && [ -r "$d/a" ]
	# readdir sees what the cell makes
	in_cell 'echo x > /data/from-cell'
	ls "$d" | grep -qx from-cell
	rm -f "$d"/* 
	fusermount3 -u "$MNT"
}

@test "a subdirectory export, git inside the mount" {
	need_cmd git
	mkdir -p "$ROOT/data/proj"
	auraefs web:/data/proj "$MNT"
	(cd "$MNT" && git init -q && echo hi > README &&
	    git add README && git -c user.name=t -c user.email=t@t commit -qm first &&
	    git fsck --no-progress > /dev/null)
	[ "$(git -C "$ROOT/data/proj" log --format=%s)" = first ]
	[ ! -e "$MNT/data" ]
	fusermount3 -u "$MNT"
	rm -rf "$ROOT/data/proj"
}

@test "escapes are refused: symlinks out of the root stay inside the mount" {
	ln -sfn /etc/passwd "$ROOT/data/abs"
	ln -sfn ../../../../../../etc/passwd "$ROOT/data/rel"
	ln -sfn / "$ROOT/data/top"
	mkdir -p "$ROOT/data/x/y"
	auraefs web "$MNT"
	[ "$(readlink "$MNT/data/abs")" = ../etc/passwd ]
	[ "$(readlink "$MNT/data/rel")" = ../etc/passwd ]
	# following them reaches the cell's /etc/passwd, not the host's
	[ "$(cat "$MNT/data/abs")" = cell-passwd ]
	[ "$(cat "$MNT/data/rel")" = cell-passwd ]
	[ "$(cat "$MNT/data/top/etc/passwd")" = cell-passwd ]
	# writes through them stay inside too
	cp /etc/passwd "$TT/host-passwd"
	echo through > "$MNT/data/top/etc/written"
	[ -f "$ROOT/etc/written" ] && [ ! -e /etc/written ]
	cmp /etc/passwd "$TT/host-passwd"
	# a link made through the mount is stored as written, and clamped
	# when read back
	ln -s /etc/passwd "$MNT/data/x/y/made"
	[ "$(readlink "$ROOT/data/x/y/made")" = /etc/passwd ]
	[ "$(readlink "$MNT/data/x/y/made")" = ../../../etc/passwd ]
	# "..": the mount's top has no way up into the cell's host side
	[ "$(cd "$MNT/data/x/y/../../.." && pwd -P)" = "$MNT" ]
	fusermount3 -u "$MNT"
	rm -rf "$ROOT/data/x" "$ROOT/data/abs" "$ROOT/data/rel" "$ROOT/data/top" \
	    "$ROOT/etc/written"
}

@test "a read-only mount refuses every write with EROFS" {
	echo keep > "$ROOT/data/ro"
	auraefs web "$MNT" -o ro
	[ "$(cat "$MNT/data/ro")" = keep ]
	run sh -c "echo x > '$MNT/data/ro'"
	assert_failure
	[[ "$output" == *"Read-only file system"* ]]
	run touch "$MNT/data/new"
	[[ "$output" == *"Read-only file system"* ]]
	run mkdir "$MNT/data/d"
	[[ "$output" == *"Read-only file system"* ]]
	run rm "$MNT/data/ro"
	[[ "$output" == *"Read-only file system"* ]]
	run chmod 600 "$MNT/data/ro"
	[[ "$output" == *"Read-only file system"* ]]
	[ "$(cat "$ROOT/data/ro")" = keep ]
	fusermount3 -u "$MNT"
	rm -f "$ROOT/data/ro"
}

@test "the daemon going away: errors, never a hang; the next mount works" {
	start_daemon
	mkdir -p "$TT/r3/data"
	echo v > "$TT/r3/data/v"
	aer cell create --root "$TT/r3" web3 > /dev/null
	auraefs web3 "$MNT"
	[ "$(cat "$MNT/data/v")" = v ]
	stop_daemon
	run timeout 10 cat "$MNT/data/v"
	[ "$status" -ne 124 ] || fail "hung"
	[[ "$output" == *"Transport endpoint is not connected"* ]]
	run timeout 10 ls "$MNT"
	[ "$status" -ne 124 ] || fail "hung"
	assert_failure
	fusermount3 -u "$MNT"
	start_daemon_in "$DAEMON_DIR"
	aer ls cells | grep -q '^web3'
	auraefs web3 "$MNT"
	[ "$(cat "$MNT/data/v")" = v ]
	fusermount3 -u "$MNT"
	aer cell rm -f web3 > /dev/null
}

@test "the cell removed: ENOTCONN; a killed auraefs leaves a mount fusermount3 clears" {
	mkdir -p "$TT/r2/bin"
	cp /bin/busybox "$TT/r2/bin/"
	aer cell create --root "$TT/r2" doomed > /dev/null
	auraefs doomed "$MNT"
	ls "$MNT/bin" > /dev/null
	aer cell rm -f doomed
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until ! timeout 5 ls "$MNT/bin" > /dev/null 2>&1; do
		[ $SECONDS -lt $end ] || fail "still serving after removal"
		sleep 0.05
	done
	run timeout 10 ls "$MNT/bin"
	[[ "$output" == *"Transport endpoint is not connected"* ]]
	fusermount3 -u "$MNT"
	# kill -9 of auraefs
	mount_fg web
	kill -9 $FS_PID
	wait $FS_PID || :
	run timeout 10 ls "$MNT"
	[ "$status" -ne 124 ] || fail "hung"
	assert_failure
	fusermount3 -u "$MNT"
	! grep -q " $MNT " /proc/self/mounts
}

@test "errors: unknown cell, bad source, remote node, usage" {
	run auraefs nosuch "$MNT"
	assert_status 1
	[ "$output" = "auraefs: no cell named 'nosuch'" ]
	run auraefs web:/no/such/dir "$MNT"
	assert_status 1
	[ "$output" = "auraefs: web:/no/such/dir: No such file or directory" ]
	run auraefs 'Bad Name' "$MNT"
	assert_status 2
	run auraefs node1:web:/ "$MNT"
	assert_status 255
	[[ "$output" == *"ssh transport"* ]]
	run auraefs web
	assert_status 2
	run auraefs web "$MNT" -o fsname=x
	assert_status 2
	run env AURAE_HOST="$TT/none.sock" auraefs web "$MNT"
	assert_status 255
	! grep -q " $MNT " /proc/self/mounts
}

@test "a non-root member of group aurae mounts, with its own permissions" {
	local gid
	gid=$(getent group aurae | cut -d: -f3) || skip "no group aurae"
	[ -u "$(command -v fusermount3)" ] || skip "fusermount3 is not setuid"
	need_world_access "$(command -v auraefs)"
	# in_ns CMD...: run CMD where the mount is.  Debian's udev rule
	# makes /dev/fuse 0666; where this machine has it 0600 (no udev),
	# the test makes its own mount namespace in which a 0666 node of the
	# same device covers /dev/fuse, and runs everything that needs the
	# mount there (teardown drops the namespace).
	in_ns() { "$@"; }
	as_nobody() {
		in_ns setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
	}
	if ! as_nobody test -w /dev/fuse; then
		need_cmd unshare
		need_cmd nsenter
		touch "$TT/mntns"
		unshare --mount="$TT/mntns" --propagation private sh -ec "
		    mkdir -p '$TT/dev'
		    mount -t tmpfs -o mode=0755 none '$TT/dev'
		    mknod -m 0666 '$TT/dev/fuse' c 10 229
		    mount --bind '$TT/dev/fuse' /dev/fuse" ||
			skip "cannot make a mount namespace with a 0666 /dev/fuse"
		in_ns() { nsenter --mount="$TT/mntns" -- "$@"; }
	fi
	echo public > "$ROOT/data/public"
	echo secret > "$ROOT/data/secret"
	chmod 0644 "$ROOT/data/public"
	chmod 0600 "$ROOT/data/secret"
	mkdir -p "$ROOT/data/drop"
	chmod 0777 "$ROOT/data/drop"
	chown 65534:65534 "$MNT"
	chmod 755 "$TT" "$AT"
	in_ns setpriv --reuid=65534 --regid=65534 --groups="$gid" -- \
	    env AURAE_HOST="$AURAE_HOST" LD_LIBRARY_PATH="$LD_LIBRARY_PATH" \
	    "$(command -v auraefs)" web "$MNT"
	# The mount is nobody's, not root's.
	in_ns awk -v m="$MNT" '$2 == m { print $4 }' /proc/self/mounts |
	    grep -qw 'user_id=65534'
	[ "$(as_nobody cat "$MNT/data/public")" = public ]
	run as_nobody cat "$MNT/data/secret"
	assert_failure
	[[ "$output" == *"Permission denied"* ]]
	as_nobody sh -c "echo mine > '$MNT/data/drop/mine'"
	[ "$(stat -c %u "$ROOT/data/drop/mine")" = 65534 ]
	in_ns fusermount3 -u "$MNT"
	rm -rf "$ROOT/data/public" "$ROOT/data/secret" "$ROOT/data/drop"
}

@test "a node volume: mounted here, shared with a cell" {
	aer storage create shared > /dev/null
	aer cell create --volume shared:/srv/shared volcell > /dev/null
	auraefs vol:shared "$MNT"
	echo from-host > "$MNT/note"
	[ "$(aer exec volcell -- cat /srv/shared/note)" = from-host ]
	aer exec volcell -- sh -c 'echo from-cell > /srv/shared/reply'
	[ "$(cat "$MNT/reply")" = from-cell ]
	fusermount3 -u "$MNT"
	auraefs vol:shared:/ "$MNT" -o ro
	run touch "$MNT/x"
	[[ "$output" == *"Read-only file system"* ]]
	fusermount3 -u "$MNT"
	run auraefs vol:nosuch "$MNT"
	assert_status 1
	[[ "$output" == *"nosuch"* ]]
	aer cell rm -f volcell > /dev/null
	aer storage rm -f shared > /dev/null
}

@test "reads and writes are passed through by the kernel, or served with -o no_passthrough" {
	grep -q '^CONFIG_FUSE_PASSTHROUGH=y' <(zcat /proc/config.gz 2>/dev/null) ||
		skip "this kernel has no FUSE passthrough"
	local mode want
	for mode in passthrough no_passthrough; do
		mount_fg web -d -o "$mode"
		head -c 3000000 /dev/urandom > "$TT/src"
		cp "$TT/src" "$MNT/data/pt"
		cmp "$TT/src" "$ROOT/data/pt"
		cmp "$TT/src" "$MNT/data/pt"
		# O_APPEND, and a change made in the cell, read back
		echo tail >> "$MNT/data/pt"
		[ "$(tail -c 5 "$ROOT/data/pt")" = tail ]
		in_cell 'echo cell >> /data/pt'
		[ "$(tail -c 5 "$MNT/data/pt")" = cell ]
		# two opens of one file at once, one of them writing
		exec 7< "$MNT/data/pt"
		echo more >> "$MNT/data/pt"
		exec 7<&-
		unmount_fg
		want=0
		[ $mode = passthrough ] || want=1
		n=$(grep -c 'opcode: \(READ\|WRITE\) ' "$TT/fs.log" || :)
		if [ $want = 0 ]; then
			[ "$n" -eq 0 ] || fail "$n READ/WRITE requests with passthrough"
		else
			[ "$n" -gt 0 ] || fail "no READ/WRITE requests without passthrough"
		fi
		rm -f "$ROOT/data/pt"
	done
}

@test "more files than auraefs may hold descriptors for" {
	local i n
	mkdir -p "$ROOT/data/many"
	# 1,500 files made in the cell, 1,500 through the mount, under a
	# limit of 256 descriptors.
	in_cell 'i=0; while [ $i -lt 1500 ]; do echo c$i > /data/many/c$i; i=$((i+1)); done'
	FS_NOFILE=256 mount_fg web
	for i in $(seq 0 1499); do echo m$i > "$MNT/data/many/m$i"; done
	[ "$(find "$MNT/data/many" -type f | wc -l)" -eq 3000 ]
	[ "$(find "$MNT/data/many" -printf '%s\n' | sort -u | wc -l)" -ge 2 ]
	for i in $(seq 0 1499); do
		[ "$(cat "$MNT/data/many/c$i")" = c$i ] || fail "c$i"
		[ "$(cat "$MNT/data/many/m$i")" = m$i ] || fail "m$i"
	done
	n=$(ls /proc/$FS_PID/fd | wc -l)
	[ "$n" -lt 256 ] || fail "$n descriptors"
	# files whose descriptor was let go still work in every way
	chmod 600 "$MNT/data/many/c1"
	[ "$(stat -c %a "$ROOT/data/many/c1")" = 600 ]
	ln "$MNT/data/many/c2" "$MNT/data/many/hl"
	[ "$(cat "$ROOT/data/many/hl")" = c2 ]
	mv "$MNT/data/many/c3" "$MNT/data/many/moved"
	[ "$(cat "$ROOT/data/many/moved")" = c3 ]
	ln -s c4 "$MNT/data/many/sl"
	[ "$(readlink "$MNT/data/many/sl")" = c4 ]
	setfattr -n user.k -v v "$MNT/data/many/c5" 2>/dev/null ||
		python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.k", b"v")' "$MNT/data/many/c5"
	[ "$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "user.k").decode())' "$MNT/data/many/c5")" = v ]
	# removed in the cell while let go: ENOENT (or ESTALE), never a hang
	in_cell 'rm /data/many/c6'
	run timeout 10 cat "$MNT/data/many/c6"
	[ "$status" -ne 124 ] || fail "hung"
	assert_failure
	rm -rf "$ROOT/data/many"
	unmount_fg
}

@test "a cell made while a mount exists holds no copy of it: fusermount3 -u ends auraefs" {
	mount_fg web
	# A cell with no root of its own starts from the host's mounts.
	aer cell create plain > /dev/null
	run aer exec plain -- cat /proc/self/mountinfo
	[ "$status" -eq 0 ] || fail "aer exec: $output"
	[[ "$output" != *" fuse.auraefs "* ]] ||
		fail "the cell holds a copy of the mount"
	# The host's other mounts are still there in the cell.
	[[ "$output" == *" / / "* ]]
	fusermount3 -u "$MNT"
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	while kill -0 $FS_PID 2> /dev/null; do
		[ $SECONDS -lt $end ] || fail "auraefs still serving"
		sleep 0.05
	done
	aer cell rm -f plain > /dev/null
}

@test "changes made in the cell or on the host show through a mount that caches them" {
	local d=$MNT/data/w n
	mkdir -p "$ROOT/data/w/sub"
	echo one > "$ROOT/data/w/f"
	mount_fg web -d
	# Two walks fill the kernel's caches; a third asks auraefs nothing.
	ls -lR "$d" > /dev/null
	ls -lR "$d" > /dev/null
	n=$(requests)
	ls -lR "$d" > /dev/null
	cat "$d/f" > /dev/null
	[ "$(requests)" -eq "$n" ] ||
		fail "$(( $(requests) - n )) requests for a cached walk"
	in_cell 'echo two > /data/w/new'
	eventually ls_has "$d" new
	[ "$(cat "$d/new")" = two ]
	in_cell 'echo more >> /data/w/f'
	eventually [ "$(cat "$d/f")" = "one
more" ]
	in_cell 'chmod 600 /data/w/f'
	eventually [ "$(stat -c %a "$d/f")" = 600 ]
	in_cell 'mv /data/w/f /data/w/sub/g'
	eventually ls_has "$d/sub" g
	[ ! -e "$d/f" ]
	[ "$(cat "$d/sub/g")" = "one
more" ]
	in_cell 'mkdir /data/w/dir && echo x > /data/w/dir/y'
	eventually [ "$(cat "$d/dir/y" 2> /dev/null)" = x ]
	in_cell 'rm -r /data/w/dir'
	eventually [ ! -e "$d/dir" ]
	in_cell 'ln /data/w/new /data/w/new2'
	eventually [ "$(stat -c %h "$d/new")" = 2 ]
	# A name found missing stays known missing, asking nothing, until
	# it is made: in the cell, on the host, or through the mount.
	[ ! -e "$d/absent" ]
	n=$(requests)
	[ ! -e "$d/absent" ]
	[ ! -e "$d/absent" ]
	[ "$(requests)" -eq "$n" ] ||
		fail "$(( $(requests) - n )) requests for a name known missing"
	in_cell 'echo cell > /data/w/absent'
	eventually [ "$(cat "$d/absent" 2> /dev/null)" = cell ]
	[ ! -e "$d/sub/absent" ]
	echo host > "$ROOT/data/w/sub/absent"
	eventually [ "$(cat "$d/sub/absent" 2> /dev/null)" = host ]
	[ ! -e "$d/dir2" ]
	in_cell 'mkdir /data/w/dir2'
	eventually [ -d "$d/dir2" ]
	[ ! -e "$d/mine" ]
	echo mine > "$d/mine"
	[ "$(cat "$d/mine")" = mine ]
	[ "$(in_cell 'cat /data/w/mine')" = mine ]
	in_cell 'rm /data/w/absent /data/w/mine /data/w/sub/absent && rmdir /data/w/dir2'
	eventually [ ! -e "$d/absent" ]
	# on the host, below the cell
	echo host > "$ROOT/data/w/h"
	eventually ls_has "$d" h
	rm "$ROOT/data/w/new" "$ROOT/data/w/new2"
	eventually [ ! -e "$d/new" ]
	# through the mount, all of it as it should be at once
	echo m > "$d/m"
	ls_has "$d" m
	rm "$d/m"
	! ls_has "$d" m
	unmount_fg
	rm -rf "$ROOT/data/w"
}

# listing DIR: its names, sorted, "." and ".." left out.
listing() {
	ls -A1 "$1" | LC_ALL=C sort
}

@test "large directories list whole, and again after changes in the cell" {
	local d=$MNT/data/big
	mkdir -p "$ROOT/data/big"
	(cd "$ROOT/data/big" && seq -f 'file-with-a-longish-name-%05g' 2500 | xargs touch)
	mount_fg web -d
	# Several READDIRPLUS buffers, then one READDIR at the end that
	# auraefs answers from what its last read found.
	[ "$(listing "$d")" = "$(listing "$ROOT/data/big")" ]
	[ "$(find "$d" -mindepth 1 | wc -l)" -eq 2500 ]
	grep -q 'opcode: READDIR ' "$TT/fs.log" || fail "no READDIR asked"
	# Changes in the cell after a whole listing: the end is not taken
	# from the last read, the new names show.
	in_cell 'cd /data/big && for i in 1 2 3 4 5 6 7 8 9; do echo $i > n$i; done'
	eventually [ "$(listing "$d" | wc -l)" -eq 2509 ]
	[ "$(listing "$d")" = "$(listing "$ROOT/data/big")" ]
	in_cell 'cd /data/big && rm file-with-a-longish-name-0*'
	eventually [ "$(listing "$d" | wc -l)" -eq 9 ]
	[ "$(listing "$d")" = "$(listing "$ROOT/data/big")" ]
	in_cell 'rm /data/big/n*'
	eventually [ -z "$(listing "$d")" ]
	in_cell 'echo back > /data/big/again'
	eventually [ "$(listing "$d")" = again ]
	unmount_fg
	rm -rf "$ROOT/data/big"
}

@test "a filesystem that cannot be watched inside the mount is read afresh: the cell's /proc" {
	local pid
	mount_fg web
	ls "$MNT/proc" > /dev/null
	pid=$(in_cell 'sleep 60 > /dev/null 2>&1 & echo $!')
	[ -n "$pid" ]
	eventually ls_has "$MNT/proc" "$pid"
	in_cell "kill $pid"
	eventually eval "! ls_has '$MNT/proc' '$pid'"
	unmount_fg
}

@test "-o no_watch: entries and attributes kept for -o timeout, directories read every time" {
	local d=$MNT/data/nw n
	mkdir -p "$ROOT/data/nw"
	echo one > "$ROOT/data/nw/f"
	mount_fg web -d -o no_watch,timeout=0.2
	ls -l "$d" > /dev/null
	n=$(grep -c 'opcode: OPENDIR ' "$TT/fs.log" || :)
	ls -l "$d" > /dev/null
	[ "$(grep -c 'opcode: OPENDIR ' "$TT/fs.log")" -gt "$n" ]
	in_cell 'echo two > /data/nw/g'
	eventually ls_has "$d" g
	# Not watched, a missing name is asked for every time.
	n=$(grep -c 'opcode: LOOKUP ' "$TT/fs.log" || :)
	[ ! -e "$d/absent" ]
	[ ! -e "$d/absent" ]
	[ "$(grep -c 'opcode: LOOKUP ' "$TT/fs.log")" -ge $((n + 2)) ]
	unmount_fg
	rm -rf "$ROOT/data/nw"
}
