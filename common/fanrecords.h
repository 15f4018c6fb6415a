/* fanrecords.h - the information records of one fanotify event.
 *
 * A fanotify group made with FAN_REPORT_FID (and FAN_REPORT_DIR_FID,
 * FAN_REPORT_NAME) follows each event's metadata with records that name
 * objects by file handle: FID (the object), DFID (its directory) and
 * DFID_NAME (its directory, and the entry's name after the handle).
 * fanrecords_each() walks them with every bound checked against the
 * event's length: a record that does not fit, a handle longer than its
 * record, or a name without its NUL ends the walk.
 *
 * The kernel aligns events in a read buffer to 4 bytes only, while
 * struct fanotify_event_metadata (a 64-bit mask) needs 8: neither
 * function dereferences the metadata in place, they copy it out. */
#ifndef AURAE_FANRECORDS_H
#define AURAE_FANRECORDS_H

#include <fcntl.h>
#include <stddef.h>
#include <sys/fanotify.h>

struct fanrecord {
	int			  type;	/* FAN_EVENT_INFO_TYPE_FID, _DFID,
					   _DFID_NAME */
	const __kernel_fsid_t	 *fsid;
	const struct file_handle *handle;
	const char		 *name;	/* DFID_NAME: the entry; else NULL */
};

/* The event at *off in buf, of which len bytes were read from a
 * fanotify group: copies its metadata into *m, advances *off past it
 * and returns where it starts.  Returns NULL at the end of buf, or at an
 * event that does not fit in what is left (the rest is then dropped). */
const char *fanevent_next(const char *buf, size_t len, size_t *off,
	    struct fanotify_event_metadata *m);

/* Call fn(arg, record) for each FID, DFID and DFID_NAME record of the
 * event at ev, which is len bytes long (its own event_len is not trusted
 * beyond len) and aligned to at least 4 bytes; records of other types
 * are skipped.  The records point into ev.  Returns how many were handed
 * to fn, or -1 when the event is malformed (those before the bad one
 * were handed over). */
int	fanrecords_each(const void *ev, size_t len,
	    void (*fn)(void *, const struct fanrecord *), void *arg);

#endif
