#!/usr/bin/env bash
# bench/assh.sh - assh against ssh and a local baseline, in one run.
#
# usage: bench/assh.sh         (as root; needs openssh-server, python3)
#
#   1. keystroke echo round trip, one character at a time through a
#      terminal: assh -tt CELL cat, ssh -tt to a private sshd on
#      127.0.0.1 (ObscureKeystrokeTiming=no), and nsenter into the same
#      cell's namespaces under script(1).  Target: assh below ssh.
#   2. bulk: 1 GiB through assh -T CELL cat > /dev/null, through
#      ssh -T localhost cat, and through a plain cat in a pipe.  Targets:
#      assh at least 3x ssh and at least 80% of the plain cat.
# The sshd and the daemon are private (temporary directories, loopback
# only) and stopped at the end, by pid.
set -euo pipefail

root=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$root/daemon/auraed}
AER=$root/utils/aer/aer
ASSH=$root/utils/assh/assh
export LD_LIBRARY_PATH="$root/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
COUNT=${COUNT:-300}
SIZE_MB=${SIZE_MB:-1024}
for c in sshd ssh ssh-keygen python3 nsenter script; do
	command -v "$c" > /dev/null || [ -x "/usr/sbin/$c" ] ||
		{ echo "assh.sh: $c is needed" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/aurae-bench.XXXXXX")
chmod 755 "$tmp"
daemon= sshd_pid=
cleanup() {
	[ -n "$daemon" ] && { "$AER" call cells.remove name=bench force:=true \
	    > /dev/null 2>&1 || :; kill "$daemon" 2> /dev/null || :;
	    wait "$daemon" 2> /dev/null || :; }
	[ -n "$sshd_pid" ] && { kill "$sshd_pid" 2> /dev/null || :; }
	rm -rf "$tmp"
}
trap cleanup EXIT

"$AURAED" -f --run-dir "$tmp/run" --state-dir "$tmp/state" \
    --cgroup-parent "aurae-bench-$$" > "$tmp/auraed.log" 2>&1 &
daemon=$!
export AURAE_HOST=$tmp/run/aurae.sock
for i in $(seq 500); do "$AER" health > /dev/null 2>&1 && break; sleep 0.02; done
"$AER" cell create bench > /dev/null
init=$("$AER" -o json cell info bench | jq -r .init_pid)

# A private sshd on loopback, key login for root.
port=$((20000 + $$ % 20000))
ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id"
cat "$tmp/id.pub" > "$tmp/authorized_keys"
chmod 600 "$tmp/authorized_keys"
cat > "$tmp/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/host_key
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
UsePAM no
PidFile $tmp/sshd.pid
StrictModes no
CONF
mkdir -p /run/sshd
/usr/sbin/sshd -f "$tmp/sshd_config" -D -e 2> "$tmp/sshd.log" &
sshd_pid=$!
ssh_opts=(-p "$port" -i "$tmp/id" -o StrictHostKeyChecking=no
    -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o Compression=no)
# OpenSSH 9.5 and later delay keystrokes on purpose; turn that off where
# the option exists (Debian 12 has 9.2, without it).
if ssh -G -o ObscureKeystrokeTiming=no 127.0.0.1 > /dev/null 2>&1; then
	ssh_opts+=(-o ObscureKeystrokeTiming=no)
fi
for i in $(seq 100); do ssh "${ssh_opts[@]}" root@127.0.0.1 true 2> /dev/null && break; sleep 0.05; done

echo "== keystroke echo (median ms, p90 ms; $COUNT keystrokes)"
e_assh=$(python3 "$root/bench/ttyecho.py" "$COUNT" "$ASSH" -tt bench cat)
e_ssh=$(python3 "$root/bench/ttyecho.py" "$COUNT" ssh "${ssh_opts[@]}" -tt root@127.0.0.1 cat)
e_ns=$(python3 "$root/bench/ttyecho.py" "$COUNT" nsenter -t "$init" -p -m -u -i -n -C -F cat)
echo "assh    $e_assh"
echo "ssh     $e_ssh"
echo "nsenter $e_ns"

echo "== bulk, $SIZE_MB MiB to cat > /dev/null (seconds)"
secs() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
b_cat=$(secs sh -c "head -c ${SIZE_MB}M /dev/zero | cat > /dev/null")
b_assh=$(secs sh -c "head -c ${SIZE_MB}M /dev/zero | $ASSH -T bench cat > /dev/null")
b_ssh=$(secs sh -c "head -c ${SIZE_MB}M /dev/zero | ssh ${ssh_opts[*]} -T root@127.0.0.1 cat > /dev/null")
mbs() { awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f", m / s }'; }
echo "cat  $b_cat s ($(mbs "$b_cat") MiB/s)"
echo "assh $b_assh s ($(mbs "$b_assh") MiB/s)"
echo "ssh  $b_ssh s ($(mbs "$b_ssh") MiB/s)"
echo
printf '| measurement | assh | ssh | peer | ratio |\n|---|---|---|---|---|\n'
printf '| keystroke echo, median (p90) | %s ms | %s ms | nsenter on a pty %s ms | assh/ssh %s |\n' \
    "${e_assh% *} (${e_assh#* })" "${e_ssh% *} (${e_ssh#* })" "${e_ns% *}" \
    "$(awk -v a="${e_assh% *}" -v b="${e_ssh% *}" 'BEGIN { printf "%.2f", a / b }')"
printf '| bulk %s MiB | %s MiB/s | %s MiB/s | plain cat %s MiB/s | assh/ssh %sx, assh/cat %s%% |\n' \
    "$SIZE_MB" "$(mbs "$b_assh")" "$(mbs "$b_ssh")" "$(mbs "$b_cat")" \
    "$(awk -v a="$b_ssh" -v b="$b_assh" 'BEGIN { printf "%.1f", a / b }')" \
    "$(awk -v a="$b_cat" -v b="$b_assh" 'BEGIN { printf "%.0f", 100 * a / b }')"
