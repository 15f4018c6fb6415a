#!/usr/bin/env bats
# t004-load.bats - many concurrent clients: every request answered exactly
# once, matched to its id, nothing lost (tests/helpers/rpcload).

load lib/common

setup_file() {
	common_setup_file
	start_daemon
	export FILE_SOCK=$DAEMON_SOCK FILE_PID=$DAEMON_PID
}

teardown_file() {
	common_teardown_file
}

setup() {
	common_setup
	export AURAE_HOST=$FILE_SOCK
	command -v rpcload > /dev/null || skip "tests/helpers/rpcload is not built (make check-build)"
	# One descriptor per client connection; rpcload also raises its own
	# soft limit to the hard one.
	ulimit -n 4096 2> /dev/null || ulimit -n "$(ulimit -Hn)" 2> /dev/null || :
}

teardown() {
	common_teardown
}

@test "500 concurrent clients x 100 pipelined requests: all answered and matched" {
	run timeout 120 rpcload -s "$AURAE_HOST" -c 500 -n 100 -w 10 -t 100
	echo "$output"
	assert_status 0
	[[ "$output" == *"sent 50000, answered 50000, missing 0, errors 0, duplicates 0, unknown ids 0, malformed 0, closed early 0"* ]]
	[ "${lines[-1]}" = OK ]
	assert_serving
	# Every connection is gone again.
	wait_connections 1
}

@test "500 concurrent clients x 100 requests in lock-step (window 1)" {
	run timeout 120 rpcload -s "$AURAE_HOST" -c 500 -n 100 -w 1 -t 100
	echo "$output"
	assert_status 0
	[[ "$output" == *"answered 50000, missing 0, errors 0, duplicates 0"* ]]
	assert_serving
}

@test "deep pipelines: 50 clients x 2000 requests, window 500" {
	run timeout 120 rpcload -s "$AURAE_HOST" -c 50 -n 2000 -w 500 -m aurae.health -t 100
	echo "$output"
	assert_status 0
	[[ "$output" == *"answered 100000, missing 0, errors 0, duplicates 0"* ]]
	assert_serving
}

@test "load with parameters and a mix of methods, at once" {
	spawn "$TT/a.out" rpcload -s "$AURAE_HOST" -c 100 -n 200 -w 20 -m aurae.hello -p '{"protocol":1,"client":"rpcload"}'
	a=$SPAWN_PID
	spawn "$TT/b.out" rpcload -s "$AURAE_HOST" -c 100 -n 200 -w 20 -m aurae.methods
	b=$SPAWN_PID
	run timeout 120 rpcload -s "$AURAE_HOST" -c 100 -n 200 -w 20 -m aurae.version
	assert_status 0
	wait_gone "$a" 120
	[ "$WAIT_STATUS" -eq 0 ] || fail "aurae.hello load: $(cat "$TT/a.out")"
	wait_gone "$b" 120
	[ "$WAIT_STATUS" -eq 0 ] || fail "aurae.methods load: $(cat "$TT/b.out")"
	assert_serving
}

@test "rpcload itself fails when answers are errors (the check is real)" {
	run rpcload -s "$AURAE_HOST" -c 3 -n 10 -w 2 -m no.such.method
	assert_status 1
	[[ "$output" == *"errors 30"* ]]
	[ "${lines[-1]}" = FAILED ]
	run rpcload -s "$AURAE_HOST" -c 2 -n 10 -m aurae.hello -p '{"protocol":"x"}'
	assert_status 1
}

@test "rpcload itself fails when the server closes early (the check is real)" {
	start_daemon --max-line 1024
	# Every request is over the cap: error, then close, then nothing.
	run rpcload -s "$AURAE_HOST" -c 2 -n 10 -w 5 -m aurae.hello \
	    -p "{\"client\":\"$(head -c 2000 /dev/zero | tr '\0' x)\"}"
	assert_status 1
	[[ "$output" == *"closed early 2"* ]]
	[[ "$output" == *"missing 20"* ]]
}

@test "the daemon's memory after the load is modest" {
	assert_rss_below "$FILE_PID" 65536
}
