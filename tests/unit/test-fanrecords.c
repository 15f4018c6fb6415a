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

/* fanrecords_each over the event, with len bytes of it. */
static int
walk(size_t len)
{
	seen = 0;
	log_[0] = '\0';
	return fanrecords_each(&ev.m, len, note, NULL);
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
	return done_testing();
}
