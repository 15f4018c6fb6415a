/* auraed.h - daemon-wide configuration and limits. */
#ifndef AURAED_H
#define AURAED_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define AURAE_PROTOCOL_VERSION	1

struct auraed_config {
	const char	*socket_path;
	const char	*state_dir;
	const char	*run_dir;
	const char	*config_path;		/* auraed.conf(5) */
	int		 config_explicit;	/* --config: must exist */
	const char	*cgroup_parent;		/* parent cgroup of all cells */
	size_t		 max_line;		/* bytes per request line */
	size_t		 max_peer_buffer;	/* queued output per peer */
	unsigned	 max_conns_per_uid;
	unsigned long long copy_max_bytes;	/* data of one copy */
	unsigned long long copy_max_entries;	/* entries of one copy */
	int		 foreground;
	int		 verbose;
	gid_t		 aurae_gid;		/* (gid_t)-1: group missing */
	time_t		 started;
};

extern struct auraed_config cfg;

#endif
