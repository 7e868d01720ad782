/* replay_serial.c — a recorded serial port (a CDC ACM or FTDI tty, bus/ttysim.h) answering
 * from the recording: the bytes the host writes are matched with the recorded writes, in
 * order, whatever chunks they arrive in; after each matched write the reads recorded next are
 * sent.  The port's callbacks run on its own thread and take the bus lock, as the USB side's
 * do, for the shared cursor. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_priv.h"
#include "samba_tty.h" /* nano_testbed(): the one testbed of the process */
#include "ttysim.h"

/* Where the tty's interface hangs below its USB device: as serialside_priv.h places them
 * (SIDE_CDC_TTY_IFNUM, SIDE_FTDI_TTY_IFNUM). */
#define RP_ACM_IFNUM 2
#define RP_FTDI_IFNUM 1

static const char *get_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Send the reads recorded next for this port (the camera's answer, or what it says first). */
void rp_push_reads(struct replay *r, struct rp_slot *s)
{
	int slot = (int)(s - r->slot);
	for (int j = rp_next_wire(r, r->cursor); j < r->n && s->tty; j = rp_next_wire(r, j + 1)) {
		struct rp_entry *e = &r->e[j];
		if (e->slot != slot || e->kind != RP_SERIAL_READ)
			break;
		if (e->status > 0 && (!e->has_data || e->data_len != (size_t)e->status)) {
			fprintf(stderr, "openmv-rescue-sim: replay: exchange %d holds only the SHA-256 of its %d "
			        "bytes; record with --record-payloads to replay it\n", e->n, e->status);
			r->diverged = true;
			break;
		}
		e->consumed = true;
		r->answered++;
		r->cursor = j + 1;
		if (e->status > 0)
			ttysim_send(s->tty, e->data, e->data_len);
	}
}

static bool prefix_matches(const struct rp_entry *e, const uint8_t *got, size_t n)
{
	if (e->has_data)
		return n <= e->data_len && !memcmp(e->data, got, n);
	return true; /* only a hash: judged once all its bytes are there */
}

static bool whole_matches(const struct rp_entry *e, const uint8_t *got)
{
	if (e->has_data)
		return !memcmp(e->data, got, e->length);
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, got, e->length);
	bool same = !strcmp(h, e->sha256);
	g_free(h);
	return same;
}

static void mismatch(struct replay *r, int at, const uint8_t *got, size_t n)
{
	struct rp_request q = {.kind = RP_SERIAL_WRITE, .length = (uint16_t)n};
	gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, got, n);
	snprintf(q.sha256, sizeof q.sha256, "%s", h);
	g_free(h);
	rp_diverge(r, at, &q);
}

/* Match what the host has written so far with the writes recorded next. */
static void match_writes(struct replay *r, struct rp_slot *s)
{
	int slot = (int)(s - r->slot);
	while (s->rxlen && !r->diverged) {
		int at = rp_next_wire(r, r->cursor);
		struct rp_entry *e = at < r->n ? &r->e[at] : NULL;
		if (!e || e->slot != slot || e->kind != RP_SERIAL_WRITE) {
			mismatch(r, at, s->rx, s->rxlen);
			return;
		}
		size_t n = s->rxlen < e->length ? s->rxlen : e->length;
		if (!prefix_matches(e, s->rx, n) || (n == e->length && !whole_matches(e, s->rx))) {
			mismatch(r, at, s->rx, n);
			return;
		}
		if (n < e->length)
			return; /* the rest of this write is still on its way */
		memmove(s->rx, s->rx + n, s->rxlen - n);
		s->rxlen -= n;
		rp_answered(r, s, at);
	}
}

static void on_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
	(void)port;
	(void)baud;
	struct rp_slot *s = ctx;
	struct replay *r = s->owner;
	usbsim_lock(r->sim);
	if (!r->diverged) {
		if (s->rxlen + len > sizeof s->rx) {
			mismatch(r, rp_next_wire(r, r->cursor), buf, len);
		} else {
			memcpy(s->rx + s->rxlen, buf, len);
			s->rxlen += len;
			match_writes(r, s);
		}
	}
	usbsim_unlock(r->sim);
}

static void on_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
	(void)port;
	struct rp_slot *s = ctx;
	if (ev->type != TTYSIM_EV_OPEN)
		return;
	usbsim_lock(s->owner->sim);
	rp_push_reads(s->owner, s); /* what the camera says before it is asked, if anything */
	usbsim_unlock(s->owner->sim);
}

int rp_tty_add(struct replay *r, struct rp_slot *s)
{
	if (!s->tty_line || s->tty)
		return 0;
	const char *name = get_str(s->tty_line, "port");
	const char *base = name ? strrchr(name, '/') : NULL;
	base = base ? base + 1 : name ? name : "";
	bool acm = !strncmp(base, "ttyACM", 6);
	json_t *p = s->tty_line;
	struct ttysim_config cfg = {
		.driver = acm ? TTYSIM_CDC_ACM : TTYSIM_FTDI_SIO, .index = atoi(base + 6),
		.vid = (uint16_t)json_integer_value(json_object_get(p, "vid")),
		.pid = (uint16_t)json_integer_value(json_object_get(p, "pid")),
		.manufacturer = get_str(p, "manufacturer"), .product = get_str(p, "product"),
		.serial = get_str(p, "serial"), .usb_parent = s->dev ? usbsim_syspath(s->dev) : NULL,
		.ifnum = acm ? RP_ACM_IFNUM : RP_FTDI_IFNUM,
		.cb = {.event = on_event, .data = on_data}, .ctx = s,
	};
	s->rxlen = 0;
	s->tty = ttysim_add(nano_testbed(r->sim), &cfg);
	return s->tty ? 0 : -1;
}

/* Off the bus: the tty first (it hangs below the USB device), on a thread of its own, as a
 * port's callbacks take the bus lock that the sim thread holds here. */
static gpointer remove_thread(gpointer arg)
{
	struct rp_slot *s = arg;
	ttysim_remove(s->tty);
	if (s->dev)
		usbsim_unplug(s->dev);
	return NULL;
}

void rp_tty_remove(struct rp_slot *s)
{
	g_thread_unref(g_thread_new("replay-unplug", remove_thread, s));
}

void rp_tty_free_all(struct replay *r)
{
	for (int i = 0; i < r->nslots; i++)
		if (r->slot[i].tty) {
			ttysim_free(r->slot[i].tty);
			r->slot[i].tty = NULL;
		}
}
