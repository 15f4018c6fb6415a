#!/usr/bin/env bats
# t140-storage.bats - named storage volumes: auraed.conf's [storage]
# section, storage.list/create/remove and aer storage, volumes mounted in
# cells (read-write, read-only, in a rooted cell, through a hostile
# symlink), files.root {volume}, persistence, and errors.  Every cell,
# volume and directory made here is removed, even when a test fails; the
# mounts are in the cells' own namespaces and go with them.

load lib/common

# Applets linked into the rootfs's /bin (make_rootfs).
APPLETS="sh cat ls echo mkdir touch"

setup_file() {
	skip_unless_root
	common_setup_file
	# A configured volume, with a file in it.
	CONFVOL=$AT/confvol
	mkdir "$CONFVOL"
	echo configured > "$CONFVOL/hello"
	printf '# t140\n[storage]\nconfd = %s/\n' "$CONFVOL" > "$AT/auraed.conf"
	start_daemon --config "$AT/auraed.conf"
	export CONFVOL
}
teardown_file() { common_teardown_file; }
setup() { common_setup; }
teardown() {
	local st=0
	remove_cells || st=1
	remove_volumes || st=1
	common_teardown
	return $st
}

# remove_volumes: remove every created volume of the current daemon.
remove_volumes() {
	local v out st=0
	for v in $(aer storage ls 2> /dev/null | awk -F'\t' '$3 == "created" { print $1 }'); do
		out=$(aer storage rm -f "$v" 2>&1) ||
			{ echo "# teardown: aer storage rm -f $v: $out" >&2; st=1; }
	done
	return $st
}

# make_rootfs DIR: a busybox root directory (skips the test without a
# static busybox).
make_rootfs() {
	local a
	[ -x /bin/busybox ] || skip "/bin/busybox is missing (Debian busybox-static)"
	if command -v ldd > /dev/null 2>&1 && ldd /bin/busybox > /dev/null 2>&1; then
		skip "/bin/busybox is not static (Debian busybox-static)"
	fi
	mkdir -p "$1/bin"
	cp /bin/busybox "$1/bin/busybox"
	for a in $APPLETS; do
		ln -s busybox "$1/bin/$a"
	done
}

# mounted_below DIR: is anything below DIR mounted in the host's
# namespace?
mounted_below() {
	awk -v d="$1" 'index($5, d) == 1 { found = 1 } END { exit !found }' \
	    /proc/self/mountinfo
}

# files_root PARAMS: call files.root with the JSON PARAMS on AURAE_HOST;
# print the answer, "fds N" (the descriptors passed with it), and the
# names in the directory of the first one, sorted, one a line.
files_root() {
	python3 - "$AURAE_HOST" "$1" <<'EOF'
import array, json, os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
req = {"jsonrpc": "2.0", "id": 1, "method": "files.root",
       "params": json.loads(sys.argv[2])}
s.sendall(json.dumps(req).encode() + b"\n")
msg, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
fds = array.array("i")
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
print(msg.decode().strip())
print("fds", len(fds))
for fd in fds[:1]:
    for name in sorted(os.listdir("/proc/self/fd/%d" % fd)):
        print(name)
EOF
}

@test "storage create, ls and rm; ls is tab-separated, headers only when asked or on a terminal" {
	run aer storage create data
	assert_status 0
	[ "$output" = data ]
	[ -d "$DAEMON_STATE/volumes/data" ]
	[ "$(stat -c %a "$DAEMON_STATE/volumes/data")" = 755 ]
	run aer storage ls
	assert_status 0
	[ "$output" = "$(printf 'confd\t%s\tconfig\ndata\t%s\tcreated' "$CONFVOL" "$DAEMON_STATE/volumes/data")" ]
	run aer --headers storage ls
	[ "${lines[0]}" = "$(printf 'NAME\tPATH\tSOURCE')" ]
	run aer -o json storage ls
	json_check "$output" "map(.name) == [\"confd\",\"data\"] and
	    .[1].path == \"$DAEMON_STATE/volumes/data\" and .[1].source == \"created\" and
	    .[0].source == \"config\" and .[0].cells == []"
	run aer -o jsonl storage ls
	[ "${#lines[@]}" -eq 2 ]
	json_check "${lines[1]}" '.name == "data"'
	# Sizes, only when asked.
	head -c 65536 /dev/zero > "$DAEMON_STATE/volumes/data/zeros"
	run aer -o json storage ls -s
	json_check "$output" '.[1].size >= 65536 and (.[0].size | type == "number")'
	run aer storage ls --size
	[[ "${lines[1]}" =~ ^data$'\t'.*$'\t'created$'\t'[0-9]+$ ]]
	# The inline text mode too.
	run rpc storage.list
	[[ "$output" == *"data	$DAEMON_STATE/volumes/data	created"* ]]
	run aer storage rm data
	assert_status 125
	[[ "$output" == *"volume 'data' is not empty"* ]]
	rm "$DAEMON_STATE/volumes/data/zeros"
	run aer storage rm data
	assert_status 0
	[ -z "$output" ]
	[ ! -e "$DAEMON_STATE/volumes/data" ]
	run aer storage ls
	[ "$output" = "$(printf 'confd\t%s\tconfig' "$CONFVOL")" ]
	# Several names at once, as rm(1) does.
	aer storage create v1 v2 > /dev/null
	aer storage rm v1 v2
	[ "$(aer storage ls | cut -f1)" = confd ]
}

@test "storage errors: bad names, existing volumes, unknown ones, configured ones, usage" {
	for bad in Data -x x- a/b "" "$(printf 'a%.0s' $(seq 64))" .trash-x; do
		run rpc "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"storage.create\",\"params\":{\"name\":\"$bad\"}}"
		check_error "$output" INVALID_ARGUMENT -32602 1
	done
	run aer storage create Data
	assert_status 125
	[ "$output" = "aer: invalid volume name 'Data': it must be a DNS label (1-63 of a-z, 0-9 and '-', not starting or ending with '-')" ]
	[ -z "$(ls -A "$DAEMON_STATE/volumes")" ]
	aer storage create dup > /dev/null
	run rpc '{"jsonrpc":"2.0","id":2,"method":"storage.create","params":{"name":"dup"}}'
	check_error "$output" ALREADY_EXISTS -32000 2
	# A configured name is taken too.
	run rpc '{"jsonrpc":"2.0","id":3,"method":"storage.create","params":{"name":"confd"}}'
	check_error "$output" ALREADY_EXISTS -32000 3
	[ ! -e "$DAEMON_STATE/volumes/confd" ]
	run rpc '{"jsonrpc":"2.0","id":4,"method":"storage.remove","params":{"name":"nope"}}'
	check_error "$output" NOT_FOUND -32000 4
	run aer storage rm nope
	assert_status 125
	[ "$output" = "aer: no volume named 'nope'" ]
	# Configured volumes are the configuration file's.
	run rpc '{"jsonrpc":"2.0","id":5,"method":"storage.remove","params":{"name":"confd","force":true}}'
	check_error "$output" PERMISSION_DENIED -32000 5
	[[ "$output" == *"configured in $AT/auraed.conf"* ]]
	[ -f "$CONFVOL/hello" ]
	# Not empty: only with force.
	echo x > "$DAEMON_STATE/volumes/dup/file"
	run rpc '{"jsonrpc":"2.0","id":6,"method":"storage.remove","params":{"name":"dup"}}'
	check_error "$output" CONFLICT -32000 6
	[ -f "$DAEMON_STATE/volumes/dup/file" ]
	run aer storage rm -f dup
	assert_status 0
	[ ! -e "$DAEMON_STATE/volumes/dup" ]
	# Parameters and usage.
	run rpc '{"jsonrpc":"2.0","id":7,"method":"storage.create","params":{"name":"x","size":1}}'
	check_error "$output" INVALID_ARGUMENT -32602 7
	run rpc '{"jsonrpc":"2.0","id":8,"method":"storage.remove","params":{"name":"x","force":"yes"}}'
	check_error "$output" INVALID_ARGUMENT -32602 8
	run aer storage frob
	assert_status 2
	run aer storage create
	assert_status 2
	run aer storage create -f x
	assert_status 2
	run aer storage ls extra
	assert_status 2
	[ -z "$(ls -A "$DAEMON_STATE/volumes")" ]
	assert_serving
}

@test "auraed refuses a configuration file with a bad line: exit 2, FILE:LINE" {
	local d n=0 conf
	d=$(new_daemon_dir)
	conf=$TT/bad.conf
	while IFS='|' read -r text line want; do
		n=$((n + 1))
		printf "$text" > "$conf"
		run timeout 10 "$AURAED" -f --config "$conf" --run-dir "$d/run" \
		    --state-dir "$d/state" --socket "$d/s$n.sock" $(cgroup_args "$d")
		assert_status 2
		[ "${#lines[@]}" -eq 1 ] || fail "expected one line: $output"
		[[ "$output" == "auraed: $conf:$line: "*"$want"* ]] ||
			fail "case $n: expected '$conf:$line: ...$want', got: $output"
	done <<'EOF'
# ok\n[storage]\nBad = /srv\n|3|invalid volume name 'Bad'
[storage]\nok = /srv\nrel = srv/data\n|3|volume 'rel': 'srv/data' is not an absolute path
[network]\n|1|unknown section [network]
key = /srv\n|1|key 'key' is outside any [section]
[storage]\nthis is not a key\n|2|expected [SECTION] or KEY = VALUE
[storage]\na = /x\n\na = /y\n|4|volume 'a' is configured twice
[storage]\n = /x\n|2|a key is missing before '='
EOF
	# A --config file that does not exist is an error too.
	run timeout 10 "$AURAED" -f --config "$TT/missing.conf" --run-dir "$d/run" \
	    --state-dir "$d/state" --socket "$d/m.sock" $(cgroup_args "$d")
	assert_status 2
	[ "$output" = "auraed: $TT/missing.conf: No such file or directory" ]
	[ ! -e "$d/run/auraed.pid" ]
}

@test "a cell with --volume sees and writes the volume's files" {
	aer storage create data > /dev/null
	echo from-the-host > "$DAEMON_STATE/volumes/data/in"
	run aer cell create --volume "data:$TT/mnt/data" --volume "confd:$TT/conf" web
	assert_status 0
	# The mount points are made where they are missing.
	[ -d "$TT/mnt/data" ] && [ -d "$TT/conf" ]
	run aer exec web -- sh -c "cat $TT/mnt/data/in; echo from-the-cell > $TT/mnt/data/out; cat $TT/conf/hello; echo x > $TT/conf/new"
	assert_status 0
	[ "$output" = "$(printf 'from-the-host\nconfigured')" ]
	[ "$(cat "$DAEMON_STATE/volumes/data/out")" = from-the-cell ]
	[ "$(cat "$CONFVOL/new")" = x ]
	rm "$CONFVOL/new"
	# Only in the cell's namespace: the host's mount points stay empty.
	[ -z "$(ls -A "$TT/mnt/data")" ]
	mounted_below "$TT" && fail "a volume is mounted on the host"
	# Reported by cells.info and storage.list.
	run aer -o json cell info web
	json_check "$output" ".volumes == [{\"name\":\"data\",\"path\":\"$TT/mnt/data\",\"ro\":false},{\"name\":\"confd\",\"path\":\"$TT/conf\",\"ro\":false}]"
	run aer -o json call cells.list
	json_check "$output" '.cells[] | select(.name == "web") | .volumes | length == 2'
	run aer -o json storage ls
	json_check "$output" 'map(select(.cells == ["web"]) | .name) == ["confd","data"]'
	# A volume in use cannot be removed.
	run rpc '{"jsonrpc":"2.0","id":1,"method":"storage.remove","params":{"name":"data","force":true}}'
	check_error "$output" CONFLICT -32000 1
	[[ "$output" == *"volume 'data' is used by cell 'web'"* ]]
	[ -f "$DAEMON_STATE/volumes/data/out" ]
	aer cell rm web
}

@test ":ro mounts a volume read-only; the object form works as well" {
	aer storage create data > /dev/null
	echo keep > "$DAEMON_STATE/volumes/data/file"
	run aer cell create --volume "data:$TT/ro:ro" --volume "data:$TT/rw:rw" reader
	assert_status 0
	run aer exec reader -- cat "$TT/ro/file"
	[ "$output" = keep ]
	run aer exec reader -- sh -c "echo no > $TT/ro/file"
	assert_failure
	[[ "$output" == *"Read-only file system"* ]]
	run aer exec reader -- sh -c "touch $TT/ro/new"
	assert_failure
	[[ "$output" == *"Read-only file system"* ]]
	# The same volume, read-write elsewhere.
	aer exec reader -- sh -c "echo yes > $TT/rw/new"
	[ "$(cat "$DAEMON_STATE/volumes/data/file")" = keep ]
	[ "$(cat "$DAEMON_STATE/volumes/data/new")" = yes ]
	run aer -o json cell info reader
	json_check "$output" '[.volumes[].ro] == [true, false]'
	run aer -o json call cells.create name=obj \
	    volumes:="[{\"name\":\"data\",\"path\":\"$TT/obj\",\"ro\":true}]"
	assert_status 0
	run aer exec obj -- sh -c "cat $TT/obj/new; echo x > $TT/obj/x"
	assert_failure
	[[ "$output" == *yes*"Read-only file system"* ]]
	aer cell rm reader obj
}

@test "a rooted cell gets the volume at ROOT/path; a symlink in the root cannot lead the mount out" {
	local R=$TT/rootfs
	make_rootfs "$R"
	aer storage create data > /dev/null
	echo in-volume > "$DAEMON_STATE/volumes/data/file"
	run aer cell create --root "$R" --volume data:/srv/data boxed
	assert_status 0
	run aer exec boxed -- cat /srv/data/file
	[ "$output" = in-volume ]
	aer exec boxed -- sh -c 'echo written > /srv/data/back'
	[ "$(cat "$DAEMON_STATE/volumes/data/back")" = written ]
	# The mount point was made in the root; the host sees it empty.
	[ -d "$R/srv/data" ] && [ -z "$(ls -A "$R/srv/data")" ]
	mounted_below "$R" && fail "a volume is mounted on the host"
	aer cell rm boxed
	# Symbolic links at the mount point, absolute and climbing out with
	# "..", pointing at a host directory: resolved inside the root.
	mkdir "$TT/outside"
	ln -s "$TT/outside" "$R/abs"
	ln -s "../../../../../../../../..$TT/outside" "$R/up"
	# Where the root has no such directory, nothing is made outside it.
	run aer cell create --root "$R" --volume data:/abs evil
	assert_status 125
	[[ "$output" == *"cannot bind volume data on $R/abs: No such file or directory"* ]]
	[ -z "$(ls -A "$TT/outside")" ]
	mounted_below "$TT/outside" && fail "the host directory is mounted over"
	# Where it has one, the volume goes there, inside the root.
	mkdir -p "$R$TT/outside"
	run aer cell create --root "$R" --volume data:/abs evil
	assert_status 0
	run aer exec evil -- cat /abs/file
	[ "$output" = in-volume ]
	aer exec evil -- sh -c 'echo through-abs > /abs/new'
	[ "$(cat "$DAEMON_STATE/volumes/data/new")" = through-abs ]
	[ -z "$(ls -A "$TT/outside")" ] && [ -z "$(ls -A "$R$TT/outside")" ]
	aer cell rm evil
	run aer cell create --root "$R" --volume data:/up evil
	assert_status 0
	run aer exec evil -- cat /up/file
	[ "$output" = in-volume ]
	[ -z "$(ls -A "$TT/outside")" ] && [ -z "$(ls -A "$R$TT/outside")" ]
	mounted_below "$TT/outside" && fail "the host directory is mounted over"
	mounted_below "$R" && fail "a volume is mounted on the host"
	aer cell rm evil
	return 0
}

@test "what a cell writes in a volume survives the cell; then the volume can go" {
	aer storage create keep > /dev/null
	aer cell create --volume "keep:$TT/k" writer > /dev/null
	aer exec writer -- sh -c "mkdir $TT/k/dir && echo kept > $TT/k/dir/file"
	aer cell rm writer
	[ "$(cat "$DAEMON_STATE/volumes/keep/dir/file")" = kept ]
	run aer -o json storage ls
	json_check "$output" '.[] | select(.name == "keep") | .cells == []'
	# A second cell sees it.
	aer cell create --volume "keep:$TT/k2" reader > /dev/null
	run aer exec reader -- cat "$TT/k2/dir/file"
	[ "$output" = kept ]
	aer cell rm reader
	aer storage rm -f keep
	[ ! -e "$DAEMON_STATE/volumes/keep" ]
}

@test "a forced removal deletes deep trees and follows no symbolic link" {
	local v
	aer storage create big > /dev/null
	v=$DAEMON_STATE/volumes/big
	mkdir "$TT/outside"
	echo precious > "$TT/outside/file"
	ln -s "$TT/outside" "$v/abs"
	ln -s / "$v/root"
	mkdir -p "$v/a/b/c"
	ln -s "$TT/outside/file" "$v/a/b/c/filelink"
	ln -s ../../../../.. "$v/a/b/up"
	mkfifo "$v/a/fifo"
	# Deeper than PATH_MAX allows as one path.
	python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(1500):
    os.mkdir("level-of-a-deep-tree", dir_fd=fd)
    n = os.open("level-of-a-deep-tree", os.O_RDONLY, dir_fd=fd)
    os.close(fd)
    fd = n
open(os.open("leaf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w").close()
' "$v"
	run aer storage rm -f big
	assert_status 0
	[ ! -e "$v" ]
	[ "$(cat "$TT/outside/file")" = precious ]
	# No trash is left behind.
	[ -z "$(ls -A "$DAEMON_STATE/volumes")" ]
	assert_serving
}

@test "files.root {volume} answers with a descriptor of the volume's directory" {
	need_cmd python3
	aer storage create shared > /dev/null
	touch "$DAEMON_STATE/volumes/shared/one" "$DAEMON_STATE/volumes/shared/two"
	run files_root '{"volume":"shared"}'
	assert_status 0
	check_result "${lines[0]}" 1 '. == {"volume":"shared","fds":1}'
	[ "${lines[1]}" = "fds 1" ]
	[ "$(printf '%s\n' "${lines[@]:2}")" = "$(printf 'one\ntwo')" ]
	run files_root '{"volume":"confd"}'
	check_result "${lines[0]}" 1 '. == {"volume":"confd","fds":1}'
	[ "${lines[2]}" = hello ]
	# A cell still works, and exactly one of the two is needed.
	aer cell create viewer > /dev/null
	run files_root '{"cell":"viewer"}'
	check_result "${lines[0]}" 1 '. == {"cell":"viewer","fds":1}'
	run files_root '{"cell":"viewer","volume":"shared"}'
	check_error "${lines[0]}" INVALID_ARGUMENT -32602 1
	[ "${lines[1]}" = "fds 0" ]
	run files_root '{}'
	check_error "${lines[0]}" INVALID_ARGUMENT -32602 1
	run files_root '{"volume":"nope"}'
	check_error "${lines[0]}" NOT_FOUND -32000 1
	run files_root '{"volume":7}'
	check_error "${lines[0]}" INVALID_ARGUMENT -32602 1
	aer cell rm viewer
}

@test "cells.create {volumes} errors come before anything is made" {
	local bad
	run rpc "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"cells.create\",\"params\":{\"name\":\"bad\",\"volumes\":[\"nope:$TT/x\"]}}"
	check_error "$output" NOT_FOUND -32000 1
	[[ "$output" == *"no volume named 'nope'"* ]]
	[ ! -e "$TT/x" ]
	aer storage create data > /dev/null
	for bad in '"data"' '"data:rel"' '"data:/a/../b"' '"data:/"' '"data:/x:rx"' \
	    '"Bad:/x"' '7' '{"name":"data"}' '{"name":"data","path":"/x","ro":1}' \
	    '{"name":"data","path":"/x","mode":"ro"}'; do
		run rpc "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"cells.create\",\"params\":{\"name\":\"bad\",\"volumes\":[$bad]}}"
		check_error "$output" INVALID_ARGUMENT -32602 2
	done
	run rpc '{"jsonrpc":"2.0","id":3,"method":"cells.create","params":{"name":"bad","volumes":"data:/x"}}'
	check_error "$output" INVALID_ARGUMENT -32602 3
	run rpc "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"cells.create\",\"params\":{\"name\":\"bad\",\"volumes\":[\"data:$TT/x\",\"confd:$TT//x/\"]}}"
	check_error "$output" INVALID_ARGUMENT -32602 4
	[[ "$output" == *"two volumes are mounted on $TT/x"* ]]
	run aer call cells.create name=bad share=mount volumes:="[\"data:$TT/x\"]"
	assert_status 125
	[[ "$output" == *"a cell with volumes needs its own mount namespace"* ]]
	[ -z "$(aer ls cells)" ]
	[ ! -e "$TT/x" ]
	# Volumes are fixed once the cell exists; only create takes them.
	aer cell create fixed > /dev/null
	run aer call cells.set name=fixed volumes:="[\"data:$TT/x\"]"
	assert_status 125
	[[ "$output" == *"fixed when it is created"* ]]
	run aer cell set --volume "data:$TT/x" fixed
	assert_status 2
	aer cell rm fixed
	assert_serving
}

@test "a cell's volumes survive kill -9 of auraed and a restart" {
	local d
	start_daemon
	d=$DAEMON_DIR
	aer storage create kept > /dev/null
	aer cell create --volume "kept:$TT/k:ro" keeper > /dev/null
	stop_daemon "$DAEMON_PID" KILL
	start_daemon_in "$d"
	run aer -o json cell info keeper
	json_check "$output" ".volumes == [{\"name\":\"kept\",\"path\":\"$TT/k\",\"ro\":true}]"
	run aer storage rm kept
	assert_status 125
	[[ "$output" == *"used by cell 'keeper'"* ]]
	run aer exec keeper -- sh -c "echo x > $TT/k/x"
	[[ "$output" == *"Read-only file system"* ]]
	aer cell rm keeper
	aer storage rm kept
}

@test "SIGHUP reads [storage] again; a bad file changes nothing" {
	local conf=$TT/auraed.conf
	mkdir "$TT/one" "$TT/two"
	printf '[storage]\none = %s\n' "$TT/one" > "$conf"
	start_daemon --config "$conf"
	[ "$(aer storage ls | cut -f1)" = one ]
	printf '[storage]\none = %s\ntwo = %s\n' "$TT/one" "$TT/two" > "$conf"
	kill -HUP "$DAEMON_PID"
	wait_for_file "$DAEMON_LOG" "read $conf: 2 configured volumes"
	[ "$(aer storage ls | cut -f1 | tr '\n' ' ')" = "one two " ]
	printf '[storage]\nthree = relative\n' > "$conf"
	kill -HUP "$DAEMON_PID"
	wait_for_file "$DAEMON_LOG" "$conf:2: volume 'three': 'relative' is not an absolute path; the configuration is unchanged"
	[ "$(aer storage ls | cut -f1 | tr '\n' ' ')" = "one two " ]
	# A missing default file means no configured volume; a named one
	# that goes missing is an error, and changes nothing.
	rm "$conf"
	kill -HUP "$DAEMON_PID"
	wait_for_file "$DAEMON_LOG" "$conf: No such file or directory; the configuration is unchanged"
	[ "$(aer storage ls | cut -f1 | tr '\n' ' ')" = "one two " ]
	assert_serving
}
