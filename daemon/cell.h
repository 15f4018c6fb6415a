/* cell.h - the registry of cells: names, cgroups and persisted state.
 *
 * A cell is named by DNS labels joined with '/', "web" or "web/db"; its
 * cgroup is "<cgroup parent>/<name>" (default parent "aurae") in every hierarchy.  Each cell's record is
 * kept in RUN_DIR/cells/<name with '/' as '%'>.json, written atomically
 * (temp file, fsync, rename), so that a restarted daemon finds every cell
 * again.  The registry owns its cells. */
#ifndef AURAED_CELL_H
#define AURAED_CELL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <sys/queue.h>
#include <time.h>

#define CELL_NAME_MAX	253

struct cell {
	char			 name[CELL_NAME_MAX + 1];
	char			 cgroup[CELL_NAME_MAX + 72];
	time_t			 created;
	int			 frozen;
	cJSON			*limits;	/* as requested, normalised */
	TAILQ_ENTRY(cell)	 entry;
};

TAILQ_HEAD(cell_list, cell);
extern struct cell_list cells;

/* Check a cell name; returns 0, or -1 with a message. */
int		 cell_name_valid(const char *, char *msg, size_t);
struct cell	*cell_find(const char *);
/* Does any other cell sit below c? */
int		 cell_has_children(const struct cell *);
/* Create the cell and its cgroup, apply limits (an object of
 * "memory.max": "64M"...), persist it.  Returns the cell, or NULL with
 * *code and msg set; nothing is left behind on failure. */
struct cell	*cell_create(const char *name, const cJSON *limits, int *code,
		    char *msg, size_t);
/* Apply more limits to an existing cell. */
int		 cell_set_limits(struct cell *, const cJSON *limits, int *code,
		    char *msg, size_t);
/* Remove an empty cell (no processes, no children). */
int		 cell_remove(struct cell *, char *msg, size_t);
int		 cell_save(const struct cell *);
/* Load every saved cell whose cgroup still exists; forget the others. */
void		 cell_restore(void);
/* The cell as a JSON object; detail adds limits read from the kernel and
 * usage. */
cJSON		*cell_json(const struct cell *, int detail);

#endif
