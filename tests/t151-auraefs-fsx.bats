#!/usr/bin/env bats
# t151-auraefs-fsx.bats - auraefs under load: 100,000 random file
# operations (tests/helpers/fsx.c) with and without the kernel's
# writeback cache (-o writeback; the default is without), each checked
# against the file as the cell's directory holds it; rsync -a of a mixed
# tree into a mount and back out, bit-identical; a git repository made,
# committed and checked inside a mount and used from the directory under
# it.
#
# The cell has no root of its own, so "web:$TT/exp" exports this test's
# own directory as the cell sees it, and $TT/exp is the same files seen
# from the host.

load lib/common

# fsx's seed: the same operations on every run.
FSX_SEED=20261123

setup_file() {
	skip_unless_root
	need_cmd fusermount3 auraefs
	[ -c /dev/fuse ] || skip "/dev/fuse is missing"
	common_setup_file
	start_daemon
	aer cell create web > /dev/null
}
teardown_file() {
	remove_cells
	common_teardown_file
}
setup() {
	common_setup
	mkdir "$TT/exp" "$TT/mnt"
	export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=Test \
	    GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=Test \
	    GIT_COMMITTER_EMAIL=test@example.com
}
# Every mount below TT goes, deepest first, even when the test failed
# (auraefs -f then exits by itself; common_teardown stops it otherwise).
teardown() {
	local m
	for m in $(awk -v t="${TT:-/nonexistent}/" \
	    'index($2, t) == 1 { print $2 }' /proc/self/mounts | sort -r); do
		fusermount3 -u "$m" 2> /dev/null || fusermount3 -uz "$m" || :
	done
	common_teardown
}

# mount_fs SOURCE MOUNTPOINT [AURAEFS OPTIONS...]: run auraefs -f in the
# background (registered, so that the test's teardown stops it) and wait
# until the mount is there.
mount_fs() {
	local src=$1 mnt=$2 end
	shift 2
	spawn "$TT/auraefs.$(basename "$mnt").log" auraefs -f "$@" "$src" "$mnt"
	end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until grep -q " $mnt fuse.auraefs " /proc/self/mounts; do
		pid_alive "$SPAWN_PID" ||
			{ fail "auraefs exited: $(cat "$TT"/auraefs.*.log)"; return 1; }
		[ $SECONDS -lt $end ] ||
			{ fail "$mnt was not mounted in time"; return 1; }
		sleep 0.02
	done
}

# run_fsx MOUNTPOINT: 100,000 operations on MOUNTPOINT/file, mirrored by
# $TT/exp/file, under a time limit; the time taken is printed.  (Notes
# before the summary, such as an operation the filesystem below does not
# support, are allowed.)
run_fsx() {
	local t0=$SECONDS
	run timeout 600 fsx -N 100000 -S "$FSX_SEED" "$1/file" "$TT/exp/file"
	echo "# fsx took $((SECONDS - t0)) s" >&3
	assert_status 0
	[ "${lines[${#lines[@]} - 1]}" = \
	    "fsx: 100000 operations, seed $FSX_SEED, 0 mismatches" ] ||
	    fail "unexpected fsx output: $output"
}

# make_tree DIR: regular, empty and executable files, relative symlinks
# (one dangling), nested and empty directories, various modes and owners,
# and times with nanoseconds on all of them.
make_tree() {
	local d=$1
	mkdir -p "$d/a/b/c" "$d/empty-dir" "$d/private" "$d/sticky"
	echo hello > "$d/a/hello.txt"
	seq 1 20000 > "$d/a/seq.txt"
	head -c 1048577 /dev/urandom > "$d/a/b/c/big.bin"
	head -c 4095 /dev/urandom > "$d/a/b/page-less-one"
	: > "$d/empty"
	: > "$d/a/b/empty2"
	printf '#!/bin/sh\necho hi\n' > "$d/a/run.sh"
	echo secret > "$d/private/key"
	chmod 0755 "$d/a/run.sh"
	chmod 0600 "$d/a/hello.txt" "$d/private/key"
	chmod 0444 "$d/empty"
	chmod 0700 "$d/private"
	chmod 1777 "$d/sticky"
	chmod 0750 "$d/a/b"
	chown 1234:4321 "$d/a/seq.txt" "$d/a/b/c"
	ln -s hello.txt "$d/a/link"
	ln -s b/c/big.bin "$d/a/link-down"
	ln -s ../a/hello.txt "$d/private/link-up"
	ln -s no-such-file "$d/a/b/dangling"
	ln -s c "$d/a/b/link-dir"
	find "$d" -depth -exec touch -h -d @1000000000.123456789 {} +
	touch -h -d @1600000000.5 "$d/a/link" "$d/a/b/c/big.bin"
	touch -d @1234567890.987654321 "$d/a/b"
}

# listing DIR: one line per entry: path, mode, size, mtime, link target,
# owner.
listing() {
	(cd "$1" && find . -printf '%P %m %s %T@ %l %U:%G\n' | LC_ALL=C sort)
}

@test "fsx: 100000 operations through the mount with -o writeback, the same file below it" {
	mount_fs "web:$TT/exp" "$TT/mnt" -o writeback
	run_fsx "$TT/mnt"
}

@test "fsx: 100000 operations through the mount by default (passed through by the kernel where it can)" {
	mount_fs "web:$TT/exp" "$TT/mnt"
	run_fsx "$TT/mnt"
}

@test "fsx: 100000 operations through the mount with -o no_passthrough (every read and write served by auraefs)" {
	mount_fs "web:$TT/exp" "$TT/mnt" -o no_passthrough
	run_fsx "$TT/mnt"
}

@test "rsync -a of a mixed tree into the mount and back out is bit-identical" {
	need_cmd rsync
	make_tree "$TT/src"
	mount_fs "web:$TT/exp" "$TT/mnt"
	rsync -a "$TT/src/" "$TT/mnt/tree/"
	rsync -a "$TT/mnt/tree/" "$TT/back/"
	diff -r --no-dereference "$TT/src" "$TT/back"
	diff -r --no-dereference "$TT/src" "$TT/exp/tree"
	listing "$TT/src" > "$TT/src.list"
	listing "$TT/mnt/tree" > "$TT/mnt.list"
	listing "$TT/exp/tree" > "$TT/exp.list"
	listing "$TT/back" > "$TT/back.list"
	[ "$(wc -l < "$TT/src.list")" -eq 20 ]
	diff "$TT/src.list" "$TT/mnt.list"
	diff "$TT/src.list" "$TT/exp.list"
	diff "$TT/src.list" "$TT/back.list"
	# Nothing left to copy either way.
	[ -z "$(rsync -a --itemize-changes "$TT/src/" "$TT/mnt/tree/")" ]
	[ -z "$(rsync -a --itemize-changes "$TT/mnt/tree/" "$TT/back/")" ]
}

@test "git init, add, commit inside the mount; fsck and log there and below it" {
	need_cmd git
	mount_fs "web:$TT/exp" "$TT/mnt"
	local r=$TT/mnt/repo head
	git -c init.defaultBranch=main init -q "$r"
	mkdir -p "$r/src"
	printf 'int main(void) { return 0; }\n' > "$r/src/main.c"
	printf '#!/bin/sh\nexec true\n' > "$r/run.sh"
	chmod 0755 "$r/run.sh"
	ln -s src/main.c "$r/link"
	seq 1 100000 > "$r/big.txt"
	git -C "$r" add src/main.c run.sh link big.txt
	git -C "$r" commit -q -m "first"
	echo '/* two */' >> "$r/src/main.c"
	git -C "$r" rm -q big.txt
	git -C "$r" commit -q -a -m "second"
	git -C "$r" gc -q
	git -C "$r" fsck --full --strict
	[ "$(git -C "$r" log --format=%s)" = "second
first" ]
	[ -z "$(git -C "$r" status --porcelain)" ]
	head=$(git -C "$r" rev-parse HEAD)

	# The same repository from the directory under the mount.
	local u=$TT/exp/repo
	git -C "$u" fsck --full --strict
	[ "$(git -C "$u" rev-parse HEAD)" = "$head" ]
	[ -z "$(git -C "$u" status --porcelain)" ]
	[ "$(git -C "$u" ls-files -s run.sh | cut -c1-6)" = 100755 ]
	[ "$(git -C "$u" cat-file -p HEAD:link)" = src/main.c ]
	echo three > "$u/third"
	git -C "$u" add third
	git -C "$u" commit -q -m "third, from below"
	head=$(git -C "$u" rev-parse HEAD)
	# ... and that commit through the mount, once the caches (1 s) let
	# it show.
	local end=$((SECONDS + 5))
	until [ "$(git -C "$r" rev-parse HEAD)" = "$head" ]; do
		[ $SECONDS -lt $end ] || fail "the commit made below never showed"
		sleep 0.1
	done
	git -C "$r" fsck --full --strict
	[ "$(git -C "$r" log --format=%s | head -n 1)" = "third, from below" ]
	[ "$(cat "$r/third")" = three ]
}
