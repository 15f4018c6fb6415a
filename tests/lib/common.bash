# tests/lib/common.bash - shared set-up for Aurae's bats tests.
#
# A test file loads it and picks one of two shapes:
#
#   load lib/common
#   setup_file()    { common_setup_file; start_daemon; }   # one daemon per file
#   teardown_file() { common_teardown_file; }
#   setup()         { common_setup; }
#   teardown()      { common_teardown; }
#
# A test that needs a daemon with special options starts its own with
# start_daemon OPTIONS...; common_teardown stops it.  Nothing waits a fixed
# time: readiness is polled (aer health) with a time limit.
#
# Environment (tests/run-tests.sh exports it; when bats is run by hand the
# build tree around this file is used): AURAED, AER, AURAE_BUILDDIR, PATH
# (utils/*/, tests/helpers, daemon/), LD_LIBRARY_PATH (libaurae-client/).
#
# Every test gets a throwaway HOME and LANG=C, as git's t/test-lib.sh does,
# and AURAE_HOST names the current daemon's socket, so no test can reach a
# system daemon on /run/aurae.
#
# Variables for the tests:
#   AT            the file's private directory (mktemp -d, mode 0755)
#   TT            the current test's directory, inside AT
#   DAEMON_PID DAEMON_SOCK DAEMON_RUN DAEMON_STATE DAEMON_LOG DAEMON_DIR
#                 the daemon started last (start_daemon)
#   DAEMON_CGROUP its cgroup parent (--cgroup-parent), a name of its own
#                 per daemon; empty when auraed has no such option
#
# Cleanup kills only what these helpers started, by pid (checked against
# the start time recorded with it, so a recycled pid is never hit), waits
# for it, and removes the directories.  When a test fails the logs of its
# daemons are printed.

bats_require_minimum_version 1.5.0

# Time limit, in seconds, for a daemon to answer or to exit.
AURAE_TEST_TIMEOUT=${AURAE_TEST_TIMEOUT:-10}

# The test environment, when bats runs without tests/run-tests.sh.
if [ -z "${AURAE_BUILDDIR:-}" ]; then
	AURAE_BUILDDIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd -P)
	PATH="$AURAE_BUILDDIR/utils/aer:$AURAE_BUILDDIR/tests/helpers:$AURAE_BUILDDIR/daemon:$PATH"
	LD_LIBRARY_PATH="$AURAE_BUILDDIR/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
	export AURAE_BUILDDIR PATH LD_LIBRARY_PATH
fi
: "${AURAED:=$AURAE_BUILDDIR/daemon/auraed}"
: "${AER:=$AURAE_BUILDDIR/utils/aer/aer}"
export AURAED AER

# fail MESSAGE...: print the message and fail the test.
fail() {
	printf '%s\n' "$*" >&2
	return 1
}

# refute CMD [ARGS...]: fail if CMD succeeds.  (A bare "! CMD" never
# fails a bats test: set -e ignores negated commands.)
refute() {
	if "$@"; then
		fail "unexpectedly succeeded: $*"
		return 1
	fi
	return 0
}

# assert_status N: after run, the exit status is N (else the output is
# shown).
assert_status() {
	[ "$status" -eq "$1" ] ||
		{ fail "expected exit status $1, got $status; output:" "$output"; return 1; }
}

# assert_failure: after run, the command failed by itself: a non-zero exit
# status that is not timeout's 124 nor death by a signal (git's
# test_must_fail).
assert_failure() {
	if [ "$status" -eq 0 ]; then
		fail "expected a failure, got exit status 0; output:" "$output"
	elif [ "$status" -eq 124 ]; then
		fail "timed out; output:" "$output"
	elif [ "$status" -gt 128 ] && [ "$status" -ne 255 ]; then
		fail "killed by signal $((status - 128)); output:" "$output"
	else
		return 0
	fi
	return 1
}

# skip_unless_root: these tests run as root (socket ownership, setpriv).
skip_unless_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

# need_cmd CMD...: skip the test unless every command exists.
need_cmd() {
	local c
	for c; do
		command -v "$c" > /dev/null 2>&1 || skip "$c is not installed"
	done
}

# need_world_access [TOOL]: skip unless uid 65534 can run TOOL (default
# $AER): the build tree must be searchable and readable by others, which
# a private temporary directory (make distcheck's) is not.
need_world_access() {
	local tool=${1:-$AER}

	need_cmd setpriv
	setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	    "$tool" --version > /dev/null 2>&1 ||
		skip "uid 65534 cannot run $tool (is the build tree private?)"
}

# A clean, predictable environment (git's t/test-lib.sh).
common_env() {
	export LANG=C LC_ALL=C TZ=UTC TERM=dumb
	unset LANGUAGE NO_COLOR CDPATH GREP_OPTIONS
	umask 022
}

# common_setup_file: the file's private directory and environment.
common_setup_file() {
	common_env
	unset AURAE_HOST
	AT=$(mktemp -d "${TMPDIR:-/tmp}/aurae-test.XXXXXX") || return 1
	chmod 755 "$AT"
	mkdir "$AT/home"
	HOME=$AT/home
	export AT HOME
	: > "$AT/pids"
}

# common_teardown_file: stop what the file started and remove AT.
common_teardown_file() {
	local st=0
	[ -n "${AT:-}" ] && [ -d "$AT" ] || return 0
	cleanup_pids "$AT/pids" || st=1
	cleanup_cgroups "$AT/cgroups"
	rm -rf "$AT"
	return $st
}

# common_setup: a directory and a HOME for this test.  Works with or
# without common_setup_file.
common_setup() {
	common_env
	if [ -z "${AT:-}" ] || [ ! -d "$AT" ]; then
		common_setup_file
		TEST_OWNS_AT=1
	fi
	TT=$(mktemp -d "$AT/test.XXXXXX") || return 1
	chmod 755 "$TT"
	mkdir "$TT/home"
	HOME=$TT/home
	export TT HOME
	: > "$TT/pids"
}

# common_teardown: stop what the test started, show the daemon logs if it
# failed, remove its directory.
common_teardown() {
	local failed='' st=0
	[ -z "${BATS_TEST_COMPLETED:-}" ] && failed=1
	if [ -n "$failed" ]; then
		show_logs "${TT:-}/pids"
		show_logs "${AT:-}/pids"
	fi
	if [ -n "${TT:-}" ] && [ -d "$TT" ]; then
		cleanup_pids "$TT/pids" || st=1
		cleanup_cgroups "$TT/cgroups"
		umount_under "$TT"
		rm -rf "$TT"
	fi
	if [ -n "${TEST_OWNS_AT:-}" ]; then
		common_teardown_file || st=1
	fi
	return $st
}

# umount_under DIR: unmount whatever is mounted on or below DIR in this
# namespace, the deepest first (fusermount3 -u for FUSE, else a lazy
# umount), so that no rm -r ever runs into a mount.
umount_under() {
	local m
	for m in $(awk -v d="$1" '$2 == d || index($2, d "/") == 1 {print $2}' \
	    /proc/self/mounts | sort -r); do
		fusermount3 -u "$m" 2> /dev/null || umount -l "$m" || :
	done
}

# shared_tmpfs DIR: mount a small tmpfs on DIR (made) and make it shared,
# as systemd makes the host's "/" (here it may be private): what is
# mounted or unmounted below it then propagates to the cells' copies.
shared_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs -o size=4m,mode=755 aurae-test "$1" &&
	    mount --make-shared "$1"
}

# mounted_in CELL PATH: is PATH a mount point in CELL's mount namespace?
mounted_in() {
	aer exec "$1" -- cat /proc/self/mountinfo |
	    awk -v p="$2" '$5 == p {f = 1} END {exit !f}'
}

# proc_start PID: the start time of a process (field 22 of its stat), or
# nothing when it does not exist.
proc_start() {
	local st
	st=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
	st=${st##*) }
	set -- $st
	echo "${20}"
}

# proc_state PID: R, S, Z... or nothing when it does not exist.
proc_state() {
	local st
	st=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
	st=${st##*) }
	echo "${st%% *}"
}

# pid_alive PID [START]: does the process run (a zombie does not count)?
# With START, it must also be the process that had that start time.
pid_alive() {
	local s
	s=$(proc_state "$1") || return 1
	[ "$s" != Z ] && [ "$s" != X ] || return 1
	[ -z "${2:-}" ] || [ "$(proc_start "$1")" = "$2" ]
}

# wait_gone PID [SECONDS]: poll until the process has exited.  Reaps it
# when it is our child (the exit status is then in WAIT_STATUS).
wait_gone() {
	local pid=$1 limit=${2:-$AURAE_TEST_TIMEOUT} end
	end=$((SECONDS + limit))
	WAIT_STATUS=
	while pid_alive "$pid"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
	if wait "$pid" 2> /dev/null; then
		WAIT_STATUS=0
	else
		WAIT_STATUS=$?
	fi
	return 0
}

# register_pid PID [LOG]: kill PID at the end of the test (or of the file,
# for pids started by setup_file); LOG is shown if the test fails.
register_pid() {
	local list
	if [ -n "${TT:-}" ] && [ -d "$TT" ]; then list=$TT/pids; else list=$AT/pids; fi
	echo "$1 $(proc_start "$1") ${2:--}" >> "$list"
}

# cleanup_pids LIST: SIGTERM each process of LIST that is still the one
# registered, wait for it, SIGKILL it if it does not go.  Fails if a log
# of LIST holds a sanitizer report (make check-asan): leaks are reported
# only when the daemon exits, that is here.
cleanup_pids() {
	local pid start log bad=0
	[ -f "$1" ] || return 0
	while read -r pid start log; do
		log=${log%% *}
		if pid_alive "$pid" "$start"; then
			kill -TERM "$pid" 2> /dev/null || :
			if ! wait_gone "$pid" "$AURAE_TEST_TIMEOUT"; then
				echo "# pid $pid ignored SIGTERM; killing it" >&2
				kill -KILL "$pid" 2> /dev/null
				wait_gone "$pid" 5
			fi
		else
			wait "$pid" 2> /dev/null || :
		fi
		if [ "$log" != - ] && [ -f "$log" ] &&
		    grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$log"; then
			echo "# sanitizer report in $log:"
			sed 's/^/# /' "$log" | head -n 60
			bad=1
		fi
	done < "$1"
	return $bad
}

# cleanup_cgroups LIST: remove the cgroup parents named in LIST (written
# by cgroup_args) where they are empty: a daemon that exits early, or is
# killed, leaves them behind.
cleanup_cgroups() {
	local cg d pids i
	[ -f "$1" ] || return 0
	while read -r cg; do
		case $cg in aurae-test-[a-z0-9]*) ;; *) continue ;; esac
		# Cells outlive their daemon by design: a test that stopped
		# its daemon mid-way leaves their processes, which are ours
		# (the cgroup parent is this test's own).
		for i in $(seq 50); do
			pids=$(cat /sys/fs/cgroup/*/"$cg"/*/cgroup.procs \
			    /sys/fs/cgroup/*/"$cg"/*/*/cgroup.procs 2> /dev/null |
			    sort -u)
			[ -n "$pids" ] || break
			kill -KILL $pids 2> /dev/null || :
			sleep 0.02
		done
		for d in /sys/fs/cgroup/"$cg" /sys/fs/cgroup/*/"$cg"; do
			[ -d "$d" ] || continue
			find "$d" -depth -type d -exec rmdir {} + 2> /dev/null || :
		done
	done < "$1"
}

# show_logs LIST: print the log of every process of LIST.
show_logs() {
	local pid start log
	[ -f "$1" ] || return 0
	while read -r pid start log; do
		log=${log%% *}
		[ "$log" != - ] && [ -f "$log" ] || continue
		echo "# --- $log (pid $pid) ---"
		tail -n 50 "$log" | sed 's/^/# /'
	done < "$1"
}

# spawn LOG CMD [ARGS...]: run CMD in the background (stdin /dev/null,
# output to LOG, bats' fd 3 closed), register it, set SPAWN_PID.
spawn() {
	local log=$1
	shift
	"$@" > "$log" 2>&1 < /dev/null 3>&- &
	SPAWN_PID=$!
	register_pid "$SPAWN_PID" "$log"
}

# new_daemon_dir: print a fresh directory for one daemon (mode 0755).
new_daemon_dir() {
	local d
	d=$(mktemp -d "${TT:-$AT}/auraed.XXXXXX") || return 1
	chmod 755 "$d"
	echo "$d"
}

# daemon_supports OPTION: does this auraed know OPTION (from its --help)?
daemon_supports() {
	"$AURAED" --help 2>&1 | grep -q -e "$1"
}

# cgroup_args DIR: the options that give a daemon whose files are in DIR
# a cgroup parent of its own (when this auraed has --cgroup-parent), so
# that test daemons never share one.  The parent is removed at the end of
# the test (or file) if the daemon leaves it behind.
cgroup_args() {
	local cg
	daemon_supports --cgroup-parent || return 0
	cg=$(echo "aurae-test-${1##*.}" | tr 'A-Z_' 'a-z-')
	echo "$cg" >> "${TT:-$AT}/cgroups"
	echo "--cgroup-parent $cg"
}

# start_daemon [AURAED OPTIONS...]: start_daemon_in a new directory.
start_daemon() {
	start_daemon_in "$(new_daemon_dir)" "$@"
}

# start_daemon_in DIR [AURAED OPTIONS...]: start "auraed -f" with
# --run-dir DIR/run --state-dir DIR/state (and a cgroup parent of its own
# when the daemon has that option), logging to DIR/auraed.log; wait until
# it answers; export AURAE_HOST and the DAEMON_* variables.  A --socket
# option among OPTIONS is honoured.  Fails, showing the log, if the daemon
# exits or does not answer in time.
start_daemon_in() {
	local dir=$1 sock='' prev='' a cg=''
	shift
	for a; do
		case $prev in -s|--socket) sock=$a ;; esac
		case $a in --socket=*) sock=${a#--socket=} ;; esac
		prev=$a
	done
	DAEMON_DIR=$dir
	DAEMON_RUN=$dir/run
	DAEMON_STATE=$dir/state
	DAEMON_LOG=$dir/auraed.log
	DAEMON_SOCK=${sock:-$DAEMON_RUN/aurae.sock}
	cg=$(cgroup_args "$dir")
	set -- -f --run-dir "$DAEMON_RUN" --state-dir "$DAEMON_STATE" "$@" $cg
	DAEMON_CGROUP=${cg#--cgroup-parent }
	"$AURAED" "$@" > "$DAEMON_LOG" 2>&1 < /dev/null 3>&- &
	DAEMON_PID=$!
	# (The " cgroup=" suffix: older tests read it from the pid list; use
	# DAEMON_CGROUP.)
	register_pid "$DAEMON_PID" "$DAEMON_LOG${DAEMON_CGROUP:+ cgroup=$DAEMON_CGROUP}"
	export DAEMON_DIR DAEMON_RUN DAEMON_STATE DAEMON_LOG DAEMON_SOCK DAEMON_PID \
	    DAEMON_CGROUP
	wait_for_daemon "$DAEMON_SOCK" "$DAEMON_PID" "$DAEMON_LOG" || return 1
	export AURAE_HOST=$DAEMON_SOCK
}

# wait_for_daemon SOCKET [PID] [LOG]: poll "aer health" until it succeeds,
# for at most AURAE_TEST_TIMEOUT seconds.
wait_for_daemon() {
	local sock=$1 pid=${2:-} log=${3:-} end
	end=$((SECONDS + AURAE_TEST_TIMEOUT))
	until "$AER" -H "$sock" health > /dev/null 2>&1; do
		if [ -n "$pid" ] && ! pid_alive "$pid"; then
			echo "# auraed (pid $pid) exited before it answered" >&2
			[ -n "$log" ] && sed 's/^/# /' "$log" >&2
			return 1
		fi
		if [ $SECONDS -ge $end ]; then
			echo "# auraed did not answer on $sock within" \
			    "${AURAE_TEST_TIMEOUT}s" >&2
			[ -n "$log" ] && sed 's/^/# /' "$log" >&2
			return 1
		fi
		sleep 0.02
	done
}

# stop_daemon [PID [SIGNAL]]: signal the daemon (default: the last one
# started, SIGTERM) and wait until it has exited; its exit status is left
# in DAEMON_STATUS when it was our child.
stop_daemon() {
	local pid=${1:-$DAEMON_PID} sig=${2:-TERM}
	kill -s "$sig" "$pid" || return 1
	wait_gone "$pid" || { fail "auraed (pid $pid) did not exit after SIG$sig"; return 1; }
	DAEMON_STATUS=$WAIT_STATUS
}

# rpc LINE...: send each LINE (a newline is added) on one connection to
# AURAE_HOST, half-close, and print every answer until the daemon closes.
rpc() {
	printf '%s\n' "$@" | timeout 10 socat -t 5 - "UNIX-CONNECT:$AURAE_HOST"
}

# rpc_raw BYTES: as rpc, sending BYTES exactly as given.
rpc_raw() {
	printf '%s' "$1" | timeout 10 socat -t 5 - "UNIX-CONNECT:$AURAE_HOST"
}

# json_check JSON JQ-FILTER: fail, showing JSON, unless the filter is true.
json_check() {
	if ! printf '%s\n' "$1" | jq -e "$2" > /dev/null 2>&1; then
		fail "expected $2 to hold for: $1"
		return 1
	fi
}

# check_error ANSWER CODE NUMBER [ID]: ANSWER is one JSON-RPC error with
# error.data.code CODE, error.code NUMBER, a one-line message, and id ID
# (JSON; default null).
check_error() {
	local id=${4:-null}
	[ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] ||
		{ fail "expected one answer line, got: $1"; return 1; }
	json_check "$1" ".jsonrpc == \"2.0\" and .id == $id and
	    .error.data.code == \"$2\" and .error.code == $3 and
	    (.error.message | type == \"string\" and length > 0) and
	    (has(\"result\") | not)"
}

# check_result ANSWER ID FILTER: ANSWER is one successful JSON-RPC answer
# with id ID (JSON) whose result passes FILTER (jq, on .result).
check_result() {
	[ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ] ||
		{ fail "expected one answer line, got: $1"; return 1; }
	json_check "$1" ".jsonrpc == \"2.0\" and .id == $2 and
	    (has(\"error\") | not) and (.result | $3)"
}

# assert_serving [SOCKET]: the daemon answers aer health with SERVING.
assert_serving() {
	local out sock=${1:-$AURAE_HOST}
	out=$("$AER" -H "$sock" health 2>&1) ||
		{ fail "auraed on $sock does not serve: $out"; return 1; }
	case $out in
	*"status	SERVING"*) ;;
	*) fail "unexpected aer health output: $out"; return 1 ;;
	esac
}

# daemon_connections [SOCKET]: the daemon's connection count (counting
# the one asking).
daemon_connections() {
	"$AER" -H "${1:-$AURAE_HOST}" health | sed -n 's/^connections	//p'
}

# wait_connections N [SOCKET]: poll until the daemon counts N connections
# (the asking one included).
wait_connections() {
	local n=$1 sock=${2:-$AURAE_HOST} end c=
	end=$((SECONDS + AURAE_TEST_TIMEOUT))
	while [ $SECONDS -lt $end ]; do
		c=$(daemon_connections "$sock") || return 1
		[ "$c" = "$n" ] && return 0
		sleep 0.02
	done
	fail "expected $n connections, the daemon counts $c"
}

# wait_for_file FILE PATTERN [SECONDS]: poll until FILE holds a line
# matching PATTERN (grep -E).
wait_for_file() {
	local end=$((SECONDS + ${3:-$AURAE_TEST_TIMEOUT}))
	until grep -Eq -e "$2" "$1" 2> /dev/null; do
		[ $SECONDS -lt $end ] || {
			fail "no line matching '$2' in $1 within ${3:-$AURAE_TEST_TIMEOUT}s: $(cat "$1" 2> /dev/null)"
			return 1
		}
		sleep 0.02
	done
}

# rss_kib PID: the resident set size of a process, in KiB.
rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# sanitized_daemon: is AURAED built with AddressSanitizer (make
# check-asan)?  Its memory use then measures the sanitizer (shadow memory,
# the quarantine of freed blocks), not the daemon.
sanitized_daemon() {
	grep -qa __asan_init "$AURAED"
}

# assert_rss_below PID KIB: the process's resident set is below KIB
# (not checked under AddressSanitizer).
assert_rss_below() {
	local rss
	rss=$(rss_kib "$1") || { fail "no process $1"; return 1; }
	echo "# VmRSS of $1: $rss KiB"
	sanitized_daemon && return 0
	[ "$rss" -lt "$2" ] ||
		{ fail "VmRSS of pid $1 is $rss KiB, expected below $2 KiB"; return 1; }
}

# remove_cells: remove every cell of the current daemon (children first,
# forcing out what runs), polling until none is left; fails, naming them,
# if some are still there after AURAE_TEST_TIMEOUT seconds.
remove_cells() {
	local c out left end=$((SECONDS + AURAE_TEST_TIMEOUT)) st=0
	while left=$(aer ls cells 2> /dev/null | cut -f1 | sort -r) &&
	    [ -n "$left" ]; do
		if [ $SECONDS -ge $end ]; then
			echo "# teardown: cells left behind: $left" >&2
			st=1
			break
		fi
		for c in $left; do
			out=$(aer cell rm -f "$c" 2>&1) ||
				echo "# teardown: aer cell rm -f $c: $out" >&2
		done
	done
	return $st
}
