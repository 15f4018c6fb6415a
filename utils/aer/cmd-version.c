/* cmd-version.c - aer version: client and daemon versions. */
#include <stdio.h>

#include "aer.h"
#include "config.h"
#include "i18n.h"

/* Print both versions; the daemon's is left out (exit 125) when it cannot
 * be reached, after the client's has been printed. */
static int
version_exec(struct aer *a, int argc, char **argv)
{
	aurae_client_t	*c;
	aurae_error_t	 err;
	cJSON		*o, *res = NULL;
	int		 r = AER_EXIT_OK;

	if (argc != 0) {
		aer_usage(stderr, &cmd_version);
		return AER_EXIT_USAGE;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "client", VERSION);
	if (a->client == NULL && aurae_connect(a->host, &a->client, &err) < 0)
		c = NULL;
	else
		c = a->client;
	if (c != NULL && aurae_call(c, "aurae.version", NULL, &res,
	    &err) == 0) {
		cJSON_AddItemToObject(o, "server",
		    cJSON_DetachItemFromObjectCaseSensitive(res, "version"));
		cJSON_AddItemToObject(o, "protocol",
		    cJSON_DetachItemFromObjectCaseSensitive(res, "protocol"));
		cJSON_Delete(res);
	} else
		r = -1;
	output_object(&a->out, o);
	cJSON_Delete(o);
	return r < 0 ? aer_fail(&err) : AER_EXIT_OK;
}

static const struct option_def version_opts[] = { { OPT_END } };

const struct aer_cmd cmd_version = {
	"version", "version", N_("print the client and daemon versions"),
	version_opts, NULL, version_exec
};
