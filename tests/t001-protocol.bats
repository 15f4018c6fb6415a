#!/usr/bin/env bats
# t001-protocol.bats - the socket protocol (DESIGN.md section 3): JSON-RPC
# 2.0 happy paths, batches, notifications, the inline text mode, and every
# kind of bad input, each with its documented error, after which the
# daemon must still serve.

load lib/common

setup_file() {
	common_setup_file
	start_daemon
	export FILE_SOCK=$DAEMON_SOCK FILE_PID=$DAEMON_PID FILE_LOG=$DAEMON_LOG
}

teardown_file() {
	common_teardown_file
}

setup() {
	common_setup
	need_cmd socat jq
	export AURAE_HOST=$FILE_SOCK
}

teardown() {
	common_teardown
}

# req ID METHOD [PARAMS]: one JSON-RPC request line.
req() {
	printf '{"jsonrpc":"2.0","id":%s,"method":"%s"%s}' "$1" "$2" \
	    "${3:+,\"params\":$3}"
}

# pad_line LENGTH: a valid aurae.version request padded with blanks to
# exactly LENGTH bytes (without the newline).
pad_line() {
	local head='{"jsonrpc":"2.0","id":1,"method":"aurae.version"'
	printf '%s%*s}' "$head" $(($1 - ${#head} - 1)) ''
}

# ---------------------------------------------------------------- happy paths

@test "aurae.hello reports protocol 1, the server, features and limits" {
	run rpc "$(req 1 aurae.hello)"
	assert_status 0
	check_result "$output" 1 '.protocol == 1 and .server == "auraed" and
	    (.version | type == "string") and
	    (.features | index("inline-text") != null) and
	    (.features | index("batch") != null) and
	    .limits.max_line == 1048576 and .limits.max_peer_buffer > 0 and
	    .limits.max_conns_per_uid > 0'
}

@test "aurae.hello negotiates down to the highest protocol the server speaks" {
	run rpc "$(req 1 aurae.hello '{"protocol":99,"client":"bats"}')"
	assert_status 0
	check_result "$output" 1 '.protocol == 1'
}

@test "aurae.version answers with the daemon version" {
	run rpc "$(req '"v"' aurae.version)"
	assert_status 0
	check_result "$output" '"v"' '.server == "auraed" and .protocol == 1'
	version=$(printf '%s\n' "$output" | jq -r .result.version)
	run "$AURAED" --version
	[ "$output" = "auraed $version" ]
}

@test "aurae.health says SERVING, with the daemon's pid" {
	run rpc "$(req 7 aurae.health '{}')"
	assert_status 0
	check_result "$output" 7 ".status == \"SERVING\" and .pid == $FILE_PID and
	    .connections >= 1 and .uptime >= 0"
}

@test "request ids come back exactly as sent" {
	run rpc "$(req 0 aurae.version)" "$(req -5 aurae.version)" \
	    "$(req 1.5 aurae.version)" "$(req 9007199254740991 aurae.version)" \
	    "$(req '"x y é"' aurae.version)" "$(req '""' aurae.version)" \
	    "$(req null aurae.version)"
	assert_status 0
	[ "${#lines[@]}" -eq 7 ]
	# The ids as text, so that a number that changed is seen.
	ids=$(printf '%s\n' "$output" | sed -e 's/^{"jsonrpc":"2.0","id":\(.*\),"result":.*/\1/')
	[ "$ids" = "$(printf '%s\n' 0 -5 1.5 9007199254740991 '"x y é"' '""' null)" ]
}

@test "pipelined requests on one connection are all answered, in order" {
	run rpc "$(req 1 aurae.version)" "$(req 2 aurae.health)" \
	    "$(req 3 aurae.hello)" "$(req 4 aurae.methods)"
	assert_status 0
	[ "${#lines[@]}" -eq 4 ]
	[ "$(printf '%s\n' "$output" | jq -c .id | tr '\n' ' ')" = "1 2 3 4 " ]
}

@test "aurae.methods lists every method" {
	run rpc "$(req 1 aurae.methods)"
	check_result "$output" 1 '[.methods[].name] as $m |
	    ["aurae.hello","aurae.version","aurae.health","aurae.methods"] |
	    all(. as $x | $m | index($x) != null)'
	json_check "$output" 'all(.result.methods[]; .summary | length > 0)'
}

@test "blank lines are ignored and CRLF line ends are accepted" {
	run rpc_raw $'\n\n   \n'"$(req 1 aurae.version)"$'\r\n'
	assert_status 0
	check_result "$output" 1 '.server == "auraed"'
}

@test "a request at EOF without a newline is still answered" {
	run rpc_raw "$(req 5 aurae.version)"
	assert_status 0
	check_result "$output" 5 '.server == "auraed"'
}

@test "a batch is answered with one array, notifications left out" {
	run rpc "[$(req 1 aurae.version),$(req '"b"' no.such.method),{\"jsonrpc\":\"2.0\",\"method\":\"aurae.health\"},$(req 3 aurae.hello '{"protocol":"x"}')]"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	json_check "$output" 'type == "array" and length == 3'
	json_check "$output" '(map(select(.id == 1))[0].result.server == "auraed") and
	    (map(select(.id == "b"))[0].error.data.code == "METHOD_NOT_FOUND") and
	    (map(select(.id == "b"))[0].error.code == -32601) and
	    (map(select(.id == 3))[0].error.data.code == "INVALID_ARGUMENT")'
	assert_serving
}

@test "a batch of notifications only gets no answer at all" {
	run rpc '[{"jsonrpc":"2.0","method":"aurae.version"},{"jsonrpc":"2.0","method":"aurae.health"}]'
	assert_status 0
	[ -z "$output" ]
}

@test "notifications (no id) are run but never answered, even when they fail" {
	run rpc '{"jsonrpc":"2.0","method":"aurae.version"}' \
	    '{"jsonrpc":"2.0","method":"no.such.method"}' \
	    '{"jsonrpc":"2.0","method":"aurae.hello","params":{"protocol":"x"}}' \
	    "$(req 9 aurae.version)"
	assert_status 0
	# Only the request with an id is answered.
	check_result "$output" 9 '.server == "auraed"'
}

# ------------------------------------------------------------ inline text mode

@test "inline text mode: 'aurae.version' prints tab-separated rows, then OK" {
	run bash -c 'echo aurae.version | timeout 10 socat - "UNIX-CONNECT:$AURAE_HOST"'
	assert_status 0
	[ "${lines[0]}" = "server	auraed" ]
	[[ "${lines[1]}" =~ ^version$'\t'[0-9]+\.[0-9]+ ]]
	[ "${lines[2]}" = "protocol	1" ]
	[ "${lines[3]}" = "OK" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "inline text mode: 'help' lists the methods as a table" {
	run bash -c 'echo help | timeout 10 socat - "UNIX-CONNECT:$AURAE_HOST"'
	assert_status 0
	[ "${lines[0]}" = "# name	summary" ]
	for m in aurae.hello aurae.version aurae.health aurae.methods; do
		printf '%s\n' "${lines[@]}" | grep -q "^$m	."
	done
	[ "${lines[-1]}" = "OK" ]
}

@test "inline text mode: KEY=VALUE and KEY:=JSON parameters" {
	run rpc 'aurae.hello protocol=1 client=bats' 'aurae.hello protocol:=1 client="a b"'
	assert_status 0
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^protocol	1$')" -eq 2 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^OK$')" -eq 2 ]
}

@test "inline text mode: errors are one ERR line with the stable code" {
	run rpc 'no.such.method a=1' 'aurae.hello protocol=abc' \
	    'aurae.hello "unterminated' 'aurae.version bogus=1' 'aurae.hello novalue'
	assert_status 0
	[ "${#lines[@]}" -eq 5 ]
	[[ "${lines[0]}" == "ERR METHOD_NOT_FOUND "*"no.such.method"* ]]
	[[ "${lines[1]}" == "ERR INVALID_ARGUMENT "*"protocol"* ]]
	[[ "${lines[2]}" == "ERR INVALID_ARGUMENT "*"quote"* ]]
	[[ "${lines[3]}" == "ERR INVALID_ARGUMENT "*"bogus"* ]]
	[[ "${lines[4]}" == "ERR INVALID_ARGUMENT "*"KEY=VALUE"* ]]
	assert_serving
}

@test "text and JSON requests mix on one connection" {
	run rpc aurae.version "$(req 2 aurae.version)" help
	assert_status 0
	[ "${lines[3]}" = OK ]
	check_result "${lines[4]}" 2 '.server == "auraed"'
	[ "${lines[-1]}" = OK ]
}

# ------------------------------------------------------------------- bad input

@test "invalid JSON: PARSE_ERROR (-32700) with id null; the connection goes on" {
	run rpc '{"jsonrpc":"2.0","id":1,' "$(req 2 aurae.version)"
	assert_status 0
	[ "${#lines[@]}" -eq 2 ]
	check_error "${lines[0]}" PARSE_ERROR -32700
	check_result "${lines[1]}" 2 '.server == "auraed"'
	assert_serving
}

@test "trailing garbage after the JSON value: PARSE_ERROR" {
	run rpc "$(req 1 aurae.version) x"
	check_error "$output" PARSE_ERROR -32700
	run rpc "$(req 1 aurae.version)$(req 2 aurae.version)"
	check_error "$output" PARSE_ERROR -32700
	assert_serving
}

@test "non-object requests: INVALID_REQUEST (-32600) for each" {
	run rpc '[1,"x",null,[]]'
	assert_status 0
	json_check "$output" 'type == "array" and length == 4 and
	    all(.[]; .id == null and .error.data.code == "INVALID_REQUEST" and
	    .error.code == -32600)'
	# A line not starting with { or [ is a text command, never JSON.
	run rpc '"aurae.version"' 42
	[ "${lines[0]}" = "server	auraed" ]
	[[ "${lines[-1]}" == "ERR METHOD_NOT_FOUND "* ]]
	assert_serving
}

@test "empty and oversized batches: INVALID_REQUEST" {
	run rpc '[]'
	check_error "$output" INVALID_REQUEST -32600
	big=$(seq 1001 | sed 's/.*/{"jsonrpc":"2.0","id":&,"method":"aurae.version"}/' |
	    paste -sd, -)
	run rpc "[$big]"
	check_error "$output" INVALID_REQUEST -32600
	json_check "$output" '.error.message | test("1000")'
	assert_serving
}

@test "missing method: INVALID_REQUEST with the request's id" {
	run rpc '{"jsonrpc":"2.0","id":4}'
	check_error "$output" INVALID_REQUEST -32600 4
	json_check "$output" '.error.message | test("method")'
	# Without an id too: a broken request is never a notification.
	run rpc '{"jsonrpc":"2.0","params":{}}'
	check_error "$output" INVALID_REQUEST -32600
	assert_serving
}

@test "malformed envelopes: INVALID_REQUEST" {
	run rpc '{"jsonrpc":"2.0","id":1,"method":5}'
	check_error "$output" INVALID_REQUEST -32600 1
	run rpc '{"id":2,"method":"aurae.version"}'
	check_error "$output" INVALID_REQUEST -32600 2
	run rpc '{"jsonrpc":"1.0","id":3,"method":"aurae.version"}'
	check_error "$output" INVALID_REQUEST -32600 3
	run rpc '{"jsonrpc":"2.0","id":{"a":1},"method":"aurae.version"}'
	check_error "$output" INVALID_REQUEST -32600 null
	run rpc '{"jsonrpc":"2.0","id":5,"method":"aurae.version","params":7}'
	check_error "$output" INVALID_REQUEST -32600 5
	assert_serving
}

@test "unknown method: METHOD_NOT_FOUND (-32601)" {
	run rpc "$(req 1 no.such.method)" "$(req 2 aurae)" "$(req 3 '')"
	[ "${#lines[@]}" -eq 3 ]
	check_error "${lines[0]}" METHOD_NOT_FOUND -32601 1
	json_check "${lines[0]}" '.error.message | test("no.such.method")'
	check_error "${lines[1]}" METHOD_NOT_FOUND -32601 2
	check_error "${lines[2]}" METHOD_NOT_FOUND -32601 3
	assert_serving
}

@test "wrong parameter types: INVALID_ARGUMENT (-32602) naming the parameter" {
	local p
	for p in '{"protocol":"1"}' '{"protocol":1.5}' '{"protocol":0}' \
	    '{"protocol":true}' '{"protocol":[1]}' '{"client":5}' \
	    '{"client":{"a":1}}'; do
		run rpc "$(req 1 aurae.hello "$p")"
		check_error "$output" INVALID_ARGUMENT -32602 1
		key=$(printf '%s' "$p" | jq -r 'keys[0]')
		json_check "$output" ".error.message | test(\"'$key'\")"
	done
	run rpc "$(req 2 aurae.version '[1]')"
	check_error "$output" INVALID_ARGUMENT -32602 2
	assert_serving
}

@test "unknown parameters: INVALID_ARGUMENT naming the parameter" {
	run rpc "$(req 1 aurae.version '{"verbose":true}')" \
	    "$(req 2 aurae.hello '{"protocol":1,"protocl":2}')"
	check_error "${lines[0]}" INVALID_ARGUMENT -32602 1
	json_check "${lines[0]}" '.error.message | test("verbose")'
	check_error "${lines[1]}" INVALID_ARGUMENT -32602 2
	json_check "${lines[1]}" '.error.message | test("protocl")'
	assert_serving
}

@test "a line of exactly --max-line bytes is accepted" {
	start_daemon --max-line 4096
	line=$(pad_line 4096)
	[ ${#line} -eq 4096 ]
	run rpc "$line"
	check_result "$output" 1 '.server == "auraed"'
}

@test "a line over --max-line: RESOURCE_EXHAUSTED, then the daemon closes the connection" {
	need_cmd python3
	start_daemon --max-line 4096
	line=$(pad_line 4097)
	# Our side stays open and keeps reading after a failed write (socat
	# gives up on EPIPE, possibly before copying the answer): the close
	# must come from the daemon, and only the error may arrive before it.
	run timeout 20 python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
try:
    s.sendall((sys.argv[2] + "\n" + sys.argv[3] + "\n").encode())
except BrokenPipeError:
    pass
data = b""
while True:
    try:
        b = s.recv(65536)
    except ConnectionResetError:
        break
    if not b:
        break
    data += b
sys.stdout.write(data.decode())' "$AURAE_HOST" "$line" "$(req 2 aurae.version)"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ] || fail "expected only the error, got: $output"
	check_error "${lines[0]}" RESOURCE_EXHAUSTED -32000
	json_check "${lines[0]}" '.error.message | test("4096")'
	assert_serving
}

@test "an unterminated line growing past --max-line: RESOURCE_EXHAUSTED and close" {
	start_daemon --max-line 4096
	# Small enough that all of it is written before the daemon reacts.
	run rpc_raw "$(head -c 5000 /dev/zero | tr '\0' '{')"
	assert_status 0
	check_error "$output" RESOURCE_EXHAUSTED -32000
	# Far more than the cap, sent as fast as possible: the daemon answers
	# and closes without reading it all (the writer may see the reset).
	run bash -c 'head -c 10000000 /dev/zero | tr "\0" "{" |
	    timeout 10 socat -t 5 - "UNIX-CONNECT:$AURAE_HOST" 2>/dev/null'
	[ "$status" -ne 124 ]
	[ -z "$output" ] || check_error "$output" RESOURCE_EXHAUSTED -32000
	assert_serving
}

@test "a client that never reads is paused; others are served; memory stays bounded" {
	start_daemon
	rss0=$(rss_kib "$DAEMON_PID")
	# 8 connections, each writing 300000 pipelined requests (about 16 MB
	# each) and never reading an answer.
	spawn "$TT/stall.out" rpcload -s "$AURAE_HOST" -c 8 -n 300000 -x -t 120
	stall=$SPAWN_PID
	wait_for_file "$TT/stall.out" '^stalled:' 60
	# Other clients are served at once.
	run timeout 5 "$AER" health
	assert_status 0
	run timeout 5 rpcload -s "$AURAE_HOST" -c 4 -n 200 -w 16 -q
	assert_status 0
	# The stalled connections are paused (all 8 still open), not dropped,
	# and the daemon's memory is bounded.
	[ "$(daemon_connections)" -eq 9 ]
	echo "# VmRSS at start: $rss0 KiB; with 8 stalled clients:"
	assert_rss_below "$DAEMON_PID" 65536
	pid_alive "$stall"
	refute grep -q 'disconnecting' "$DAEMON_LOG"
	# When the client goes, its connections go too.
	kill "$stall"
	wait_gone "$stall"
	wait_connections 1
	assert_serving
}

@test "a client that never reads is disconnected once its queue passes --max-peer-buffer" {
	start_daemon --max-peer-buffer 65536
	spawn "$TT/stall.out" rpcload -s "$AURAE_HOST" -c 3 -n 300000 -x -t 60
	stall=$SPAWN_PID
	wait_gone "$stall" 60
	[ "$WAIT_STATUS" -eq 0 ]
	grep -q '^closed by server: 3 of 3 connections' "$TT/stall.out"
	[ "$(grep -c 'queued and not read; disconnecting' "$DAEMON_LOG")" -eq 3 ]
	wait_connections 1
	assert_serving
	assert_rss_below "$DAEMON_PID" 65536
}

@test "clients that disconnect mid-request do not hurt the daemon" {
	# Half a request, then a full close.
	for i in $(seq 20); do
		printf '{"jsonrpc":"2.0","id":1,"meth' |
		    timeout 10 socat -u -t 0 - "UNIX-CONNECT:$AURAE_HOST"
	done
	# Many requests, then a close before reading any answer (the
	# daemon's writes fail with EPIPE).
	seq 2000 | sed 's/.*/{"jsonrpc":"2.0","id":&,"method":"aurae.version"}/' \
	    > "$TT/requests"
	for i in $(seq 5); do
		timeout 10 socat -u -t 0 "$TT/requests" "UNIX-CONNECT:$AURAE_HOST"
	done
	wait_connections 1
	assert_serving
	pid_alive "$FILE_PID"
}

@test "half a request then EOF: answered with PARSE_ERROR, then closed" {
	run rpc_raw '{"jsonrpc":"2.0","id":1,"meth'
	assert_status 0
	check_error "$output" PARSE_ERROR -32700
	assert_serving
}

@test "--max-conns-per-uid: one connection too many gets RESOURCE_EXHAUSTED" {
	start_daemon --max-conns-per-uid 2
	spawn "$TT/hold.out" rpcload -s "$AURAE_HOST" -c 2 -n 0 -x -t 60
	hold=$SPAWN_PID
	wait_for_file "$TT/hold.out" '^stalled:'
	run "$AER" health
	assert_status 125
	[[ "$output" == *"too many connections"* ]]
	# The refusal is one error line, then the daemon closes (read it
	# without writing: a write may race with the close).
	run timeout 10 socat -u "UNIX-CONNECT:$AURAE_HOST" -
	assert_status 0
	check_error "$output" RESOURCE_EXHAUSTED -32000
	kill "$hold"
	wait_gone "$hold"
	# The slots are free again once the holder has gone.
	wait_for_daemon "$AURAE_HOST"
	assert_serving
}
