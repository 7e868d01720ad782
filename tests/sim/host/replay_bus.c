/* replay_bus.c — the recorded devices plugged with the descriptors the product read, and
 * their departures and arrivals at the recorded moments (replay.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_priv.h"
#include "usbdesc.h"

/* A recorded departure or arrival is carried out at its recorded offset from the exchange
 * before it, but never later than this: the host's own timing is not the camera's. */
#define RP_MAX_LIFECYCLE_DELAY_MS 3000

static int get_int(json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v & 0xFF);
	p[1] = (uint8_t)(v >> 8);
}

/* The 18-byte device descriptor (USB 2.0 §9.6.1) from the recorded fields. */
static void device_desc(json_t *d, uint8_t out[18])
{
	json_t *s = json_object_get(d, "strings");
	memset(out, 0, 18);
	out[0] = 18;
	out[1] = 1;
	put16(out + 2, (unsigned)get_int(d, "bcdUSB", 0x0200));
	out[4] = (uint8_t)get_int(d, "class", 0);
	out[5] = (uint8_t)get_int(d, "subclass", 0);
	out[6] = (uint8_t)get_int(d, "protocol", 0);
	out[7] = (uint8_t)get_int(d, "max_packet", 64);
	put16(out + 8, (unsigned)get_int(d, "vid", 0));
	put16(out + 10, (unsigned)get_int(d, "pid", 0));
	put16(out + 12, (unsigned)get_int(d, "bcdDevice", 0x0100));
	for (int i = 0; i < 3; i++)
		out[14 + i] = (uint8_t)json_integer_value(json_array_get(s, (size_t)i));
	out[17] = (uint8_t)get_int(d, "configurations", 1);
}

static int unhex_into(const char *text, uint8_t *out, size_t cap)
{
	size_t n = text ? strlen(text) / 2 : 0;
	if (n > cap)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(text + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)n;
}

/* The configuration (USB 2.0 §9.6.3) from the recorded alts; interfaces counted once. */
static void config_desc(json_t *c, struct usbdesc *d, const char *drivers[USBSIM_MAX_INTERFACES])
{
	json_t *alts = json_object_get(c, "alts");
	int interfaces = 0;
	size_t i;
	json_t *a;
	json_array_foreach(alts, i, a)
		if (get_int(a, "alt", 0) == 0)
			interfaces++;
	usbdesc_config_begin(d, (uint8_t)interfaces);
	json_array_foreach(alts, i, a) {
		json_t *eps = json_object_get(a, "endpoints");
		int intf = get_int(a, "interface", 0), cls = get_int(a, "class", 0);
		usbdesc_interface(d, (uint8_t)intf, (uint8_t)get_int(a, "alt", 0),
		                  (uint8_t)json_array_size(eps), (uint8_t)cls,
		                  (uint8_t)get_int(a, "subclass", 0), (uint8_t)get_int(a, "protocol", 0),
		                  (uint8_t)get_int(a, "string", 0));
		uint8_t extra[256];
		int n = unhex_into(json_string_value(json_object_get(a, "extra")), extra, sizeof extra);
		if (n > 0)
			usbdesc_raw(d, extra, (size_t)n);
		size_t k;
		json_t *ep;
		json_array_foreach(eps, k, ep)
			usbdesc_endpoint(d, (uint8_t)get_int(ep, "address", 0), (uint8_t)get_int(ep, "attributes", 2),
			                 (uint16_t)get_int(ep, "max_packet", 64), (uint8_t)get_int(ep, "interval", 0));
		/* a HID interface has usbhid bound, as the kernel does (the product detaches it) */
		if (cls == 3 && intf < USBSIM_MAX_INTERFACES)
			drivers[intf] = "usbhid";
	}
	usbdesc_config_end(d);
}

int rp_plug(struct replay *r, struct rp_slot *s, char *why, size_t why_len)
{
	if (!s->device) { /* a serial port's own USB device, or a device the product never read */
		s->plugged = s->tty_line != NULL;
		if (s->tty_line && rp_tty_add(r, s) < 0) {
			snprintf(why, why_len, "the recorded serial port of %s could not be added", s->name);
			return -1;
		}
		return 0;
	}
	struct usbsim_identity id = {0};
	struct usbdesc d;
	device_desc(s->device, id.device_desc);
	id.speed_mbps = get_int(s->device, "bcdUSB", 0x0200) >= 0x0200 ? 480 : 12;
	if (s->config) {
		config_desc(s->config, &d, id.kernel_driver);
	} else {
		usbdesc_config_begin(&d, 0);
		usbdesc_config_end(&d);
	}
	id.config_desc = d.buf;
	id.config_len = d.len;
	memcpy(id.strings, s->strings, sizeof id.strings);
	if (s->hid_report_len) {
		id.hid_report_desc = s->hid_report;
		id.hid_report_len = s->hid_report_len;
	}
	s->dev = usbsim_plug(r->sim, s->port, &id, &rp_ops, s);
	if (!s->dev) {
		snprintf(why, why_len, "the recorded device %s could not be plugged", s->name);
		return -1;
	}
	s->plugged = true;
	if (rp_tty_add(r, s) < 0) {
		snprintf(why, why_len, "the recorded serial port of %s could not be added", s->name);
		return -1;
	}
	return 0;
}

static void unplug_job(void *arg)
{
	struct rp_slot *s = arg;
	if (s->tty && s->plugged)
		rp_tty_remove(s);
	else if (s->dev && s->plugged)
		usbsim_unplug(s->dev);
}

static void plug_job(void *arg)
{
	struct rp_slot *s = arg;
	char why[160];
	if (!s->plugged && rp_plug(s->owner, s, why, sizeof why) < 0)
		fprintf(stderr, "openmv-rescue-sim: replay: %s\n", why);
}

static unsigned delay_ms(long long t_us, long long t_ref_us)
{
	long long d = t_ref_us < 0 ? 0 : (t_us - t_ref_us) / 1000;
	return d < 0 ? 0 : d > RP_MAX_LIFECYCLE_DELAY_MS ? RP_MAX_LIFECYCLE_DELAY_MS : (unsigned)d;
}

/* After the exchange at t_ref_us: the departures and arrivals recorded before the next
 * exchange the host makes, at their recorded distance from it. */
void rp_after(struct replay *r, int from, long long t_ref_us)
{
	for (int j = from; j < r->n; j++) {
		struct rp_entry *e = &r->e[j];
		if (e->kind == RP_CONTROL || e->kind == RP_BULK || e->kind == RP_INTERRUPT)
			break;
		if (e->slot < 0)
			continue;
		struct rp_slot *s = &r->slot[e->slot];
		if (e->kind == RP_DEPARTURE && !s->scheduled_out) {
			s->scheduled_out = true;
			usbsim_schedule(r->sim, delay_ms(e->t_us, t_ref_us), unplug_job, s);
		} else if (e->kind == RP_ARRIVAL && !s->scheduled_in) {
			s->scheduled_in = true;
			usbsim_schedule(r->sim, delay_ms(e->t_us, t_ref_us), plug_job, s);
		}
	}
}

/* Ports: a device that arrives after another left takes its port (a replug, a re-enumeration). */
static void assign_ports(struct replay *r)
{
	int next = 1;
	for (int i = 0; i < r->nslots; i++)
		r->slot[i].port = 0;
	for (int j = 0; j < r->n; j++) {
		struct rp_entry *e = &r->e[j];
		if (e->slot < 0 || r->slot[e->slot].port)
			continue;
		int port = 0;
		if (e->kind == RP_ARRIVAL)
			for (int k = j - 1; k >= 0 && !port; k--)
				if (r->e[k].kind == RP_DEPARTURE && r->e[k].slot >= 0)
					port = r->slot[r->e[k].slot].port;
		r->slot[e->slot].port = port ? port : next <= 15 ? next++ : 15;
	}
}

int replay_start(struct replay *r, struct usbsim *sim, char *why, size_t why_len)
{
	r->sim = sim;
	r->start_us = rp_now_us();
	assign_ports(r);
	int rc = 0;
	/* not under the lock: plugging waits for the sim thread, which takes it */
	for (int j = 0; j < r->n && rc == 0; j++)
		if (r->e[j].kind == RP_PRESENT && r->e[j].slot >= 0 && !r->slot[r->e[j].slot].plugged)
			rc = rp_plug(r, &r->slot[r->e[j].slot], why, why_len);
	usbsim_lock(sim);
	for (int i = 0; i < r->nslots && rc == 0; i++)
		rp_push_ins(r, &r->slot[i]);
	if (rc == 0)
		rp_after(r, 0, 0);
	usbsim_unlock(sim);
	usbsim_sync(sim);
	return rc;
}

void replay_stop(struct replay *r)
{
	if (!r->sim)
		return;
	rp_tty_free_all(r); /* the ttys first: they hang below the USB devices */
	for (int i = 0; i < r->nslots; i++)
		if (r->slot[i].plugged && r->slot[i].dev)
			usbsim_unplug(r->slot[i].dev);
	usbsim_sync(r->sim);
}

bool replay_diverged(const struct replay *r)
{
	return r->diverged;
}

unsigned replay_answered(const struct replay *r)
{
	return r->answered;
}

unsigned replay_left(const struct replay *r)
{
	unsigned left = 0;
	for (int j = 0; j < r->n; j++)
		left += (r->e[j].kind == RP_CONTROL || r->e[j].kind == RP_BULK || r->e[j].kind == RP_INTERRUPT) &&
		        !r->e[j].consumed && !(r->e[j].in && r->e[j].kind != RP_CONTROL && r->e[j].status != 0);
	return left;
}
