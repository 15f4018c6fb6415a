/* jsonscan.c - read the top-level members of a JSON object in place. */
#include "jsonscan.h"

#include <string.h>

/* Bytes that stand for themselves in a string: not a control character,
 * a quote or a backslash.  (A table: one test a byte on the hot path.) */
#define X16	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define O16	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char plain[256] = {
	O16, O16,					/* controls */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,	/* 0x22 " */
	X16, X16,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,	/* 0x5c \ */
	X16, X16,
	X16, X16, X16, X16, X16, X16, X16, X16		/* 0x80 on */
};
#undef X16
#undef O16

/* The cursor of one scan. */
struct scan {
	const unsigned char	*p;
	const unsigned char	*end;
	unsigned		 flags;
};

/* Skip the blanks RFC 8259 allows between tokens. */
static void
skip_blanks(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' ||
	    *sc->p == '\n' || *sc->p == '\r'))
		sc->p++;
}

/* Read four hex digits at p (before end) into *v; 0, or -1. */
static int
hex4(const unsigned char *p, const unsigned char *end, unsigned *v)
{
	unsigned	 c, i;

	if (end - p < 4)
		return -1;
	*v = 0;
	for (i = 0; i < 4; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		*v = (*v << 4) | c;
	}
	return 0;
}

/* Skip the string at the cursor (on its opening quote); *escaped says
 * whether it holds an escape.  Surrogates are checked as cJSON does: a
 * high one must be followed by an escaped low one, a low one alone is
 * refused.  0, or -1. */
static inline int
scan_string(struct scan *sc, int *escaped)
{
	const unsigned char	*p = sc->p + 1, *end = sc->end;
	unsigned		 cp, lo;

	*escaped = 0;
	for (;;) {
		while (p < end && plain[*p])
			p++;
		if (p == end || *p < 0x20)
			return -1;
		if (*p == '"')
			break;
		*escaped = 1;
		if (++p == end)
			return -1;
		switch (*p) {
		case '"': case '\\': case '/':
		case 'b': case 'f': case 'n': case 'r': case 't':
			p++;
			break;
		case 'u':
			if (hex4(p + 1, end, &cp) < 0)
				return -1;
			p += 5;
			if (cp == 0)
				sc->flags |= JSONSCAN_NUL_ESCAPE;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return -1;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' ||
				    p[1] != 'u' || hex4(p + 2, end, &lo) < 0 ||
				    lo < 0xdc00 || lo > 0xdfff)
					return -1;
				p += 6;
			}
			break;
		default:
			return -1;
		}
	}
	sc->p = p + 1;
	return 0;
}

/* Skip one or more digits; 0, or -1 when there is none. */
static int
scan_digits(struct scan *sc)
{
	const unsigned char	*start = sc->p;

	while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
		sc->p++;
	return sc->p > start ? 0 : -1;
}

/* Skip the number at the cursor: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?
 * [0-9]+)?, at most JSONSCAN_MAX_NUMBER bytes.  0, or -1. */
static int
scan_number(struct scan *sc)
{
	const unsigned char	*start = sc->p;

	if (sc->p < sc->end && *sc->p == '-')
		sc->p++;
	if (sc->p < sc->end && *sc->p == '0')
		sc->p++;
	else if (scan_digits(sc) < 0)
		return -1;
	if (sc->p < sc->end && *sc->p == '.') {
		sc->p++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
		sc->p++;
		if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
			sc->p++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	return sc->p - start <= JSONSCAN_MAX_NUMBER ? 0 : -1;
}

/* Skip the literal word (true, false, null) at the cursor; 0, or -1. */
static int
scan_word(struct scan *sc, const char *word, size_t n)
{
	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, word, n) != 0)
		return -1;
	sc->p += n;
	return 0;
}

/* Skip a member's key and its colon (the cursor on the key's quote,
 * blanks skipped); 0, or -1. */
static int
scan_key(struct scan *sc)
{
	int	 escaped;

	if (sc->p == sc->end || *sc->p != '"' || scan_string(sc, &escaped) < 0)
		return -1;
	skip_blanks(sc);
	if (sc->p == sc->end || *sc->p != ':')
		return -1;
	sc->p++;
	return 0;
}

/* Skip one value of any kind at the cursor (blanks skipped), nesting at
 * most maxdepth containers; v gets its type and, for a container, whether
 * it is empty.  Containers are walked with a bit stack, not recursion.
 * 0, or -1. */
static int
scan_value(struct scan *sc, size_t maxdepth, struct jsonscan_span *v)
{
	unsigned char	 isobj[(JSONSCAN_MAX_DEPTH + 7) / 8];
	size_t		 depth = 0;
	int		 obj, escaped;

	for (;;) {
		/* At a value. */
		skip_blanks(sc);
		if (sc->p == sc->end)
			return -1;
		switch (*sc->p) {
		case '{':
		case '[':
			if (depth == maxdepth || depth == JSONSCAN_MAX_DEPTH)
				return -1;
			obj = *sc->p == '{';
			if (depth == 0)
				v->type = obj ? JSONSCAN_OBJECT :
				    JSONSCAN_ARRAY;
			if (obj)
				isobj[depth / 8] |= 1u << (depth % 8);
			else
				isobj[depth / 8] &= ~(1u << (depth % 8));
			depth++;
			sc->p++;
			skip_blanks(sc);
			if (sc->p < sc->end && *sc->p == (obj ? '}' : ']')) {
				sc->p++;
				if (depth == 1)
					v->empty = 1;
				depth--;
				break;	/* an empty container is a value */
			}
			if (obj && scan_key(sc) < 0)
				return -1;
			continue;	/* to its first value */
		case '"':
			if (scan_string(sc, &escaped) < 0)
				return -1;
			if (depth == 0) {
				v->type = JSONSCAN_STRING;
				v->escaped = escaped;
			}
			break;
		case 't':
			if (scan_word(sc, "true", 4) < 0)
				return -1;
			if (depth == 0)
				v->type = JSONSCAN_TRUE;
			break;
		case 'f':
			if (scan_word(sc, "false", 5) < 0)
				return -1;
			if (depth == 0)
				v->type = JSONSCAN_FALSE;
			break;
		case 'n':
			if (scan_word(sc, "null", 4) < 0)
				return -1;
			if (depth == 0)
				v->type = JSONSCAN_NULL;
			break;
		default:
			if (scan_number(sc) < 0)
				return -1;
			if (depth == 0)
				v->type = JSONSCAN_NUMBER;
			break;
		}
		/* After a value: close containers, or on to the next one. */
		for (;;) {
			if (depth == 0)
				return 0;
			skip_blanks(sc);
			if (sc->p == sc->end)
				return -1;
			obj = (isobj[(depth - 1) / 8] >> ((depth - 1) % 8)) & 1;
			if (*sc->p == ',') {
				sc->p++;
				skip_blanks(sc);
				if (obj && scan_key(sc) < 0)
					return -1;
				break;
			}
			if (*sc->p != (obj ? '}' : ']'))
				return -1;
			sc->p++;
			depth--;
		}
	}
}

/* See jsonscan.h. */
int
jsonscan_object(const char *s, size_t n, const char *const *names,
    struct jsonscan_span *out, size_t nnames, unsigned *flags)
{
	struct scan		 sc;
	struct jsonscan_span	 v;
	const unsigned char	*key;
	size_t			 keylen, i;
	int			 escaped;

	sc.p = (const unsigned char *)s;
	sc.end = sc.p + n;
	sc.flags = 0;
	memset(out, 0, nnames * sizeof *out);
	skip_blanks(&sc);
	if (sc.p == sc.end || *sc.p != '{')
		return -1;
	sc.p++;
	skip_blanks(&sc);
	if (sc.p < sc.end && *sc.p == '}')
		sc.p++;
	else for (;;) {
		/* One member: "key" : value, then a comma or the end. */
		if (sc.p == sc.end || *sc.p != '"')
			return -1;
		key = sc.p + 1;
		if (scan_string(&sc, &escaped) < 0)
			return -1;
		keylen = (size_t)(sc.p - 1 - key);
		if (escaped)
			sc.flags |= JSONSCAN_KEY_ESCAPED;
		skip_blanks(&sc);
		if (sc.p == sc.end || *sc.p++ != ':')
			return -1;
		skip_blanks(&sc);
		memset(&v, 0, sizeof v);
		v.p = (const char *)sc.p;
		if (scan_value(&sc, JSONSCAN_MAX_DEPTH - 1, &v) < 0)
			return -1;
		v.len = (size_t)((const char *)sc.p - v.p);
		for (i = 0; i < nnames && !escaped; i++) {
			if (out[i].type == JSONSCAN_ABSENT &&
			    names[i][0] == (keylen ? (char)key[0] : '\0') &&
			    strncmp(names[i], (const char *)key, keylen) == 0 &&
			    names[i][keylen] == '\0') {
				out[i] = v;
				break;
			}
		}
		skip_blanks(&sc);
		if (sc.p == sc.end)
			return -1;
		if (*sc.p == '}') {
			sc.p++;
			break;
		}
		if (*sc.p++ != ',')
			return -1;
		skip_blanks(&sc);
	}
	skip_blanks(&sc);
	if (sc.p != sc.end)
		return -1;
	*flags = sc.flags;
	return 0;
}
