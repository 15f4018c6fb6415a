/* fuzz-jsonscan.c - libFuzzer target for common/jsonscan.c, checked
 * against cJSON.
 *
 * The daemon serves a request from jsonscan's spans only when the scan
 * accepts it, trusting that cJSON would have accepted the line as well and
 * found the same members.  This target holds the scanner to that: for
 * every input it accepts, cJSON must parse the whole text to an object;
 * each member found must be the one cJSON_GetObjectItemCaseSensitive
 * finds (same JSON once printed, same raw text for a plain string); a
 * member not found must be absent for cJSON too; and JSONSCAN_NUL_ESCAPE
 * must agree with a plain search for a \u0000 escape.  ASan checks that no
 * byte at or past the given length is read (the input is not
 * NUL-terminated). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonscan.h"

static const char *const names[] = {
	"jsonrpc", "id", "method", "params", "", "a"
};
#define NNAMES	(sizeof names / sizeof names[0])

/* Does the NUL-terminated text hold a \u0000 escape?  (The search the
 * daemon made before the scanner existed.) */
static int
has_nul_escape(const char *s)
{
	const char	*b;

	for (b = strchr(s, '\\'); b != NULL; b = strchr(b + 2, '\\')) {
		if (strncmp(b + 1, "u0000", 5) == 0)
			return 1;
		if (b[1] == '\0')
			break;
	}
	return 0;
}

/* Abort unless member m of cJSON's tree is what span v shows. */
static void
check_member(const cJSON *m, const struct jsonscan_span *v)
{
	cJSON	*alone;
	char	*a, *b;
	int	 same;

	if (v->type == JSONSCAN_ABSENT) {
		if (m != NULL)
			abort();	/* the scan missed a member */
		return;
	}
	if (m == NULL)
		abort();		/* the scan found one cJSON does not */
	if ((alone = cJSON_ParseWithLengthOpts(v->p, v->len, NULL, 0)) == NULL)
		abort();		/* the span is not one value */
	a = cJSON_PrintUnformatted(m);
	b = cJSON_PrintUnformatted(alone);
	same = a == NULL || b == NULL || strcmp(a, b) == 0;
	free(a);
	free(b);
	if (!same)
		abort();		/* another value than cJSON's */
	if (v->type == JSONSCAN_STRING && !v->escaped &&
	    (!cJSON_IsString(m) || strlen(m->valuestring) != v->len - 2 ||
	    memcmp(m->valuestring, v->p + 1, v->len - 2) != 0))
		abort();		/* a plain string is not its own text */
	if ((v->type == JSONSCAN_OBJECT && !cJSON_IsObject(m)) ||
	    (v->type == JSONSCAN_ARRAY && !cJSON_IsArray(m)) ||
	    (v->type == JSONSCAN_NUMBER && !cJSON_IsNumber(m)) ||
	    (v->type == JSONSCAN_NULL && !cJSON_IsNull(m)))
		abort();
	if (v->empty && m->child != NULL)
		abort();
	cJSON_Delete(alone);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One input: scan it; if accepted, cJSON must agree. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonscan_span	 v[NNAMES];
	unsigned		 flags;
	char			*copy;
	cJSON			*o;
	size_t			 i;

	if (jsonscan_object((const char *)data, size, names, v, NNAMES,
	    &flags) < 0)
		return 0;
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	if (((flags & JSONSCAN_NUL_ESCAPE) != 0) != has_nul_escape(copy))
		abort();
	/* As the daemon parses a line: the NUL counts, no trailing bytes. */
	o = cJSON_ParseWithLengthOpts(copy, size + 1, NULL, 1);
	if (o == NULL || !cJSON_IsObject(o))
		abort();		/* accepted what cJSON refuses */
	/* With an escaped key the scan compared no key by its value, and
	 * cJSON's first match may be that one. */
	if (!(flags & JSONSCAN_KEY_ESCAPED))
		for (i = 0; i < NNAMES; i++)
			check_member(cJSON_GetObjectItemCaseSensitive(o,
			    names[i]), &v[i]);
	cJSON_Delete(o);
	free(copy);
	return 0;
}
