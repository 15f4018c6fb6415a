#!/usr/bin/env bats
# t110-aer-runtime.bats - aer's runtime commands: ls over cells and
# executables, exec, kill, wait, logs, events, top, cell stats, the
# interactive shell and live completion.

load lib/common

setup_file() {
	skip_unless_root
	common_setup_file
	start_daemon
	export FILE_SOCK=$DAEMON_SOCK
}

teardown_file() {
	common_teardown_file
}

setup() {
	common_setup
	export AURAE_HOST=$FILE_SOCK
}

# Every cell a test made goes, with what runs in it (children first); a
# cell that cannot be removed fails the test.
teardown() {
	local st=0
	remove_cells || st=1
	common_teardown
	return $st
}

# on_tty CMD [INPUT]: run the shell command CMD with a terminal as stdin
# and stdout (script gives it a pseudo-terminal) and type INPUT (with
# printf %b escapes such as \n and \t) into it; carriage returns are
# dropped.  The exit status is CMD's.
on_tty() {
	printf '%b' "${2:-}" | timeout 30 script -qec "$1" /dev/null | tr -d '\r'
	return "${PIPESTATUS[1]}"
}

# wait_exe ID STATE: poll until executable ID is in STATE.
wait_exe() {
	local end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until [ -n "$(aer ls executables id="$1" state="$2")" ]; do
		[ $SECONDS -lt $end ] || {
			fail "$1 did not reach state $2: $(aer ls executables)"
			return 1
		}
		sleep 0.02
	done
}

# wait_subscribed N: poll until the daemon counts N connections (the
# streaming clients plus the asking one).
wait_subscribed() {
	wait_connections "$1"
}

# --------------------------------------------------------------------- exec

@test "aer exec: the command's exit status, 127, 126, 128+n" {
	aer cell create x
	run aer exec x -- true
	assert_status 0
	run aer exec x -- sh -c 'exit 7'
	assert_status 7
	run -127 aer exec x -- no-such-command-anywhere
	assert_status 127
	[[ "$output" == *"cannot execute 'no-such-command-anywhere'"* ]]
	run aer exec x -- /etc/passwd
	assert_status 126
	run aer exec x -- sh -c 'kill -TERM $$'
	assert_status 143
	# "--" is optional: options stop at the cell.
	run aer exec x sh -c 'exit 5'
	assert_status 5
}

@test "aer exec: stdio is the caller's own" {
	aer cell create x
	aer exec x -- sh -c 'echo out; echo err >&2' > "$TT/out" 2> "$TT/err"
	[ "$(cat "$TT/out")" = out ]
	[ "$(cat "$TT/err")" = err ]
	run sh -c 'printf "a\nb\nc\n" | aer exec x wc -l'
	assert_status 0
	[ "$output" = 3 ]
}

@test "aer exec: -e, -w, -u and -g; the caller's environment is inherited" {
	aer cell create x
	run env FOO=inherited aer exec x -- sh -c 'echo $FOO'
	[ "$output" = inherited ]
	run env FOO=inherited aer exec -e FOO=over -e BAR=new x -- sh -c 'echo $FOO $BAR'
	[ "$output" = "over new" ]
	run aer exec -w / x -- pwd
	[ "$output" = / ]
	cd "$TT"
	run aer exec x -- pwd
	[ "$output" = "$TT" ]
	run aer exec -u 65534 -g 65534 x -- sh -c 'id -u; id -g'
	[ "$(echo $output)" = "65534 65534" ]
	run aer exec -e NOEQUALS x -- true
	assert_status 2
	[[ "$output" == *"expected -e VAR=VALUE, not 'NOEQUALS'"* ]]
}

@test "aer exec: unknown cell exits 125, missing operands are usage errors" {
	run --separate-stderr aer exec no-such-cell -- true
	assert_status 125
	[[ "$stderr" == *"no cell named 'no-such-cell'"* ]]
	run aer exec
	assert_status 2
	run aer exec x
	assert_status 2
	run aer exec x --
	assert_status 2
	run env AURAE_HOST="$TT/nothing.sock" aer exec x -- true
	assert_status 125
}

@test "aer exec: signals sent to aer reach the command" {
	aer cell create x
	aer exec x -- sh -c 'trap "echo got TERM; exit 4" TERM; echo ready; while :; do sleep 0.1; done' > "$TT/out" 2>&1 &
	pid=$!
	register_pid "$pid"
	wait_for_file "$TT/out" ready
	kill -TERM "$pid"
	wait_gone "$pid"
	[ "$WAIT_STATUS" -eq 4 ]
	grep -q "got TERM" "$TT/out"
}

@test "aer exec -d: prints the id, the command runs on, output goes to the log" {
	aer cell create x
	run --separate-stderr aer exec -d x -- sh -c 'echo to-log; sleep 100'
	assert_status 0
	[ "$output" = x.1 ]
	wait_exe x.1 running
	run aer logs x.1
	[ "$output" = to-log ]
}

# --------------------------------------------------------------- kill, wait

@test "aer kill and aer wait: TERM by default, -s by name or number, statuses" {
	aer cell create k
	aer exec -d k -- sleep 100 > /dev/null
	aer exec -d k -- sleep 100 > /dev/null
	aer exec -d k -- sh -c 'exit 3' > /dev/null
	wait_exe k.1 running
	wait_exe k.2 running
	run aer kill k.1
	assert_status 0
	[ -z "$output" ]
	run aer wait k.1
	assert_status 143
	[ "$output" = "k.1	143" ]
	run aer kill -s KILL k.2
	assert_status 0
	run aer wait k.2
	assert_status 137
	# Several ids: one line each, the last one's status.
	run aer wait k.2 k.3
	assert_status 3
	[ "$output" = "$(printf 'k.2\t137\nk.3\t3')" ]
	run aer -o json wait k.1 k.3
	json_check "$output" 'length == 2 and .[0].signal == 15 and .[0].status == 143 and .[1].exit_code == 3'
	# Listed with their status.
	run aer ls executables cell=k
	[[ "${lines[0]}" == "k.1	k	exited	SIGTERM	"* ]]
	[[ "${lines[1]}" == "k.2	k	exited	SIGKILL	"* ]]
	[[ "${lines[2]}" == "k.3	k	exited	3	"* ]]
	aer exec -d k -- sleep 100 > /dev/null
	wait_exe k.4 running
	run aer kill -s 9 k.4
	assert_status 0
	run aer wait k.4
	assert_status 137
}

@test "aer kill and aer wait: bad signal is a usage error, unknown ids exit 125" {
	aer cell create k
	aer exec -d k -- sleep 100 > /dev/null
	wait_exe k.1 running
	run --separate-stderr aer kill -s NOPE k.1
	assert_status 2
	[[ "$stderr" == *"unknown signal 'NOPE'"* ]]
	run aer kill -s 0 k.1
	assert_status 2
	# Nothing was sent.
	wait_exe k.1 running
	run --separate-stderr aer kill k.99
	assert_status 125
	[[ "$stderr" == *"no executable 'k.99'"* ]]
	run --separate-stderr aer wait nope.1
	assert_status 125
	[[ "$stderr" == *"no executable 'nope.1'"* ]]
	run aer kill
	assert_status 2
	run aer wait
	assert_status 2
	wait_exe k.1 running
}

# --------------------------------------------------------------------- logs

@test "aer logs: text on the stream it was written to; -n; -o jsonl" {
	aer cell create l
	aer exec -d l -- sh -c 'echo one; echo two >&2; echo three; printf partial' > /dev/null
	run aer wait l.1
	assert_status 0
	run --separate-stderr aer logs l.1
	assert_status 0
	[ "$output" = "$(printf 'one\nthree\npartial')" ]
	[ "$stderr" = two ]
	# Both on one file: in the order of the log (which the daemon
	# decides, reading two pipes), the partial line without a newline.
	aer logs l.1 > "$TT/both" 2>&1
	aer -o jsonl logs l.1 | jq -j '.text + (if .partial then "" else "\n" end)' > "$TT/expected"
	cmp "$TT/both" "$TT/expected"
	[ "$(aer -o jsonl logs l.1 | jq -r .text | sort | tr '\n' ' ')" = "one partial three two " ]
	# -n: the last lines of the log.
	aer logs -n 2 l.1 > "$TT/tail2" 2>&1
	aer -o jsonl logs l.1 | tail -n 2 | jq -j '.text + (if .partial then "" else "\n" end)' > "$TT/expected"
	cmp "$TT/tail2" "$TT/expected"
	run aer -o jsonl logs -n 1 l.1
	[ "${#lines[@]}" -eq 1 ]
	run aer -o jsonl logs l.1
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "${lines[@]}" | jq -c .)" = "$output" ]
	json_check "$(printf '%s\n' "${lines[@]}" | jq -s -c .)" '
	    all(.id == "l.1" and (.time | type == "string")) and
	    (map(select(.stream == "stderr")) | length == 1 and .[0].text == "two" and .[0].partial == false) and
	    (map(select(.stream == "stdout") | [.text, .partial]) == [["one", false], ["three", false], ["partial", true]])'
	run aer -o json logs l.1
	json_check "$output" 'length == 4 and (map(.text) | sort) == ["one", "partial", "three", "two"]'
	# A cell's logs: every executable of it.
	aer exec -d l -- echo second > /dev/null
	aer wait l.2 > /dev/null
	run --separate-stderr aer logs l
	[[ "$output" == *one*second* ]]
}

@test "aer logs --since: unix seconds, RFC 3339, durations; bad times are usage errors" {
	aer cell create l
	aer exec -d l -- echo hello > /dev/null
	aer wait l.1 > /dev/null
	run aer logs --since 10m l.1
	[ "$output" = hello ]
	run aer logs --since 1h30m l.1
	[ "$output" = hello ]
	run aer logs --since 2000-01-01T00:00:00Z l.1
	[ "$output" = hello ]
	run aer logs --since 2000-01-01T00:00:00.5+02:00 l.1
	[ "$output" = hello ]
	run aer logs --since 946684800 l.1
	[ "$output" = hello ]
	run aer logs --since 2099-01-01T00:00:00Z l.1
	assert_status 0
	[ -z "$output" ]
	run aer logs --since $(( $(date +%s) + 3600 )) l.1
	[ -z "$output" ]
	for bad in yesterday 10x 2024-13-45 2024-01-01T00:00:00+2 -5m ''; do
		run --separate-stderr aer logs --since "$bad" l.1
		assert_status 2
		[[ "$stderr" == *"cannot read --since"* ]]
	done
}

@test "aer logs: unknown executables and cells exit 125" {
	run --separate-stderr aer logs nope.1
	assert_status 125
	[[ "$stderr" == *nope.1* ]]
	run --separate-stderr aer logs no-such-cell
	assert_status 125
	[[ "$stderr" == *"no cell named 'no-such-cell'"* ]]
	run aer logs
	assert_status 2
	run aer logs a b
	assert_status 2
}

@test "aer logs -f: history, then new lines, and it ends when the process exits" {
	aer cell create f
	touch "$TT/go"
	aer exec -d f -- sh -c "echo first; while [ -e $TT/go ]; do sleep 0.05; done; echo last; echo err-last >&2" > /dev/null
	wait_exe f.1 running
	timeout 30 aer logs -f f.1 > "$TT/out" 2> "$TT/err" &
	pid=$!
	register_pid "$pid"
	wait_for_file "$TT/out" '^first$'
	# Still following while the command runs.
	pid_alive "$pid"
	rm "$TT/go"
	wait_gone "$pid" 20
	[ "$WAIT_STATUS" -eq 0 ]
	[ "$(cat "$TT/out")" = "$(printf 'first\nlast')" ]
	[ "$(cat "$TT/err")" = err-last ]
	# Following an executable that already exited ends at once.
	run timeout 10 aer logs -f f.1
	assert_status 0
	[ "$output" = "$(printf 'first\nlast\nerr-last')" ]
	run timeout 10 aer -o jsonl logs -f -n 1 f.1
	assert_status 0
	json_check "$output" '.text == "err-last" and .stream == "stderr"'
}

@test "aer logs -f CELL: follows new executables until the cell is removed" {
	aer cell create g
	timeout 30 aer logs -f -n 0 g > "$TT/out" 2>&1 &
	pid=$!
	register_pid "$pid"
	aer exec -d g -- echo from-first > /dev/null
	wait_for_file "$TT/out" '^from-first$'
	aer exec -d g -- echo from-second > /dev/null
	wait_for_file "$TT/out" '^from-second$'
	pid_alive "$pid"
	aer cell rm g
	wait_gone "$pid" 20
	[ "$WAIT_STATUS" -eq 0 ]
}

# ------------------------------------------------------------------- events

@test "aer events: JSON lines for create, start, exit and remove, flushed as they happen" {
	aer events > "$TT/ev" 2> "$TT/ev.err" &
	pid=$!
	register_pid "$pid"
	wait_subscribed 2
	aer cell create e
	wait_for_file "$TT/ev" '"cell.created"'
	aer exec e -- sh -c 'exit 6' || :
	aer cell rm e
	wait_for_file "$TT/ev" '"cell.removed"'
	# One compact JSON object per line, in order.
	run jq -r '.type' "$TT/ev"
	[ "$output" = "$(printf 'cell.created\nexecutable.started\nexecutable.exited\ncell.removed')" ]
	[ "$(jq -c . "$TT/ev")" = "$(cat "$TT/ev")" ]
	run jq -s -e '.[2] | .id == "e.1" and .cell == "e" and .exit_code == 6 and (.time | type == "number")' "$TT/ev"
	assert_status 0
	pid_alive "$pid"
}

@test "aer events --type filters by prefix; -o table gives columns" {
	aer events --type executable. > "$TT/ev" &
	p1=$!
	register_pid "$p1"
	aer -o table --headers events > "$TT/tab" &
	p2=$!
	register_pid "$p2"
	wait_subscribed 3
	aer cell create e
	aer exec e -- true
	aer cell rm e
	wait_for_file "$TT/tab" 'cell\.removed'
	wait_for_file "$TT/ev" 'executable\.exited'
	run jq -r '.type' "$TT/ev"
	[ "$output" = "$(printf 'executable.started\nexecutable.exited')" ]
	run cat "$TT/tab"
	[ "${lines[0]}" = "TIME	TYPE	CELL	ID	DETAIL" ]
	[[ "${lines[1]}" =~ ^20[0-9-]+T[0-9:.]+Z$'\t'cell\.created$'\t'e$'\t'-$'\t'$ ]]
	[[ "${lines[3]}" == *"	executable.exited	e	e.1	exit_code=0" ]]
	run aer events extra
	assert_status 2
}

# ----------------------------------------------------------------------- ls

@test "aer ls: cells and executables in one table, name first, stable columns" {
	aer cell create web
	aer cell create db
	aer exec web -- true
	aer exec -d web -- sleep 100 > /dev/null
	wait_exe web.2 running
	run aer ls
	assert_status 0
	[ "${#lines[@]}" -eq 4 ]
	# Each cell, then its executables.
	[ "$(aer ls | cut -f1,2)" = "$(printf 'web\tcell\nweb.1\texecutable\nweb.2\texecutable\ndb\tcell')" ]
	[ "$(aer ls | grep web | cut -f1)" = "$(printf 'web\nweb.1\nweb.2')" ]
	for l in "${lines[@]}"; do
		[ "$(printf '%s\n' "$l" | awk -F'\t' '{ print NF }')" -eq 8 ]
	done
	[[ "${lines[1]}" == "web.1	executable	exited	0	"*"	true" ]]
	[[ "${lines[2]}" == "web.2	executable	running	-	"*"	sleep 100" ]]
	run aer --headers ls
	[ "${lines[0]}" = "NAME	KIND	STATE	STATUS	PID	MEMORY	CREATED	COMMAND" ]
	run aer --headers ls cells
	[ "${lines[0]}" = "NAME	STATE	PIDS	MEMORY	CREATED" ]
	run aer --headers ls executables
	[ "${lines[0]}" = "ID	CELL	STATE	STATUS	PID	STARTED	COMMAND" ]
	[ "$(aer ls cells | cut -f1)" = "$(printf 'web\ndb')" ]
	[ "$(aer ls executables | cut -f1)" = "$(printf 'web.1\nweb.2')" ]
}

@test "aer ls: KEY=VALUE filters, and json/jsonl" {
	aer cell create web
	aer cell create db
	aer exec web -- true
	aer exec -d db -- sleep 100 > /dev/null
	wait_exe db.1 running
	[ "$(aer ls kind=cell | cut -f1)" = "$(printf 'web\ndb')" ]
	[ "$(aer ls cell=web | cut -f1)" = "$(printf 'web\nweb.1')" ]
	[ "$(aer ls kind=executable state=running | cut -f1)" = db.1 ]
	[ "$(aer ls executables status=0 | cut -f1)" = web.1 ]
	[ "$(aer ls cells name=db | cut -f1)" = db ]
	[ -z "$(aer ls name=nothing)" ]
	run aer -o json ls
	json_check "$output" 'type == "array" and length == 4 and
	    (map(.kind) == ["cell", "executable", "cell", "executable"]) and
	    .[0].name == "web" and (.[0].created | type == "number") and
	    .[1].id == "web.1" and .[1].exit_code == 0 and (.[1].argv == ["true"])'
	run aer -o jsonl ls executables
	[ "${#lines[@]}" -eq 2 ]
	json_check "${lines[1]}" '.id == "db.1" and .state == "running" and (.pid | type == "number")'
	run aer -o json ls cells
	json_check "$output" 'map(.name) == ["web", "db"]'
	run --separate-stderr aer ls pods
	assert_status 2
	[[ "$stderr" == *"cannot list 'pods'"* ]]
	run aer ls cells nofilter
	assert_status 2
	run aer ls =x
	assert_status 2
}

# ---------------------------------------------------------------------- top

@test "aer top piped: one snapshot with CPU%, memory and pids" {
	aer cell create idle
	aer cell create busy
	aer exec -d busy -- sh -c 'while :; do :; done' > /dev/null
	wait_exe busy.1 running
	run --separate-stderr timeout 20 aer top
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == idle$'\t'active$'\t'* ]]
	[ "$(printf '%s\n' "${lines[1]}" | awk -F'\t' '{ print NF }')" -eq 7 ]
	run timeout 20 aer -o json top
	json_check "$output" 'length == 2 and .[1].name == "busy" and
	    .[1].cpu_percent >= 20 and .[0].cpu_percent < 20 and
	    (.[1].memory | type == "number") and .[1].pids >= 2 and
	    .[1].executables == 1'
	run aer --headers top
	[ "${lines[0]}" = "NAME	STATE	CPU%	MEMORY	PEAK	PIDS	EXECUTABLES" ]
	run aer top extra
	assert_status 2
	run aer top -d 0
	assert_status 2
}

@test "aer top on a terminal: refreshes, then restores the screen" {
	need_cmd script
	aer cell create shown
	run on_tty "aer top -n 2 -d 0.1 < /dev/null"
	assert_status 0
	[ "$(grep -c 'aer top - ' <<< "$output")" -eq 2 ]
	[[ "$output" == *$'\033[H\033[2J'* ]]
	[[ "$output" == *shown*active* ]]
	# The cursor and the screen are given back.
	[[ "$output" == *$'\033[?25h\033[?1049l' ]]
	# q quits.
	run on_tty "aer top" q
	assert_status 0
	[[ "$output" == *$'\033[?1049l' ]]
}

# ------------------------------------------------------------------- stats

@test "aer cell stats: usage from cells.info" {
	aer cell create s
	aer exec s -- sh -c 'i=0; while [ $i -lt 2000 ]; do i=$((i + 1)); done'
	run aer cell stats s
	assert_status 0
	[ "$(cut -f1 <<< "$output" | tr '\n' ' ')" = "name memory memory_peak pids cpu_usec executables " ]
	[ "${lines[0]}" = "name	s" ]
	run aer -o json cell stats s
	json_check "$output" '.name == "s" and .cpu_usec > 0 and .memory_peak >= .memory and .pids >= 1'
	run --separate-stderr aer cell stats nope
	assert_status 125
	[[ "$stderr" == *"no cell named 'nope'"* ]]
	run aer cell stats -f s
	assert_status 2
}

@test "aer cell rm -f removes a busy cell" {
	aer cell create busy
	aer exec -d busy -- sleep 100 > /dev/null
	wait_exe busy.1 running
	run aer cell rm busy
	assert_status 125
	run aer cell rm -f busy
	assert_status 0
	[ -z "$(aer ls cells)" ]
}

# -------------------------------------------------------------------- shell

@test "aer shell: runs commands, survives errors, writes the history" {
	need_cmd script
	aer cell create sh1
	run on_tty "aer shell" 'ls cells\nno-such-command\ncell stats nope\n"ls" executables\nexit\n'
	assert_status 0
	[[ "$output" == *"aer> "* ]]
	[[ "$output" == *"sh1"*"active"* ]]
	[[ "$output" == *"unknown command 'no-such-command'"* ]]
	[[ "$output" == *"no cell named 'nope'"* ]]
	# The quoted "ls" ran too: the executables header came after the error.
	[[ "$output" == *"no cell named 'nope'"*"ID"*"COMMAND"* ]]
	[ "$(cat "$HOME/.aurae_history")" = "$(printf 'ls cells\nno-such-command\ncell stats nope\n"ls" executables\nexit')" ]
	# The history is read back, and appended to.
	run on_tty "aer shell" 'version\nquit\n'
	assert_status 0
	[ "$(wc -l < "$HOME/.aurae_history")" -eq 7 ]
	[ "$(tail -n 2 "$HOME/.aurae_history")" = "$(printf 'version\nquit')" ]
}

@test "aer with no arguments on a terminal is the shell; EOF ends it" {
	need_cmd script
	run on_tty aer 'health\n'
	assert_status 0
	[[ "$output" == *"aer> "*"status	SERVING"* ]]
	# Not on a terminal: the usage, as before.
	run aer < /dev/null
	assert_status 2
	[[ "$output" == *"usage: aer"* ]]
}

@test "aer shell: the history is kept to 1000 lines" {
	need_cmd script
	seq 1 1100 | sed 's/^/old /' > "$HOME/.aurae_history"
	run on_tty "aer shell" 'version\nexit\n'
	assert_status 0
	[ "$(wc -l < "$HOME/.aurae_history")" -eq 1000 ]
	[ "$(tail -n 1 "$HOME/.aurae_history")" = exit ]
}

@test "aer shell: tab completes commands and live cell names" {
	need_cmd script
	aer cell create zebra-cell
	run on_tty "aer shell" 'cell stats zeb\t\nexit\n'
	assert_status 0
	[[ "$output" == *"name	zebra-cell"* ]]
	run on_tty "aer shell" 'versi\t\nexit\n'
	[[ "$output" == *"client	"* ]]
}

@test "aer shell without a terminal reads commands from stdin" {
	aer cell create batch
	run sh -c 'printf "ls cells\n# a comment\n\nls executables\n" | aer shell'
	assert_status 0
	[ "$(printf '%s\n' "$output" | cut -f1,2)" = "batch	active" ]
	run sh -c 'printf "cell stats nope\n" | aer shell'
	assert_status 125
	run sh -c "printf 'ls \"unterminated\n' | aer shell"
	assert_status 2
	[[ "$output" == *"unterminated quote"* ]]
	run sh -c 'printf "exit 3\nls\n" | aer shell'
	assert_status 3
	[ -z "$output" ]
}

# --------------------------------------------------------------- completion

@test "aer __complete: live cells and executables, by position" {
	aer cell create alpha
	aer cell create beta
	aer exec alpha -- true
	run aer __complete cell ''
	[ "$output" = "$(printf 'create\nrm\ninfo\nstats\nset\nfreeze\nthaw')" ]
	run aer __complete cell rm ''
	[ "$output" = "$(printf 'alpha\nbeta')" ]
	run aer __complete cell stats -f b
	[ "$output" = beta ]
	run aer __complete exec a
	[ "$output" = alpha ]
	run aer __complete exec -e X=1 -w / b
	[ "$output" = beta ]
	run aer __complete exec alpha ''
	[ "$output" = @file ]
	run aer __complete kill ''
	[ "$output" = alpha.1 ]
	run aer __complete wait al
	[ "$output" = alpha.1 ]
	run aer __complete logs al
	[ "$output" = "$(printf 'alpha\nalpha.1')" ]
	run aer __complete kill -s T
	[ "$output" = "$(printf 'TERM\nTSTP')" ]
	run aer __complete ls ''
	[ "$output" = "$(printf 'cells\nexecutables\nsessions')" ]
	# -H on the line is the daemon asked.
	run env AURAE_HOST="$TT/nothing.sock" aer __complete -H "$FILE_SOCK" cell rm a
	[ "$output" = alpha ]
	run env AURAE_HOST="$TT/nothing.sock" aer __complete cell rm a
	assert_status 0
	[ -z "$output" ]
}
