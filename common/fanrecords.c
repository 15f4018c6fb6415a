/* fanrecords.c - the information records of one fanotify event
 * (fanrecords.h). */
#include "fanrecords.h"

#include <string.h>

/* See fanrecords.h. */
const char *
fanevent_next(const char *buf, size_t len, size_t *off,
    struct fanotify_event_metadata *m)
{
	const char	*ev;

	if (*off > len || len - *off < sizeof *m)
		return NULL;
	ev = buf + *off;
	memcpy(m, ev, sizeof *m);
	if (m->event_len < sizeof *m || m->event_len > len - *off)
		return NULL;
	*off += m->event_len;
	return ev;
}

/* See fanrecords.h. */
int
fanrecords_each(const void *evp, size_t len,
    void (*fn)(void *, const struct fanrecord *), void *arg)
{
	struct fanotify_event_metadata m;
	const char		*ev = evp;
	const struct fanotify_event_info_header *h;
	const struct fanotify_event_info_fid *fid;
	const struct file_handle *fh;
	struct fanrecord	 r;
	const char		*p, *end;
	size_t			 room;
	int			 n = 0;

	if (len < sizeof m)
		return -1;
	memcpy(&m, ev, sizeof m);
	if (m.metadata_len < sizeof m || m.metadata_len > len ||
	    m.event_len > len || m.event_len < m.metadata_len)
		return -1;
	p = ev + m.metadata_len;
	end = ev + m.event_len;
	while (p < end) {
		if ((size_t)(end - p) < sizeof *h)
			return -1;
		h = (const void *)p;
		if (h->len < sizeof *h || h->len > (size_t)(end - p))
			return -1;
		p += h->len;
		if (h->info_type != FAN_EVENT_INFO_TYPE_FID &&
		    h->info_type != FAN_EVENT_INFO_TYPE_DFID &&
		    h->info_type != FAN_EVENT_INFO_TYPE_DFID_NAME)
			continue;
		if (h->len < sizeof *fid + sizeof *fh)
			return -1;
		fid = (const void *)h;
		fh = (const void *)fid->handle;
		room = h->len - sizeof *fid - sizeof *fh;
		if (fh->handle_bytes > room)
			return -1;
		memset(&r, 0, sizeof r);
		r.type = h->info_type;
		r.fsid = &fid->fsid;
		r.handle = fh;
		if (r.type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
			r.name = (const char *)fh->f_handle + fh->handle_bytes;
			if (room == fh->handle_bytes || memchr(r.name, '\0',
			    room - fh->handle_bytes) == NULL)
				return -1;
		}
		fn(arg, &r);
		n++;
	}
	return n;
}
