#!/usr/bin/env bats
# t101-cellrun.bats - cellrun: a command in a throwaway limited cell, with
# the caller's stdio, signals forwarded and the exit status passed through.

load lib/common

setup_file() {
	skip_unless_root
	common_setup_file
	start_daemon
}
teardown_file() { common_teardown_file; }
setup() { common_setup; }
teardown() {
	local st=0
	remove_cells || st=1
	common_teardown
	return $st
}

@test "exit statuses: the command's own, 127, 126, 128+n, 125" {
	run cellrun true
	assert_status 0
	run cellrun sh -c 'exit 7'
	assert_status 7
	run cellrun no-such-command-anywhere
	assert_status 127
	[[ "$output" == *"cannot execute 'no-such-command-anywhere'"* ]]
	run cellrun /etc/passwd
	assert_status 126
	run cellrun sh -c 'kill -TERM $$'
	assert_status 143
	run env AURAE_HOST="$TT/nothing.sock" cellrun true
	assert_status 125
	[[ "$output" == *"cannot connect"* ]]
	run cellrun -p Bogus=1 true
	assert_status 125
	[[ "$output" == *"unknown property 'Bogus'"* ]]
	run cellrun -p MemoryMax=lots true
	assert_status 125
	[[ "$output" == *"memory.max"* ]]
	run cellrun
	assert_status 125
	[ -z "$(aer ls cells)" ]
}

@test "stdio is the caller's: a file, a pipe, separate stderr" {
	cellrun sh -c 'echo out; echo err >&2' > "$TT/out" 2> "$TT/err"
	[ "$(cat "$TT/out")" = out ]
	[ "$(cat "$TT/err")" = err ]
	run sh -c 'printf "a\nb\n" | cellrun wc -l'
	[ "$output" = 2 ]
	head -c 1000000 /dev/urandom > "$TT/blob"
	cellrun cat < "$TT/blob" > "$TT/blob2"
	cmp "$TT/blob" "$TT/blob2"
}

@test "environment, -E, working directory and user" {
	run env FOO=inherited cellrun sh -c 'echo $FOO'
	[ "$output" = inherited ]
	run env FOO=inherited cellrun -E FOO=over -E BAR=new sh -c 'echo $FOO $BAR'
	[ "$output" = "over new" ]
	cd "$TT"
	run cellrun pwd
	[ "$output" = "$TT" ]
	run cellrun -w / pwd
	[ "$output" = / ]
	run cellrun --uid 65534 --gid 65534 sh -c 'id -u; id -g'
	[ "$(echo $output)" = "65534 65534" ]
}

@test "--cell, --keep, -d and --wait" {
	run cellrun --keep --cell kept true
	assert_status 0
	[ "$(aer ls cells | cut -f1)" = kept ]
	# An existing cell is used and kept.
	run cellrun --cell kept hostname
	[ "$output" = kept ]
	[ "$(aer ls cells | cut -f1)" = kept ]
	run cellrun --cell kept -p MemoryMax=1G true
	assert_status 125
	aer cell rm kept
	run cellrun -d --cell bg sleep 100
	assert_status 0
	[ "$output" = bg.1 ]
	run aer -o json call executables.list cell=bg
	json_check "$output" '.executables[0].state == "running"'
	aer call cells.remove name=bg force:=true
	run cellrun --wait sh -c 'echo done; i=0; while [ $i -lt 20000 ]; do i=$((i + 1)); done'
	assert_status 0
	[[ "$output" == *"wall time"*"CPU time"*"peak memory"* ]]
	# The numbers are the cell's, read before it went: not zero.
	cpu=$(echo "$output" | sed -n 's/.*CPU time \([0-9.]*\)s.*/\1/p')
	peak=$(echo "$output" | sed -n 's/.*peak memory \([0-9.]*\)M.*/\1/p')
	awk -v c="$cpu" -v p="$peak" 'BEGIN { exit !(c > 0 && p > 0) }'
	run cellrun -q --wait true
	[ -z "$output" ]
	[ -z "$(aer ls cells)" ]
}

@test "signals sent to cellrun reach the command" {
	cellrun sh -c 'trap "echo got INT; exit 3" INT; echo ready; while :; do sleep 0.1; done' > "$TT/out" 2>&1 &
	pid=$!
	register_pid "$pid"
	for i in $(seq 200); do grep -q ready "$TT/out" && break; sleep 0.05; done
	kill -INT "$pid"
	wait_gone "$pid"
	[ "$WAIT_STATUS" -eq 3 ]
	grep -q "got INT" "$TT/out"
	for i in $(seq 100); do [ -z "$(aer ls cells)" ] && break; sleep 0.05; done
	[ -z "$(aer ls cells)" ]
}

@test "a throwaway cell goes when its command ends, even when cellrun is killed" {
	cellrun sh -c "echo ready; while [ ! -e $TT/go ]; do sleep 0.05; done; echo ran > $TT/left" > "$TT/out" 2>&1 &
	pid=$!
	register_pid "$pid"
	for i in $(seq 200); do grep -q ready "$TT/out" && break; sleep 0.05; done
	c=$(aer ls cells | cut -f1)
	[ -n "$c" ]
	kill -KILL "$pid"
	wait_gone "$pid"
	# The command outlives its cellrun, as it would a killed ssh -t...
	run aer -o json call executables.list cell="$c"
	json_check "$output" '[.executables[].state] == ["running"]'
	touch "$TT/go"
	# ...and its end takes the cell with it.
	for i in $(seq 200); do [ -z "$(aer ls cells)" ] && break; sleep 0.05; done
	[ -z "$(aer ls cells)" ]
	[ "$(cat "$TT/left")" = ran ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$DAEMON_CGROUP/$c")" ]
}

@test "limits given as properties reach the kernel" {
	run cellrun -p MemoryMax=64M -p TasksMax=10 -p CPUQuota=50% -p AllowedCPUs=0 --keep --cell props true
	assert_status 0
	run aer -o json cell info props
	json_check "$output" '.limits["memory.max"] == "67108864" and .limits["pids.max"] == "10" and .limits["cpu.max"] == "50000 100000" and .limits["cpuset.cpus"] == "0"'
	aer cell rm props
}
