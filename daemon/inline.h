/* inline.h - the plain-text command mode of the socket protocol.
 *
 * A request line that does not start with '{' or '[' is a text command:
 *
 *	METHOD [KEY=VALUE | KEY:=JSON]...
 *
 * Values are words; double quotes group a word and allow \" \\ \n \t.
 * A bare word that reads as an integer, true, false or null gets that JSON
 * type; a quoted word is always a string; KEY:=JSON takes any JSON value.
 * Dots in KEY make nested objects (memory.max=64M).  "help" lists the
 * methods.  The answer is tab-separated rows and then one status line,
 * "OK" or "ERR CODE message".  docs/PROTOCOL.md has the full grammar. */
#ifndef AURAED_INLINE_H
#define AURAED_INLINE_H

#include <cjson/cJSON.h>

#include "textcmd.h"

#include "buf.h"

/* Render a result as rows (no status line). */
void	inline_format(struct buf *, const cJSON *result);

#endif
