/* test-jsonscan.c - reading a JSON object's members in place
 * (common/jsonscan.c): spans, flags, refusals, bounds, and agreement with
 * cJSON on everything the scanner accepts. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"
#include "tap.h"

static const char *const names[] = { "jsonrpc", "id", "method", "params" };
#define NNAMES	(sizeof names / sizeof names[0])

static struct jsonscan_span	 v[NNAMES];
static unsigned			 flags;

/* Scan a NUL-terminated text; 0 or -1. */
static int
scan(const char *s)
{
	return jsonscan_object(s, strlen(s), names, v, NNAMES, &flags);
}

/* Does span i hold exactly want? */
static int
span_is(size_t i, const char *want)
{
	return v[i].p != NULL && v[i].len == strlen(want) &&
	    memcmp(v[i].p, want, v[i].len) == 0;
}

/* Does cJSON take s too, and read each member the scan found as the
 * value cJSON finds under that name?  (The property the daemon relies
 * on; compared through cJSON's own printing.) */
static int
cjson_agrees(const char *s)
{
	cJSON	*o, *m, *alone;
	char	*a, *b;
	size_t	 i;
	int	 same = 1;

	if ((o = cJSON_ParseWithOpts(s, NULL, 1)) == NULL)
		return 0;
	for (i = 0; i < NNAMES && same; i++) {
		m = cJSON_GetObjectItemCaseSensitive(o, names[i]);
		if (v[i].type == JSONSCAN_ABSENT) {
			same = m == NULL;
			continue;
		}
		if (m == NULL || (alone = cJSON_ParseWithLengthOpts(v[i].p,
		    v[i].len, NULL, 0)) == NULL) {
			same = 0;
			continue;
		}
		a = cJSON_PrintUnformatted(m);
		b = cJSON_PrintUnformatted(alone);
		same = a != NULL && b != NULL && strcmp(a, b) == 0;
		free(a);
		free(b);
		cJSON_Delete(alone);
	}
	cJSON_Delete(o);
	return same;
}

/* A plain request: every member found, with its type and text. */
static void
test_envelope(void)
{
	const char	*s = "{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":"
	    "\"aurae.version\",\"params\":{\"a\":[1,{\"b\":null}]}}";

	is_int(scan(s), 0, "a request scans");
	is_int(flags, 0, "no flags");
	ok(span_is(0, "\"2.0\"") && v[0].type == JSONSCAN_STRING &&
	    !v[0].escaped, "jsonrpc: the string with its quotes");
	ok(span_is(1, "17") && v[1].type == JSONSCAN_NUMBER, "id: 17");
	ok(span_is(2, "\"aurae.version\""), "method");
	ok(span_is(3, "{\"a\":[1,{\"b\":null}]}") &&
	    v[3].type == JSONSCAN_OBJECT && !v[3].empty,
	    "params: the whole object");
	ok(cjson_agrees(s), "cJSON reads the same members");

	is_int(scan(" \t{ \"method\" : \"m\" ,\r\n\"params\":{ } } \r\n"), 0,
	    "blanks everywhere");
	ok(v[0].type == JSONSCAN_ABSENT && v[0].p == NULL &&
	    v[1].type == JSONSCAN_ABSENT, "missing members are ABSENT");
	ok(span_is(2, "\"m\"") && span_is(3, "{ }") && v[3].empty,
	    "empty params, blanks kept in the span");

	is_int(scan("{}"), 0, "an empty object");
	ok(v[2].type == JSONSCAN_ABSENT, "nothing found in it");

	is_int(scan("{\"id\":null,\"params\":[],\"x\":true,\"jsonrpc\":false,"
	    "\"method\":\"\"}"), 0, "other kinds of values");
	ok(v[1].type == JSONSCAN_NULL && v[3].type == JSONSCAN_ARRAY &&
	    v[3].empty && v[0].type == JSONSCAN_FALSE && span_is(2, "\"\""),
	    "null, empty array, false, empty string");
	is_int(scan("{\"params\":[[]],\"id\":\"\"}"), 0, "nested empty array");
	ok(v[3].type == JSONSCAN_ARRAY && !v[3].empty,
	    "an array holding an empty array is not empty");

	/* The first of duplicate members, as cJSON finds it. */
	s = "{\"id\":1,\"method\":\"a\",\"id\":2,\"method\":\"b\"}";
	is_int(scan(s), 0, "duplicate members");
	ok(span_is(1, "1") && span_is(2, "\"a\""), "the first one counts");
	ok(cjson_agrees(s), "as in cJSON");

	/* Only the top level is searched. */
	s = "{\"params\":{\"id\":5,\"method\":\"inner\"},\"x\":{\"id\":6}}";
	is_int(scan(s), 0, "members named like the envelope, nested");
	ok(v[1].type == JSONSCAN_ABSENT && v[2].type == JSONSCAN_ABSENT,
	    "nested members are not reported");
	ok(cjson_agrees(s), "as in cJSON");

	/* Names are compared whole. */
	is_int(scan("{\"i\":1,\"idx\":2,\"Id\":3}"), 0, "near names");
	ok(v[1].type == JSONSCAN_ABSENT, "no prefix or case match");
}

/* Strings: escapes and the flags they set. */
static void
test_strings(void)
{
	const char	*s;

	s = "{\"method\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\"}";
	is_int(scan(s), 0, "every escape");
	ok(v[2].escaped, "the string is marked escaped");
	ok(cjson_agrees(s), "as in cJSON");

	s = "{\"id\":\"\\ud83d\\ude00\"}";
	is_int(scan(s), 0, "a surrogate pair");
	ok(cjson_agrees(s), "as in cJSON");
	is_int(scan("{\"id\":\"\\ud83d\"}"), -1, "a high surrogate alone");
	is_int(scan("{\"id\":\"\\ud83dx\"}"), -1,
	    "a high surrogate, then text");
	is_int(scan("{\"id\":\"\\ud83d\\u0041\"}"), -1,
	    "a high surrogate, then not a low one");
	is_int(scan("{\"id\":\"\\ude00\"}"), -1, "a low surrogate alone");
	is_int(scan("{\"id\":\"\\uZZZZ\"}"), -1,
	    "bad hex (cJSON would read it as NUL)");
	is_int(scan("{\"id\":\"\\u12\"}"), -1, "a short \\u escape");
	is_int(scan("{\"id\":\"\\x\"}"), -1, "an unknown escape");
	is_int(scan("{\"id\":\"\\"), -1, "a backslash at the end");
	is_int(scan("{\"id\":\"abc}"), -1, "an unterminated string");
	is_int(scan("{\"id\":\"a\tb\"}"), -1, "a raw tab in a string");
	is_int(scan("{\"id\":\"a\x01" "b\"}"), -1, "a raw control byte");
	is_int(scan("{\"id\":\"\xc3\xa9\xff\"}"), 0,
	    "bytes over 0x7f pass (as in cJSON)");

	is_int(scan("{\"id\":\"a\\u0000b\"}"), 0, "\\u0000 is well-formed");
	is_int(flags, JSONSCAN_NUL_ESCAPE, "and flagged");
	is_int(scan("{\"x\":[{\"y\":\"\\u0000\"}]}"), 0, "\\u0000 nested");
	is_int(flags, JSONSCAN_NUL_ESCAPE, "flagged too");
	is_int(scan("{\"x\":\"\\\\u0000\"}"), 0, "an escaped backslash, "
	    "then u0000");
	is_int(flags, 0, "is not a NUL");

	is_int(scan("{\"\\u0069d\":1,\"id\":2}"), 0,
	    "an escaped top-level key");
	is_int(flags, JSONSCAN_KEY_ESCAPED, "flagged");
	ok(span_is(1, "2"), "not compared: the plain one is found");
	is_int(scan("{\"params\":{\"\\u0069d\":1}}"), 0,
	    "an escaped inner key");
	is_int(flags, 0, "not flagged");
}

/* Numbers: RFC 8259's grammar, and no longer than cJSON reads. */
static void
test_numbers(void)
{
	static const char *const good[] = {
		"0", "-0", "1", "-12", "3.25", "1e3", "1E+3", "2e-07",
		"-0.5e10", "123456789012345678901234567890", NULL
	};
	static const char *const bad[] = {
		"01", "-01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10",
		"1.2.3", "--1", "Infinity", "NaN", "-Infinity", "1-2", NULL
	};
	char	 s[256], digits[80];
	size_t	 i;

	for (i = 0; good[i] != NULL; i++) {
		snprintf(s, sizeof s, "{\"id\":%s}", good[i]);
		ok(scan(s) == 0 && v[1].type == JSONSCAN_NUMBER &&
		    span_is(1, good[i]) && cjson_agrees(s), "number %s",
		    good[i]);
	}
	for (i = 0; bad[i] != NULL; i++) {
		snprintf(s, sizeof s, "{\"id\":%s}", bad[i]);
		is_int(scan(s), -1, "not a number: %s", bad[i]);
	}
	memset(digits, '1', JSONSCAN_MAX_NUMBER);
	digits[JSONSCAN_MAX_NUMBER] = '\0';
	snprintf(s, sizeof s, "{\"id\":%s}", digits);
	ok(scan(s) == 0 && cjson_agrees(s), "a number of %d bytes",
	    JSONSCAN_MAX_NUMBER);
	snprintf(s, sizeof s, "{\"id\":-%s}", digits + 1);
	ok(scan(s) == 0 && cjson_agrees(s), "with its minus, %d bytes",
	    JSONSCAN_MAX_NUMBER);
	snprintf(s, sizeof s, "{\"id\":%s1}", digits);
	/* cJSON 1.7.15 as released refuses it too; Debian's patched build
	 * takes it: either way the daemon then asks cJSON. */
	is_int(scan(s), -1, "one byte more is refused");
	snprintf(s, sizeof s, "{\"x\":[%s1]}", digits);
	is_int(scan(s), -1, "also inside a member the caller did not ask for");
}

/* Text that is not one well-formed object. */
static void
test_refused(void)
{
	static const char *const bad[] = {
		"", " ", "[]", "[{\"id\":1}]", "\"x\"", "1", "null",
		"{", "{\"id\"", "{\"id\":", "{\"id\":1", "{\"id\":1,",
		"{\"id\":1,}", "{,}", "{\"id\" 1}", "{\"id\":}", "{id:1}",
		"{'id':1}", "{1:1}", "{\"id\":1}}", "{\"id\":1} x",
		"{\"id\":1}{}", "{\"id\":[1,]}", "{\"id\":[1 2]}",
		"{\"id\":{\"a\":1,}}", "{\"id\":[}", "{\"id\":{]}",
		"{\"id\":tru}", "{\"id\":nul}", "{\"id\":nulll}",
		"{\"id\":True}", "{\"id\":undefined}",
		"{\"id\":1}\x0b", "\x0c{\"id\":1}", "{\"id\":\x0b" "1}",
		"\xef\xbb\xbf{\"id\":1}", "{\"id\":1}\xef\xbb\xbf", NULL
	};
	size_t	 i;

	for (i = 0; bad[i] != NULL; i++)
		is_int(scan(bad[i]), -1, "refused: '%s'", bad[i]);
	is_int(jsonscan_object("{\"id\":1}\0", 9, names, v, NNAMES, &flags),
	    -1, "refused: a NUL byte after the object");
	is_int(jsonscan_object("{\"id\":\0}", 8, names, v, NNAMES, &flags),
	    -1, "refused: a NUL byte inside");
}

/* The scan reads no byte at or past n. */
static void
test_bounds(void)
{
	static const char	 text[] = "{\"id\":\"abc\",\"method\":1234}";
	size_t			 n, len = sizeof text - 1;
	char			*copy;
	int			 bad = 0;

	/* Every prefix in a buffer of exactly that size (ASan checks the
	 * reads); only the whole text scans. */
	for (n = 0; n <= len; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, text, n);
		if (jsonscan_object(copy, n, names, v, NNAMES, &flags) !=
		    (n == len ? 0 : -1))
			bad++;
		free(copy);
	}
	is_int(bad, 0, "every proper prefix is refused, the whole accepted");
	is_int(jsonscan_object("{\"id\":12}", 8, names, v, NNAMES, &flags),
	    -1, "a length that cuts the text short");
	is_int(jsonscan_object("{\"id\":12}", 9, names, v, 0, &flags), 0,
	    "no names: a validation only");
}

/* Nesting: JSONSCAN_MAX_DEPTH levels, the object itself counting. */
static void
test_depth(void)
{
	size_t	 levels, i, n;
	char	*s;
	int	 r;

	for (levels = JSONSCAN_MAX_DEPTH - 1; levels <= JSONSCAN_MAX_DEPTH + 1;
	    levels++) {
		/* {"params": + (levels - 1) arrays + } */
		n = 0;
		s = malloc(16 + 2 * levels);
		n += (size_t)sprintf(s, "{\"params\":");
		for (i = 1; i < levels; i++)
			s[n++] = '[';
		for (i = 1; i < levels; i++)
			s[n++] = ']';
		s[n++] = '}';
		s[n] = '\0';
		r = scan(s);
		if (levels <= JSONSCAN_MAX_DEPTH)
			ok(r == 0 && v[3].type == JSONSCAN_ARRAY &&
			    cjson_agrees(s), "%zu levels are accepted", levels);
		else
			is_int(r, -1, "%zu levels are refused", levels);
		free(s);
	}
	/* Objects and arrays mixed, deep, to check the bit stack. */
	s = malloc(8 * 100 + 32);
	n = (size_t)sprintf(s, "{\"x\":");
	for (i = 0; i < 100; i++)
		n += (size_t)sprintf(s + n, i % 3 ? "[" : "{\"k\":");
	n += (size_t)sprintf(s + n, "1");
	for (i = 100; i-- > 0;)
		n += (size_t)sprintf(s + n, i % 3 ? ",2]" : ",\"j\":3}");
	sprintf(s + n, ",\"id\":4}");
	ok(scan(s) == 0 && span_is(1, "4") && cjson_agrees(s),
	    "objects in arrays in objects, 100 deep");
	s[n - 1] = ']';		/* close an object with a bracket */
	is_int(scan(s), -1, "a mismatched closing bracket is refused");
	free(s);
}

int
main(void)
{
	test_envelope();
	test_strings();
	test_numbers();
	test_refused();
	test_bounds();
	test_depth();
	return done_testing();
}
