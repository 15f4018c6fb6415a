#!/usr/bin/env bats
# t100-cells.bats - cells against the real kernel: cgroups (the v1
# hierarchies on a hybrid host, v2 where enabled), namespaces, the init,
# limits, nesting, errors, restart and clean-up.

load lib/common

setup_file() {
	skip_unless_root
	common_setup_file
	start_daemon
	CG=$DAEMON_CGROUP
	export CG
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

# no_cell NAME: aer ls lists no cell NAME.
no_cell() {
	local out
	out=$(aer ls cells | cut -f1) || return 1
	if printf '%s\n' "$out" | grep -qx -- "$1"; then
		fail "cell $1 is still listed"
		return 1
	fi
}

# run_in CELL CMD...: run a command in a cell with our stdio; prints its
# output; returns its status.
run_in() {
	local cell=$1
	shift
	cellrun --cell "$cell" -- "$@"
}

@test "create, list, info and remove a cell" {
	run aer cell create -l memory.max=64M -l pids.max=50 web
	assert_status 0
	run aer ls cells
	assert_status 0
	[ "$(echo "$output" | cut -f1)" = web ]
	[ "$(echo "$output" | cut -f2)" = active ]
	run aer -o json cell info web
	assert_status 0
	json_check "$output" '.name == "web" and .limits["memory.max"] == "67108864" and .limits["pids.max"] == "50"'
	json_check "$output" '.isolated == ["pid","mount","ipc","uts","net","cgroup"]'
	[ -n "$(cgdirs web)" ]
	run aer cell rm web
	assert_status 0
	[ -z "$(cgdirs web)" ]
	run aer ls cells
	[ -z "$output" ]
}

@test "limits are what the kernel holds, through the v1 files on this host" {
	aer cell create -l memory.max=48M -l cpu.max="25000 100000" -l pids.max=7 -l cpuset.cpus=0 lim
	mem=$(cat /sys/fs/cgroup/memory/$CG/lim/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/$CG/lim/memory.max)
	[ "$mem" = $((48 * 1024 * 1024)) ]
	pids=$(cat /sys/fs/cgroup/pids/$CG/lim/pids.max 2>/dev/null || cat /sys/fs/cgroup/$CG/lim/pids.max)
	[ "$pids" = 7 ]
	if [ -f /sys/fs/cgroup/cpu/$CG/lim/cpu.cfs_quota_us ]; then
		[ "$(cat /sys/fs/cgroup/cpu/$CG/lim/cpu.cfs_quota_us)" = 25000 ]
		[ "$(cat /sys/fs/cgroup/cpu/$CG/lim/cpu.cfs_period_us)" = 100000 ]
	fi
	run aer -o json cell info lim
	json_check "$output" '.limits["cpu.max"] == "25000 100000" and .limits["cpuset.cpus"] == "0"'
	# Changing a limit of a live cell.
	aer cell set -l memory.max=96M lim
	run aer -o json cell info lim
	json_check "$output" '.limits["memory.max"] == "100663296"'
	aer cell rm lim
}

@test "a weight is never rescaled into shares behind the user's back" {
	if [ -f /sys/fs/cgroup/cpu/cpu.shares ]; then
		run aer cell create -l cpu.weight=100 w
		assert_status 125
		[[ "$output" == *"cpu.weight has no cgroup v1 equivalent"*"cpu.shares"* ]]
		run aer ls cells
		[ -z "$output" ]
		aer cell create -l cpu.shares=512 w
		[ "$(cat /sys/fs/cgroup/cpu/$CG/w/cpu.shares)" = 512 ]
		aer cell rm w
	else
		aer cell create -l cpu.weight=100 w
		[ "$(cat /sys/fs/cgroup/$CG/w/cpu.weight)" = 100 ]
		aer cell rm w
	fi
}

@test "the memory limit is enforced: OOM kill, status 137, cell.oom event" {
	need_cmd python3
	aer events > "$TT/events" 2>&1 &
	ev=$!
	register_pid "$ev"
	# The subscription is live once a cell event shows up.
	aer cell create probe
	for i in $(seq 100); do grep -q '"cell.created"' "$TT/events" && break; sleep 0.05; done
	aer cell rm probe
	run cellrun -p MemoryMax=32M -- python3 -c 'x = bytearray(200 * 1024 * 1024)'
	assert_status 137
	for i in $(seq 100); do grep -q '"cell.oom"' "$TT/events" && break; sleep 0.05; done
	grep '"cell.oom"' "$TT/events" | jq -e '.kills >= 1' > /dev/null
}

@test "TasksMax stops a fork bomb" {
	# Twenty background sleeps; the shell counts the processes with a glob
	# (no fork needed).  Removing the cell kills the survivors.
	run cellrun -p TasksMax=5 -- sh -c 'i=0; while [ $i -lt 20 ]; do sleep 30 & i=$((i + 1)); done; set -- /proc/[0-9]*; echo "n=$#"'
	[[ "$output" == *"ork"* ]]
	n=$(echo "$output" | sed -n 's/^n=//p')
	[ -n "$n" ] && [ "$n" -le 5 ]
	[ -z "$(aer ls cells)" ]
}

@test "a pid-isolated cell sees only its own processes; the command is a child of init" {
	run cellrun -- sh -c 'ps -e -o pid=,ppid=,comm='
	assert_status 0
	# aurae-init is PID 1, sh is its child, ps is sh's child: nothing else.
	[ "$(echo "$output" | wc -l)" -eq 3 ]
	echo "$output" | grep -qE '^ *1 +0 aurae-init$'
	echo "$output" | grep -qE '^ *[0-9]+ +1 sh$'
}

@test "hostname is the cell name and the network has only lo, up" {
	run cellrun --cell named-host -- hostname
	[ "$output" = named-host ]
	run cellrun -- sh -c 'ls /sys/class/net'
	[ "$output" = lo ]
	run cellrun -- sh -c 'cat /sys/class/net/lo/operstate; cat /sys/class/net/lo/flags'
	[ "$(echo "$output" | tail -n 1)" = 0x9 ]
}

@test "sharing host namespaces is possible" {
	hn=$(hostname)
	run cellrun --share uts,net -- hostname
	[ "$output" = "$hn" ]
}

@test "no descriptor leaks into a cell and /proc/1/exe is not the host binary" {
	run cellrun -- sh -c 'ls /proc/self/fd'
	assert_status 0
	# 0-2 and the directory ls itself opened.
	[ "$(echo "$output" | tr '\n' ' ')" = "0 1 2 3 " ]
	run cellrun -- readlink /proc/1/exe
	[[ "$output" == /memfd:aurae-init* ]]
	# The sealed image refuses writes, even from root in the cell.
	run cellrun -- sh -c 'echo x >> /proc/1/exe'
	assert_failure
}

@test "nested cells live inside their parent's cgroup" {
	aer cell create -l memory.max=128M parent
	aer cell create -l memory.max=64M parent/child
	d=$(cgdirs parent/child)
	[ -n "$d" ]
	run cellrun --cell parent/child -- hostname
	[ "$output" = child ]
	run aer cell rm parent
	assert_status 125
	[[ "$output" == *"has child cells"* ]]
	aer cell rm parent/child parent
	[ -z "$(cgdirs parent)" ]
}

@test "executables: start, list, signal, wait, statuses" {
	aer cell create ex
	run aer call executables.start cell=ex argv:='["sleep","100"]'
	assert_status 0
	json_check "$output" '.id == "ex.1" and .pid == 2'
	run aer -o json call executables.list cell=ex
	json_check "$output" '.executables[0].state == "running" and .executables[0].command == "sleep 100"'
	aer call executables.signal id=ex.1 signal=USR1
	run aer call executables.wait id=ex.1
	json_check "$output" '.signal == 10 and .exit_code == null'
	run aer call executables.start cell=ex argv:='["sh","-c","exit 42"]'
	run aer call executables.wait id=ex.2
	json_check "$output" '.exit_code == 42'
	run aer call executables.signal id=ex.2 signal=TERM
	assert_status 125
	[[ "$output" == *"not running"* ]]
	run aer call executables.signal id=ex.9 signal=TERM
	assert_status 125
	[[ "$output" == *"no executable"* ]]
	run aer call executables.signal id=ex.1 signal=NOPE
	assert_status 125
	[[ "$output" == *"signal"* ]]
	aer cell rm ex
}

@test "output without descriptors goes to a bounded log that logs.read replays" {
	aer cell create lg
	aer call executables.start cell=lg argv:='["sh","-c","echo one; echo two >&2"]' > /dev/null
	aer call executables.wait id=lg.1 > /dev/null
	run aer -o json call logs.read id=lg.1
	json_check "$output" '[.lines[] | [.stream, .text]] == [["stdout","one"],["stderr","two"]]'
	# A writer far past the cap keeps at most two files of the cap each.
	aer call executables.start cell=lg argv:='["sh","-c","yes 0123456789012345678901234567890123456789 | head -c 5000000"]' > /dev/null
	aer call executables.wait id=lg.2 > /dev/null
	total=$(cat "$DAEMON_STATE"/logs/lg/2.log* | wc -c)
	[ "$total" -le $((2 * 1024 * 1024 + 4096)) ]
	[ -f "$DAEMON_STATE/logs/lg/2.log.1" ]
	aer cell rm lg
	[ ! -d "$DAEMON_STATE/logs/lg" ]
}

@test "bad names, unknown cells, absurd limits and busy cells get clear errors and change nothing" {
	aer cell create keep
	for bad in Bad -x x- 'a b' a//b "$(printf 'a%.0s' $(seq 70))" 'a.b'; do
		run aer call cells.create name="$bad"
		assert_status 125
		[[ "$output" == *"invalid cell name"* ]] || [[ "$output" == *"must be"* ]]
	done
	run aer call cells.create name=keep
	assert_status 125
	[[ "$output" == *"already exists"* ]]
	run aer call cells.create name=orphan/kid
	[[ "$output" == *"parent cell 'orphan' does not exist"* ]]
	for lim in memory.max=-5 memory.max=12Q memory.max=99999999999T pids.max=0 pids.max=abc cpu.max=10 cpuset.cpus=x nosuch.limit=1; do
		run aer cell create -l "$lim" tmp
		assert_status 125
		[ -n "$output" ]
		[ "$(echo "$output" | wc -l)" -eq 1 ]
	done
	run aer cell info nope
	assert_status 125
	[[ "$output" == *"no cell named 'nope'"* ]]
	aer call executables.start cell=keep argv:='["sleep","100"]' > /dev/null
	run aer cell rm keep
	assert_status 125
	[[ "$output" == *"1 running executable"* ]]
	# State is intact: the same single cell, still running its sleep.
	[ "$(aer ls cells | cut -f1)" = keep ]
	[ -z "$(cgdirs tmp)" ]
	run aer -o json call executables.list cell=keep
	json_check "$output" '.executables[0].state == "running"'
	aer call cells.remove name=keep force:=true
	[ -z "$(cgdirs keep)" ]
	assert_serving
}

@test "freeze and thaw" {
	aer cell create fz
	aer call executables.start cell=fz argv:='["sleep","100"]' > /dev/null
	aer cell freeze fz
	[ "$(aer ls cells state=frozen | cut -f1)" = fz ]
	st=$(cat /sys/fs/cgroup/freezer/$CG/fz/freezer.state 2>/dev/null || echo FROZEN)
	[ "$st" = FROZEN ]
	aer cell thaw fz
	[ "$(aer ls cells state=active | cut -f1)" = fz ]
	aer call cells.remove name=fz force:=true
}

@test "a process started before kill -9 of auraed survives, is listed, signalled and waited on" {
	# A daemon of its own, so the file's daemon is not disturbed.
	start_daemon
	d=$DAEMON_DIR
	aer cell create survivor
	aer call executables.start cell=survivor argv:='["sleep","1000"]' > /dev/null
	aer call executables.start cell=survivor argv:='["sh","-c","sleep 0.5; exit 9"]' > /dev/null
	stop_daemon "$DAEMON_PID" KILL
	# While the daemon is down the second one exits: the cell is left
	# with its init and the long sleep.
	procs=$(find /sys/fs/cgroup -path '*/aurae-test-*/survivor/cgroup.procs' | head -n 1)
	[ -n "$procs" ]
	for i in $(seq 200); do
		[ "$(wc -l < "$procs")" -le 2 ] && break
		sleep 0.05
	done
	[ "$(wc -l < "$procs")" -eq 2 ]
	start_daemon_in "$d"
	run aer -o json call executables.list cell=survivor
	json_check "$output" '[.executables[] | {id, state}] == [{"id":"survivor.1","state":"running"},{"id":"survivor.2","state":"exited"}]'
	run aer call executables.wait id=survivor.2
	json_check "$output" '.exit_code == 9'
	aer call executables.signal id=survivor.1 signal=TERM
	run aer call executables.wait id=survivor.1
	json_check "$output" '.signal == 15'
	aer cell rm survivor
}

@test "a start that fails leaves no executable in the record a restarted daemon reads" {
	start_daemon
	d=$DAEMON_DIR
	aer cell create phantom
	aer call executables.start cell=phantom argv:='["sleep","1000"]' > /dev/null
	run aer call executables.start cell=phantom argv:='["/no/such/command"]'
	[ "$status" -ne 0 ]
	[[ "$output" == *"cannot execute '/no/such/command'"* ]]
	rec=$(find "$d" -path '*/cells/phantom.json' | head -n 1)
	[ -n "$rec" ]
	json_check "$(cat "$rec")" '[.executables[].seq] == [1]'
	stop_daemon "$DAEMON_PID" KILL
	start_daemon_in "$d"
	run aer -o json call executables.list cell=phantom
	json_check "$output" '[.executables[] | {id, state}] == [{"id":"phantom.1","state":"running"}]'
	aer cell rm --force phantom
}

# cell_state NAME: the state cells.list gives cell NAME.
cell_state() {
	aer -o json call cells.list | jq -r --arg n "$1" '.cells[] | select(.name == $n) | .state'
}

@test "a cell whose init is killed is listed dead, says why to exec and copies, and goes with rm" {
	aer cell create lost
	pid=$(aer -o json cell info lost | jq -r .init_pid)
	[ "$pid" -gt 1 ]
	kill -KILL "$pid"
	for i in $(seq 200); do
		[ "$(cell_state lost)" = dead ] && break
		sleep 0.02
	done
	[ "$(cell_state lost)" = dead ]
	run aer ls cells
	[[ "$output" == *$'lost\tdead\t'* ]]
	run aer -o json cell info lost
	json_check "$output" '.state == "dead" and (has("init_pid") | not)'
	run aer exec lost true
	[ "$status" -eq 125 ]
	[[ "$output" == *"cell 'lost' has no init"* ]]
	run ascp /etc/hostname "lost:$BATS_TEST_TMPDIR/copied"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cell 'lost': its init is not running"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/copied" ]
	aer cell rm lost
	no_cell lost
}

@test "a restored cell whose init died with the daemon down is dead; the pid in its record is never used" {
	start_daemon
	d=$DAEMON_DIR
	aer cell create stale
	rec=$(find "$d" -path '*/cells/stale.json' | head -n 1)
	[ -n "$rec" ]
	pid=$(jq -r .init_pid "$rec")
	[ "$pid" -gt 1 ]
	stop_daemon "$DAEMON_PID" KILL
	kill -KILL "$pid"
	wait_gone "$pid"
	# A live process of ours where the init was, as when the pid has
	# been reused: the restarted daemon must neither hand out its root
	# nor kill it.
	sleep 1000 &
	decoy=$!
	register_pid "$decoy" decoy
	jq --argjson p "$decoy" '.init_pid = $p' "$rec" > "$rec.new"
	mv "$rec.new" "$rec"
	start_daemon_in "$d"
	[ "$(cell_state stale)" = dead ]
	run ascp /etc/hostname "stale:$BATS_TEST_TMPDIR/leaked"
	[ "$status" -eq 1 ]
	[[ "$output" == *"its init is not running"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/leaked" ]
	run aer call files.root cell=stale
	[ "$status" -ne 0 ]
	aer cell rm stale
	no_cell stale
	kill -0 "$decoy"
	kill "$decoy"
}

@test "cells.run: a cell made for one command goes when the command ends" {
	# Answered with the command's id and the cell's name.
	run rpc '{"jsonrpc":"2.0","id":1,"method":"cells.run","params":{"cell":{"name":"once","limits":{"pids.max":"20"}},"argv":["sh","-c","exit 4"]}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"executables.wait","params":{"id":"once.1"}}'
	json_check "$(echo "$output" | grep '"id":1')" '.result.id == "once.1" and .result.cell == "once" and (.result.pid | type == "number")'
	# The wait is answered once the cell is gone: nothing is left to see.
	json_check "$(echo "$output" | grep '"id":2')" '.result.exit_code == 4'
	no_cell once
	[ -z "$(cgdirs once)" ]
	[ ! -e "$DAEMON_RUN/cells/once.json" ]
	# What else runs in the cell is killed with it.
	aer call cells.run cell:='{"name":"twice"}' argv:='["sleep","1000"]' > /dev/null
	[ -n "$(cgdirs twice)" ]
	aer call executables.start cell=twice argv:='["sleep","1000"]' > /dev/null
	run rpc '{"jsonrpc":"2.0","id":1,"method":"executables.wait","params":{"id":"twice.2"}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"executables.wait","params":{"id":"twice.1"}}' \
	    '{"jsonrpc":"2.0","id":3,"method":"executables.signal","params":{"id":"twice.1","signal":"TERM"}}'
	json_check "$(echo "$output" | grep '"id":1')" '.result.signal == 9'
	json_check "$(echo "$output" | grep '"id":2')" '.result.signal == 15'
	no_cell twice
	[ -z "$(cgdirs twice)" ]
	# The cell waits for the wait of a caller still connected, however
	# late it comes.
	run sh -c '{ echo "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cells.run\",\"params\":{\"cell\":{\"name\":\"late\"},\"argv\":[\"sh\",\"-c\",\"exit 3\"]}}";
	    sleep 0.5; echo "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"executables.wait\",\"params\":{\"id\":\"late.1\"}}"; } |
	    timeout 10 socat -t 5 - "UNIX-CONNECT:$AURAE_HOST"'
	json_check "$(echo "$output" | grep '"id":2')" '.result.exit_code == 3'
	no_cell late
	# With no cell object the daemon names it (a "run-" cell); a caller
	# that goes away without waiting leaves it to go on its own.
	run aer -o json call cells.run argv:='["true"]'
	json_check "$output" '(.cell | startswith("run-")) and .id == .cell + ".1"'
	c=$(echo "$output" | jq -r .cell)
	for i in $(seq 200); do
		aer ls cells | cut -f1 | grep -qx "$c" || break
		sleep 0.05
	done
	no_cell "$c"
}

@test "cells.run: a command that cannot start, and bad parameters, leave no cell" {
	# The error comes once the cell is gone.
	run rpc '{"jsonrpc":"2.0","id":1,"method":"cells.run","params":{"cell":{"name":"nocmd"},"argv":["/no/such/command"]}}'
	json_check "$output" '.error.data.code == "NOT_FOUND" and .error.data.reason == "exec" and (.error.message | test("cannot execute ./no/such/command."))'
	no_cell nocmd
	[ -z "$(cgdirs nocmd)" ]
	run rpc '{"jsonrpc":"2.0","id":2,"method":"cells.run","params":{"cell":{"name":"badp"},"argv":["true"],"bogus":1}}'
	json_check "$output" '.error.data.code == "INVALID_ARGUMENT" and (.error.message | test("bogus"))'
	run rpc '{"jsonrpc":"2.0","id":3,"method":"cells.run","params":{"cell":"badp","argv":["true"]}}'
	json_check "$output" '.error.data.code == "INVALID_ARGUMENT" and (.error.message | test("cell"))'
	run rpc '{"jsonrpc":"2.0","id":4,"method":"cells.run","params":{"cell":{"name":"badp","limits":{"memory.max":"-5"}},"argv":["true"]}}'
	json_check "$output" '.error.data.code == "INVALID_ARGUMENT"'
	run rpc '{"jsonrpc":"2.0","id":5,"method":"cells.run","params":{"cell":{"name":"Bad_Name"},"argv":["true"]}}'
	json_check "$output" '.error.data.code == "INVALID_ARGUMENT"'
	run rpc '{"jsonrpc":"2.0","id":6,"method":"cells.run","params":{"cell":{"name":"badp"}}}'
	json_check "$output" '.error.data.code == "INVALID_ARGUMENT" and (.error.message | test("argv"))'
	no_cell badp
	[ -z "$(cgdirs badp)" ]
	# A name in use is refused, and the cell that has it is left alone.
	aer cell create taken
	aer call executables.start cell=taken argv:='["sleep","1000"]' > /dev/null
	run rpc '{"jsonrpc":"2.0","id":7,"method":"cells.run","params":{"cell":{"name":"taken"},"argv":["true"]}}'
	json_check "$output" '.error.data.code == "ALREADY_EXISTS"'
	run aer -o json call executables.list cell=taken
	json_check "$output" '[.executables[] | {id, state}] == [{"id":"taken.1","state":"running"}]'
	aer cell rm --force taken
}

@test "cells.run across kill -9 of auraed: the cell still goes when its command ends" {
	start_daemon
	d=$DAEMON_DIR
	aer call cells.run cell:='{"name":"ends-down"}' \
	    argv:="[\"sh\",\"-c\",\"while [ ! -e $TT/go ]; do sleep 0.05; done\"]" > /dev/null
	aer call cells.run cell:='{"name":"ends-up"}' argv:='["sleep","1000"]' > /dev/null
	stop_daemon "$DAEMON_PID" KILL
	# The first command ends while no daemon listens.
	touch "$TT/go"
	procs=$(find /sys/fs/cgroup -path "*/$DAEMON_CGROUP/ends-down/cgroup.procs" | head -n 1)
	[ -n "$procs" ]
	for i in $(seq 200); do
		[ "$(wc -l < "$procs")" -le 1 ] && break
		sleep 0.05
	done
	[ "$(wc -l < "$procs")" -le 1 ]
	start_daemon_in "$d"
	# The restarted daemon removes its cell on its own.
	for i in $(seq 200); do
		aer ls cells | cut -f1 | grep -qx ends-down || break
		sleep 0.05
	done
	no_cell ends-down
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$DAEMON_CGROUP/ends-down")" ]
	# The second still runs, and its end still removes the cell.
	run aer -o json call executables.list cell=ends-up
	json_check "$output" '[.executables[] | {id, state}] == [{"id":"ends-up.1","state":"running"}]'
	run rpc '{"jsonrpc":"2.0","id":1,"method":"executables.wait","params":{"id":"ends-up.1"}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"executables.signal","params":{"id":"ends-up.1","signal":"TERM"}}'
	json_check "$(echo "$output" | grep '"id":1')" '.result.signal == 15'
	no_cell ends-up
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$DAEMON_CGROUP/ends-up")" ]
}

@test "200 cells created and removed leave no cgroup directory anywhere" {
	for i in $(seq 200); do
		aer call cells.create name="c$i" > /dev/null
		aer call cells.remove name="c$i" > /dev/null
	done
	# (The daemon's pool of ready "run-*" cells is its own business.)
	[ -z "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -path "*/$CG/c[0-9]*" 2>/dev/null)" ]
	[ -z "$(ls "$DAEMON_RUN/cells" | grep '^c[0-9]')" ]
}

@test "what the host unmounts leaves the cell too; what the cell mounts stays in it" {
	local top=$TT/top
	shared_tmpfs "$top"
	mkdir "$top/early" "$top/late" "$top/mine"
	mount -t tmpfs -o size=1m early "$top/early"
	aer cell create prop
	mounted_in prop "$top/early"
	# The host's umount reaches the cell's copy (a private one stayed).
	umount "$top/early"
	refute mounted_in prop "$top/early"
	# So does a mount made after the cell.
	mount -t tmpfs -o size=1m late "$top/late"
	mounted_in prop "$top/late"
	umount "$top/late"
	refute mounted_in prop "$top/late"
	# The cell's own mount never reaches the host.
	aer exec prop -- mount -t tmpfs -o size=1m mine "$top/mine"
	mounted_in prop "$top/mine"
	refute awk -v p="$top/mine" '$5 == p {f = 1} END {exit !f}' \
	    /proc/self/mountinfo
	aer cell rm -f prop
	umount "$top"
}

@test "a wait sent right behind its start is answered; so is one for a start that fails" {
	aer cell create pipe
	# One write: the wait finds pipe.1 still starting (cellrun does this).
	run rpc '{"jsonrpc":"2.0","id":1,"method":"executables.start","params":{"cell":"pipe","argv":["sh","-c","exit 7"]}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"executables.wait","params":{"id":"pipe.1"}}'
	assert_status 0
	json_check "$(echo "$output" | grep '"id":1')" '.result.id == "pipe.1"'
	json_check "$(echo "$output" | grep '"id":2')" '.result.exit_code == 7'
	run rpc '{"jsonrpc":"2.0","id":1,"method":"executables.start","params":{"cell":"pipe","argv":["/no/such/command"]}}' \
	    '{"jsonrpc":"2.0","id":2,"method":"executables.wait","params":{"id":"pipe.2"}}'
	json_check "$(echo "$output" | grep '"id":1')" '.error.data.code == "NOT_FOUND"'
	json_check "$(echo "$output" | grep '"id":2')" '.error.data.code == "NOT_FOUND" and (.error.message | test("pipe.2 did not start"))'
	aer cell rm pipe
}

@test "a lazy remove answers once the processes are gone; no later request sees the cell" {
	aer cell create lazy
	aer exec -d lazy -- sleep 100 > /dev/null
	# The host's pids of the init and the sleep.
	pids=$(cat $(find /sys/fs/cgroup -path "*/$CG/lazy/cgroup.procs" | head -n 1))
	[ "$(echo $pids | wc -w)" -eq 2 ]
	run aer call cells.remove name=lazy lazy:=1
	assert_status 125
	[[ "$output" == *"lazy"* ]]
	run aer call cells.remove name=lazy lazy:=true
	assert_status 125
	[[ "$output" == *"running executable"* ]]
	run aer -o json call cells.remove name=lazy force:=true lazy:=true
	assert_status 0
	# The cgroup, the record and the logs went before the daemon read
	# another request.
	[ -z "$(aer ls cells | cut -f1 | grep -x lazy)" ]
	[ -z "$(cgdirs lazy)" ]
	[ ! -e "$DAEMON_RUN/cells/lazy.json" ]
	[ ! -e "$DAEMON_STATE/logs/lazy" ]
	# Answered once every process was gone.
	for p in $pids; do refute kill -0 "$p" 2> /dev/null; done
}
