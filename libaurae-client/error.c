/* error.c - filling aurae_error_t. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aurae/client.h"

/* Fill err; see client.h.  A NULL err is ignored. */
void
aurae_error_set(aurae_error_t *err, int status, const char *code,
    const char *fmt, ...)
{
	va_list	 ap;

	if (err == NULL)
		return;
	err->status = status;
	err->flags = 0;
	snprintf(err->code, sizeof err->code, "%s", code ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}
