/* output.h - how every tool prints results.
 *
 *   table  aligned columns on a terminal; tab-separated, never truncated,
 *          when piped.  Headers only on a terminal unless asked for.
 *   json   one JSON array (or object) for the whole answer.
 *   jsonl  one JSON object per line.
 * Colour only on a terminal, and never when NO_COLOR is set. */
#ifndef AURAE_OUTPUT_H
#define AURAE_OUTPUT_H

#include <cjson/cJSON.h>
#include <stdio.h>

enum out_format { OUT_TABLE, OUT_JSON, OUT_JSONL };

struct output {
	enum out_format	 fmt;
	int		 headers;	/* print a header row */
	int		 tty;		/* stdout is a terminal */
	int		 color;
	FILE		*fp;
};

/* A column: its header and the member of each row object it shows. */
struct out_col {
	const char	*title;
	const char	*key;
};

/* Set up for fp.  headers: 1 always, 0 never, -1 on a terminal only. */
void	output_init(struct output *, FILE *, enum out_format, int headers);
/* Parse "table", "json" or "jsonl"; -1 if none. */
int	output_parse_format(const char *);
/* Print an array of objects.  cols NULL: the members of the first row. */
void	output_list(struct output *, const struct out_col *, const cJSON *);
/* Print one object: "key<TAB>value" rows, or JSON. */
void	output_object(struct output *, const cJSON *);

#endif
