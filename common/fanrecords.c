/* fanrecords.c - the information records of one fanotify event
 * (fanrecords.h). */
#include "fanrecords.h"

#include <string.h>

/* See fanrecords.h. */
int
fanrecords_each(const struct fanotify_event_metadata *ev, size_t len,
    void (*fn)(void *, const struct fanrecord *), void *arg)
{
	const struct fanotify_event_info_header *h;
	const struct fanotify_event_info_fid *fid;
	const struct file_handle *fh;
	struct fanrecord	 r;
	const char		*p, *end;
	size_t			 room;
	int			 n = 0;

	if (len < sizeof *ev || ev->metadata_len < sizeof *ev ||
	    ev->metadata_len > len || ev->event_len > len ||
	    ev->event_len < ev->metadata_len)
		return -1;
	p = (const char *)ev + ev->metadata_len;
	end = (const char *)ev + ev->event_len;
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
