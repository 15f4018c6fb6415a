/* test-fanrecords.c - the records of a fanotify event, bounds checked. */
#include <stdint.h>
#include <string.h>

#include "fanrecords.h"
#include "tap.h"

/* An event being built: metadata, then records. */
static union {
	struct fanotify_event_metadata m;
	char	 b[512];
} ev;
static size_t	 used;

static void
start(void)
{
	memset(&ev, 0, sizeof ev);
	ev.m.vers = FANOTIFY_METADATA_VERSION;
	ev.m.metadata_len = sizeof ev.m;
	ev.m.fd = FAN_NOFD;
	used = sizeof ev.m;
	ev.m.event_len = (uint32_t)used;
}

/* Add a record of type with a handle of nbytes bytes (each fill) and,
 * if name is not NULL, that name and its NUL; padded to 4 bytes.
 * Returns the record, for breaking it. */
static struct fanotify_event_info_fid *
add(int type, unsigned nbytes, unsigned char fill, const char *name)
{
	struct fanotify_event_info_fid *fid = (void *)(ev.b + used);
	struct file_handle *fh = (void *)fid->handle;
	size_t	 len = sizeof *fid + sizeof *fh + nbytes;

	fid->hdr.info_type = (uint8_t)type;
	fid->fsid.val[0] = 7;
	fh->handle_bytes = nbytes;
	fh->handle_type = 1;
	memset(fh->f_handle, fill, nbytes);
	if (name != NULL) {
		memcpy(fh->f_handle + nbytes, name, strlen(name) + 1);
		len += strlen(name) + 1;
	}
	len = (len + 3) & ~(size_t)3;
	fid->hdr.len = (uint16_t)len;
	used += len;
	ev.m.event_len = (uint32_t)used;
	return fid;
}

static int	 seen;
static char	 log_[256];

static void
note(void *arg, const struct fanrecord *r)
{
	char	 one[64];

	(void)arg;
	seen++;
	snprintf(one, sizeof one, "%s%d:%u:%02x:%s", seen > 1 ? " " : "",
	    r->type, r->handle->handle_bytes,
	    r->handle->handle_bytes ? r->handle->f_handle[0] : 0,
	    r->name ? r->name : "-");
	strncat(log_, one, sizeof log_ - strlen(log_) - 1);
	if (r->fsid->val[0] != 7)
		strncat(log_, "!fsid", sizeof log_ - strlen(log_) - 1);
}

/* A read buffer, 8-aligned; events are placed 4 bytes into it, as the
 * kernel may place them (it aligns events to 4 bytes only). */
static union {
	uint64_t align;
	char	 b[1100];
} rd;

/* fanrecords_each over the event, with len bytes of it, from an address
 * that is 4- but not 8-aligned. */
static int
walk(size_t len)
{
	memcpy(rd.b + 4, ev.b, sizeof ev.b);
	seen = 0;
	log_[0] = '\0';
	return fanrecords_each(rd.b + 4, len, note, NULL);
}

int
main(void)
{
	struct fanotify_event_metadata saved;
	struct fanotify_event_info_fid *r;

	start();
	is_int(walk(used), 0, "an event without records");

	start();
	add(FAN_EVENT_INFO_TYPE_FID, 8, 0xaa, NULL);
	add(FAN_EVENT_INFO_TYPE_DFID_NAME, 12, 0xbb, "file.c");
	is_int(walk(used), 2, "a child's event: FID and DFID_NAME");
	is_str(log_, "1:8:aa:- 2:12:bb:file.c", "the records, in order");

	start();
	add(FAN_EVENT_INFO_TYPE_DFID, 8, 0xcc, NULL);
	add(FAN_EVENT_INFO_TYPE_PIDFD, 0, 0, NULL);
	add(FAN_EVENT_INFO_TYPE_DFID_NAME, 0, 0, ".");
	is_int(walk(used), 2, "other types are skipped");
	is_str(log_, "3:8:cc:- 2:0:00:.", "DFID, and a name after an empty handle");

	start();
	add(FAN_EVENT_INFO_TYPE_FID, 8, 0xaa, NULL);
	is_int(walk(used - 4), -1, "an event longer than what was read");
	is_int(walk(sizeof ev.m - 1), -1, "less than the metadata");

	start();
	r = add(FAN_EVENT_INFO_TYPE_FID, 8, 0xaa, NULL);
	r->hdr.len = (uint16_t)(r->hdr.len + 4);
	is_int(walk(used), -1, "a record longer than its event");
	r->hdr.len = 2;
	is_int(walk(used), -1, "a record shorter than its header");

	start();
	r = add(FAN_EVENT_INFO_TYPE_FID, 8, 0xaa, NULL);
	((struct file_handle *)r->handle)->handle_bytes = 64;
	is_int(walk(used), -1, "a handle longer than its record");
	((struct file_handle *)r->handle)->handle_bytes = 0xffffffffu;
	is_int(walk(used), -1, "a huge handle length");

	start();
	add(FAN_EVENT_INFO_TYPE_FID, 8, 0xaa, NULL);
	r = add(FAN_EVENT_INFO_TYPE_DFID_NAME, 4, 0xbb, "abc");
	memset((char *)((struct file_handle *)r->handle)->f_handle + 4, 'x',
	    r->hdr.len - sizeof *r - sizeof(struct file_handle) - 4);
	is_int(walk(used), -1, "a name without its NUL");
	is_int(seen, 1, "the records before the bad one were handed over");

	start();
	add(FAN_EVENT_INFO_TYPE_DFID_NAME, 4, 0xbb, NULL);
	is_int(walk(used), -1, "DFID_NAME with no room for a name");

	start();
	saved = ev.m;
	ev.m.metadata_len = 4;
	is_int(walk(used), -1, "metadata shorter than its struct");
	ev.m = saved;
	ev.m.metadata_len = (uint16_t)(used + 8);
	is_int(walk(used), -1, "metadata longer than the event");
	ev.m = saved;
	ev.m.event_len = 8;
	is_int(walk(used), -1, "event shorter than its metadata");

	/* fanevent_next: two events read together, the second 4-aligned */
	{
		struct fanotify_event_metadata m;
		size_t	 off = 0, first, n;
		const char *e;

		start();
		add(FAN_EVENT_INFO_TYPE_DFID_NAME, 8, 0xbb, "abcdef");
		first = used;
		is_int((int)(first % 8), 4, "the first event's length is not "
		    "a multiple of 8");
		ev.m.mask = FAN_CREATE;
		memcpy(rd.b, ev.b, first);
		start();
		add(FAN_EVENT_INFO_TYPE_FID, 8, 0xcc, NULL);
		ev.m.mask = FAN_MODIFY;
		memcpy(rd.b + first, ev.b, used);
		n = first + used;
		e = fanevent_next(rd.b, n, &off, &m);
		ok(e == rd.b && m.mask == FAN_CREATE && off == first,
		    "the first event, its metadata copied out");
		e = fanevent_next(rd.b, n, &off, &m);
		ok(e == rd.b + first && m.mask == FAN_MODIFY && off == n,
		    "the second event, at a 4-aligned address");
		seen = 0;
		log_[0] = '\0';
		is_int(fanrecords_each(e, m.event_len, note, NULL), 1,
		    "its records walk from there");
		is_str(log_, "1:8:cc:-", "the second event's record");
		ok(fanevent_next(rd.b, n, &off, &m) == NULL, "then the end");
		off = 0;
		ok(fanevent_next(rd.b, n - 1, &off, &m) != NULL &&
		    fanevent_next(rd.b, n - 1, &off, &m) == NULL,
		    "an event cut short by the read is dropped");
		off = 0;
		ok(fanevent_next(rd.b, 10, &off, &m) == NULL,
		    "less than the metadata is the end");
		memcpy(rd.b, &(uint32_t){ 8 }, 4);	/* event_len */
		off = 0;
		ok(fanevent_next(rd.b, n, &off, &m) == NULL,
		    "an event shorter than the metadata ends the buffer");
	}
	return done_testing();
}
