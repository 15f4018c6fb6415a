/* output.c - table, json and jsonl printing shared by the tools. */
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "textcmd.h"

/* Decide headers and colour from the terminal and the environment. */
void
output_init(struct output *o, FILE *fp, enum out_format fmt, int headers)
{
	const char	*nc = getenv("NO_COLOR");

	o->fp = fp;
	o->fmt = fmt;
	o->tty = isatty(fileno(fp));
	o->headers = headers < 0 ? o->tty : headers;
	o->color = o->tty && (nc == NULL || *nc == '\0');
}

/* Format names. */
int
output_parse_format(const char *s)
{
	if (strcmp(s, "table") == 0)
		return OUT_TABLE;
	if (strcmp(s, "json") == 0)
		return OUT_JSON;
	if (strcmp(s, "jsonl") == 0)
		return OUT_JSONL;
	return -1;
}

/* Print one JSON value on a line, pretty for json, compact for jsonl. */
static void
print_json(struct output *o, const cJSON *v, int pretty)
{
	char	*s = pretty ? cJSON_Print(v) : cJSON_PrintUnformatted(v);

	if (s != NULL) {
		fprintf(o->fp, "%s\n", s);
		free(s);
	}
}

/* The text of a cell, NUL-terminated in b. */
static const char *
cell_text(struct buf *b, const cJSON *v)
{
	buf_reset(b);
	textcmd_cell(b, v);
	buf_append(b, "", 1);
	return buf_head(b);
}

/* Print rows of objects. */
void
output_list(struct output *o, const struct out_col *cols, const cJSON *arr)
{
	struct out_col	 autocols[64];
	const cJSON	*row, *k;
	struct buf	 b = BUF_INIT;
	size_t		 ncols = 0, i, *width;
	const char	*t;

	if (o->fmt == OUT_JSON) {
		print_json(o, arr, 1);
		return;
	}
	if (o->fmt == OUT_JSONL) {
		cJSON_ArrayForEach(row, arr)
			print_json(o, row, 0);
		return;
	}
	if (cols == NULL) {
		row = cJSON_GetArrayItem(arr, 0);
		cJSON_ArrayForEach(k, row) {
			if (ncols == 63)
				break;
			autocols[ncols].title = k->string;
			autocols[ncols++].key = k->string;
		}
		autocols[ncols].title = NULL;
		cols = autocols;
	}
	for (ncols = 0; cols[ncols].title != NULL; ncols++)
		;
	if (ncols == 0)
		return;
	if ((width = calloc(ncols, sizeof *width)) == NULL)
		return;
	/* On a terminal, columns are padded to line up; piped, one tab. */
	if (o->tty) {
		for (i = 0; i < ncols; i++)
			width[i] = o->headers ? strlen(cols[i].title) : 0;
		cJSON_ArrayForEach(row, arr)
			for (i = 0; i < ncols; i++) {
				t = cell_text(&b, cJSON_GetObjectItemCaseSensitive(
				    row, cols[i].key));
				if (strlen(t) > width[i])
					width[i] = strlen(t);
			}
	}
	if (o->headers) {
		if (o->color)
			fputs("\033[1m", o->fp);
		for (i = 0; i < ncols; i++) {
			if (i + 1 < ncols)
				fprintf(o->fp, o->tty ? "%-*s   " : "%*s\t",
				    o->tty ? (int)width[i] : 0, cols[i].title);
			else
				fputs(cols[i].title, o->fp);
		}
		if (o->color)
			fputs("\033[0m", o->fp);
		fputc('\n', o->fp);
	}
	cJSON_ArrayForEach(row, arr) {
		for (i = 0; i < ncols; i++) {
			t = cell_text(&b, cJSON_GetObjectItemCaseSensitive(row,
			    cols[i].key));
			if (i + 1 < ncols)
				fprintf(o->fp, o->tty ? "%-*s   " : "%*s\t",
				    o->tty ? (int)width[i] : 0, t);
			else
				fputs(t, o->fp);
		}
		fputc('\n', o->fp);
	}
	free(width);
	buf_free(&b);
}

/* Print one object. */
void
output_object(struct output *o, const cJSON *obj)
{
	const cJSON	*m;
	struct buf	 b = BUF_INIT;

	if (o->fmt != OUT_TABLE) {
		print_json(o, obj, o->fmt == OUT_JSON);
		return;
	}
	if (!cJSON_IsObject(obj)) {
		fprintf(o->fp, "%s\n", cell_text(&b, obj));
		buf_free(&b);
		return;
	}
	cJSON_ArrayForEach(m, obj)
		fprintf(o->fp, "%s\t%s\n", m->string, cell_text(&b, m));
	buf_free(&b);
}
