#!/usr/bin/env bats
# t002-socket.bats - the daemon's socket: modes and ownership, SO_PEERCRED
# admission (root, or a member of group aurae), stale and live sockets,
# signals, the pidfile and daemonized start-up.  Every test starts its own
# daemon.

load lib/common

setup() {
	common_setup
	skip_unless_root
	AURAE_GID=$(getent group aurae | cut -d: -f3)
}

teardown() {
	common_teardown
}

# as_nobody [SETPRIV OPTIONS...] -- CMD...: run CMD as uid/gid 65534 with
# no supplementary groups, unless the options say otherwise.
as_nobody() {
	local opts=() groups=--clear-groups
	while [ "$1" != -- ]; do
		case $1 in --groups=*) groups= ;; esac
		opts+=("$1")
		shift
	done
	shift
	setpriv --reuid=65534 --regid=65534 $groups "${opts[@]}" -- "$@"
}

# need_group: the tests of group access need group aurae (the daemon
# creates it when it is missing; the first start_daemon did so).
need_group() {
	AURAE_GID=$(getent group aurae | cut -d: -f3)
	[ -n "$AURAE_GID" ] || skip "group aurae does not exist (root-only mode)"
}

@test "socket directory is 0750 root:aurae and the socket 0660 root:aurae" {
	start_daemon
	need_group
	[ "$(stat -c '%a %U %G' "$DAEMON_RUN")" = "750 root aurae" ]
	[ -S "$DAEMON_SOCK" ]
	[ "$(stat -c '%a %U %G' "$DAEMON_SOCK")" = "660 root aurae" ]
	# The state directory is root's alone.
	[ "$(stat -c '%a %U' "$DAEMON_STATE")" = "700 root" ]
}

@test "--socket in a new directory: that directory gets 0750 root:aurae" {
	dir=$(new_daemon_dir)
	start_daemon_in "$dir" --socket "$dir/sock/a.sock"
	need_group
	[ "$DAEMON_SOCK" = "$dir/sock/a.sock" ]
	[ "$(stat -c '%a %U %G' "$dir/sock")" = "750 root aurae" ]
	[ "$(stat -c '%a %U %G' "$dir/sock/a.sock")" = "660 root aurae" ]
	assert_serving
}

@test "the pidfile in the run directory holds the daemon's pid" {
	start_daemon
	[ "$(cat "$DAEMON_RUN/auraed.pid")" = "$DAEMON_PID" ]
}

@test "a uid outside group aurae is refused by the file system, with a clear message" {
	need_world_access
	start_daemon
	need_group
	run as_nobody -- "$AER" -H "$DAEMON_SOCK" health
	assert_status 125
	[[ "$output" == "aer: "*"ermission denied"* ]]
	[[ "$output" == *"group aurae"* ]]
	assert_serving
}

@test "a member of group aurae (supplementary group) is allowed" {
	need_world_access
	start_daemon
	need_group
	run as_nobody --groups="$AURAE_GID" -- "$AER" -H "$DAEMON_SOCK" health
	assert_status 0
	[[ "$output" == *"status	SERVING"* ]]
}

@test "a member of group aurae (primary group) is allowed" {
	need_world_access
	start_daemon
	need_group
	run setpriv --reuid=65534 --regid="$AURAE_GID" --clear-groups -- \
	    "$AER" -H "$DAEMON_SOCK" health
	assert_status 0
	[[ "$output" == *"status	SERVING"* ]]
}

@test "SO_PEERCRED: with the socket opened to everyone, a non-member still gets PERMISSION_DENIED" {
	need_world_access
	need_cmd socat jq
	start_daemon
	need_group
	# Take the file system's protection away: only the daemon's own check
	# is left.
	chmod 0755 "$DAEMON_RUN"
	chmod 0666 "$DAEMON_SOCK"
	run as_nobody -- "$AER" -H "$DAEMON_SOCK" health
	assert_status 125
	[ "$output" = "aer: permission denied: uid 65534 is not root and not a member of group aurae" ]
	# On the wire: one error line, then the daemon closes.
	run as_nobody -- timeout 10 socat -u "UNIX-CONNECT:$DAEMON_SOCK" -
	assert_status 0
	check_error "$output" PERMISSION_DENIED -32000
	grep -q 'refused uid 65534' "$DAEMON_LOG"
	# Members and root still get in.
	run as_nobody --groups="$AURAE_GID" -- "$AER" -H "$DAEMON_SOCK" health
	assert_status 0
	assert_serving
	# Refused connections are not counted.
	[ "$(daemon_connections)" -eq 1 ]
}

@test "a stale socket left by a dead process is replaced" {
	need_cmd socat
	dir=$(new_daemon_dir)
	mkdir -m 0750 "$dir/run"
	# A listener that dies without removing its socket.
	spawn "$dir/socat.log" socat UNIX-LISTEN:"$dir/run/aurae.sock" /dev/null
	pid=$SPAWN_PID
	until [ -S "$dir/run/aurae.sock" ]; do
		pid_alive "$pid" || fail "socat exited: $(cat "$dir/socat.log")"
		sleep 0.02
	done
	kill -KILL "$pid"
	wait_gone "$pid"
	[ -S "$dir/run/aurae.sock" ]
	# Nobody answers on it now.
	run timeout 5 socat -u /dev/null UNIX-CONNECT:"$dir/run/aurae.sock"
	assert_failure
	[[ "$output" == *"Connection refused"* ]]
	start_daemon_in "$dir"
	assert_serving
	grep -q "removing stale socket $dir/run/aurae.sock" "$DAEMON_LOG"
	[ "$(stat -c '%a %G' "$DAEMON_SOCK")" = "660 aurae" ]
}

@test "a second daemon on a live socket is refused; the first keeps serving" {
	start_daemon
	first=$DAEMON_PID
	ino=$(stat -c %i "$DAEMON_SOCK")
	run timeout 10 "$AURAED" -f --run-dir "$DAEMON_RUN" \
	    --state-dir "$TT/state2" $(cgroup_args "$TT")
	assert_failure
	[[ "$output" == *"another auraed is already serving $DAEMON_SOCK"* ]]
	# Daemonized, it must fail the same way (and not leave a child).
	run timeout 10 "$AURAED" --run-dir "$DAEMON_RUN" \
	    --state-dir "$TT/state2" $(cgroup_args "$TT")
	assert_failure
	[[ "$output" == *"another auraed is already serving"* ]]
	# The first daemon's socket and pidfile are untouched.
	[ "$(stat -c %i "$DAEMON_SOCK")" = "$ino" ]
	[ "$(cat "$DAEMON_RUN/auraed.pid")" = "$first" ]
	pid_alive "$first"
	assert_serving
	[ "$(aer health | sed -n 's/^pid	//p')" = "$first" ]
}

@test "a regular file at the socket path is refused and left alone" {
	dir=$(new_daemon_dir)
	mkdir -m 0750 "$dir/run"
	echo precious > "$dir/run/aurae.sock"
	run timeout 10 "$AURAED" -f --run-dir "$dir/run" --state-dir "$dir/state" \
	    $(cgroup_args "$dir")
	assert_failure
	[[ "$output" == *"$dir/run/aurae.sock: exists and is not a socket"* ]]
	[ "$(cat "$dir/run/aurae.sock")" = precious ]
	[ ! -e "$dir/run/auraed.pid" ]
}

@test "a socket path too long for sun_path is refused with a clear message" {
	dir=$(new_daemon_dir)
	long=$dir/$(printf 'x%.0s' $(seq 120))/aurae.sock
	run timeout 10 "$AURAED" -f --run-dir "$dir/run" --state-dir "$dir/state" \
	    --socket "$long" $(cgroup_args "$dir")
	assert_failure
	[[ "$output" == *"socket path too long"* ]]
}

@test "SIGTERM: clean exit (status 0), socket and pidfile removed" {
	start_daemon
	[ -S "$DAEMON_SOCK" ] && [ -f "$DAEMON_RUN/auraed.pid" ]
	stop_daemon "$DAEMON_PID" TERM
	[ "$DAEMON_STATUS" -eq 0 ]
	[ ! -e "$DAEMON_SOCK" ]
	[ ! -e "$DAEMON_RUN/auraed.pid" ]
	grep -q 'shutting down' "$DAEMON_LOG"
}

@test "SIGINT: the same clean shutdown" {
	start_daemon
	stop_daemon "$DAEMON_PID" INT
	[ "$DAEMON_STATUS" -eq 0 ]
	[ ! -e "$DAEMON_SOCK" ]
	[ ! -e "$DAEMON_RUN/auraed.pid" ]
}

@test "SIGTERM with clients connected still shuts down cleanly" {
	start_daemon
	spawn "$TT/hold.out" rpcload -s "$DAEMON_SOCK" -c 5 -n 100000 -x -t 60
	hold=$SPAWN_PID
	wait_for_file "$TT/hold.out" '^stalled:'
	stop_daemon "$DAEMON_PID" TERM
	[ "$DAEMON_STATUS" -eq 0 ]
	[ ! -e "$DAEMON_SOCK" ]
	# The clients see their connections closed.
	wait_gone "$hold"
	grep -q '^closed by server: 5 of 5' "$TT/hold.out"
}

@test "SIGHUP reopens the logs and the daemon keeps serving" {
	start_daemon
	kill -HUP "$DAEMON_PID"
	wait_for_file "$DAEMON_LOG" 'reopened logs'
	pid_alive "$DAEMON_PID"
	assert_serving
	[ -S "$DAEMON_SOCK" ]
	[ "$(cat "$DAEMON_RUN/auraed.pid")" = "$DAEMON_PID" ]
}

@test "daemonized (no -f): returns only once the socket answers" {
	dir=$(new_daemon_dir)
	run timeout 20 "$AURAED" --run-dir "$dir/run" --state-dir "$dir/state" \
	    $(cgroup_args "$dir")
	assert_status 0
	# The pidfile names the daemon: register it so it is stopped even if
	# this test fails.
	[ -f "$dir/run/auraed.pid" ]
	pid=$(cat "$dir/run/auraed.pid")
	register_pid "$pid"
	# No polling: it must answer right away.
	run "$AER" -H "$dir/run/aurae.sock" health
	assert_status 0
	[[ "$output" == *"pid	$pid"* ]]
	# It is detached: its own session, not our child.
	[ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]
	refute wait "$pid" 2> /dev/null
	kill -TERM "$pid"
	wait_gone "$pid"
	[ ! -e "$dir/run/aurae.sock" ]
	[ ! -e "$dir/run/auraed.pid" ]
}

@test "daemonized start that fails exits non-zero with the reason on stderr" {
	dir=$(new_daemon_dir)
	mkdir -m 0750 "$dir/run"
	: > "$dir/run/aurae.sock"
	run timeout 20 "$AURAED" --run-dir "$dir/run" --state-dir "$dir/state" \
	    $(cgroup_args "$dir")
	assert_status 1
	[[ "$output" == *"exists and is not a socket"* ]]
}

@test "unknown options and bad limits are usage errors (exit 2)" {
	run "$AURAED" --no-such-option
	assert_status 2
	run "$AURAED" --max-line 12
	assert_status 2
	[[ "$output" == *"max-line"* ]]
	run "$AURAED" -f extra-argument
	assert_status 2
	run "$AURAED" --help
	assert_status 0
	[[ "$output" == *"--socket"* ]]
}
