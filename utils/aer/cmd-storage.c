/* cmd-storage.c - aer storage ls|create|rm: the node's storage volumes. */
#include <stdio.h>
#include <string.h>

#include "aer.h"
#include "i18n.h"

static int	 force, with_size;

/* -f for rm, -s for ls. */
static const struct option_def storage_opts[] = {
	{ OPT_FLAG, 'f', "force", &force, NULL,
	  N_("rm: remove the volume's files too") },
	{ OPT_FLAG, 's', "size", &with_size, NULL,
	  N_("ls: add the space each volume's files use") },
	{ OPT_END }
};

/* The columns of aer storage ls; stable, new ones only at the end. */
static const struct out_col ls_cols[] = {
	{ "NAME", "name" },
	{ "PATH", "path" },
	{ "SOURCE", "source" },
	{ NULL, NULL }
};

static const struct out_col ls_size_cols[] = {
	{ "NAME", "name" },
	{ "PATH", "path" },
	{ "SOURCE", "source" },
	{ "SIZE", "size" },
	{ NULL, NULL }
};

/* aer storage ls [-s] */
static int
storage_ls(struct aer *a, int argc)
{
	aurae_error_t	 err;
	cJSON		*p = NULL, *res;

	if (argc > 1) {
		fprintf(stderr, _("aer: storage ls takes no operand\n"));
		return AER_EXIT_USAGE;
	}
	if (with_size) {
		p = cJSON_CreateObject();
		cJSON_AddTrueToObject(p, "usage");
	}
	if (aurae_call(aer_client(a), "storage.list", p, &res, &err) < 0) {
		cJSON_Delete(p);
		return aer_fail(&err);
	}
	cJSON_Delete(p);
	output_list(&a->out, with_size ? ls_size_cols : ls_cols,
	    cJSON_GetObjectItemCaseSensitive(res, "volumes"));
	cJSON_Delete(res);
	return AER_EXIT_OK;
}

/* Dispatch the subcommand to its method; create and rm act on each
 * name in turn, like rm(1). */
static int
storage_exec(struct aer *a, int argc, char **argv)
{
	aurae_error_t	 err;
	cJSON		*p, *res;
	const char	*method;
	int		 k, status = AER_EXIT_OK, rm;

	if (argc < 1) {
		aer_usage(stderr, &cmd_storage);
		return AER_EXIT_USAGE;
	}
	if (strcmp(argv[1], "ls") != 0 && strcmp(argv[1], "create") != 0 &&
	    strcmp(argv[1], "rm") != 0) {
		fprintf(stderr, _("aer: unknown storage command '%s'\n"),
		    argv[1]);
		aer_usage(stderr, &cmd_storage);
		return AER_EXIT_USAGE;
	}
	rm = strcmp(argv[1], "rm") == 0;
	if (force && !rm) {
		fprintf(stderr, _("aer: only storage rm takes --force\n"));
		return AER_EXIT_USAGE;
	}
	if (with_size && strcmp(argv[1], "ls") != 0) {
		fprintf(stderr, _("aer: only storage ls takes --size\n"));
		return AER_EXIT_USAGE;
	}
	if (strcmp(argv[1], "ls") == 0)
		return storage_ls(a, argc);
	if (argc < 2) {
		fprintf(stderr, _("aer: storage %s needs a volume name\n"),
		    argv[1]);
		return AER_EXIT_USAGE;
	}
	method = rm ? "storage.remove" : "storage.create";
	for (k = 2; k <= argc; k++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "name", argv[k]);
		if (force)
			cJSON_AddTrueToObject(p, "force");
		if (aurae_call(aer_client(a), method, p, &res, &err) < 0) {
			cJSON_Delete(p);
			status = aer_fail(&err);
			continue;
		}
		cJSON_Delete(p);
		if (a->out.fmt != OUT_TABLE && !cJSON_IsNull(res))
			output_object(&a->out, res);
		else if (!rm && a->out.fmt == OUT_TABLE)
			printf("%s\n", argv[k]);
		cJSON_Delete(res);
	}
	return status;
}

const struct aer_cmd cmd_storage = {
	"storage", "storage ls [-s] | create NAME... | rm [-f] NAME...",
	N_("list, create and remove the node's storage volumes"),
	storage_opts, "@storage-verb", storage_exec
};
