#!/bin/sh
# run-tests.sh - run Aurae's test suite; `make check` calls it.
#
# Usage:
#   tests/run-tests.sh              every unit test, every tests/*.bats, lint-man
#   tests/run-tests.sh FILE...      only these (tests/unit/test-x, tests/t010-x.bats,
#                                   or lint-man)
#   tests/run-tests.sh --exec CMD [ARG]...
#                                   run CMD in the test environment (make bench)
#
# Each unit test (tests/unit/test-*, TAP on stdout) runs under `timeout 120`,
# each bats file under `timeout 900` with `bats --tap`.  "ok" counts as
# passed, "not ok" as failed, "# skip" (and "not ok ... # TODO") as skipped.
# A program that crashes, times out, exits non-zero without a failing test,
# bails out, or runs a different number of tests than its plan counts as one
# more failure.  Output goes to tests/log/<name>.out and .err; a failing
# file's "not ok" lines, their diagnostics and its stderr are shown.
#
# The last line is "N passed, N failed" (with ", N skipped" when some were).
# The exit status is non-zero if a test failed or no test ran.
#
# Test environment (exported; a variable already set is kept):
#   AURAE_BUILDDIR  top of the build tree
#   AURAED          the daemon to test, $AURAE_BUILDDIR/daemon/auraed
#   AER             the CLI, $AURAE_BUILDDIR/utils/aer/aer
#   PATH            utils/*/, tests/helpers, bench/ and daemon/ first
#   LD_LIBRARY_PATH libaurae-client/ first, so the in-tree tools use the
#                   library just built, not an installed one

set -u

AURAE_BUILDDIR=${AURAE_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd -P)}
AURAED=${AURAED:-$AURAE_BUILDDIR/daemon/auraed}
AER=${AER:-$AURAE_BUILDDIR/utils/aer/aer}
toolpath=
for d in "$AURAE_BUILDDIR"/utils/*/ ; do
	[ -d "$d" ] && toolpath="$toolpath${d%/}:"
done
PATH="$toolpath$AURAE_BUILDDIR/tests/helpers:$AURAE_BUILDDIR/bench:$AURAE_BUILDDIR/daemon:$PATH"
LD_LIBRARY_PATH="$AURAE_BUILDDIR/libaurae-client${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export AURAE_BUILDDIR AURAED AER PATH LD_LIBRARY_PATH

if [ "${1-}" = --exec ] ; then
	shift
	exec "$@"
fi

cd "$AURAE_BUILDDIR" || exit 1
UNIT_TIMEOUT=${UNIT_TIMEOUT:-120}
BATS_TIMEOUT=${BATS_TIMEOUT:-900}
logdir=tests/log
mkdir -p "$logdir" || exit 1

passed=0 failed=0 skipped=0

# tap_count FILE: print "passed failed skipped ran plan bailout" for the TAP
# stream in FILE; plan is -1 when there is none, -2 for "1..0 # skip".
tap_count () {
	awk '
	BEGIN { p = f = s = n = bail = 0; plan = -1 }
	/^1\.\.[0-9]+/ {
		plan = substr($0, 4) + 0
		if (plan == 0 && tolower($0) ~ /#[ \t]*skip/) plan = -2
		next
	}
	/^ok([ \t]|$)/ {
		n++
		if (tolower($0) ~ /#[ \t]*skip/) s++; else p++
		next
	}
	/^not ok([ \t]|$)/ {
		n++
		if (tolower($0) ~ /#[ \t]*todo/) s++; else f++
		next
	}
	/^Bail out!/ { bail = 1 }
	END { print p, f, s, n, plan, bail }
	' "$1"
}

# show_failures OUT ERR: the "not ok" lines with the diagnostics after them,
# then the end of stderr.
show_failures () {
	awk '
	/^not ok/ { show = 1; print; next }
	/^(ok|not ok|1\.\.)/ { show = 0 }
	show && /^#/ { print }
	/^Bail out!/ { print }
	' "$1" | head -n 200 | sed 's/^/    /'
	if [ -s "$2" ] ; then
		echo "    --- stderr (end) ---"
		tail -n 30 "$2" | sed 's/^/    /'
	fi
}

# run_file KIND FILE: run one unit test, bats file or lint-man; add its counts.
run_file () {
	kind=$1 file=$2
	name=${file##*/}
	out=$logdir/$name.out err=$logdir/$name.err
	reason=
	start=$(date +%s)
	case $kind in
	unit)
		if [ -x "$file" ] ; then
			timeout -k 10 "$UNIT_TIMEOUT" "$file" > "$out" 2> "$err" < /dev/null
			rc=$?
		else
			: > "$out" ; : > "$err" ; rc=0
			reason="not built (run make check-build)"
		fi ;;
	bats)
		if command -v bats > /dev/null 2>&1 ; then
			timeout -k 10 "$BATS_TIMEOUT" bats --tap "$file" > "$out" 2> "$err" < /dev/null
			rc=$?
		else
			: > "$out" ; : > "$err" ; rc=0
			reason="bats not found; install the Debian package bats"
		fi ;;
	lint)
		# One test: mandoc reports nothing at warning level (make lint-man).
		: > "$err"
		if ! ls man/*.[1-8] > /dev/null 2>&1 ; then
			printf '1..1\nok 1 lint-man # skip no man pages\n' > "$out"
		elif ! command -v mandoc > /dev/null 2>&1 ; then
			printf '1..1\nok 1 lint-man # skip mandoc not found\n' > "$out"
		elif ${MAKE:-make} -s --no-print-directory lint-man > "$err" 2>&1 ; then
			printf '1..1\nok 1 lint-man\n' > "$out"
		else
			printf '1..1\nnot ok 1 lint-man\n' > "$out"
		fi
		rc=0 ;;
	esac
	secs=$(( $(date +%s) - start ))

	set -- $(tap_count "$out")
	p=$1 f=$2 s=$3 n=$4 plan=$5 bail=$6
	if [ -n "$reason" ] ; then :
	elif [ "$bail" = 1 ] ; then reason="bailed out"
	elif [ $rc -eq 124 ] ; then reason="timed out"
	elif [ $rc -eq 137 ] ; then reason="killed (SIGKILL; timed out?)"
	elif [ $rc -gt 128 ] ; then reason="killed by signal $((rc - 128))"
	elif [ "$plan" -eq -1 ] ; then reason="no TAP plan (exit status $rc)"
	elif [ "$plan" -eq -2 ] ; then [ $rc -eq 0 ] && s=$((s + 1)) || reason="exit status $rc"
	elif [ "$plan" -ne "$n" ] ; then reason="planned $plan tests, ran $n"
	elif [ $rc -ne 0 ] && [ "$f" -eq 0 ] ; then reason="exit status $rc"
	fi
	[ -n "$reason" ] && f=$((f + 1))

	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	counts="$p passed"
	[ "$f" -gt 0 ] && counts="$counts, $f failed"
	[ "$s" -gt 0 ] && counts="$counts, $s skipped"
	if [ "$f" -gt 0 ] ; then
		printf 'FAIL  %-40s %s (%ss)%s\n' "$file" "$counts" "$secs" "${reason:+: $reason}"
		show_failures "$out" "$err"
		echo "    full output: $out $err"
	else
		printf 'ok    %-40s %s (%ss)\n' "$file" "$counts" "$secs"
	fi
}

if [ $# -gt 0 ] ; then
	for f ; do
		case $f in
		lint-man) run_file lint lint-man ;;
		*.bats) run_file bats "$f" ;;
		*) run_file unit "${f%.c}" ;;
		esac
	done
else
	for c in tests/unit/test-*.c ; do
		[ -e "$c" ] && run_file unit "${c%.c}"
	done
	for b in tests/*.bats ; do
		[ -e "$b" ] && run_file bats "$b"
	done
	run_file lint lint-man
fi

[ $((passed + failed)) -gt 0 ] || echo "no test ran"
summary="$passed passed, $failed failed"
[ $skipped -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ $failed -eq 0 ] && [ $((passed + failed)) -gt 0 ]
