/* methods.h - the method tables of each area. */
#ifndef AURAED_METHODS_H
#define AURAED_METHODS_H

#include "rpc.h"

struct exe_spec;

/* methods-executables.c: read a command to start from params (those of
 * executables.start but "cell"), taking its descriptors; 0, or -1 after
 * answering.  methods_exe_spec_close() closes descriptors not handed
 * to exe_start(). */
int	methods_exe_spec(struct rpc_call *, const cJSON *params,
	    struct exe_spec *);
void	methods_exe_spec_close(struct exe_spec *);

extern const struct rpc_method methods_aurae[];
extern const struct rpc_method methods_cells[];
extern const struct rpc_method methods_events[];
extern const struct rpc_method methods_executables[];
extern const struct rpc_method methods_files[];
extern const struct rpc_method methods_logs[];
extern const struct rpc_method methods_storage[];

#endif
