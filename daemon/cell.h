/* cell.h - the registry of cells: names, cgroups and persisted state.
 *
 * A cell is named by DNS labels joined with '/', "web" or "web/db"; its
 * cgroup is "<cgroup parent>/<name>" (default parent "aurae") in every hierarchy.  Each cell's record is
 * kept in RUN_DIR/cells/<name with '/' as '%'>.json, written atomically
 * (temp file, rename), so that a restarted daemon finds every cell
 * again.  The registry owns its cells. */
#ifndef AURAED_CELL_H
#define AURAED_CELL_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/queue.h>
#include <time.h>

#include "loop.h"
#include "storage.h"

#define CELL_NAME_MAX	253

struct exe;
struct rpc_call;

/* A request sent to the init that waits for its answer (FIFO: the init
 * answers in order). */
struct init_pending {
	struct rpc_call			*call;
	struct exe			*exe;	/* INIT_SPAWN */
	int				 type;
	TAILQ_ENTRY(init_pending)	 entry;
};

struct cell {
	char			 name[CELL_NAME_MAX + 1];
	char			 cgroup[CELL_NAME_MAX + 72];
	time_t			 created;
	int			 frozen;
	unsigned		 ns;		/* NS_* isolated */
	char			 root[PATH_MAX];	/* root directory, or "" */
	struct cell_volume	*volumes;	/* mounted at creation */
	size_t			 nvolumes;
	cJSON			*limits;	/* as requested, normalised */
	uint64_t		 next_seq;	/* executable numbers */
	pid_t			 init_pid;	/* host pid of aurae-init */
	int			 init_pidfd;
	struct loop_watch	 init_exit;	/* init_pidfd readable */
	struct loop_watch	 init_w;	/* control socket */
	struct loop_watch	 oom_w;		/* cgroup_oom_watch() */
	unsigned long long	 oom_kills;
	struct loop_timer	 oom_timer;	/* counters lag the event */
	int			 oom_tries;
	TAILQ_HEAD(, init_pending) pending;
	TAILQ_HEAD(, exe)	 exes;
	int			 nexited;	/* exited exes kept */
	/* A removal in progress (remove_started), for cells.remove (its
	 * call in removing: answered once the cgroup is gone, or with
	 * remove_lazy once every process is; the cgroup, the record and the
	 * logs go right after the answer) or for the end of a cells.run
	 * command (removing NULL). */
	int			 remove_started;
	struct rpc_call		*removing;
	int			 remove_lazy;
	/* cells.run: the command whose end removes the cell (0: none), and
	 * its start's answer when it could not start, held until the cell
	 * is gone (exe.c). */
	uint64_t		 run_seq;
	struct peer		*run_peer;	/* its caller until it goes
						 * (a reference) */
	struct rpc_call		*run_failed;
	int			 run_failed_stage, run_failed_errno;
	char			 run_failed_cmd[128];
	struct loop_timer	 remove_timer;
	int			 remove_tries;
	TAILQ_ENTRY(cell)	 entry;
};

TAILQ_HEAD(cell_list, cell);
extern struct cell_list cells;

/* A record with its fields set, in no registry (the pool's worker makes
 * cells with it); cell_discard_record() frees one that never joined. */
struct cell	*cell_alloc(const char *name);
void		 cell_discard_record(struct cell *);
/* A fresh throwaway name: "run-" and 8 random hex digits. */
void		 cell_fresh_name(char *, size_t);
/* Check a cell name; returns 0, or -1 with a message. */
int		 cell_name_valid(const char *, char *msg, size_t);
struct cell	*cell_find(const char *);
/* Does any other cell sit below c? */
int		 cell_has_children(const struct cell *);
/* Create the cell (a fresh "run-..." name when name is NULL, from the
 * pool when one is ready and neither root nor volumes are given) and its
 * cgroup, apply limits (an object of "memory.max": "64M"...).  The
 * caller saves its record (cell_save()): cells.create at once, cells.run
 * with its command, so one write serves both.  root, when not NULL, is a host directory the cell pivots into;
 * vols (nvols of them, copied) are bound into the cell at its set-up.
 * Both need NS_MNT.  Returns the cell, or NULL with *code and msg set;
 * nothing is left behind on failure. */
struct cell	*cell_create(const char *name, const cJSON *limits,
		    unsigned ns, const char *root,
		    const struct cell_volume *vols, size_t nvols, int *code,
		    char *msg, size_t);
/* Apply more limits to an existing cell. */
int		 cell_set_limits(struct cell *, const cJSON *limits, int *code,
		    char *msg, size_t);
/* Start removing c: stop its init, kill what runs, and answer call once
 * the cgroup is gone from every hierarchy (or with an error); with lazy,
 * once every process is gone, the cgroup, the record and the logs being
 * removed right after the answer, before any other request is read. */
void		 cell_remove(struct cell *, struct rpc_call *, int lazy);
/* Remove a cells.run cell whose command has ended, as a lazy removal
 * that no call waits for, once the loop is back (callers may be walking
 * the cell's executables).  Does nothing if a removal has begun. */
void		 cell_remove_soon(struct cell *);
/* Check at once whether a removal in progress can finish. */
void		 cell_remove_progress(struct cell *);
int		 cell_save(const struct cell *);
/* Load every saved cell whose cgroup still exists; forget the others. */
void		 cell_restore(void);
/* The cell as a JSON object; detail adds limits read from the kernel and
 * usage. */
cJSON		*cell_json(const struct cell *, int detail);
/* Add the cell's usage to o: cpu_usec and memory_peak, each where the
 * kernel has it. */
void		 cell_add_usage(const struct cell *, cJSON *o);

#endif
