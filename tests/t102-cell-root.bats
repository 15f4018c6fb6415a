#!/usr/bin/env bats
# t102-cell-root.bats - cells with a root directory, against the real
# kernel: a busybox rootfs in the file's own directory, pivot_root, the
# cell's own /proc, /dev and /sys, persistence across a daemon restart,
# errors, and clean-up (no cell, cgroup or mount left behind).

load lib/common

# Applets linked into the rootfs's /bin.
APPLETS="sh cat ls ps echo hostname sleep mkdir head wc readlink pwd tty stty"

setup_file() {
	skip_unless_root
	[ -x /bin/busybox ] || skip "/bin/busybox is missing (Debian busybox-static)"
	# A dynamic busybox would need a libc inside the rootfs.
	if command -v ldd > /dev/null 2>&1 && ldd /bin/busybox > /dev/null 2>&1; then
		skip "/bin/busybox is not static (Debian busybox-static)"
	fi
	common_setup_file
	ROOT=$AT/rootfs
	mkdir -p "$ROOT/bin"
	cp /bin/busybox "$ROOT/bin/busybox"
	for a in $APPLETS; do
		ln -s busybox "$ROOT/bin/$a"
	done
	echo in-the-root > "$ROOT/marker"
	# Only the host has this one.
	echo on-the-host > "$AT/host-only"
	start_daemon
	CG=$DAEMON_CGROUP
	export ROOT CG
}
teardown_file() { common_teardown_file; }
setup() { common_setup; }
teardown() {
	local st=0
	remove_cells || st=1
	common_teardown
	return $st
}

# cgdirs NAME: every directory of cell NAME under /sys/fs/cgroup.
cgdirs() {
	find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$CG/$1" 2>/dev/null
}

# no_cell_made NAME: the failed create left no cell, record or cgroup.
no_cell_made() {
	[ -z "$(aer ls cells | cut -f1 | grep -x "$1")" ] ||
		{ fail "cell $1 exists"; return 1; }
	[ -z "$(cgdirs "$1")" ] || { fail "cgroup of $1 left: $(cgdirs "$1")"; return 1; }
	[ ! -e "$DAEMON_RUN/cells/$1.json" ] || { fail "record of $1 left"; return 1; }
}

# root_mounted: is anything under ROOT mounted in the host's namespace?
root_mounted() {
	grep -qF " $ROOT" /proc/self/mountinfo
}

@test "a command in a rooted cell sees the root's files, not the host's" {
	run aer cell create --root "$ROOT" rooted
	assert_status 0
	run aer exec rooted -- cat /marker
	assert_status 0
	[ "$output" = in-the-root ]
	run aer exec rooted -- cat "$AT/host-only"
	assert_failure
	[[ "$output" == *"No such file or directory"* ]]
	# The root holds only what was put there, plus the mount points.
	run aer exec rooted -- ls /
	[ "$(echo $output)" = "bin dev marker proc sys" ]
	# The caller's working directory means nothing in the cell: it is /.
	run aer exec rooted -- pwd
	[ "$output" = / ]
	# An explicit one must exist.
	run aer exec -w /nope rooted -- pwd
	assert_status 125
	[[ "$output" == *"cannot change to the working directory"* ]]
	run aer exec -w /bin rooted -- pwd
	[ "$output" = /bin ]
	run aer exec rooted -- hostname
	[ "$output" = rooted ]
	root_mounted && fail "the root is mounted on the host"
	aer cell rm rooted
}

@test "/proc is the cell's own: only its processes, PID 1 is the init" {
	aer cell create --root "$ROOT" procs
	run aer exec procs -- ps -o pid,comm
	assert_status 0
	# A header, the init, ps.
	[ "$(echo "$output" | wc -l)" -eq 3 ]
	echo "$output" | grep -qE '^ *1 +aurae-init$'
	echo "$output" | grep -qE '^ *[0-9]+ +ps$'
	# The init and the shell that looks.
	run aer exec procs -- sh -c 'cd /proc && echo [0-9]*'
	[[ "$output" =~ ^1\ [0-9]+$ ]]
	aer cell rm procs
}

@test "/dev is a tmpfs with the usual devices, a devpts of its own and the fd links" {
	aer cell create --root "$ROOT" devs
	run aer exec devs -- sh -c 'echo gone > /dev/null && echo wrote'
	assert_status 0
	[ "$output" = wrote ]
	run aer exec devs -- sh -c 'head -c 4096 /dev/zero | wc -c'
	[ "$output" = 4096 ]
	run aer exec devs -- sh -c 'head -c 16 /dev/urandom | wc -c'
	[ "$output" = 16 ]
	run aer exec devs -- sh -c 'echo x > /dev/full'
	assert_failure
	run aer exec devs -- ls /dev
	[ "$(echo $output)" = "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" ]
	run aer exec devs -- sh -c 'for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done'
	[ "$(echo $output)" = "pts/ptmx /proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2" ]
	run aer exec devs -- cat /proc/self/mountinfo
	echo "$output" | grep -qE ' /dev rw,nosuid,noexec,[^ ]* - tmpfs '
	echo "$output" | grep -qE ' /dev/pts [^ ]* - devpts [^ ]* .*ptmxmode=666'
	echo "$output" | grep -qE ' /dev/shm [^ ]* - tmpfs '
	echo "$output" | grep -qE ' /proc [^ ]* - proc '
	echo "$output" | grep -qE ' /sys ro,[^ ]* - sysfs '
	# Nothing of the host is left in the cell's mount table.
	mounts=$(echo "$output" | awk '{ print $5 }' | grep -vx /sys/fs/cgroup)
	[ "$(echo $mounts)" = "/ /proc /dev /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/pts /dev/shm /sys" ]
	# The cell's own network namespace, read-only.
	run aer exec devs -- ls /sys/class/net
	[ "$output" = lo ]
	run aer exec devs -- sh -c 'echo 1 > /sys/kernel/mm/ksm/run'
	assert_failure
	[[ "$output" == *"Read-only file system"* ]]
	aer cell rm devs
}

@test "with the pid and net namespaces shared, /proc and /sys are the host's" {
	aer call cells.create name=shared root="$ROOT" share=pid,net > /dev/null
	run aer exec shared -- cat /proc/1/comm
	[ "$output" = "$(cat /proc/1/comm)" ]
	run aer exec shared -- ls /sys/class/net
	[ "$(echo $output)" = "$(echo $(ls /sys/class/net))" ]
	run aer exec shared -- cat /marker
	[ "$output" = in-the-root ]
	# Removing a cell whose init is not PID 1 ends only the cell: a host
	# process (ours) lives on.
	spawn "$TT/sleep.log" sleep 1000
	host=$SPAWN_PID
	aer call executables.start cell=shared argv:='["sleep","1000"]' > /dev/null
	aer cell rm -f shared
	[ -z "$(cgdirs shared)" ]
	pid_alive "$host"
}

@test "what the cell writes stays in the host directory; removal leaves it intact and unmounted" {
	aer cell create --root "$ROOT" writer
	before=$(cd "$ROOT" && find . | sort)
	aer exec writer -- sh -c 'mkdir /data && echo kept > /data/file'
	[ "$(cat "$ROOT/data/file")" = kept ]
	run aer cell rm writer
	assert_status 0
	[ -z "$(cgdirs writer)" ]
	# Everything is still there; the cell's /dev, /proc and /sys were
	# mounts in its own namespace only.
	[ "$(cat "$ROOT/data/file")" = kept ]
	[ "$(cat "$ROOT/marker")" = in-the-root ]
	for d in dev proc sys; do
		[ -z "$(ls -A "$ROOT/$d")" ]
	done
	rm -r "$ROOT/data"
	[ "$(cd "$ROOT" && find . | sort)" = "$before" ]
	root_mounted && fail "the root is mounted on the host"
	return 0
}

@test "the root is reported by cells.info and cells.list, never from the pool" {
	run aer -o json cell create --root "$ROOT" shown
	json_check "$output" ".root == \"$ROOT\""
	run aer -o json cell info shown
	json_check "$output" ".root == \"$ROOT\" and .isolated == [\"pid\",\"mount\",\"ipc\",\"uts\",\"net\",\"cgroup\"]"
	run aer -o json call cells.list
	json_check "$output" "[.cells[] | select(.name == \"shown\") | .root] == [\"$ROOT\"]"
	# A path through a symlink and with a trailing slash is resolved.
	ln -s "$ROOT" "$TT/link"
	run aer -o json cell create --root "$TT/link/" linked
	json_check "$output" ".root == \"$ROOT\""
	# A cell without a root reports none.
	aer cell create plain
	run aer -o json cell info plain
	json_check "$output" 'has("root") | not'
	# A nameless cell with a root is made for it, not taken from the
	# daemon's pool of ready cells (which have no root).
	run aer -o json call cells.create root="$ROOT"
	assert_status 0
	json_check "$output" ".root == \"$ROOT\" and (.name | startswith(\"run-\"))"
	name=$(echo "$output" | jq -r .name)
	run aer exec "$name" -- cat /marker
	[ "$output" = in-the-root ]
	aer cell rm shown linked plain "$name"
}

@test "the root survives kill -9 of auraed and a restart" {
	# A daemon of its own, so the file's daemon is not disturbed.
	start_daemon
	d=$DAEMON_DIR
	CG=$DAEMON_CGROUP
	aer cell create --root "$ROOT" keeper
	aer call executables.start cell=keeper argv:='["sleep","1000"]' > /dev/null
	stop_daemon "$DAEMON_PID" KILL
	start_daemon_in "$d"
	run aer -o json cell info keeper
	json_check "$output" ".root == \"$ROOT\""
	run aer -o json call executables.list cell=keeper
	json_check "$output" '.executables[0].state == "running"'
	run aer exec keeper -- cat /marker
	[ "$output" = in-the-root ]
	# Once more, with a clean stop.
	stop_daemon
	start_daemon_in "$d"
	run aer -o json cell info keeper
	json_check "$output" ".root == \"$ROOT\""
	aer cell rm -f keeper
	[ -z "$(cgdirs keeper)" ]
}

@test "bad roots get a clear one-line error and create no cell" {
	: > "$TT/file"
	for bad in relative/dir "$TT/missing" "$TT/file" / ""; do
		run aer cell create --root "$bad" bad
		assert_status 125
		[ "$(echo "$output" | wc -l)" -eq 1 ]
		no_cell_made bad
	done
	run aer cell create --root relative/dir bad
	[[ "$output" == *"root 'relative/dir' must be an absolute path"* ]]
	run aer cell create --root "$TT/missing" bad
	[[ "$output" == *"root '$TT/missing' does not exist"* ]]
	run aer cell create --root "$TT/file" bad
	[[ "$output" == *"root '$TT/file' is not a directory"* ]]
	run aer cell create --root / bad
	[[ "$output" == *"host's own root"* ]]
	run aer call cells.create name=bad root="$ROOT" share=mount
	assert_status 125
	[[ "$output" == *"a cell with a root needs its own mount namespace"* ]]
	no_cell_made bad
	run aer call cells.create name=bad root:=42
	assert_status 125
	[[ "$output" == *"parameter 'root' must be a string"* ]]
	no_cell_made bad
	# A NUL would cut the path short: refused, not truncated.
	run rpc "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"cells.create\",\"params\":{\"name\":\"bad\",\"root\":\"$ROOT\\u0000/x\"}}"
	check_error "$output" INVALID_ARGUMENT -32602 3
	[[ "$output" == *"NUL"* ]]
	no_cell_made bad
	# The root of a cell cannot change.
	aer cell create --root "$ROOT" fixed
	run aer call cells.set name=fixed root=/tmp
	assert_status 125
	[[ "$output" == *"fixed when it is created"* ]]
	run aer cell info --root "$ROOT" fixed
	assert_status 2
	aer cell rm fixed
	assert_serving
}

@test "a set-up failure inside the cell is reported and leaves no cgroup" {
	# /proc is a regular file in this root: nothing can be mounted on it.
	mkdir -p "$TT/broken/bin"
	: > "$TT/broken/proc"
	run aer cell create --root "$TT/broken" broken
	assert_status 125
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	[[ "$output" == *"cannot mount proc on $TT/broken/proc: Not a directory"* ]]
	no_cell_made broken
	# A symlink there is refused the same way (it could lead the mount
	# out of the root).
	rm "$TT/broken/proc"
	ln -s /etc "$TT/broken/proc"
	run aer cell create --root "$TT/broken" broken
	assert_status 125
	[[ "$output" == *"Not a directory"* ]]
	no_cell_made broken
	[ ! -e /etc/self ]
	assert_serving
}

@test "removing rooted cells leaves no cgroup directory anywhere" {
	for i in $(seq 20); do
		aer call cells.create name="r$i" root="$ROOT" > /dev/null
		aer call cells.remove name="r$i" > /dev/null
	done
	[ -z "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -path "*/$CG/r[0-9]*" 2>/dev/null)" ]
	[ -z "$(ls "$DAEMON_RUN/cells" | grep '^r[0-9]')" ]
	root_mounted && fail "the root is mounted on the host"
	return 0
}

@test "assh with a terminal in a rooted cell" {
	need_cmd tmux
	aer cell create --root "$ROOT" term
	SESSION=assh-t102-$$-$BATS_TEST_NUMBER
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env AURAE_HOST='$AURAE_HOST' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' PATH='$PATH' TERM=xterm sh -c 'assh -t term sh; echo \$? > $TT/status.tmp; mv $TT/status.tmp $TT/status'; sleep 30"
	local end=$((SECONDS + AURAE_TEST_TIMEOUT)) screen=
	tmux send-keys -t "$SESSION" 'tty; stty size; echo m""k $(cat /marker); pwd' Enter
	until screen=$(tmux capture-pane -p -t "$SESSION") &&
	    [[ "$screen" == *"mk in-the-root"* ]]; do
		if [ $SECONDS -ge $end ]; then
			tmux kill-session -t "$SESSION" 2> /dev/null || :
			fail "the screen never showed the marker: $screen"
		fi
		sleep 0.05
	done
	tmux send-keys -t "$SESSION" 'exit 3' Enter
	until [ -f "$TT/status" ]; do
		if [ $SECONDS -ge $end ]; then
			tmux kill-session -t "$SESSION" 2> /dev/null || :
			fail "assh did not exit: $(tmux capture-pane -p -t "$SESSION")"
		fi
		sleep 0.05
	done
	tmux kill-session -t "$SESSION" 2> /dev/null || :
	[ "$(cat "$TT/status")" = 3 ]
	# The cell's own devpts: its first terminal, the window's size.
	[[ "$screen" == *"/dev/pts/0"* ]]
	[[ "$screen" == *"30 100"* ]]
	aer cell rm term
}

@test "what the host unmounts in the root leaves the cell too" {
	local top=$TT/top
	shared_tmpfs "$top"
	mount -o remount,size=16m "$top"
	mkdir -p "$top/root/bin" "$top/root/data" "$top/root/late"
	cp -a "$ROOT/bin/." "$top/root/bin/"
	mount -t tmpfs -o size=1m early "$top/root/data"
	aer cell create --root "$top/root" prop
	mounted_in prop /data
	umount "$top/root/data"
	refute mounted_in prop /data
	mount -t tmpfs -o size=1m late "$top/root/late"
	mounted_in prop /late
	umount "$top/root/late"
	refute mounted_in prop /late
	# The cell's own mounts (/proc, /dev, /sys) and the detached host
	# tree never reach the host.
	[ -z "$(awk -v d="$top/root/" 'index($5, d) == 1' /proc/self/mountinfo)" ]
	aer cell rm -f prop
	umount "$top"
}
