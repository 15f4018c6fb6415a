/* cmd-health.c - aer health: is the daemon serving? */
#include <stdio.h>
#include <string.h>

#include "aer.h"
#include "i18n.h"

/* Ask aurae.health.  Exits 0 only when the daemon says SERVING. */
static int
health_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*res;
	const cJSON	*st;
	int		 ok;

	if (argc != 0) {
		aer_usage(stderr, &cmd_health);
		return AER_EXIT_USAGE;
	}
	if (aurae_call(aer_client(a), "aurae.health", NULL, &res, &err) < 0)
		return aer_fail(&err);
	st = cJSON_GetObjectItemCaseSensitive(res, "status");
	ok = cJSON_IsString(st) && strcmp(st->valuestring, "SERVING") == 0;
	output_object(&a->out, res);
	cJSON_Delete(res);
	return ok ? AER_EXIT_OK : AER_EXIT_FAIL;
}

static const struct option_def health_opts[] = { { OPT_END } };

const struct aer_cmd cmd_health = {
	"health", "health", N_("check that the daemon is serving"),
	health_opts, NULL, health_exec
};
