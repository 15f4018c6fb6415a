#!/usr/bin/env bats
# t003-aer.bats - the aer skeleton: version, health, call, dial-stdio, the
# output rules (formats, headers, colour), exit statuses, and completion.

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
	NOWHERE=$TT/no-daemon-here.sock
}

teardown() {
	common_teardown
}

# on_tty CMD: run the shell command CMD with a terminal as stdout (script
# gives it a pseudo-terminal); carriage returns are dropped.
on_tty() {
	script -qec "$1" /dev/null | tr -d '\r'
}

# has_escape TEXT: does TEXT hold an ESC character?
has_escape() {
	[[ "$1" == *$'\033'* ]]
}

# need_ls: the headers tests use "aer ls" (a list; empty here).
need_ls() {
	"$AER" help ls > /dev/null 2>&1 || skip "aer has no ls command"
}

# -------------------------------------------------------------------- version

@test "aer version: client, server and protocol rows, tab-separated" {
	run aer version
	assert_status 0
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" =~ ^client$'\t'[0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ "${lines[1]}" =~ ^server$'\t'[0-9]+\.[0-9]+\.[0-9]+$ ]]
	[ "${lines[2]}" = "protocol	1" ]
}

@test "aer -o json version is one JSON document that jq parses" {
	run bash -c 'aer -o json version | jq -e ".client == .server and .protocol == 1"'
	assert_status 0
	[ "$output" = true ]
	# The option may also follow the command.
	run bash -c 'aer version -o json | jq -c "keys"'
	assert_status 0
	[ "$output" = '["client","protocol","server"]' ]
}

@test "aer -o jsonl version is one compact object per line" {
	run aer -o jsonl version
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" | jq -e '.protocol == 1' > /dev/null
	[ "$(printf '%s\n' "$output" | jq -c .)" = "$output" ]
}

@test "aer --version prints the client version without a daemon" {
	run aer -H "$NOWHERE" --version
	assert_status 0
	[[ "$output" =~ ^aer\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "aer version without a daemon prints the client row and exits 125" {
	run --separate-stderr aer -H "$NOWHERE" version
	assert_status 125
	[[ "$output" =~ ^client$'\t'[0-9] ]]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" == "aer: cannot connect to $NOWHERE: "*"(is auraed running?)" ]]
}

# --------------------------------------------------------------------- health

@test "aer health: SERVING, exit 0" {
	run aer health
	assert_status 0
	[ "${lines[0]}" = "status	SERVING" ]
	[[ "$output" == *"pid	$FILE_PID"* ]]
	run bash -c 'aer -o json health | jq -r .status'
	[ "$output" = SERVING ]
}

@test "-H, unix:PATH and AURAE_HOST select the daemon; -H wins" {
	run aer -H "unix:$FILE_SOCK" health
	assert_status 0
	run env AURAE_HOST="$NOWHERE" aer -H "$FILE_SOCK" health
	assert_status 0
	run env AURAE_HOST="$NOWHERE" aer health
	assert_status 125
	[[ "$output" == *"$NOWHERE"* ]]
}

# ----------------------------------------------------------------- exit codes

@test "exit 2 for usage errors" {
	run aer no-such-command
	assert_status 2
	[ "$output" = "aer: unknown command 'no-such-command'; run 'aer help' for the list" ]
	run aer --no-such-option health
	assert_status 2
	[[ "$output" == *"--no-such-option"* ]]
	run aer -o yaml health
	assert_status 2
	[[ "$output" == *"unknown output format 'yaml'"* ]]
	run aer health extra-operand
	assert_status 2
	run aer call
	assert_status 2
	run aer completion no-such-shell
	assert_status 2
	run aer help no-such-command
	assert_status 2
	run aer
	assert_status 2
}

@test "exit 0 for help" {
	run aer --help
	assert_status 0
	[[ "$output" == *"health"*"version"* ]]
	run aer help
	assert_status 0
	run aer help call
	assert_status 0
	[[ "$output" == "usage: aer call METHOD"* ]]
	run aer call --help
	assert_status 0
}

@test "exit 125 when the daemon cannot be reached" {
	run aer -H "$NOWHERE" health
	assert_status 125
	[ "$output" = "aer: cannot connect to $NOWHERE: No such file or directory (is auraed running?)" ]
	run aer -H "$NOWHERE" call aurae.version
	assert_status 125
	run aer -H "$NOWHERE" dial-stdio < /dev/null
	assert_status 125
}

@test "exit 125 when the daemon answers with an error, and its message is shown" {
	run aer call no.such.method
	assert_status 125
	[ "$output" = "aer: unknown method 'no.such.method'" ]
	run aer call aurae.hello protocol=abc
	assert_status 125
	[[ "$output" == "aer: parameter 'protocol' must be"* ]]
	run aer call aurae.version bogus=1
	assert_status 125
	[[ "$output" == *"unknown parameter 'bogus'"* ]]
}

# ----------------------------------------------------------------------- call

@test "aer call METHOD KEY=VALUE: typed values, compact JSON when piped" {
	run aer call aurae.hello protocol=1 client=bats
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	printf '%s\n' "$output" | jq -e '.protocol == 1 and .server == "auraed"' > /dev/null
	# KEY:=JSON passes raw JSON; a string where a number belongs fails.
	run aer call aurae.hello protocol:=1
	assert_status 0
	run aer call aurae.hello client:=5
	assert_status 125
	[[ "$output" == *"'client' must be a string"* ]]
	run aer call aurae.hello protocol=1 protocol=2
	assert_status 2
	[[ "$output" == *"given twice"* ]]
}

@test "aer call METHOD JSON and aer call METHOD - (JSON on stdin)" {
	run aer call aurae.hello '{"protocol":1,"client":"x"}'
	assert_status 0
	printf '%s\n' "$output" | jq -e '.protocol == 1' > /dev/null
	run bash -c 'echo "{\"protocol\": 1}" | aer call aurae.hello -'
	assert_status 0
	printf '%s\n' "$output" | jq -e '.protocol == 1' > /dev/null
	run bash -c 'echo "{\"protocol\": \"x\"}" | aer call aurae.hello -'
	assert_status 125
	run bash -c 'echo "not json" | aer call aurae.hello -'
	assert_status 2
	[ "$output" = "aer: parameters must be a JSON object" ]
	run bash -c 'echo "[1]" | aer call aurae.hello -'
	assert_status 2
}

@test "aer call prints the raw result: any method, any shape" {
	run aer call aurae.methods
	assert_status 0
	printf '%s\n' "$output" | jq -e '.methods | map(.name) | index("aurae.health") != null' > /dev/null
	run bash -c 'aer -o json call aurae.version | jq -r .server'
	[ "$output" = auraed ]
}

@test "aer call on a terminal pretty-prints the JSON" {
	need_cmd script
	run on_tty "aer call aurae.version"
	assert_status 0
	[ "${#lines[@]}" -gt 1 ]
	[ "${lines[0]}" = "{" ]
	printf '%s\n' "$output" | jq -e '.server == "auraed"' > /dev/null
}

# ----------------------------------------------------------------- dial-stdio

@test "aer dial-stdio bridges stdin and stdout to the socket" {
	run bash -c 'printf "%s\n" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aurae.version\"}" \
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}" aurae.version | aer dial-stdio'
	assert_status 0
	[ "${#lines[@]}" -eq 6 ]
	check_result "${lines[0]}" 1 '.server == "auraed"'
	check_error "${lines[1]}" METHOD_NOT_FOUND -32601 2
	[ "${lines[2]}" = "server	auraed" ]
	[ "${lines[5]}" = OK ]
}

@test "aer dial-stdio: answers still pending at EOF on stdin come back" {
	run bash -c 'for i in $(seq 500); do
		printf "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"aurae.version\"}\n" $i
	done | aer dial-stdio | jq -s "map(.id) == [range(1; 501)]"'
	assert_status 0
	[ "$output" = true ]
}

# ------------------------------------------------------- headers and colour

@test "a list piped: no headers, tab-separated; --headers adds them" {
	need_ls
	run --separate-stderr aer ls
	assert_status 0
	[ -z "$output" ]
	run --separate-stderr aer --headers ls
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *$'\t'* ]]
	[[ "${lines[0]}" != *"  "* ]]
	refute has_escape "$output"
	run --separate-stderr aer --no-headers ls
	[ -z "$output" ]
	run bash -c 'aer -o json ls | jq -c .'
	assert_status 0
	[ "$output" = "[]" ]
}

@test "a list on a terminal: headers, in bold unless NO_COLOR is set" {
	need_ls
	need_cmd script
	run on_tty "aer ls"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	has_escape "$output"
	run on_tty "NO_COLOR=1 aer ls"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	refute has_escape "$output"
	[[ "$output" =~ ^[A-Z]+\ +[A-Z]+ ]]
	run on_tty "aer --no-headers ls"
	[ -z "$output" ]
}

@test "NO_COLOR and pipes: no escape codes anywhere" {
	for cmd in "aer version" "aer health" "aer --headers version" \
	    "aer call aurae.version" "aer -o json health"; do
		out=$($cmd 2>&1)
		refute has_escape "$out"
		out=$(NO_COLOR=1 $cmd 2>&1)
		refute has_escape "$out"
	done
	if command -v script > /dev/null; then
		run on_tty "NO_COLOR=1 aer health; NO_COLOR=1 aer version"
		refute has_escape "$output"
	fi
}

@test "key-value output has no header row, piped or with --headers" {
	run aer --headers health
	assert_status 0
	[ "${lines[0]}" = "status	SERVING" ]
	run aer --no-headers version
	[[ "${lines[0]}" == "client	"* ]]
}

# ---------------------------------------------------------------- completion

@test "aer __complete: commands, options and their values" {
	run aer __complete ''
	assert_status 0
	for c in call completion dial-stdio health help version; do
		printf '%s\n' "${lines[@]}" | grep -qx "$c"
	done
	refute grep -q '^__' <<< "$output"
	run aer __complete he
	[ "$output" = "$(printf 'health\nhelp')" ]
	run aer __complete -o ''
	[ "$output" = "$(printf 'table\njson\njsonl')" ]
	run aer __complete completion ''
	[ "$output" = "$(printf 'bash\nzsh\nfish')" ]
	run aer __complete --hea
	[ "$output" = --headers ]
	run aer __complete -H ''
	[ "$output" = @file ]
	run aer __complete help he
	[ "$output" = "$(printf 'health\nhelp')" ]
}

@test "aer __complete call: method names come live from the daemon" {
	run aer __complete call aurae.h
	assert_status 0
	[ "$output" = "$(printf 'aurae.hello\naurae.health')" ]
	# Without a daemon: no candidates, no noise, no failure.
	run env AURAE_HOST="$NOWHERE" aer __complete call aurae.h
	assert_status 0
	[ -z "$output" ]
}

@test "completions/TOOL.bash, _TOOL and TOOL.fish are what TOOL completion prints" {
	local tool shell file
	for tool in aer cellrun assh ascp auraefs; do
		for shell in bash zsh fish; do
			case $shell in
			bash) file=completions/$tool.bash ;;
			zsh) file=completions/_$tool ;;
			fish) file=completions/$tool.fish ;;
			esac
			[ -f "$AURAE_BUILDDIR/$file" ] ||
				fail "$file is missing (generate it with: $tool completion $shell > $file)"
			run "$tool" completion "$shell"
			assert_status 0
			[ "$output" = "$(cat "$AURAE_BUILDDIR/$file")" ] ||
				fail "$file differs from '$tool completion $shell'"
		done
	done
}

@test "the bash completion script is valid bash and completes" {
	local f=$AURAE_BUILDDIR/completions/aer.bash
	[ -f "$f" ] || skip "completions/aer.bash is missing"
	bash -n "$f"
	run bash -c '. "$1"; COMP_WORDS=(aer he); COMP_CWORD=1; _aer_complete;
	    printf "%s\n" "${COMPREPLY[@]}"' - "$f"
	assert_status 0
	[ "$output" = "$(printf 'health\nhelp')" ]
	run bash -c '. "$1"; COMP_WORDS=(aer call aurae.v); COMP_CWORD=2;
	    _aer_complete; printf "%s\n" "${COMPREPLY[@]}"' - "$f"
	[ "$output" = aurae.version ]
}

@test "the zsh and fish completion scripts parse" {
	local ran=
	if command -v zsh > /dev/null && [ -f "$AURAE_BUILDDIR/completions/_aer" ]; then
		zsh -n "$AURAE_BUILDDIR/completions/_aer"
		ran=1
	fi
	if command -v fish > /dev/null && [ -f "$AURAE_BUILDDIR/completions/aer.fish" ]; then
		fish --no-execute "$AURAE_BUILDDIR/completions/aer.fish"
		ran=1
	fi
	[ -n "$ran" ] || skip "neither zsh nor fish is installed"
}
