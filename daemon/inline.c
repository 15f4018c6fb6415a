/* inline.c - rendering answers for the text mode (see inline.h). */
#include "inline.h"

#include <stdio.h>
#include <string.h>

#include "textcmd.h"

/* Render an array: objects as a table with a '#' header, scalars one per
 * row. */
static void
format_array(struct buf *b, const cJSON *arr)
{
	const cJSON	*first = cJSON_GetArrayItem(arr, 0), *row, *k;
	int		 i;

	if (cJSON_IsObject(first)) {
		buf_append(b, "#", 1);
		i = 0;
		cJSON_ArrayForEach(k, first) {
			buf_printf(b, "%s%s", i++ ? "\t" : " ", k->string);
		}
		buf_append(b, "\n", 1);
		cJSON_ArrayForEach(row, arr) {
			i = 0;
			cJSON_ArrayForEach(k, first) {
				if (i++)
					buf_append(b, "\t", 1);
				textcmd_cell(b, cJSON_GetObjectItemCaseSensitive(
				    row, k->string));
			}
			buf_append(b, "\n", 1);
		}
		return;
	}
	cJSON_ArrayForEach(row, arr) {
		textcmd_cell(b, row);
		buf_append(b, "\n", 1);
	}
}

/* Render a result as rows; see inline.h. */
void
inline_format(struct buf *b, const cJSON *r)
{
	const cJSON	*m;

	if (r == NULL || cJSON_IsNull(r))
		return;
	if (cJSON_IsArray(r)) {
		format_array(b, r);
		return;
	}
	if (cJSON_IsObject(r)) {
		/* {"cells":[...]}: the list is the answer. */
		if (cJSON_GetArraySize(r) == 1 && cJSON_IsArray(r->child)) {
			format_array(b, r->child);
			return;
		}
		cJSON_ArrayForEach(m, r) {
			buf_printf(b, "%s\t", m->string);
			textcmd_cell(b, m);
			buf_append(b, "\n", 1);
		}
		return;
	}
	textcmd_cell(b, r);
	buf_append(b, "\n", 1);
}
