/* usbdev.c — see usbdev.h. */
#include "io/usb_io.h"
#include "usbdev.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "udev_rules.h"

int usbdev_error(struct rs_error *err, int rc, const char *doing)
{
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return rs_fail(err, RS_E_GONE, "the device disconnected while %s", doing);
	case LIBUSB_ERROR_TIMEOUT:
		return rs_fail(err, RS_E_TIMEOUT, "the device did not answer while %s", doing);
	case LIBUSB_ERROR_PIPE:
		return rs_fail(err, RS_E_PROTOCOL, "the device refused (stalled) the request while %s", doing);
	case LIBUSB_ERROR_ACCESS: {
		char fix[400];
		udev_fix_command(fix, sizeof fix);
		return rs_fail(err, RS_E_ACCESS, "no permission to use the device while %s: install the udev "
		               "rules with: %s", doing, fix);
	}
	case LIBUSB_ERROR_BUSY:
		return rs_fail(err, RS_E_ACCESS, "the device is in use by another program while %s "
		               "(close OpenMV IDE or any other flasher)", doing);
	default:
		return rs_fail(err, RS_E_IO, "USB error while %s: %s", doing, libusb_strerror(rc));
	}
}

static bool id_matches(const struct usb_ids *ids, uint16_t vid, uint16_t pid)
{
	for (int i = 0; i < ids->n; i++)
		if (ids->id[i].vid == vid && ids->id[i].pid == pid)
			return true;
	return false;
}

bool usbdev_present(libusb_context *ctx, const struct usb_ids *ids)
{
	libusb_device **list;
	ssize_t n = usb_io_device_list(ctx, &list);
	bool found = false;
	for (ssize_t i = 0; i < n && !found; i++) {
		struct libusb_device_descriptor d;
		if (!usb_io_device_descriptor(list[i], &d))
			found = id_matches(ids, d.idVendor, d.idProduct);
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	return found;
}

void usbdev_bus_path(libusb_device *dev, char *out, size_t n)
{
	uint8_t ports[8];
	int np = libusb_get_port_numbers(dev, ports, sizeof ports);
	size_t off = (size_t)snprintf(out, n, "%u", libusb_get_bus_number(dev));
	for (int i = 0; i < np && off < n; i++)
		off += (size_t)snprintf(out + off, n - off, "%c%u", i ? '.' : '-', ports[i]);
}

#define MAX_CANDIDATES 8

struct candidate {
	libusb_device_handle *h;
	struct libusb_device_descriptor desc;
	char sn[64];
	uint8_t bus, addr;
};

/* Several devices match: the front end's chooser picks one, or without a chooser the person is
 * asked for --serial.  Returns the index picked, or -1 with *rc set. */
static int choose(const struct candidate *c, int nc, usbdev_choose_fn chooser, void *chooser_ctx,
                  int *rc, struct rs_error *err)
{
	int pick = 0;
	char labels[MAX_CANDIDATES][128];
	const char *lp[MAX_CANDIDATES];
	for (int i = 0; i < nc; i++) {
		snprintf(labels[i], sizeof labels[i], "%04x:%04x serial %s (bus %u, device %u)",
		         c[i].desc.idVendor, c[i].desc.idProduct, c[i].sn[0] ? c[i].sn : "(none)",
		         c[i].bus, c[i].addr);
		lp[i] = labels[i];
	}
	if (chooser) {
		pick = chooser(chooser_ctx, lp, nc);
		if (pick < 0 || pick >= nc)
			*rc = rs_fail(err, RS_E_CANCELLED, "no device was chosen; nothing was done");
	} else {
		char list_sn[400] = "";
		size_t off = 0;
		for (int i = 0; i < nc && off < sizeof list_sn; i++)
			off += (size_t)snprintf(list_sn + off, sizeof list_sn - off, "%s%s", i ? ", " : "",
			                        c[i].sn[0] ? c[i].sn : "(none)");
		*rc = rs_fail(err, RS_E_INPUT, "%d devices %04x:%04x are connected: choose one with --serial "
		              "(serial numbers: %s), or unplug the others", nc, c[0].desc.idVendor,
		              c[0].desc.idProduct, list_sn);
		pick = -1;
	}
	return pick;
}

/* Try once: open the matching device (with the wanted serial; when several match, the one
 * chosen).  Returns 0, 1 = none, <0 error. */
static int try_open(struct usbdev *d, const struct usb_ids *ids, const struct usbdev_pick *want,
                    struct rs_error *err)
{
	const char *serial = want ? want->serial : NULL;
	usbdev_choose_fn chooser = want ? want->choose : NULL;
	void *chooser_ctx = want ? want->choose_ctx : NULL;
	libusb_device **list;
	ssize_t n = usb_io_device_list(d->ctx, &list);
	struct candidate c[MAX_CANDIDATES];
	int nc = 0, rc = 1;
	for (ssize_t i = 0; i < n && nc < MAX_CANDIDATES; i++) {
		struct libusb_device_descriptor desc;
		if (usb_io_device_descriptor(list[i], &desc) ||
		    !id_matches(ids, desc.idVendor, desc.idProduct))
			continue;
		if (want && want->bus_path) {
			char path[32];
			usbdev_bus_path(list[i], path, sizeof path);
			if (strcmp(path, want->bus_path))
				continue;
		}
		libusb_device_handle *h;
		int r = usb_io_open(list[i], &h);
		if (r == LIBUSB_ERROR_ACCESS) { /* name the node: the person can check it with ls -l */
			char node[40], fix[400];
			udev_usb_node(libusb_get_bus_number(list[i]), libusb_get_device_address(list[i]), node,
			              sizeof node);
			udev_fix_command(fix, sizeof fix);
			rc = rs_fail(err, RS_E_ACCESS, "no permission to open %s (USB %04x:%04x): install the udev "
			             "rules with: %s", node, desc.idVendor, desc.idProduct, fix);
			continue;
		}
		if (r) {
			if (r != LIBUSB_ERROR_NO_DEVICE) /* vanished between listing and opening: skip */
				rc = usbdev_error(err, r, "opening it");
			continue;
		}
		char sn[64] = "";
		if (desc.iSerialNumber)
			usb_io_string_ascii(h, desc.iSerialNumber, (unsigned char *)sn, sizeof sn);
		if (serial && strcmp(serial, sn)) {
			usb_io_close(h);
			continue;
		}
		c[nc].h = h;
		c[nc].desc = desc;
		snprintf(c[nc].sn, sizeof c[nc].sn, "%s", sn);
		c[nc].bus = libusb_get_bus_number(list[i]);
		c[nc].addr = libusb_get_device_address(list[i]);
		nc++;
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	int pick = nc ? 0 : -1;
	if (nc > 1)
		pick = choose(c, nc, chooser, chooser_ctx, &rc, err);
	for (int i = 0; i < nc; i++) {
		if (i != pick) {
			usb_io_close(c[i].h);
			continue;
		}
		d->handle = c[i].h;
		d->vid = c[i].desc.idVendor;
		d->pid = c[i].desc.idProduct;
		snprintf(d->serial, sizeof d->serial, "%s", c[i].sn);
		rc = 0;
	}
	return rc;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Hotplug: note that something arrived, so the wait loop looks at once. */
static int LIBUSB_CALL on_arrival(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event ev,
                                  void *user)
{
	(void)ctx;
	(void)dev;
	(void)ev;
	*(int *)user = 1;
	return 0; /* stay registered */
}

int usbdev_open_wait(struct usbdev *d, const struct usb_ids *ids, const struct usbdev_pick *pick,
                     int timeout_ms, usbdev_stop_fn stop, void *stop_ctx, struct rs_error *err)
{
	memset(d, 0, sizeof *d);
	d->interface = -1;
	int r = libusb_init(&d->ctx);
	if (r)
		return usbdev_error(err, r, "starting libusb");
	/* Where libusb has hotplug, sleep until a device arrives (the bootloader is then opened
	 * within milliseconds of enumerating); otherwise scan every 5 ms.  Either way a rescan
	 * runs at least every 20 ms, so nothing depends on an event being delivered. */
	int arrived = 0;
	libusb_hotplug_callback_handle cb = 0;
	bool hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
	               usb_io_hotplug_register(d->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0,
	                                                LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
	                                                LIBUSB_HOTPLUG_MATCH_ANY, on_arrival, &arrived,
	                                                &cb) == LIBUSB_SUCCESS;
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		arrived = 0;
		r = try_open(d, ids, pick, err);
		if (r <= 0)
			break;
		if (stop && stop(stop_ctx)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the device");
			break;
		}
		if (now_ms() >= deadline) {
			r = rs_fail(err, RS_E_TIMEOUT, "no device %s%s appeared within %d s", ids->id[0].text,
			            ids->n > 1 ? " (or its other IDs)" : "", timeout_ms / 1000);
			break;
		}
		if (hotplug) {
			struct timeval tv = {0, 20 * 1000};
			usb_io_handle_events(d->ctx, &tv, &arrived);
		} else {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (hotplug)
		usb_io_hotplug_deregister(d->ctx, cb);
	if (r < 0) {
		libusb_exit(d->ctx);
		d->ctx = NULL;
	}
	return r;
}

int usbdev_claim(struct usbdev *d, int intf, struct rs_error *err)
{
	int r = usb_io_kernel_driver_active(d->handle, intf);
	if (r == 1) {
		r = usb_io_detach_kernel_driver(d->handle, intf);
		if (r)
			return usbdev_error(err, r, "detaching the kernel driver");
		d->reattach = true;
	}
	r = usb_io_claim(d->handle, intf);
	if (r)
		return usbdev_error(err, r, "claiming the interface");
	d->interface = intf;
	return 0;
}

void usbdev_abandon(struct usbdev *d)
{
	d->abandoned = true;
}

/* Abandoned handles and their contexts stay reachable here, for the process's life: a
 * vanished camera costs a few kilobytes, a close could cost the program (usbdev.h). */
#define MAX_ABANDONED 16
static struct {
	libusb_context *ctx;
	libusb_device_handle *handle;
} abandoned[MAX_ABANDONED];

static pthread_mutex_t abandoned_lock = PTHREAD_MUTEX_INITIALIZER; /* runs of --all, one thread each */

static void keep_abandoned(struct usbdev *d)
{
	pthread_mutex_lock(&abandoned_lock);
	for (int i = 0; i < MAX_ABANDONED; i++)
		if (!abandoned[i].handle) {
			abandoned[i].ctx = d->ctx;
			abandoned[i].handle = d->handle;
			break;
		}
	pthread_mutex_unlock(&abandoned_lock);
}

void usbdev_close(struct usbdev *d)
{
	if (d->abandoned && d->handle) {
		keep_abandoned(d);
		memset(d, 0, sizeof *d);
		d->interface = -1;
		return;
	}
	if (d->handle) {
		if (d->interface >= 0)
			usb_io_release(d->handle, d->interface);
		if (d->reattach && d->interface >= 0)
			usb_io_attach_kernel_driver(d->handle, d->interface);
		usb_io_close(d->handle);
	}
	if (d->ctx)
		libusb_exit(d->ctx);
	memset(d, 0, sizeof *d);
	d->interface = -1;
}
