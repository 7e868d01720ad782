/* replay_priv.h — what replay_load.c and replay_usb.c share (see replay.h). */
#ifndef REPLAY_PRIV_H
#define REPLAY_PRIV_H

#include <jansson.h>
#include <stdint.h>

#include "replay.h"
#include "usbsim.h"

/* The recording's "version" this replay reads (src/io/io_record.h IO_RECORD_VERSION). */
#define REPLAY_FORMAT "openmv-rescue-recording"
#define REPLAY_VERSION 1
#define REPLAY_MAX_SLOTS 16

enum rp_kind {
	RP_OTHER,      /* seen by the host only (descriptor reads, open, claim, notes, serial) */
	RP_CONTROL,    /* a class or vendor control request: the device answers it */
	RP_STANDARD,   /* a standard control request: the bus layer answers it from the descriptors */
	RP_BULK, RP_INTERRUPT,
	RP_PRESENT, RP_ARRIVAL, RP_DEPARTURE,
	RP_SERIAL_WRITE, RP_SERIAL_READ, /* on the serial port of the entry's slot */
};

struct rp_entry {
	enum rp_kind kind;
	int n;                 /* the exchange number in the recording ("n"), 0 for none */
	int slot;              /* the device, -1 for none */
	long long t_us;
	bool in;
	uint8_t type, request, ep;
	uint16_t value, index, length;
	int status, done;
	uint8_t *data;         /* the payload's bytes, when recorded */
	size_t data_len;
	bool has_data;
	char sha256[65];       /* the payload's hash ("" for none) */
	bool consumed;
};

/* A USB device of the recording, from its arrival (or the start) to its departure. */
struct rp_slot {
	char name[16];          /* the recording's "bus-address" */
	json_t *device, *config; /* its descriptor lines, NULL when never read */
	const char *strings[USBSIM_MAX_STRINGS];
	uint8_t hid_report[512];
	size_t hid_report_len;
	bool departed, plugged, scheduled_in, scheduled_out;
	int port;
	struct usbsim_dev *dev;
	struct replay *owner;
	int last;               /* the entry last answered for it, -1 for none */
	json_t *tty_line;       /* its serial port's line ("kind":"port"), NULL for none */
	struct ttysim *tty;
	uint8_t rx[65536];      /* bytes the host wrote not yet matched with the recording */
	size_t rxlen;
};

struct replay {
	json_t *lines;          /* every line, kept: the strings above point into it */
	struct rp_entry *e;
	int n;
	struct rp_slot slot[REPLAY_MAX_SLOTS];
	int nslots;
	int cursor;             /* the first entry not yet answered */
	struct usbsim *sim;
	bool diverged;
	unsigned answered;
	long long start_us;     /* when the replay started, on the host's clock */
	char header_board[64];
};

/* A request as the host made it, in the terms of an entry, for matching and for the line. */
struct rp_request {
	enum rp_kind kind;
	bool in;
	uint8_t type, request, ep;
	uint16_t value, index, length;
	char sha256[65];
};
void rp_diverge(struct replay *r, int at, const struct rp_request *q);
void rp_answered(struct replay *r, struct rp_slot *s, int at);

/* replay_serial.c: the serial port of a slot */
int rp_tty_add(struct replay *r, struct rp_slot *s);
void rp_tty_remove(struct rp_slot *s);
void rp_tty_free_all(struct replay *r);
void rp_push_reads(struct replay *r, struct rp_slot *s);
bool rp_is_wire(const struct rp_entry *e);
int rp_next_wire(const struct replay *r, int from);

/* replay_usb.c: the device side; replay_bus.c: plugging, departures and arrivals */
extern const struct usbsim_model_ops rp_ops;
void rp_push_ins(struct replay *r, struct rp_slot *s);
int rp_plug(struct replay *r, struct rp_slot *s, char *why, size_t why_len);
void rp_after(struct replay *r, int from, long long t_ref_us);
long long rp_now_us(void);

#endif
