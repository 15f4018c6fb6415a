/* logs.h - reading and following executables' logs (logs.read).
 *
 * The init of each cell writes STATE_DIR/logs/<cell>/<n>.log (and one
 * rotated <n>.log.1) in the CRI format.  logs.read replays them, filtered
 * by --since and cut to the last N lines, and with follow streams new
 * lines as logs.line notifications.  A follower reads the files only while
 * its peer's queue is below the high-water mark, so a slow reader costs a
 * file offset, not memory. */
#ifndef AURAED_LOGS_H
#define AURAED_LOGS_H

struct peer;
struct cell;

int	logs_init(void);
/* Followers of a peer that has gone are dropped. */
void	logs_peer_gone(struct peer *);
/* An executable exited or a cell went away: followers may end. */
void	logs_exe_exited(const struct cell *, unsigned long long seq);
void	logs_cell_removed(const char *cell);
/* Poll every follower again (timer callback). */
void	logs_retry(void *);

#endif
