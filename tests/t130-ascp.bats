#!/usr/bin/env bats
# t130-ascp.bats - ascp: copies into and out of cells through the daemon's
# files service; hostile archives; errors.  A cell without a root of its
# own sees the host's files (in its own mount namespace), so the paths
# below are the test's own directories as the cell sees them.

load lib/common

setup_file() {
	skip_unless_root
	common_setup_file
	start_daemon
	aer cell create web > /dev/null
}
teardown_file() {
	aer cell rm -f web > /dev/null 2>&1 || :
	common_teardown_file
}
setup() {
	common_setup
	aer ls cells | grep -q '^web' || aer cell create web > /dev/null
}
teardown() {
	local st=0 m
	# Mounts this test made, innermost first.
	for m in $(awk -v t="$TT" '$2 ~ "^"t {print $2}' /proc/self/mounts |
	    sort -r); do
		umount "$m" || st=1
	done
	common_teardown
	return $st
}

# tree_sig DIR: one line per entry (type, mode, size, mtime, link target,
# sha256 of regular files), sorted by name; names may hold newlines, so
# they are shown NUL-free through printf %q.
tree_sig() {
	(cd "$1" && find . -mindepth 1 -print0 | sort -z |
	while IFS= read -r -d '' f; do
		printf '%q %s' "$f" "$(stat -c '%F %a %s %Y' -- "$f")"
		if [ -L "$f" ]; then
			printf ' -> %s' "$(readlink -- "$f")"
		elif [ -f "$f" ]; then
			printf ' %s' "$(sha256sum < "$f" | cut -d' ' -f1)"
		fi
		printf '\n'
	done)
}

# mixed_tree DIR: regular files, an empty one, a 200 MB one, symlinks,
# deep directories, names with spaces and newlines, odd modes and times.
mixed_tree() {
	local d=$1 i p
	mkdir -p "$d/sub dir" "$d/empty-dir"
	echo hello > "$d/a.txt"
	: > "$d/empty"
	head -c 200000000 /dev/urandom > "$d/big.bin"
	printf 'two\nlines\n' > "$d/sub dir/with space.txt"
	printf x > "$d/new"$'\n'"line"
	ln -s a.txt "$d/rel-link"
	ln -s /etc/hostname "$d/abs-link"
	ln -s missing "$d/dangling"
	p=$d/deep
	for i in $(seq 1 60); do p=$p/level$i; done
	mkdir -p "$p"
	echo bottom > "$p/file"
	chmod 0750 "$d/sub dir"
	chmod 0600 "$d/a.txt"
	chmod 0755 "$d/empty"
	touch -h -d '2001-02-03 04:05:06' "$d/rel-link"
	find "$d" -mindepth 1 ! -type l -exec touch -d '2020-01-02 03:04:05' {} +
}

@test "a mixed tree into a cell and back: contents, modes, times, links" {
	mixed_tree "$TT/src"
	mkdir "$TT/in" "$TT/back"
	ascp -rp "$TT/src" "web:$TT/in/"
	ascp -rp "web:$TT/in/src" "$TT/back/"
	diff <(tree_sig "$TT/src") <(tree_sig "$TT/in/src")
	diff <(tree_sig "$TT/src") <(tree_sig "$TT/back/src")
}

@test "single files: in, out, cell to cell, renamed, overwritten" {
	head -c 50000000 /dev/urandom > "$TT/f.bin"
	chmod 0640 "$TT/f.bin"
	touch -d '2019-05-06 07:08:09' "$TT/f.bin"
	mkdir "$TT/d" "$TT/o"
	ascp -p "$TT/f.bin" "web:$TT/d/"
	cmp "$TT/f.bin" "$TT/d/f.bin"
	[ "$(stat -c '%a %Y' "$TT/d/f.bin")" = "$(stat -c '%a %Y' "$TT/f.bin")" ]
	ascp "web:$TT/d/f.bin" "$TT/o/renamed"
	cmp "$TT/f.bin" "$TT/o/renamed"
	# without -p: a fresh time, the mode under the umask
	[ "$(stat -c %Y "$TT/o/renamed")" != "$(stat -c %Y "$TT/f.bin")" ]
	echo old > "$TT/o/over"
	ascp "web:$TT/d/f.bin" "$TT/o/over"
	cmp "$TT/f.bin" "$TT/o/over"
	aer cell create other > /dev/null
	ascp "web:$TT/d/f.bin" "other:$TT/o/from-cell"
	cmp "$TT/f.bin" "$TT/o/from-cell"
	ascp -r "web:$TT/d" "other:$TT/o/tree"
	cmp "$TT/f.bin" "$TT/o/tree/f.bin"
	aer cell rm other > /dev/null
	# nothing is left under a temporary name
	[ -z "$(find "$TT/d" "$TT/o" -name '*.aurae-*')" ]
}

@test "cp -r rules: new name, existing directory, /. contents, -r needed" {
	mkdir -p "$TT/s/x" "$TT/dst"
	echo 1 > "$TT/s/x/one"
	ascp -r "$TT/s" "web:$TT/dst/new"
	[ -f "$TT/dst/new/x/one" ]
	ascp -r "$TT/s" "web:$TT/dst/new"
	[ -f "$TT/dst/new/s/x/one" ]
	mkdir "$TT/dst/c"
	ascp -r "$TT/s/." "web:$TT/dst/c"
	[ -f "$TT/dst/c/x/one" ]
	run ascp "$TT/s" "web:$TT/dst/z"
	assert_status 1
	[[ "$output" == *"-r not specified; omitting directory"* ]]
	[ ! -e "$TT/dst/z" ]
	run ascp "$TT/s/x/one" "$TT/s/x/one" "web:$TT/dst/c/x/one"
	assert_status 1
	[[ "$output" == *"is not a directory"* ]]
}

@test "tar streams: - from stdin into a cell, a cell path to stdout" {
	mkdir -p "$TT/t/d" "$TT/dst"
	echo a > "$TT/t/d/a"
	ln -s d/a "$TT/t/l"
	tar -C "$TT/t" -cf "$TT/t.tar" .
	ascp - "web:$TT/dst" < "$TT/t.tar"
	[ "$(cat "$TT/dst/d/a")" = a ]
	[ "$(readlink "$TT/dst/l")" = d/a ]
	run sh -c "ascp 'web:$TT/t' - | tar tf -"
	assert_status 0
	[[ "$output" == *"t/d/a"* ]]
	[[ "$output" == *"t/l"* ]]
	gzip -c "$TT/t.tar" > "$TT/t.tgz"
	mkdir "$TT/dz"
	ascp - "web:$TT/dz" < "$TT/t.tgz"
	[ "$(cat "$TT/dz/d/a")" = a ]
	run ascp - "web:$TT/missing-dir" < "$TT/t.tar"
	assert_status 1
	[[ "$output" == *"No such file or directory"* ]]
	run sh -c "echo not a tar | ascp - 'web:$TT/dst'"
	assert_status 1
	[[ "$output" == *"archive"* ]]
}

# hostile NAME PYTHON: build $TT/NAME.tar with tarfile; PYTHON adds members
# to the open archive t (helpers: reg(name, data, mode), sym(name, target),
# hard(name, target), dev(name, type)).
hostile() {
	python3 - "$TT/$1.tar" "$TT/outside" <<EOF
import io, sys, tarfile
out = sys.argv[2]
t = tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT)
def reg(name, data=b"pwned\n", mode=0o644):
    i = tarfile.TarInfo(name); i.size = len(data); i.mode = mode
    t.addfile(i, io.BytesIO(data))
def sym(name, target):
    i = tarfile.TarInfo(name); i.type = tarfile.SYMTYPE; i.linkname = target
    t.addfile(i)
def hard(name, target):
    i = tarfile.TarInfo(name); i.type = tarfile.LNKTYPE; i.linkname = target
    t.addfile(i)
def dev(name, ty):
    i = tarfile.TarInfo(name); i.type = ty; i.devmajor = 1; i.devminor = 3
    t.addfile(i)
$2
t.close()
EOF
}

@test "hostile archives write nothing outside the destination" {
	need_cmd python3
	mkdir -p "$TT/outside" "$TT/dst"
	echo original > "$TT/outside/victim"
	cp /etc/shadow "$TT/shadow.before"
	hostile dotdot 'reg("../outside/pwned-dotdot"); reg("a/../../outside/pwned-dotdot2")'
	hostile absolute 'reg(out + "/pwned-abs")'
	hostile abslink 'sym("l", out); reg("l/pwned-abslink")'
	hostile rellink 'sym("l", "../outside"); reg("l/pwned-rellink")'
	hostile twohop 'sym("a", "b"); sym("b", out); reg("a/pwned-twohop")'
	hostile twohoprel 'sym("x/a", "../b"); sym("b", "../outside"); reg("x/a/pwned-twohop2")'
	hostile shadow 'hard("h", "/etc/shadow")'
	hostile shadowrel 'hard("h", "../../../../../../../../etc/shadow")'
	hostile hardout 'hard("h", "../outside/victim")'
	hostile chardev 'dev("null", tarfile.CHRTYPE)'
	hostile blockdev 'dev("sda", tarfile.BLKTYPE)'
	hostile fifo 'dev("fifo", tarfile.FIFOTYPE)'
	hostile setuid 'reg("suid", b"#!/bin/sh\n", 0o4755)'
	hostile setgid 'reg("sgid", b"#!/bin/sh\n", 0o2755)'
	for a in dotdot absolute abslink rellink twohop twohoprel shadow \
	    shadowrel hardout chardev blockdev fifo setuid setgid; do
		run ascp - "web:$TT/dst" < "$TT/$a.tar"
		[ "$status" -eq 1 ] ||
			fail "$a: expected exit 1, got $status: $output"
		[ "${#lines[@]}" -eq 1 ] || fail "$a: not one line: $output"
		[[ "$output" == "ascp: "* ]] || fail "$a: $output"
	done
	[ "$(ls "$TT/outside")" = victim ]
	[ "$(cat "$TT/outside/victim")" = original ]
	[ "$(stat -c %h "$TT/outside/victim")" = 1 ]
	cmp /etc/shadow "$TT/shadow.before"
	[ -z "$(find "$TT/dst" -name 'pwned*' -o -type c -o -type b -o -type p \
	    -o -perm /6000)" ]
	[ "$(stat -c %h /etc/shadow)" = 1 ]
}

@test "hostile archives: a symlink in the way is replaced, never followed" {
	need_cmd python3
	mkdir -p "$TT/outside" "$TT/dst"
	echo original > "$TT/outside/victim"
	ln -s "$TT/outside/victim" "$TT/dst/victim"
	hostile replace 'reg("victim", b"new\n")'
	ascp - "web:$TT/dst" < "$TT/replace.tar"
	[ "$(cat "$TT/outside/victim")" = original ]
	[ ! -L "$TT/dst/victim" ]
	[ "$(cat "$TT/dst/victim")" = new ]
	# a directory entry over a symlink to outside is refused
	ln -s "$TT/outside" "$TT/dst/sneaky"
	hostile dirover 'i = tarfile.TarInfo("sneaky"); i.type = tarfile.DIRTYPE; t.addfile(i); reg("sneaky/pwned")'
	run ascp - "web:$TT/dst" < "$TT/dirover.tar"
	assert_status 1
	[ ! -e "$TT/outside/pwned" ]
}

@test "root with -a keeps owners, set-ID bits and device nodes" {
	need_cmd python3
	mkdir -p "$TT/dst"
	hostile special 'reg("suid", b"x", 0o4755); dev("null", tarfile.CHRTYPE); i = tarfile.TarInfo("owned"); i.uid = 4242; i.gid = 4343; t.addfile(i)'
	ascp -a - "web:$TT/dst" < "$TT/special.tar"
	[ "$(stat -c '%a' "$TT/dst/suid")" = 4755 ]
	[ -c "$TT/dst/null" ]
	[ "$(stat -c '%u %g' "$TT/dst/owned")" = "4242 4343" ]
}

@test "copies are capped in entries and bytes" {
	need_cmd python3
	start_daemon --copy-max-entries 10 --copy-max-bytes 1M
	aer cell create capped > /dev/null
	mkdir -p "$TT/many" "$TT/dst"
	for i in $(seq 1 20); do : > "$TT/many/f$i"; done
	run ascp -r "$TT/many" "capped:$TT/dst/"
	assert_status 1
	[[ "$output" == *"limit of 10 entries"* ]]
	head -c 2000000 /dev/zero > "$TT/big"
	run ascp "$TT/big" "capped:$TT/dst/"
	assert_status 1
	[[ "$output" == *"limit of 1048576 bytes"* ]]
	[ ! -e "$TT/dst/big" ]
	hostile bomb 'reg("z", b"\0" * 3000000)'
	gzip -9 < "$TT/bomb.tar" > "$TT/bomb.tgz"
	run ascp - "capped:$TT/dst" < "$TT/bomb.tgz"
	assert_status 1
	[[ "$output" == *"limit of 1048576 bytes"* ]]
	[ ! -e "$TT/dst/big" ] && [ ! -e "$TT/dst/z" ]
	[ -z "$(find "$TT/dst" -name '*.aurae-*')" ]
	aer cell rm capped > /dev/null
}

@test "errors: missing source, missing directory, read-only, full disk, usage" {
	mkdir -p "$TT/dst" "$TT/ro" "$TT/full"
	echo x > "$TT/file"
	run ascp "web:$TT/nope" "$TT/dst/"
	assert_status 1
	[ "$output" = "ascp: web:$TT/nope: no such file or directory" ]
	run ascp "$TT/nope" "web:$TT/dst/"
	assert_status 1
	[ "$output" = "ascp: $TT/nope: no such file or directory" ]
	run ascp "$TT/file" "web:$TT/no/such/dir"
	assert_status 1
	[ "$output" = "ascp: web:$TT/no/such: No such file or directory" ]
	run ascp "web:$TT/file" "$TT/no/such/dir"
	assert_status 1
	[ "$output" = "ascp: $TT/no/such: No such file or directory" ]
	run ascp "$TT/file" "nosuchcell:/tmp/"
	assert_status 1
	[ "$output" = "ascp: no cell named 'nosuchcell'" ]
	# A cell's mounts are its own: made now, seen by a new cell.
	mount -t tmpfs -o ro,size=1m tmpfs "$TT/ro"
	mount -t tmpfs -o size=1m tmpfs "$TT/full"
	aer cell create mnt > /dev/null
	run ascp "$TT/file" "mnt:$TT/ro/"
	assert_status 1
	[[ "$output" == *"Read-only file system"* ]]
	head -c 3000000 /dev/urandom > "$TT/big"
	run ascp "$TT/big" "mnt:$TT/full/"
	assert_status 1
	[[ "$output" == *"No space left on device"* ]]
	run ascp -r "$TT/big" "$TT/file" "mnt:$TT/full/"
	assert_status 1
	aer cell rm mnt > /dev/null
	[ -z "$(ls -A "$TT/full" | grep -v '^file$')" ]
	run ascp "$TT/file" "$TT/dst/"
	assert_status 2
	[[ "$output" == *"neither side is in a cell"* ]]
	run ascp "$TT/file"
	assert_status 2
	run ascp -L -P "$TT/file" "web:/tmp/"
	assert_status 2
	run ascp - "$TT/dst"
	assert_status 2
	run ascp node1:web:/etc/hostname "$TT/dst/"
	assert_status 255
	[[ "$output" == *"ssh transport"* ]]
	run env AURAE_HOST="$TT/none.sock" ascp "$TT/file" "web:/tmp/"
	assert_status 255
	aer health > /dev/null
}

@test "a cell removed in the middle of a copy: a clear error, no hang" {
	need_cmd python3
	aer cell create doomed > /dev/null
	mkdir -p "$TT/dst"
	# A tar header promising 1 GB, then nothing until the cell is gone.
	mkfifo "$TT/feed"
	( python3 -c '
import sys, tarfile
i = tarfile.TarInfo("big"); i.size = 1 << 30
sys.stdout.buffer.write(i.tobuf(format=tarfile.GNU_FORMAT))
sys.stdout.buffer.write(b"x" * 65536); sys.stdout.flush()
import time; time.sleep(30)' > "$TT/feed" & echo $! > "$TT/feeder" )
	register_pid "$(cat "$TT/feeder")"
	ascp - "doomed:$TT/dst" < "$TT/feed" > "$TT/out" 2>&1 &
	local cp=$!
	register_pid $cp
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until ls -A "$TT/dst" | grep -q '^\.big\.aurae-'; do
		[ $SECONDS -lt $end ] || { fail "the copy never started"; return 1; }
		sleep 0.02
	done
	aer cell rm -f doomed
	local st=0
	wait $cp || st=$?
	[ "$st" -eq 1 ] || fail "exit $st: $(cat "$TT/out")"
	[ "$(cat "$TT/out")" = "ascp: cell 'doomed' was removed during the copy" ]
	[ ! -e "$TT/dst/big" ]
	aer health > /dev/null
}

@test "the daemon serves others while copies run, and after bad input" {
	mkdir -p "$TT/dst"
	head -c 100000000 /dev/urandom > "$TT/blob"
	ascp -r "$TT/blob" "web:$TT/dst/" &
	local cp=$!
	for i in 1 2 3 4 5; do aer health > /dev/null; done
	wait $cp
	cmp "$TT/blob" "$TT/dst/blob"
	rpc '{"jsonrpc":"2.0","id":1,"method":"files.put","params":{"cell":"web","path":"/tmp"}}' |
	    grep -q INVALID_ARGUMENT
	rpc '{"jsonrpc":"2.0","id":1,"method":"files.get","params":{"cell":"web","sources":[{"path":"/etc","name":"../x"}]}}' |
	    grep -q INVALID_ARGUMENT
	rpc '{"jsonrpc":"2.0","id":1,"method":"files.stat","params":{"cell":"web","path":"/etc/hostname"}}' |
	    grep -q '"type":"file"'
	aer health > /dev/null
}

# helpers_of PID: the pids of the aurae-copy children of PID, one a line.
helpers_of() {
	local p
	for p in $(pgrep -P "$1" -x aurae-copy); do
		pid_alive "$p" && echo "$p"
	done
	return 0
}

# wait_helper PID NOT: poll until PID has an aurae-copy child other than
# NOT; print it.
wait_helper() {
	local end=$((SECONDS + AURAE_TEST_TIMEOUT)) h
	while :; do
		h=$(helpers_of "$1" | grep -vx "${2:-0}" | head -n 1)
		[ -n "$h" ] && { echo "$h"; return 0; }
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

@test "copies run in aurae-copy: the daemon never maps libarchive; a spare that dies is replaced" {
	mkdir -p "$TT/dst"
	echo one > "$TT/one"
	ascp "$TT/one" "web:$TT/dst/"
	! grep -q libarchive "/proc/$DAEMON_PID/maps" ||
	    fail "auraed maps libarchive"
	# After a copy, one helper waits for the next: it holds only its
	# socket to the daemon, and it is the one that maps libarchive.
	local h h2
	h=$(wait_helper "$DAEMON_PID") || { fail "no spare helper"; return 1; }
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until grep -q libarchive "/proc/$h/maps" &&
	    [ "$(ls /proc/$h/fd | sort -n | tr '\n' ' ')" = "0 1 2 3 " ]; do
		[ $SECONDS -lt $end ] ||
		    { fail "the spare holds $(ls -l /proc/$h/fd)"; return 1; }
		sleep 0.02
	done
	# The next copy takes it; another is started after it.
	ascp -r "$TT/one" "web:$TT/dst/again"
	[ "$(cat "$TT/dst/again")" = one ]
	h2=$(wait_helper "$DAEMON_PID" "$h") || { fail "no new spare"; return 1; }
	# A spare killed while it waits is replaced by the next copy.
	kill -9 "$h2"
	wait_gone "$h2" 2> /dev/null || :
	ascp - "web:$TT/dst/" < <(tar -C "$TT" -cf - one)
	ascp "web:$TT/dst/one" "$TT/back"
	[ "$(cat "$TT/back")" = one ]
	wait_helper "$DAEMON_PID" "$h2" > /dev/null
	aer health > /dev/null
}

# rootfs DIR: a busybox root directory for a cell; skips without a static
# busybox.
rootfs() {
	[ -x /bin/busybox ] || skip "/bin/busybox is missing (Debian busybox-static)"
	if ldd /bin/busybox > /dev/null 2>&1; then
		skip "/bin/busybox is not static (Debian busybox-static)"
	fi
	mkdir -p "$1/bin" "$1/d"
	cp /bin/busybox "$1/bin/busybox"
	for a in sh mv ln rm ls cat sleep; do ln -s busybox "$1/bin/$a"; done
}

@test "a rooted cell: paths are its own, .. and / stay inside its root" {
	rootfs "$TT/root"
	echo secret > "$TT/host-only"
	aer cell create --root "$TT/root" boxed > /dev/null
	echo payload > "$TT/p"
	ascp "$TT/p" boxed:/d/
	[ "$(cat "$TT/root/d/p")" = payload ]
	ascp "$TT/p" boxed:../../../../d/q
	[ "$(cat "$TT/root/d/q")" = payload ]
	ln -s / "$TT/root/up"
	ln -s ../../../.. "$TT/root/d/rel"
	ascp "$TT/p" boxed:/up/via-abs
	ascp "$TT/p" boxed:/d/rel/via-rel
	[ -f "$TT/root/via-abs" ] && [ -f "$TT/root/via-rel" ]
	[ ! -e /via-abs ] && [ ! -e /via-rel ]
	run ascp "boxed:/../host-only" "$TT/out"
	assert_status 1
	[ ! -e "$TT/out" ]
	run ascp "boxed:$TT/host-only" "$TT/out"
	assert_status 1
	# a magic link is refused, not followed out to the host
	run ascp "boxed:/proc/1/root/etc/hostname" "$TT/out"
	assert_status 1
	[ ! -e "$TT/out" ]
	ascp -r boxed:/d "$TT/back"
	[ "$(cat "$TT/back/q")" = payload ]
	aer cell rm -f boxed > /dev/null
}

@test "a race: the cell swaps a directory for a symlink to / during 200 copies" {
	rootfs "$TT/root"
	mkdir -p "$TT/tree/sub"
	echo t > "$TT/tree/sub/t"
	echo payload > "$TT/race"
	aer cell create --root "$TT/root" racer > /dev/null
	aer call executables.start cell=racer \
	    argv:='["sh","-c","while :; do mv /d /d.x; ln -s / /d; rm /d; mv /d.x /d; done"]' > /dev/null
	local i
	for i in $(seq 1 200); do
		if [ $((i % 10)) -eq 0 ]; then
			ascp -rq "$TT/tree" "racer:/d/tree-race-$i" 2> /dev/null || :
		else
			ascp -q "$TT/race" "racer:/d/race-$i" 2> /dev/null || :
		fi
	done
	for i in $(seq 1 20); do
		rm -rf "$TT/out"
		ascp -rq racer:/d/ "$TT/out" 2> /dev/null || :
		[ ! -e "$TT/out/etc/shadow" ] && [ ! -e "$TT/out/race" ] ||
			fail "a copy out read the host's files"
	done
	rm -rf "$TT/out"
	aer cell rm -f racer > /dev/null
	# Whatever landed is inside the root (in /d, or in / through the
	# symlink, which the root confines); nothing anywhere else.
	[ -n "$(find "$TT/root" -name '*race-*' | head -1)" ] ||
		fail "no copy landed at all"
	[ -z "$(find / -maxdepth 1 -name '*race-*')" ] || fail "wrote to the host's /"
	[ -z "$(find "$TT" -name '*race-*' -not -path "$TT/root/*")" ] ||
		fail "wrote outside the cell's root"
}

@test "owners: root in the cell without -a, kept with -a; -L follows links" {
	mkdir -p "$TT/o/sub" "$TT/dst" "$TT/dsta" "$TT/dstl"
	echo f > "$TT/o/f"
	chown 4242:4343 "$TT/o/f" "$TT/o/sub"
	ln -s f "$TT/o/lf"
	ln -s sub "$TT/o/ld"
	ascp -r "$TT/o" "web:$TT/dst/"
	[ "$(stat -c '%u %g' "$TT/dst/o/f" "$TT/dst/o/sub")" = "0 0
0 0" ]
	ascp -ra "$TT/o" "web:$TT/dsta/"
	[ "$(stat -c '%u %g' "$TT/dsta/o/f" "$TT/dsta/o/sub")" = "4242 4343
4242 4343" ]
	ascp -rL "web:$TT/o" "$TT/dstl/"
	[ -f "$TT/dstl/o/lf" ] && [ ! -L "$TT/dstl/o/lf" ]
	[ -d "$TT/dstl/o/ld" ] && [ ! -L "$TT/dstl/o/ld" ]
	[ -L "$TT/dst/o/lf" ] && [ -L "$TT/dst/o/ld" ]
}

@test "a progress meter on a terminal, nothing when piped or with -q" {
	need_cmd tmux
	local s=ascp-test-$$
	head -c 50000000 /dev/urandom > "$TT/big"
	mkdir "$TT/d1" "$TT/d2" "$TT/d3"
	tmux new-session -d -s "$s" -x 100 -y 10 \
	    "env AURAE_HOST='$AURAE_HOST' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' PATH='$PATH' sh -c 'ascp $TT/big web:$TT/d1/; echo done-\$?; ascp -q $TT/big web:$TT/d3/; echo quiet-\$?'; sleep 30"
	local end=$((SECONDS + AURAE_TEST_TIMEOUT)) screen=
	until screen=$(tmux capture-pane -p -t "$s") && [[ "$screen" == *quiet-* ]]; do
		[ $SECONDS -lt $end ] || break
		sleep 0.05
	done
	tmux kill-session -t "$s" 2> /dev/null || :
	[[ "$screen" == *"big"*"100%"*"MB"*"/s"* ]] || fail "no meter: $screen"
	[[ "$screen" == *"done-0"$'\n'"quiet-0"* ]] || fail "$screen"
	run ascp "$TT/big" "web:$TT/d2/"
	assert_status 0
	[ -z "$output" ]
	cmp "$TT/big" "$TT/d2/big"
}
