/* jsonout.c - a small, fast JSON printer for cJSON trees. */
#include "jsonout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Bytes a string carries as they are: not a control character, a quote
 * or a backslash.  (A table: one test a byte.) */
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

/* Append a whole number in decimal. */
static int
append_int(struct buf *b, long long v)
{
	char			 t[24], *p = t + sizeof t;
	unsigned long long	 u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return buf_append(b, p, (size_t)(t + sizeof t - p));
}

/* Append a number as cJSON would read it back unchanged. */
static int
append_number(struct buf *b, double d)
{
	char	 t[32];
	int	 n;

	if (!isfinite(d))
		return buf_append(b, "null", 4);
	/* (No libm: the range test comes first, so the cast is defined.) */
	if (d > -9007199254740992.0 && d < 9007199254740992.0 &&
	    d == (double)(long long)d)
		return append_int(b, (long long)d);
	n = snprintf(t, sizeof t, "%.17g", d);
	return buf_append(b, t, (size_t)n);
}

/* Append a quoted, escaped string. */
static int
append_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s, *run;
	char			 esc[6];

	if (buf_append(b, "\"", 1) < 0)
		return -1;
	for (run = p; *p != '\0'; p++) {
		if (plain[*p])
			continue;
		if (p > run && buf_append(b, run, (size_t)(p - run)) < 0)
			return -1;
		esc[0] = '\\';
		switch (*p) {
		case '"':	esc[1] = '"'; break;
		case '\\':	esc[1] = '\\'; break;
		case '\b':	esc[1] = 'b'; break;
		case '\f':	esc[1] = 'f'; break;
		case '\n':	esc[1] = 'n'; break;
		case '\r':	esc[1] = 'r'; break;
		case '\t':	esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			if (buf_append(b, esc, 6) < 0)
				return -1;
			run = p + 1;
			continue;
		}
		if (buf_append(b, esc, 2) < 0)
			return -1;
		run = p + 1;
	}
	if (p > run && buf_append(b, run, (size_t)(p - run)) < 0)
		return -1;
	return buf_append(b, "\"", 1);
}

/* See jsonout.h.  The type is read directly (what cJSON_IsNull() and
 * the others test): one switch rather than a library call per test. */
int
json_append(struct buf *b, const cJSON *v)
{
	const cJSON	*c;
	int		 obj;

	if (v == NULL)
		return buf_append(b, "null", 4);
	switch (v->type & 0xff) {
	case cJSON_False:
		return buf_append(b, "false", 5);
	case cJSON_True:
		return buf_append(b, "true", 4);
	case cJSON_Number:
		return append_number(b, v->valuedouble);
	case cJSON_Raw:
		return buf_append(b, v->valuestring, strlen(v->valuestring));
	case cJSON_String:
		return append_string(b, v->valuestring ? v->valuestring : "");
	case cJSON_Object:
	case cJSON_Array:
		break;
	default:	/* cJSON_NULL, and nothing valid */
		return buf_append(b, "null", 4);
	}
	obj = (v->type & 0xff) == cJSON_Object;
	if (buf_append(b, obj ? "{" : "[", 1) < 0)
		return -1;
	for (c = v->child; c != NULL; c = c->next) {
		if (c != v->child && buf_append(b, ",", 1) < 0)
			return -1;
		if (obj && (append_string(b, c->string ? c->string : "") < 0 ||
		    buf_append(b, ":", 1) < 0))
			return -1;
		if (json_append(b, c) < 0)
			return -1;
	}
	return buf_append(b, obj ? "}" : "]", 1);
}
