/* tap.h - a tiny Test Anything Protocol helper for the unit tests.
 *
 *	plan(3);			(optional: done_testing() prints it)
 *	ok(x == 1, "x is %d", 1);
 *	is_str(got, "want", "name");
 *	is_int(got, 42, "name");
 *	diag("more about %s", what);
 *	return done_testing();
 *
 * Each check prints "ok N - name" or "not ok N - name" on stdout, and on
 * failure "#" lines with the place and the values.  done_testing() returns
 * the exit status: non-zero if a check failed or the count differs from
 * the plan.  Header-only: each test program includes it once. */
#ifndef AURAE_TAP_H
#define AURAE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int	tap_run;		/* checks so far */
static int	tap_failed;		/* failed checks */
static int	tap_planned = -1;	/* -1: no plan printed yet */

/* Announce how many checks will run. */
static inline void
plan(int n)
{
	tap_planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

/* Print a "# " diagnostic line (to stdout, where TAP readers see it). */
static inline __attribute__((format(printf, 1, 2))) void
diag(const char *fmt, ...)
{
	va_list	 ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* Record one check; returns pass (1) or fail (0). */
static inline __attribute__((format(printf, 4, 0))) int
tap_vok(int pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_run++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_run);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	if (!pass) {
		tap_failed++;
		diag("  failed at %s line %d", file, line);
	}
	fflush(stdout);
	return pass;
}

/* ok() with the caller's place. */
static inline __attribute__((format(printf, 4, 5))) int
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	return r;
}

/* Compare two strings (either may be NULL). */
static inline __attribute__((format(printf, 5, 6))) int
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 pass, r;

	pass = (got == NULL || want == NULL) ? got == want :
	    strcmp(got, want) == 0;
	va_start(ap, fmt);
	r = tap_vok(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		diag("       got: %s%s%s", got ? "'" : "", got ? got : "NULL",
		    got ? "'" : "");
		diag("  expected: %s%s%s", want ? "'" : "",
		    want ? want : "NULL", want ? "'" : "");
	}
	return r;
}

/* Compare two integers. */
static inline __attribute__((format(printf, 5, 6))) int
tap_is_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 r;

	va_start(ap, fmt);
	r = tap_vok(got == want, file, line, fmt, ap);
	va_end(ap);
	if (got != want) {
		diag("       got: %lld", got);
		diag("  expected: %lld", want);
	}
	return r;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) \
	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
	    __VA_ARGS__)

/* Print the plan if none was given; return the exit status. */
static inline int
done_testing(void)
{
	if (tap_planned < 0)
		printf("1..%d\n", tap_run);
	else if (tap_planned != tap_run)
		diag("planned %d tests but ran %d", tap_planned, tap_run);
	if (tap_failed > 0)
		diag("failed %d of %d tests", tap_failed, tap_run);
	fflush(stdout);
	return (tap_failed > 0 || (tap_planned >= 0 &&
	    tap_planned != tap_run)) ? 1 : 0;
}

#endif
