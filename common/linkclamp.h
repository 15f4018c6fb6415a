/* linkclamp.h - keep a symbolic link's target inside an exported root.
 *
 * auraefs shows a cell's (or a volume's) files on a local mount point.
 * The kernel resolves symlinks on the local side, so a cell's link to
 * /etc/shadow, or to ../../../.., would lead out of the mount into the
 * host's own files.  What the cell means is always inside its root
 * (RESOLVE_IN_ROOT semantics), so auraefs answers readlink with the
 * target rewritten to the same place relative to the link: an absolute
 * target climbs to the mount's top first, and ".." never climbs above it. */
#ifndef AURAE_LINKCLAMP_H
#define AURAE_LINKCLAMP_H

#include <stddef.h>

/* Rewrite target, read from a link whose directory is depth levels below
 * the root, into out (len bytes).  A relative target that stays below
 * the root is kept as it is.  Returns 0, or -1 (ENAMETOOLONG). */
int	link_clamp(const char *target, unsigned depth, char *out, size_t len);

#endif
