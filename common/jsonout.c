/* jsonout.c - a small, fast JSON printer for cJSON trees. */
#include "jsonout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
		if (*p >= 0x20 && *p != '"' && *p != '\\')
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

/* See jsonout.h. */
int
json_append(struct buf *b, const cJSON *v)
{
	const cJSON	*c;
	int		 obj;

	if (v == NULL || cJSON_IsNull(v))
		return buf_append(b, "null", 4);
	if (cJSON_IsFalse(v))
		return buf_append(b, "false", 5);
	if (cJSON_IsTrue(v))
		return buf_append(b, "true", 4);
	if (cJSON_IsNumber(v))
		return append_number(b, v->valuedouble);
	if (cJSON_IsRaw(v))
		return buf_append(b, v->valuestring, strlen(v->valuestring));
	if (cJSON_IsString(v))
		return append_string(b, v->valuestring ? v->valuestring : "");
	obj = cJSON_IsObject(v);
	if (!obj && !cJSON_IsArray(v))
		return buf_append(b, "null", 4);
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
