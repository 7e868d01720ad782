/* replay_usb.c — the recorded USB devices on the virtual bus, answering from the recording
 * (replay.h).  Every callback runs with the bus lock held (usbsim.h), which also guards the
 * cursor. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "replay_priv.h"
#include "usbdesc.h"

/* libusb's error codes as recorded (libusb.h enum libusb_error). */
#define RP_LIBUSB_TIMEOUT (-7)
#define RP_LIBUSB_PIPE (-9)
#define RP_LIBUSB_NO_DEVICE (-4)

long long rp_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool rp_is_wire(const struct rp_entry *e)
{
	return e->kind == RP_CONTROL || e->kind == RP_BULK || e->kind == RP_INTERRUPT ||
	       e->kind == RP_SERIAL_WRITE || e->kind == RP_SERIAL_READ;
}


static void sha256_of(const uint8_t *data, size_t len, char out[65])
{
	out[0] = 0;
	if (!data || !len)
		return;
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	snprintf(out, 65, "%s", h);
	g_free(h);
}

static void describe_entry(const struct rp_entry *e, char *out, size_t n)
{
	if (e->kind == RP_SERIAL_WRITE || e->kind == RP_SERIAL_READ)
		snprintf(out, n, "a serial %s of %u bytes%s%.12s", e->kind == RP_SERIAL_WRITE ? "write" : "read",
		         e->kind == RP_SERIAL_WRITE ? e->length : (unsigned)e->status,
		         e->sha256[0] ? ", SHA-256 " : "", e->sha256);
	else if (e->kind == RP_CONTROL)
		snprintf(out, n, "control %s bmRequestType 0x%02x bRequest 0x%02x wValue 0x%04x wIndex %u "
		         "wLength %u%s%.12s", e->in ? "IN" : "OUT", e->type, e->request, e->value, e->index,
		         e->length, e->sha256[0] && !e->in ? ", data SHA-256 " : "", e->in ? "" : e->sha256);
	else
		snprintf(out, n, "%s %s endpoint 0x%02x, %u bytes%s%.12s", e->kind == RP_BULK ? "bulk" : "interrupt",
		         e->in ? "IN" : "OUT", e->ep, e->length, e->sha256[0] && !e->in ? ", SHA-256 " : "",
		         e->in ? "" : e->sha256);
}

static void describe_request(const struct rp_request *q, char *out, size_t n)
{
	struct rp_entry e = {.kind = q->kind, .in = q->in, .type = q->type, .request = q->request,
	                     .ep = q->ep, .value = q->value, .index = q->index, .length = q->length};
	memcpy(e.sha256, q->sha256, sizeof e.sha256);
	describe_entry(&e, out, n);
}

static bool matches(const struct rp_entry *e, int slot, const struct rp_request *q)
{
	if (e->slot != slot || e->kind != q->kind || e->in != q->in)
		return false;
	if (q->kind == RP_CONTROL && (e->type != q->type || e->request != q->request ||
	                              e->value != q->value || e->index != q->index || e->length != q->length))
		return false;
	if (q->kind != RP_CONTROL && (e->ep != q->ep || e->length != q->length))
		return false;
	return q->in || !strcmp(e->sha256, q->sha256);
}

/* The next entry the host is to ask for: past what only the host saw and past IN transfers
 * that timed out (nothing came then either). */
int rp_next_wire(const struct replay *r, int from)
{
	while (from < r->n && (!rp_is_wire(&r->e[from]) || r->e[from].consumed ||
	                       (r->e[from].in && r->e[from].kind != RP_CONTROL &&
	                        r->e[from].status == (r->e[from].kind == RP_SERIAL_READ ? 0 : RP_LIBUSB_TIMEOUT))))
		from++;
	return from;
}

void rp_diverge(struct replay *r, int at, const struct rp_request *q)
{
	char want[200], got[200];
	if (r->diverged)
		return;
	r->diverged = true;
	describe_request(q, got, sizeof got);
	if (at < r->n) {
		describe_entry(&r->e[at], want, sizeof want);
		fprintf(stderr, "openmv-rescue-sim: replay diverged at exchange %d: the recording has %s "
		        "(device %s); the host sent %s\n", r->e[at].n, want,
		        r->e[at].slot >= 0 ? r->slot[r->e[at].slot].name : "?", got);
	} else {
		fprintf(stderr, "openmv-rescue-sim: replay diverged after the last exchange (%d): the "
		        "recording has nothing more; the host sent %s\n", r->n ? r->e[r->n - 1].n : 0, got);
	}
}

/* The entry that answers q on slot s: the next one if it matches; the one last answered
 * when q repeats it (a poll); or, past entries that repeat the last one, the first that
 * matches.  -1: diverged. */
static int find_answer(struct replay *r, struct rp_slot *s, const struct rp_request *q)
{
	if (r->diverged)
		return -1;
	int slot = (int)(s - r->slot);
	int at = rp_next_wire(r, r->cursor);
	if (at < r->n && matches(&r->e[at], slot, q))
		return at;
	if (s->last >= 0 && matches(&r->e[s->last], slot, q))
		return s->last;
	/* the host polled fewer times than when recorded: skip the recorded repeats */
	for (int j = at; s->last >= 0 && j < r->n; j = rp_next_wire(r, j + 1)) {
		if (matches(&r->e[j], slot, q))
			return j;
		const struct rp_entry *p = &r->e[s->last];
		struct rp_request again = {.kind = p->kind, .in = p->in, .type = p->type, .request = p->request,
		                           .ep = p->ep, .value = p->value, .index = p->index, .length = p->length};
		memcpy(again.sha256, p->sha256, sizeof again.sha256);
		if (!matches(&r->e[j], slot, &again))
			break;
	}
	rp_diverge(r, at, q);
	return -1;
}

static int result_of(const struct rp_entry *e)
{
	switch (e->status) {
	case RP_LIBUSB_PIPE: return USBSIM_STALL;
	case RP_LIBUSB_TIMEOUT: return USBSIM_NEVER;
	case RP_LIBUSB_NO_DEVICE: return USBSIM_GONE;
	default: return e->status < 0 ? USBSIM_STALL : e->status;
	}
}

/* Hand over the IN transfers recorded next for this device (bulk, interrupt): queued on their
 * endpoints, they complete the host's reads in order. */
void rp_push_ins(struct replay *r, struct rp_slot *s)
{
	int slot = (int)(s - r->slot);
	for (int j = rp_next_wire(r, r->cursor); j < r->n && s->dev; j = rp_next_wire(r, j + 1)) {
		struct rp_entry *in = &r->e[j];
		if (in->slot != slot || in->kind == RP_CONTROL || in->kind == RP_SERIAL_READ || !in->in ||
		    in->status != 0)
			break;
		if (in->done > 0 && (!in->has_data || in->data_len != (size_t)in->done)) {
			fprintf(stderr, "openmv-rescue-sim: replay: exchange %d holds only the SHA-256 of its %d "
			        "bytes; record with --record-payloads to replay it\n", in->n, in->done);
			r->diverged = true;
			break;
		}
		static const uint8_t none[1]; /* a zero-length packet has no bytes, but a pointer */
		usbsim_in_push(s->dev, in->ep, in->data ? in->data : none, (size_t)in->done);
		in->consumed = true;
		r->answered++;
		r->cursor = j + 1;
	}
}

/* Mark e answered, move the cursor past it, then hand over the IN transfers that follow for
 * this device and carry out the departures and arrivals recorded next. */
void rp_answered(struct replay *r, struct rp_slot *s, int at)
{
	struct rp_entry *e = &r->e[at];
	if (!e->consumed) {
		e->consumed = true;
		r->answered++;
	}
	s->last = at;
	if (at >= r->cursor)
		r->cursor = at + 1;
	rp_push_ins(r, s);
	rp_push_reads(r, s);
	rp_after(r, r->cursor, e->t_us);
}

static int rp_control(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *req,
                      unsigned *delay_us)
{
	(void)dev;
	(void)delay_us;
	struct rp_slot *s = model;
	struct replay *r = s->owner;
	struct rp_request q = {.kind = RP_CONTROL, .in = req->bmRequestType & 0x80,
	                       .type = req->bmRequestType, .request = req->bRequest,
	                       .value = req->wValue, .index = req->wIndex, .length = req->wLength};
	if (!q.in)
		sha256_of(req->data, req->wLength, q.sha256);
	int at = find_answer(r, s, &q);
	if (at < 0)
		return USBSIM_STALL;
	struct rp_entry *e = &r->e[at];
	int result = result_of(e);
	if (q.in && result > 0) {
		if (!e->has_data || e->data_len < (size_t)result) {
			fprintf(stderr, "openmv-rescue-sim: replay: exchange %d holds only the SHA-256 of its "
			        "answer; record with --record-payloads to replay it\n", e->n);
			r->diverged = true;
			return USBSIM_STALL;
		}
		memcpy(req->data, e->data, (size_t)result);
	}
	rp_answered(r, s, at);
	return q.in ? result : (result < 0 ? result : 0);
}

static int rp_data_out(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *data,
                       size_t len)
{
	(void)dev;
	struct rp_slot *s = model;
	struct replay *r = s->owner;
	struct rp_request q = {.in = false, .ep = ep, .length = (uint16_t)len};
	/* which kind: the one this endpoint has in the recording */
	q.kind = RP_BULK;
	for (int j = 0; j < r->n; j++)
		if (r->e[j].slot == (int)(s - r->slot) && r->e[j].ep == ep && rp_is_wire(&r->e[j]) &&
		    r->e[j].kind != RP_CONTROL) {
			q.kind = r->e[j].kind;
			break;
		}
	sha256_of(data, len, q.sha256);
	int at = find_answer(r, s, &q);
	if (at < 0)
		return USBSIM_STALL;
	int result = result_of(&r->e[at]);
	rp_answered(r, s, at);
	return result < 0 ? result : (int)len;
}

static int rp_claimed(void *model, struct usbsim_dev *dev, int intf)
{
	(void)dev;
	(void)intf;
	struct rp_slot *s = model;
	rp_push_ins(s->owner, s);
	return 0;
}

static void rp_unplugged(void *model, struct usbsim_dev *dev)
{
	(void)dev;
	struct rp_slot *s = model;
	s->plugged = false;
	s->dev = NULL;
}

const struct usbsim_model_ops rp_ops = {
	.control = rp_control, .data_out = rp_data_out, .claimed = rp_claimed, .unplugged = rp_unplugged,
};
