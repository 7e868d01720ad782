/* Internals shared by usbsim.c (bus, plugging, sim thread) and usbsim_ioctl.c
 * (the usbfs ioctls).  Not for models or tests. */
#ifndef USBSIM_PRIV_H
#define USBSIM_PRIV_H

#include <umockdev.h>

#include "usbsim.h"

struct usbsim_urb {
	struct usbsim_urb *next;
	UMockdevIoctlData *data; /* the struct usbdevfs_urb, resolved from the client */
	UMockdevIoctlData *buf;  /* its buffer (NULL when buffer_length is 0) */
	unsigned long addr;      /* the URB's address in the client: DISCARDURB names it */
	struct usbsim_client *cl;
	uint8_t type, ep;
	int status, actual;      /* the result to report once complete */
	unsigned job;            /* delayed completion, 0 = none */
	bool done;               /* moved to the completed list */
};

/* One open file descriptor on the device node: a libusb device handle. */
struct usbsim_client {
	struct usbsim_client *next;
	struct usbsim_dev *dev;
	struct usbsim_urb *pending;   /* submitted, not complete */
	struct usbsim_urb *completed; /* complete, waiting for REAPURB, in order */
	/* A REAPURBNDELAY that found nothing complete while a URB was in flight: answered when
	 * one completes (or after USBSIM_REAP_HOLD_MS), see usbsim_reap_urb. */
	UMockdevIoctlClient *held_reap;
	UMockdevIoctlData *held_ptr;
	unsigned held_job;
	/* when the ioctl being handled reached us, before its URB and buffer were fetched from
	 * the client (umockdev's round trips, which a kernel's copy does not take) */
	unsigned long long arrival_ns;
	bool closed;
};

/* A claim that met another handle's claim: held until that handle closes (the old
 * process's close() may not have reached us yet) or the grace time ends (EBUSY). */
struct usbsim_waiting_claim {
	struct usbsim_waiting_claim *next;
	UMockdevIoctlClient *client;
	struct usbsim_client *cl;
	unsigned intf;
	unsigned job;
};

struct usbsim_inq {
	struct usbsim_inq *next;
	uint8_t ep;
	size_t len;
	uint8_t data[];
};

struct usbsim_count {
	uint16_t key; /* bmRequestType << 8 | bRequest */
	unsigned n;
};

struct usbsim_dev {
	struct usbsim_dev *next;
	struct usbsim *sim;
	struct usbsim_identity id; /* strings and config owned (copied) */
	uint8_t *config;
	const struct usbsim_model_ops *ops;
	void *model;
	int port, devnum;
	unsigned long long bus_free_ns; /* the virtual bus clock: when its last reply is due */
	char syspath[128], devnode[64];
	bool present;
	bool removed; /* its sysfs entry is gone (the sim thread did it) */
	UMockdevIoctlBase *handler;

	int n_intf;
	int n_alts[USBSIM_MAX_INTERFACES];
	int cur_alt[USBSIM_MAX_INTERFACES];
	struct usbsim_client *claimed_by[USBSIM_MAX_INTERFACES];
	char driver[USBSIM_MAX_INTERFACES][32]; /* bound kernel driver, "" = none */

	struct usbsim_client *clients;
	struct usbsim_waiting_claim *waiting;
	struct usbsim_inq *inq;
	struct usbsim_count counts[64];
	int n_counts;
};

struct usbsim {
	UMockdevTestbed *tb;
	char *root;
	GRecMutex lock;
	GMainContext *ctx;
	GMainLoop *loop;
	GThread *thread;
	struct usbsim_dev *devs;
	int next_devnum;
	bool trace;
	bool bus_time;                   /* charge full-speed bus time (usbsim_bustime.c) */
	unsigned long long bus_ns_total; /* charged so far, every device */
	GHashTable *jobs; /* id -> GSource */
	unsigned next_job;
	GMainContext *ioctl_ctx; /* umockdev's worker thread, where the ioctls are answered */
};

/* usbsim_bustime.c: when a control transfer's reply is due (CLOCK_MONOTONIC ns), from its
 * arrival, the model's hold and (when bus time is on) its bus time; 0: at once. */
unsigned long long usbsim_reply_due(struct usbsim_dev *dev, unsigned long long arrival_ns, unsigned hold_us,
				    int res);

/* usbsim.c: fn(arg) at an absolute time on the thread that answers the ioctls (the sim
 * thread until the first ioctl): a reply then goes out without waking another thread. */
unsigned usbsim_schedule_reply(struct usbsim *sim, unsigned long long when_ns, void (*fn)(void *), void *arg);

/* usbsim_urb.c: requests and URBs (lock held) */
int usbsim_set_interface(struct usbsim_dev *dev, int intf, int alt); /* 0 or -EINVAL */
int usbsim_submit_urb(struct usbsim_client *cl, UMockdevIoctlData *arg);
int usbsim_discard_urb(struct usbsim_client *cl, UMockdevIoctlData *arg);
/* INT_MIN: held, answered later (usbsim_release_reap). */
int usbsim_reap_urb(struct usbsim_client *cl, UMockdevIoctlClient *c, UMockdevIoctlData *arg);
void usbsim_release_reap(struct usbsim_client *cl, long res, int err);
/* USBDEVFS_CONTROL: the result, or INT_MIN when the reply is completed later. */
long usbsim_sync_control(struct usbsim_client *cl, UMockdevIoctlClient *c, UMockdevIoctlData *arg, int *err);
void usbsim_urbs_flush(struct usbsim_dev *dev);
void usbsim_urbs_drop(struct usbsim_client *cl);

/* uevent_guard.c: resolve the real connect()/sendmsg() (and link the guard in). */
void usbsim_uevent_guard_init(void);

/* usbsim_ioctl.c */
void usbsim_attach_handler(struct usbsim_dev *dev);
/* Fail everything in flight with -ESHUTDOWN; called with the lock held. */
void usbsim_flush_on_unplug(struct usbsim_dev *dev);
void usbsim_client_free_all(struct usbsim_dev *dev);

#define SIM_TRACE(sim, ...) \
	do { \
		if ((sim)->trace) \
			fprintf(stderr, "[usbsim %lld] ", (long long)(g_get_monotonic_time() / 1000 % 100000)), fprintf(stderr, __VA_ARGS__); \
	} while (0)

#endif
