/* replay_load.c — reading a recording (JSON lines, jansson) into the entries and devices the
 * replay answers from (replay_priv.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_priv.h"

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool unhex(const char *text, uint8_t **out, size_t *len)
{
	size_t n = strlen(text);
	if (n % 2)
		return false;
	uint8_t *b = malloc(n / 2 + 1);
	if (!b)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			return false;
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	*len = n / 2;
	return true;
}

static int get_int(json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static const char *get_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The device a line names: its open slot, or a new one (an arrival, or a device the
 * recording met without a list). */
static int slot_for(struct replay *r, const char *name, bool open[])
{
	for (int i = r->nslots - 1; i >= 0; i--)
		if (open[i] && !strcmp(r->slot[i].name, name))
			return i;
	if (r->nslots == REPLAY_MAX_SLOTS)
		return -1;
	struct rp_slot *s = &r->slot[r->nslots];
	snprintf(s->name, sizeof s->name, "%s", name);
	s->owner = r;
	s->last = -1;
	open[r->nslots] = true;
	return r->nslots++;
}

static void read_usb_line(struct replay *r, struct rp_entry *e, json_t *o, const char *kind,
                          bool open[])
{
	const char *dev = get_str(o, "dev");
	if (!dev)
		return;
	bool arrival = !strcmp(kind, "present") || !strcmp(kind, "arrival");
	e->slot = slot_for(r, dev, open);
	if (e->slot < 0)
		return;
	struct rp_slot *s = &r->slot[e->slot];
	if (arrival) {
		e->kind = kind[0] == 'p' ? RP_PRESENT : RP_ARRIVAL;
	} else if (!strcmp(kind, "departure")) {
		e->kind = RP_DEPARTURE;
		open[e->slot] = false;
	} else if (!strcmp(kind, "device") && !s->device) {
		s->device = o;
	} else if (!strcmp(kind, "config") && !s->config) {
		s->config = o;
	} else if (!strcmp(kind, "string") && get_int(o, "status", -1) >= 0) {
		int i = get_int(o, "index", 0);
		if (i > 0 && i < USBSIM_MAX_STRINGS && !s->strings[i])
			s->strings[i] = get_str(o, "text");
	} else if (!strcmp(kind, "control")) {
		e->type = (uint8_t)get_int(o, "type", 0);
		e->request = (uint8_t)get_int(o, "request", 0);
		e->value = (uint16_t)get_int(o, "value", 0);
		e->index = (uint16_t)get_int(o, "index", 0);
		e->length = (uint16_t)get_int(o, "length", 0);
		e->in = e->type & 0x80;
		/* standard requests (USB 2.0 §9.4) are answered by the bus layer, not a model */
		e->kind = (e->type & 0x60) == 0 ? RP_STANDARD : RP_CONTROL;
		/* a HID report descriptor (HID 1.11 §7.1.1) read this way is the device's */
		if (e->kind == RP_STANDARD && e->request == 6 && e->value >> 8 == 0x22 && e->has_data &&
		    e->data_len <= sizeof s->hid_report && !s->hid_report_len) {
			memcpy(s->hid_report, e->data, e->data_len);
			s->hid_report_len = e->data_len;
		}
	} else if (!strcmp(kind, "bulk") || !strcmp(kind, "interrupt")) {
		e->kind = kind[0] == 'b' ? RP_BULK : RP_INTERRUPT;
		e->ep = (uint8_t)get_int(o, "ep", 0);
		e->in = e->ep & 0x80;
		e->length = (uint16_t)get_int(o, "length", 0);
		e->done = get_int(o, "done", 0);
	}
}

/* A serial port belongs to the USB device it hangs below ("dev"); its writes and reads are
 * matched and answered in order. */
static void read_serial_line(struct replay *r, struct rp_entry *e, json_t *o, const char *kind,
                             bool open[])
{
	const char *name = get_str(o, "port");
	if (!name)
		return;
	if (!strcmp(kind, "port")) {
		e->slot = slot_for(r, get_str(o, "dev") ? get_str(o, "dev") : name, open);
		if (e->slot >= 0 && !r->slot[e->slot].tty_line)
			r->slot[e->slot].tty_line = o;
		return;
	}
	for (int i = r->nslots - 1; i >= 0 && e->slot < 0; i--)
		if (r->slot[i].tty_line && !strcmp(get_str(r->slot[i].tty_line, "port"), name))
			e->slot = i;
	if (!strcmp(kind, "write")) {
		e->kind = RP_SERIAL_WRITE;
		e->length = (uint16_t)get_int(o, "length", 0);
	} else if (!strcmp(kind, "read")) {
		e->kind = RP_SERIAL_READ;
		e->in = true;
	}
}

static int read_header(json_t *h, const char *file, struct replay *r, char *why, size_t why_len)
{
	const char *format = h ? get_str(h, "format") : NULL;
	if (!format || strcmp(format, REPLAY_FORMAT)) {
		snprintf(why, why_len, "%s is not a recording of openmv-rescue --record (its first line "
		         "has no \"format\": \"%s\")", file, REPLAY_FORMAT);
		return -1;
	}
	int v = get_int(h, "version", 0);
	if (v < 1 || v > REPLAY_VERSION) {
		snprintf(why, why_len, "%s is a recording of format version %d; this simulator reads "
		         "versions 1 to %d", file, v, REPLAY_VERSION);
		return -1;
	}
	const char *board = get_str(h, "board");
	snprintf(r->header_board, sizeof r->header_board, "%s", board ? board : "");
	return 0;
}

static void read_entry(struct replay *r, struct rp_entry *e, json_t *o, bool open[])
{
	const char *bus = get_str(o, "bus"), *kind = get_str(o, "kind"), *data = get_str(o, "data"),
	           *sha = get_str(o, "sha256");
	e->slot = -1;
	e->n = get_int(o, "n", 0);
	e->t_us = json_integer_value(json_object_get(o, "t_us"));
	e->status = get_int(o, "status", 0);
	if (data)
		e->has_data = unhex(data, &e->data, &e->data_len);
	if (sha)
		snprintf(e->sha256, sizeof e->sha256, "%s", sha);
	if (bus && kind && !strcmp(bus, "usb"))
		read_usb_line(r, e, o, kind, open);
	else if (bus && kind && !strcmp(bus, "serial"))
		read_serial_line(r, e, o, kind, open);
}

struct replay *replay_load(const char *file, char *why, size_t why_len)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		snprintf(why, why_len, "cannot read the recording %s: %s", file, strerror(errno));
		return NULL;
	}
	struct replay *r = calloc(1, sizeof *r);
	r->lines = json_array();
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;
	bool open[REPLAY_MAX_SLOTS] = {false};
	while (getline(&line, &cap, f) > 0) {
		json_error_t jerr;
		json_t *o = json_loads(line, 0, &jerr);
		lineno++;
		if (!json_is_object(o)) {
			snprintf(why, why_len, "%s line %d is not a JSON object (%s)", file, lineno, jerr.text);
			json_decref(o);
			goto bad;
		}
		json_array_append_new(r->lines, o);
		if (lineno == 1) {
			if (read_header(o, file, r, why, why_len))
				goto bad;
			continue;
		}
		struct rp_entry *grown = realloc(r->e, sizeof *r->e * (size_t)(r->n + 1));
		if (!grown)
			goto bad;
		r->e = grown;
		memset(&r->e[r->n], 0, sizeof r->e[0]);
		read_entry(r, &r->e[r->n++], o, open);
	}
	if (lineno == 0) {
		snprintf(why, why_len, "%s is empty, not a recording", file);
		goto bad;
	}
	free(line);
	fclose(f);
	return r;
bad:
	free(line);
	fclose(f);
	replay_free(r);
	return NULL;
}

void replay_free(struct replay *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n; i++)
		free(r->e[i].data);
	free(r->e);
	json_decref(r->lines);
	free(r);
}
