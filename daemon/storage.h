/* storage.h - the named storage volumes of the node.
 *
 * A volume is a host directory with a name (a DNS label, as one part of
 * a cell name).  Configured volumes come from the [storage] section of
 * auraed.conf(5), "NAME = /dir", and are held here; reading the file
 * again (SIGHUP) replaces them as a whole, or not at all.  Created
 * volumes are the directories STATE_DIR/volumes/NAME that storage.create
 * makes: the filesystem is their registry.  A configured name hides a
 * created volume of the same name.
 *
 * Cells mount volumes (cells.create {volumes}, struct cell_volume, bound
 * by cellinit.c), and files.root hands a volume's directory to a client
 * (auraefs).  A removal with force deletes the tree in a worker process:
 * the directory is first renamed to STATE_DIR/volumes/.trash-NAME-XXXXXXXX,
 * so the name is free at once, and what a dead daemon left there is
 * deleted at the next start. */
#ifndef AURAED_STORAGE_H
#define AURAED_STORAGE_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stddef.h>

#define VOLUME_NAME_MAX	63
/* Most volumes one cell may mount. */
#define CELL_VOLUMES_MAX	32

enum volume_source { VOLUME_CONFIG, VOLUME_CREATED };

struct volume {
	char			 name[VOLUME_NAME_MAX + 1];
	char			 path[PATH_MAX];	/* host directory */
	enum volume_source	 source;
};

/* A volume mounted in a cell: cells.create {volumes}. */
struct cell_volume {
	char	 name[VOLUME_NAME_MAX + 1];
	char	 path[PATH_MAX];	/* in the cell, absolute and clean */
	char	 source[PATH_MAX];	/* the host directory, resolved */
	int	 ro;
};

struct rpc_call;

/* Check a volume name: a DNS label.  Returns 0, or -1 with a message. */
int	 storage_name_valid(const char *, char *msg, size_t);
/* Read the [storage] section of the file at path (missing_ok: a missing
 * file means no configured volume) and, only when all of it is valid,
 * make its volumes the configured ones.  Returns 0, or -1 with msg set
 * ("FILE:LINE: what is wrong", or "FILE: why it cannot be read"). */
int	 storage_load(const char *path, int missing_ok, char *msg, size_t);
/* How many volumes are configured. */
size_t	 storage_nconfigured(void);
/* Start-up: delete what an interrupted removal left (in a worker). */
void	 storage_init(void);
/* Find a volume: a configured one first, then a created one.  Returns 0
 * with *v set, or -1 when there is none. */
int	 storage_find(const char *name, struct volume *v);
/* Open the directory of v as an O_PATH | O_DIRECTORY descriptor (a
 * created volume without following a symlink).  Returns it, or -1 with
 * errno. */
int	 storage_open(const struct volume *v);
/* One volume as {name, path, source, cells}; usage adds size. */
cJSON	*storage_volume_json(const struct volume *, int usage);
/* Every volume, by name, as {"volumes":[...]}. */
cJSON	*storage_list_json(int usage);
/* Make STATE_DIR/volumes/name (0755).  Returns 0 with *out set, or -1
 * with *code and msg set. */
int	 storage_create(const char *name, struct volume *out, int *code,
	    char *msg, size_t);
/* storage.remove: answer call now, or once a forced removal is done. */
void	 storage_remove(struct rpc_call *, const char *name, int force);
/* The first cell that mounts volume name, or NULL. */
const char *storage_user(const char *name);
/* Parse one member of cells.create {volumes} ("NAME:/path[:ro|:rw]" or
 * {name, path, ro?}) into out, the volume looked up and its directory
 * resolved.  Returns 0, or -1 with *code (INVALID_ARGUMENT, NOT_FOUND,
 * UNAVAILABLE) and msg set. */
int	 storage_parse_mount(const cJSON *, struct cell_volume *out, int *code,
	    char *msg, size_t);
/* Clean an absolute mount path into out (len bytes): repeated slashes,
 * "." components and a trailing slash dropped.  Refused with -1 and a
 * message: a relative path, a ".." component, "/" itself, too long. */
int	 storage_path_clean(const char *in, char *out, size_t len, char *msg,
	    size_t msglen);
/* Delete everything below the directory open at dirfd (O_RDONLY |
 * O_DIRECTORY), never following a symbolic link and never leaving the
 * tree: a directory is entered with O_NOFOLLOW, left through ".." only
 * when that is the directory it was entered from, and one on another
 * filesystem is not entered (EXDEV).  dirfd itself stays, empty.
 * Returns 0, or -1 with errno. */
int	 storage_rm_tree(int dirfd);

#endif
