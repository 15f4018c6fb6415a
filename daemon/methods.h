/* methods.h - the method tables of each area. */
#ifndef AURAED_METHODS_H
#define AURAED_METHODS_H

#include "rpc.h"

extern const struct rpc_method methods_aurae[];
extern const struct rpc_method methods_cells[];
extern const struct rpc_method methods_events[];
extern const struct rpc_method methods_executables[];
extern const struct rpc_method methods_files[];
extern const struct rpc_method methods_logs[];
extern const struct rpc_method methods_storage[];

#endif
