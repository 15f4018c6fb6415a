#!/usr/bin/env bats
# t120-assh.bats - assh: interactive sessions on a real terminal (tmux),
# and ssh-like pipes without one.

load lib/common

setup_file() {
	skip_unless_root
	need_cmd tmux
	common_setup_file
	start_daemon
	aer cell create web > /dev/null
}
teardown_file() { common_teardown_file; }
setup() {
	common_setup
	SESSION=assh-test-$$-$BATS_TEST_NUMBER
}
teardown() {
	tmux kill-session -t "$SESSION" 2> /dev/null || :
	common_teardown
}

# in_tmux CMD: run the shell command CMD in a new tmux session (100x30)
# with the test's environment; its exit status lands in $TT/status.
in_tmux() {
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env AURAE_HOST='$AURAE_HOST' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' PATH='$PATH' TERM=xterm sh -c '$1; echo \$? > $TT/status.tmp; mv $TT/status.tmp $TT/status'; sleep 30"
}

# screen_has TEXT: poll the pane until it shows TEXT.
screen_has() {
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until tmux capture-pane -p -t "$SESSION" | grep -qF -- "$1"; do
		[ $SECONDS -lt $end ] || {
			fail "the screen never showed '$1':" \
			    "$(tmux capture-pane -p -t "$SESSION")"
			return 1
		}
		sleep 0.05
	done
}

# exit_status: poll for the status the tmux command wrote.
exit_status() {
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until [ -f "$TT/status" ]; do
		[ $SECONDS -lt $end ] || { fail "assh did not exit"; return 1; }
		sleep 0.05
	done
	cat "$TT/status"
}

# cell_pids: the processes in cell web (its init included).
cell_pids() {
	cat /sys/fs/cgroup/pids/"$DAEMON_CGROUP"/web/cgroup.procs \
	    /sys/fs/cgroup/"$DAEMON_CGROUP"/web/cgroup.procs 2> /dev/null |
	    sort -u
}

# cell_procs: how many.
cell_procs() {
	cell_pids | wc -l
}

# only_init_left: poll until the cell holds nothing but its init; show
# what is left if it does not come to that.
only_init_left() {
	local i
	for i in $(seq 200); do
		[ "$(cell_procs)" -eq 1 ] && return 0
		sleep 0.05
	done
	fail "left in the cell:" "$(ps -o pid,pgid,sid,stat,cmd -p "$(cell_pids | paste -sd,)")"
}

@test "an interactive shell: typed commands run, and exit 3 is the status" {
	in_tmux "assh web"
	screen_has "root@web"
	tmux send-keys -t "$SESSION" "echo h''i; exit 3" Enter
	screen_has "hi"
	[ "$(exit_status)" = 3 ]
}

@test "the window size inside is the outside's, and follows a resize" {
	in_tmux "assh web"
	screen_has "root@web"
	tmux send-keys -t "$SESSION" "stty size" Enter
	screen_has "30 100"
	tmux resize-window -t "$SESSION" -x 120 -y 40
	tmux send-keys -t "$SESSION" "clear; stty size" Enter
	screen_has "40 120"
	tmux send-keys -t "$SESSION" "exit" Enter
	[ "$(exit_status)" = 0 ]
}

@test "~. ends the session with 255 and leaves nothing in the cell" {
	in_tmux "assh web"
	screen_has "root@web"
	tmux send-keys -t "$SESSION" "sleep 1000 &" Enter
	tmux send-keys -t "$SESSION" Enter "~."
	[ "$(exit_status)" = 255 ]
	screen_has "closed."
	# The session is hung up and killed: only the init is left.
	only_init_left
}

@test "the terminal's modes are restored after the session" {
	in_tmux "stty -g > $TT/before; assh web true; assh -t web true; stty -g > $TT/after"
	[ "$(exit_status)" = 0 ]
	cmp "$TT/before" "$TT/after"
}

@test "TIOCSTI inside a session is refused and injects nothing" {
	need_cmd python3
	printf '%s\n' 'import fcntl, termios' \
	    'fcntl.ioctl(0, termios.TIOCSTI, b"X")' > "$TT/sti.py"
	in_tmux "assh -t web python3 $TT/sti.py > $TT/out 2>&1"
	[ "$(exit_status)" = 1 ]
	grep -q "Operation not permitted" "$TT/out"
	# Nothing reached the test's own terminal either.
	! tmux capture-pane -p -t "$SESSION" | grep -q X
}

@test "sessions are listed while they run" {
	in_tmux "assh web"
	screen_has "root@web"
	run aer -o jsonl ls sessions
	json_check "$output" '.cell == "web" and .session == true and .tty == true and .state == "running" and .uid == 0'
	run aer ls sessions
	[ "$(echo "$output" | cut -f2,3,4)" = "$(printf 'web\t0\ttrue')" ]
	# aer kill ends a session like any executable.
	aer kill -s KILL "$(echo "$output" | cut -f1)"
	[ "$(exit_status)" = 137 ]
	[ -z "$(aer ls sessions)" ]
}

@test "~? lists the escapes and ~^Z suspends; fg resumes the session" {
	need_cmd bash
	tmux new-session -d -s "$SESSION" -x 100 -y 30 \
	    "env AURAE_HOST='$AURAE_HOST' LD_LIBRARY_PATH='$LD_LIBRARY_PATH' PATH='$PATH' PS1='local$ ' bash --norc -i"
	screen_has 'local$'
	tmux send-keys -t "$SESSION" "assh web" Enter
	screen_has "root@web"
	tmux send-keys -t "$SESSION" Enter "~?"
	screen_has "Supported escape sequences"
	tmux send-keys -t "$SESSION" Enter "~" C-z
	screen_has "Stopped"
	tmux send-keys -t "$SESSION" "fg" Enter
	tmux send-keys -t "$SESSION" "echo back''again" Enter
	screen_has "backagain"
	tmux send-keys -t "$SESSION" "exit 5" Enter
	screen_has 'local$'
	# fg's status is the resumed session's.
	tmux send-keys -t "$SESSION" 'echo fg=$?' Enter
	screen_has "fg=5"
}

@test "without a terminal: a 50 MB binary file through cat is bit-identical" {
	head -c 50000000 /dev/urandom > "$TT/blob"
	want=$(sha256sum < "$TT/blob")
	got=$(assh -T web cat < "$TT/blob" | sha256sum)
	[ "$got" = "$want" ]
}

@test "without a terminal: stdout and stderr stay separate, stdin EOF arrives" {
	echo input | assh web sh -c 'cat; echo out; echo err >&2' > "$TT/out" 2> "$TT/err"
	[ "$(cat "$TT/out")" = "$(printf 'input\nout')" ]
	[ "$(cat "$TT/err")" = err ]
	run assh -n web cat
	assert_status 0
	[ -z "$output" ]
}

@test "SIGINT to assh reaches the remote command" {
	assh web sh -c 'trap "echo got INT; exit 7" INT; echo ready; while :; do sleep 0.1; done' > "$TT/out" 2>&1 &
	pid=$!
	register_pid "$pid"
	for i in $(seq 200); do grep -q ready "$TT/out" && break; sleep 0.05; done
	kill -INT "$pid"
	wait_gone "$pid"
	[ "$WAIT_STATUS" -eq 7 ]
	grep -q "got INT" "$TT/out"
}

@test "killing assh leaves no process of its session in the cell" {
	assh web sh -c 'sleep 1000 & sleep 1000' > /dev/null 2>&1 &
	pid=$!
	register_pid "$pid"
	for i in $(seq 200); do [ "$(cell_procs)" -ge 4 ] && break; sleep 0.05; done
	[ "$(cell_procs)" -ge 4 ]
	kill -KILL "$pid"
	wait_gone "$pid"
	only_init_left
}

@test "a session's background jobs go with assh, even after its leader has exited" {
	# assh gets the exit of sh before it goes, so the daemon hears of
	# the leader's exit first, then of the client's end.
	run assh web sh -c 'sleep 1000 > /dev/null 2>&1 & exit 4'
	assert_status 4
	only_init_left
}

@test "errors: unknown cell, unknown user, missing command, bad options" {
	run assh nope true
	assert_status 255
	[[ "$output" == *"no cell named 'nope'"* ]]
	run assh nobodyhere@web true
	assert_status 255
	[[ "$output" == *"unknown user 'nobodyhere' in cell 'web'"* ]]
	run -127 assh web no-such-command-here
	assert_status 127
	[[ "$output" == *"cannot execute 'no-such-command-here'"* ]]
	run assh web /etc/passwd
	assert_status 126
	run assh web sh -c 'kill -TERM $$'
	assert_status 143
	run assh web sh -c 'exit 9'
	assert_status 9
	run assh -e ab web true
	assert_status 255
	[[ "$output" == *"bad escape character"* ]]
	run assh node1:web true
	assert_status 255
	[[ "$output" == *"remote nodes need the ssh transport"* ]]
	run assh -t web true < /dev/null
	[[ "$output" == *"Pseudo-terminal will not be allocated"* ]]
	run env AURAE_HOST="$TT/none.sock" assh web true
	assert_status 255
}

@test "TERM is passed with a terminal; -E sets variables; nested cells work" {
	cat > "$TT/cmd.sh" <<-'EOF'
	assh -t -E GREETING=hello web sh -c 'echo $TERM $GREETING'
	EOF
	in_tmux "sh $TT/cmd.sh > $TT/out"
	[ "$(exit_status)" = 0 ]
	[ "$(tr -d '\r' < "$TT/out")" = "xterm hello" ]
	aer cell create web/db > /dev/null
	run assh web/db hostname
	assert_status 0
	[ "$output" = db ]
	aer cell rm web/db > /dev/null
}

@test "-l and user@ run as that user, in the user's home" {
	run assh -l nobody web sh -c 'id -un; echo $HOME; pwd'
	assert_status 0
	[[ "$output" == *"Could not chdir to home directory /nonexistent"* ]]
	[[ "$output" == *"$(printf 'nobody\n/nonexistent\n/')"* ]]
	run assh -l nobody -w /nope web true
	assert_status 255
	[[ "$output" == *"cannot change to the working directory"* ]]
	run assh daemon@web id -u
	[ "$output" = "$(id -u daemon)" ]
}
