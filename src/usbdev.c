/* usbdev.c — see usbdev.h. */
#include "usbdev.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

int usbdev_error(struct rs_error *err, int rc, const char *doing)
{
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return rs_fail(err, RS_E_GONE, "the device disconnected while %s", doing);
	case LIBUSB_ERROR_TIMEOUT:
		return rs_fail(err, RS_E_TIMEOUT, "the device did not answer while %s", doing);
	case LIBUSB_ERROR_PIPE:
		return rs_fail(err, RS_E_PROTOCOL, "the device refused (stalled) the request while %s", doing);
	case LIBUSB_ERROR_ACCESS:
		return rs_fail(err, RS_E_ACCESS,
		               "no permission to open the device while %s: install the udev rules "
		               "(sudo cp assets/udev/70-openmv-rescue.rules /etc/udev/rules.d/ && "
		               "sudo udevadm control --reload-rules && sudo udevadm trigger) or run as root",
		               doing);
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
	ssize_t n = libusb_get_device_list(ctx, &list);
	bool found = false;
	for (ssize_t i = 0; i < n && !found; i++) {
		struct libusb_device_descriptor d;
		if (!libusb_get_device_descriptor(list[i], &d))
			found = id_matches(ids, d.idVendor, d.idProduct);
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	return found;
}

/* Try once: open the first matching device (with the wanted serial). 0, 1 = none, <0 error. */
static int try_open(struct usbdev *d, const struct usb_ids *ids, const char *serial,
                    struct rs_error *err)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(d->ctx, &list);
	int rc = 1;
	for (ssize_t i = 0; i < n && rc == 1; i++) {
		struct libusb_device_descriptor desc;
		if (libusb_get_device_descriptor(list[i], &desc) ||
		    !id_matches(ids, desc.idVendor, desc.idProduct))
			continue;
		libusb_device_handle *h;
		int r = libusb_open(list[i], &h);
		if (r) {
			rc = usbdev_error(err, r, "opening it");
			if (r == LIBUSB_ERROR_NO_DEVICE) /* vanished between listing and opening */
				rc = 1;
			continue;
		}
		char sn[64] = "";
		if (desc.iSerialNumber)
			libusb_get_string_descriptor_ascii(h, desc.iSerialNumber, (unsigned char *)sn, sizeof sn);
		if (serial && strcmp(serial, sn)) {
			libusb_close(h);
			continue;
		}
		d->handle = h;
		d->vid = desc.idVendor;
		d->pid = desc.idProduct;
		snprintf(d->serial, sizeof d->serial, "%s", sn);
		rc = 0;
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
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

int usbdev_open_wait(struct usbdev *d, const struct usb_ids *ids, const char *serial,
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
	               libusb_hotplug_register_callback(d->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0,
	                                                LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
	                                                LIBUSB_HOTPLUG_MATCH_ANY, on_arrival, &arrived,
	                                                &cb) == LIBUSB_SUCCESS;
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		arrived = 0;
		r = try_open(d, ids, serial, err);
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
			libusb_handle_events_timeout_completed(d->ctx, &tv, &arrived);
		} else {
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (hotplug)
		libusb_hotplug_deregister_callback(d->ctx, cb);
	if (r < 0) {
		libusb_exit(d->ctx);
		d->ctx = NULL;
	}
	return r;
}

int usbdev_claim(struct usbdev *d, int intf, struct rs_error *err)
{
	int r = libusb_kernel_driver_active(d->handle, intf);
	if (r == 1) {
		r = libusb_detach_kernel_driver(d->handle, intf);
		if (r)
			return usbdev_error(err, r, "detaching the kernel driver");
		d->reattach = true;
	}
	r = libusb_claim_interface(d->handle, intf);
	if (r)
		return usbdev_error(err, r, "claiming the interface");
	d->interface = intf;
	return 0;
}

void usbdev_close(struct usbdev *d)
{
	if (d->handle) {
		if (d->interface >= 0)
			libusb_release_interface(d->handle, d->interface);
		if (d->reattach && d->interface >= 0)
			libusb_attach_kernel_driver(d->handle, d->interface);
		libusb_close(d->handle);
	}
	if (d->ctx)
		libusb_exit(d->ctx);
	memset(d, 0, sizeof *d);
	d->interface = -1;
}
