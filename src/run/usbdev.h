/* usbdev.h — finding, waiting for and opening the USB device a step talks to.
 *
 * Executors never enumerate USB themselves: they ask for "a device with one of these
 * VID:PIDs" and get an open, claimed handle.  Waiting uses libusb hotplug where the platform
 * has it (woken by the arrival, rescanning at least every 20 ms) and polls the device list
 * every 5 ms otherwise, so a bootloader that stays only ~1.5 s (seed 001; reference
 * alif-isp-openmv-ide-n6.md §2.2) is claimed as soon as it appears.
 */
#ifndef RESCUE_USBDEV_H
#define RESCUE_USBDEV_H

#include <libusb.h>
#include <stdbool.h>
#include <stdint.h>

#include "boarddb.h"
#include "error.h"

struct usbdev {
	libusb_context *ctx;
	libusb_device_handle *handle;
	uint16_t vid, pid;
	int interface;           /* the claimed interface, -1 if none */
	bool reattach;           /* a kernel driver was detached and must be reattached */
	bool abandoned;          /* never closed: see usbdev_abandon */
	char serial[64];
};

/* Called while waiting; return true to stop waiting (the user cancelled). */
typedef bool (*usbdev_stop_fn)(void *ctx);

/* Who picks a device when several match: returns the index chosen among n labels, or -1
 * to cancel. */
typedef int (*usbdev_choose_fn)(void *ctx, const char *const *labels, int n);

/* Which device a run wants, carried by each run (never global: several runs may wait at
 * once, one thread each).  serial: only the device with this USB serial number; bus_path:
 * only the device on this port ("1-3.2", for a device without a serial number); NULL:
 * any.  choose: who picks when several still match (NULL: nobody). */
struct usbdev_pick {
	const char *serial;
	const char *bus_path;
	usbdev_choose_fn choose;
	void *choose_ctx;
};

/* Wait up to timeout_ms for a device matching one of ids and pick (NULL: any), then open
 * it.  When several match, pick->choose picks one; without a chooser the call fails with
 * RS_E_INPUT naming the serials to pass with --serial.  Errors: RS_E_TIMEOUT (none
 * appeared), RS_E_ACCESS (present but not ours to open: the udev rules), RS_E_CANCELLED. */
int usbdev_open_wait(struct usbdev *d, const struct usb_ids *ids, const struct usbdev_pick *pick,
                     int timeout_ms, usbdev_stop_fn stop, void *stop_ctx, struct rs_error *err);

/* A device's bus path, "BUS-PORT.PORT..." as Linux names it in sysfs ("1-3.2"). */
void usbdev_bus_path(libusb_device *dev, char *out, size_t n);

/* Claim interface intf, detaching a bound kernel driver first (HID) and remembering to
 * reattach it on close. */
int usbdev_claim(struct usbdev *d, int intf, struct rs_error *err);

/* Release, reattach, close.  Safe on a device that has gone. */
void usbdev_close(struct usbdev *d);

/* The device vanished while its alternate setting was being selected: usbdev_close will keep
 * its handle and libusb context open for the rest of the process instead of closing them.
 * libusb 1.0.26 (Debian 12) unlocks a handle lock it never took when SET_INTERFACE meets a
 * device it knows is gone, and the libusb_close after that aborts the program in
 * usbi_mutex_destroy (libusb/libusb issue #1199, fixed by pull request #1200 in 1.0.27). */
void usbdev_abandon(struct usbdev *d);

/* Is a device with one of ids present right now? */
bool usbdev_present(libusb_context *ctx, const struct usb_ids *ids);

/* Turn a libusb error into an RS_E_* code with a message naming what was being done. */
int usbdev_error(struct rs_error *err, int libusb_rc, const char *doing);

#endif
