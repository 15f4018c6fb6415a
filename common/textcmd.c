/* textcmd.c - the text command grammar and the text form of JSON values,
 * shared by the daemon's inline mode and the tools. */
#include "textcmd.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTCMD_MAX_WORDS	256

/* Copy a raw JSON value from *sp to out+*n: it ends at a blank outside
 * any string, array or object.  Returns 0, or -1 with err set. */
static int
raw_json(const char **sp, char *out, size_t *n, size_t outlen, char *err,
    size_t errlen)
{
	const char	*s = *sp;
	int		 depth = 0, instr = 0;

	for (; *s != '\0'; s++) {
		if (!instr && depth == 0 && (*s == ' ' || *s == '\t'))
			break;
		if (instr) {
			if (*s == '\\' && s[1] != '\0') {
				if (*n + 2 >= outlen)
					goto long_word;
				out[(*n)++] = *s++;
			} else if (*s == '"')
				instr = 0;
		} else if (*s == '"')
			instr = 1;
		else if (*s == '[' || *s == '{')
			depth++;
		else if ((*s == ']' || *s == '}') && depth > 0)
			depth--;
		if (*n + 1 >= outlen)
			goto long_word;
		out[(*n)++] = *s;
	}
	*sp = s;
	return 0;
long_word:
	snprintf(err, errlen, "word too long");
	return -1;
}

/* Read one word at *sp into out (size outlen).  Sets *quoted when any part
 * was quoted.  Returns 1 for a word, 0 at end of line, -1 on error. */
static int
next_word(const char **sp, char *out, size_t outlen, int *quoted,
    char *err, size_t errlen)
{
	const char	*s = *sp;
	size_t		 n = 0;
	int		 inq = 0;
	char		 c;

	*quoted = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return 0;
	while (*s != '\0' && (inq || (*s != ' ' && *s != '\t'))) {
		c = *s++;
		/* KEY:=JSON: the value is raw JSON up to the end of the
		 * value, so its quotes and inner spaces are its own. */
		if (!inq && c == ':' && *s == '=' && !*quoted) {
			if (n + 2 >= outlen)
				goto long_word;
			out[n++] = ':';
			out[n++] = *s++;
			if (raw_json(&s, out, &n, outlen, err, errlen) < 0)
				return -1;
			break;
		}
		if (c == '"') {
			inq = !inq;
			*quoted = 1;
			continue;
		}
		if (inq && c == '\\') {
			switch (*s) {
			case 'n':	c = '\n'; break;
			case 't':	c = '\t'; break;
			case '"':	c = '"'; break;
			case '\\':	c = '\\'; break;
			default:
				snprintf(err, errlen, "unknown escape '\\%c'",
				    *s ? *s : ' ');
				return -1;
			}
			s++;
		}
		if (n + 1 >= outlen)
			goto long_word;
		out[n++] = c;
	}
	if (inq) {
		snprintf(err, errlen, "unterminated quote");
		return -1;
	}
	out[n] = '\0';
	*sp = s;
	return 1;
long_word:
	snprintf(err, errlen, "word too long");
	return -1;
}

/* The JSON value of a bare or quoted word. */
static cJSON *
word_value(const char *v, int quoted)
{
	char		*end;
	long long	 n;

	if (!quoted) {
		if (strcmp(v, "true") == 0)
			return cJSON_CreateTrue();
		if (strcmp(v, "false") == 0)
			return cJSON_CreateFalse();
		if (strcmp(v, "null") == 0)
			return cJSON_CreateNull();
		if (*v != '\0' && (isdigit((unsigned char)*v) ||
		    (*v == '-' && isdigit((unsigned char)v[1])))) {
			errno = 0;
			n = strtoll(v, &end, 10);
			if (errno == 0 && *end == '\0' &&
			    n >= -(1LL << 53) && n <= (1LL << 53))
				return cJSON_CreateNumber((double)n);
		}
	}
	return cJSON_CreateString(v);
}

/* Store value at a dotted key path, creating objects on the way. */
static int
put_path(cJSON *root, char *key, cJSON *value, char *err, size_t errlen)
{
	cJSON	*o = root, *next;
	char	*dot, *part = key;

	while ((dot = strchr(part, '.')) != NULL) {
		*dot = '\0';
		if (*part == '\0')
			goto bad;
		next = cJSON_GetObjectItemCaseSensitive(o, part);
		if (next == NULL)
			next = cJSON_AddObjectToObject(o, part);
		else if (!cJSON_IsObject(next))
			goto bad;
		o = next;
		part = dot + 1;
	}
	if (*part == '\0')
		goto bad;
	if (cJSON_GetObjectItemCaseSensitive(o, part) != NULL) {
		snprintf(err, errlen, "parameter '%s' given twice", part);
		cJSON_Delete(value);
		return -1;
	}
	cJSON_AddItemToObject(o, part, value);
	return 0;
bad:
	snprintf(err, errlen, "malformed parameter name");
	cJSON_Delete(value);
	return -1;
}

/* Add one KEY=VALUE or KEY:=JSON word (modified in place) to o. */
static int
add_param(cJSON *o, char *word, int quoted, char *err, size_t errlen)
{
	char	*eq;
	cJSON	*v;

	eq = strchr(word, '=');
	if (eq == NULL || eq == word) {
		snprintf(err, errlen, "expected KEY=VALUE, not '%.64s'", word);
		return -1;
	}
	if (eq[-1] == ':') {
		eq[-1] = '\0';
		if ((v = cJSON_ParseWithOpts(eq + 1, NULL, 1)) == NULL) {
			snprintf(err, errlen, "parameter '%.64s': invalid JSON",
			    word);
			return -1;
		}
	} else {
		*eq = '\0';
		v = word_value(eq + 1, quoted);
	}
	return put_path(o, word, v, err, errlen);
}

/* Parse argv-style KEY=VALUE words. */
int
textcmd_parse_words(char *const *words, int n, cJSON **params, char *err,
    size_t errlen)
{
	cJSON	*o = cJSON_CreateObject();
	char	*w;
	int	 i, r;

	for (i = 0; i < n; i++) {
		if ((w = strdup(words[i])) == NULL) {
			snprintf(err, errlen, "out of memory");
			cJSON_Delete(o);
			return -1;
		}
		r = add_param(o, w, 0, err, errlen);
		free(w);
		if (r < 0) {
			cJSON_Delete(o);
			return -1;
		}
	}
	*params = o;
	return 0;
}

/* Parse "METHOD key=value ..."; see textcmd.h. */
int
textcmd_parse(const char *line, char **method, cJSON **params, char *err,
    size_t errlen)
{
	const char	*s = line;
	char		*word;
	cJSON		*o;
	int		 quoted, r, nwords = 0;
	size_t		 wlen = strlen(line) + 1;

	*method = NULL;
	*params = NULL;
	if ((word = malloc(wlen)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((r = next_word(&s, word, wlen, &quoted, err, errlen)) <= 0) {
		if (r == 0)
			snprintf(err, errlen, "empty command");
		free(word);
		return -1;
	}
	*method = strdup(strcmp(word, "help") == 0 ? "aurae.methods" : word);
	o = cJSON_CreateObject();
	while ((r = next_word(&s, word, wlen, &quoted, err, errlen)) > 0) {
		if (++nwords > TEXTCMD_MAX_WORDS) {
			snprintf(err, errlen, "more than %d parameters",
			    TEXTCMD_MAX_WORDS);
			goto fail;
		}
		if (add_param(o, word, quoted, err, errlen) < 0)
			goto fail;
	}
	if (r < 0)
		goto fail;
	free(word);
	*params = o;
	return 0;
fail:
	free(word);
	free(*method);
	*method = NULL;
	cJSON_Delete(o);
	return -1;
}

/* Append one cell value: strings raw with tab/newline/backslash escaped,
 * null as "-", containers as compact JSON. */
void
textcmd_cell(struct buf *b, const cJSON *v)
{
	const char	*c;
	char		*s;

	if (v == NULL || cJSON_IsNull(v)) {
		buf_append(b, "-", 1);
	} else if (cJSON_IsString(v)) {
		for (c = v->valuestring; *c; c++) {
			if (*c == '\t')
				buf_append(b, "\\t", 2);
			else if (*c == '\n')
				buf_append(b, "\\n", 2);
			else if (*c == '\\')
				buf_append(b, "\\\\", 2);
			else
				buf_append(b, c, 1);
		}
	} else if (cJSON_IsBool(v)) {
		buf_printf(b, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v) && v->valuedouble >= -9.2e18 &&
	    v->valuedouble <= 9.2e18 &&	/* the cast below is defined */
	    v->valuedouble == (double)(long long)v->valuedouble) {
		buf_printf(b, "%lld", (long long)v->valuedouble);
	} else if ((s = cJSON_PrintUnformatted(v)) != NULL) {
		buf_printf(b, "%s", s);
		cJSON_free(s);
	}
}

