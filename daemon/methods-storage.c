/* methods-storage.c - storage.list, storage.create, storage.remove: the
 * named volumes of the node (storage.h). */
#include <stdio.h>

#include "methods.h"
#include "rpc.h"
#include "storage.h"

/* storage.list {usage?}: every volume by name; usage adds size (the
 * space its files use, or null when the tree is too big to walk). */
static void
m_list(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "usage", NULL };
	cJSON	*r;
	int	 usage = 0;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_bool(c, params, "usage", 0, &usage) < 0)
		return;
	if ((r = storage_list_json(usage)) == NULL) {
		rpc_error(c, AE_RESOURCE_EXHAUSTED, "out of memory");
		return;
	}
	rpc_reply(c, r);
}

/* storage.create {name}: an empty directory STATE_DIR/volumes/NAME. */
static void
m_create(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "name", NULL };
	struct volume	 v;
	const char	*name = NULL;
	char		 msg[512];
	int		 code = AE_INTERNAL;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "name", 1, &name) < 0)
		return;
	if (storage_create(name, &v, &code, msg, sizeof msg) < 0) {
		rpc_error(c, (enum aurae_errcode)code, "%s", msg);
		return;
	}
	rpc_reply(c, storage_volume_json(&v, 0));
}

/* storage.remove {name, force?}: a created volume that no cell mounts;
 * with files in it only with force.  Answered once it is gone. */
static void
m_remove(struct rpc_call *c, const cJSON *params)
{
	static const char *const keys[] = { "name", "force", NULL };
	const char	*name = NULL;
	int		 force = 0;

	if (rpc_params_only(c, params, keys) < 0 ||
	    rpc_param_string(c, params, "name", 1, &name) < 0 ||
	    rpc_param_bool(c, params, "force", 0, &force) < 0)
		return;
	storage_remove(c, name, force);
}

const struct rpc_method methods_storage[] = {
	{ "storage.list", m_list, "list the node's storage volumes" },
	{ "storage.create", m_create, "create a storage volume" },
	{ "storage.remove", m_remove, "remove a created storage volume" },
	{ NULL, NULL, NULL }
};
