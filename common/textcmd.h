/* textcmd.h - the text command grammar of the socket protocol.
 *
 *	METHOD [KEY=VALUE | KEY:=JSON]...
 *
 * Values are words; double quotes group a word and allow \" \\ \n \t.
 * A bare word that reads as an integer, true, false or null gets that JSON
 * type; a quoted word is always a string.  KEY:=JSON takes any JSON value,
 * written as raw JSON: its quotes are JSON's own, and it ends at a blank
 * outside any string, array or object (argv:=["sh", "-c", "echo hi"]).
 * Dots in KEY make nested objects (memory.max=64M).  The daemon's inline
 * mode and `aer call` share this grammar; docs/PROTOCOL.md documents it. */
#ifndef AURAE_TEXTCMD_H
#define AURAE_TEXTCMD_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "buf.h"

/* Parse a command line.  On success returns 0 with *method (malloc'd; "help"
 * becomes "aurae.methods") and *params (an object) set; on error returns -1
 * with a one-line message in err. */
int	textcmd_parse(const char *line, char **method, cJSON **params,
	    char *err, size_t errlen);
/* Parse only KEY=VALUE words (argv style) into an object. */
int	textcmd_parse_words(char *const *words, int n, cJSON **params,
	    char *err, size_t errlen);
/* Append the text form of one value: strings raw with tab, newline and
 * backslash escaped; null as "-"; containers as compact JSON. */
void	textcmd_cell(struct buf *, const cJSON *);

#endif
