/* progress.h - scp's progress meter on stderr: name, percent, bytes, rate
 * and ETA, redrawn at most five times a second, only on a terminal. */
#ifndef ASCP_PROGRESS_H
#define ASCP_PROGRESS_H

#include <stdint.h>

struct progress {
	int		 on;		/* stderr is a terminal and not -q */
	char		 name[256];
	uint64_t	 total;		/* 0: unknown (no percent, no ETA) */
	uint64_t	 done;
	double		 start, last;	/* seconds */
};

/* Start a meter for name; on says whether anything is drawn. */
void	progress_start(struct progress *, int on, const char *name,
	    uint64_t total);
/* done bytes so far; redraws when due. */
void	progress_update(struct progress *, uint64_t done);
/* Draw the final state and end the line. */
void	progress_end(struct progress *);

#endif
