/* signame.h - signal names and numbers ("TERM", "SIGTERM", "15"). */
#ifndef AURAE_SIGNAME_H
#define AURAE_SIGNAME_H

#include <cjson/cJSON.h>

/* The number of a signal name or decimal number; -1 if unknown. */
int		 sig_parse(const char *);
/* A JSON number or string; -1 if neither names a signal. */
int		 sig_parse_json(const cJSON *);
/* "TERM" for 15; NULL if unnamed. */
const char	*sig_name(int);

#endif
