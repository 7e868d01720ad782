/* identity_dfu.c — see identity_dfu.h. */
#include "io/usb_io.h"
#include "identity_dfu.h"

#include <stdio.h>
#include <string.h>

#include "usbdev.h"

int identity_dfu_read(libusb_device_handle *h, const struct libusb_config_descriptor *cfg, uint8_t intf,
                      const struct dfu_func_desc *fd, struct ident_dfu *out, struct rs_error *err)
{
	static _Thread_local struct dfu_alt alts[IDENT_MAX_ALTS]; /* 4 KiB of names: not on a worker's
	                                                           * stack; one per thread (--all) */
	size_t n = 0;
	memset(out, 0, sizeof *out);
	int r = dfu_list_alts(h, cfg, intf, alts, IDENT_MAX_ALTS, &n, err);
	if (r)
		return r;
	/* names by alt number; a gap in the numbering counts as a nameless alt */
	for (size_t i = 0; i < n; i++)
		if (alts[i].alt < IDENT_MAX_ALTS) {
			snprintf(out->names[alts[i].alt], sizeof out->names[0], "%s", alts[i].name);
			if (alts[i].alt + 1 > out->nalts)
				out->nalts = alts[i].alt + 1;
		}
	out->transfer_size = fd->transfer_size;
	struct libusb_device_descriptor dd;
	r = usb_io_device_descriptor(usb_io_device(h), &dd);
	if (r)
		return usbdev_error(err, r, "reading its device descriptor");
	out->bcd_device = dd.bcdDevice;
	return 0;
}

int identity_dfu_verify(struct run_ctx *rc, enum usb_mode mode, libusb_device_handle *h,
                        const struct libusb_config_descriptor *cfg, uint8_t intf,
                        const struct dfu_func_desc *fd, struct rs_error *err)
{
	static _Thread_local struct ident_dfu id; /* one per run's thread (--all) */
	char why[400], found[400];
	bool openmv = mode == USB_BOOTLOADER;
	if (!openmv && mode != USB_ST_ROM && mode != USB_ARDUINO_DFU)
		return 0;
	int r = identity_dfu_read(h, cfg, intf, fd, &id, err);
	if (r)
		return r;
	identity_describe_dfu(&id, openmv, found, sizeof found);
	run_log(rc, RUN_LOG_DEVICE, "identity: %s", found);
	r = openmv ? identity_check_openmv_dfu(rc->plan->board, &id, why, sizeof why)
	           : identity_check_dfuse(rc->plan, mode, &id, why, sizeof why);
	if (r)
		return rs_fail(err, RS_E_INPUT, "%s; nothing was written", why);
	return 0;
}

static int probe_device(libusb_device *dev, const struct plan *p, enum usb_mode mode, char *found, size_t fn,
                        char *why, size_t wn)
{
	static _Thread_local struct ident_dfu id; /* one per run's thread (--all) */
	struct libusb_config_descriptor *cfg;
	libusb_device_handle *h;
	struct dfu_func_desc fd;
	struct rs_error e;
	int r = 0, intf = -1;
	if (usb_io_config(dev, 0, &cfg))
		return 0;
	intf = dfu_find_interface(cfg);
	if (intf >= 0 && !dfu_find_func_desc(cfg, (uint8_t)intf, &fd, &e) && !usb_io_open(dev, &h)) {
		if (!identity_dfu_read(h, cfg, (uint8_t)intf, &fd, &id, &e)) {
			identity_describe_dfu(&id, mode == USB_BOOTLOADER, found, fn);
			r = (mode == USB_BOOTLOADER ? identity_check_openmv_dfu(p->board, &id, why, wn)
			                            : identity_check_dfuse(p, mode, &id, why, wn)) ? -1 : 1;
		}
		usb_io_close(h);
	}
	usb_io_free_config(cfg);
	return r;
}

int identity_probe(const struct plan *p, char *found, size_t fn, char *why, size_t wn)
{
	enum usb_mode mode = USB_MODE_COUNT;
	for (int i = 0; i < p->nsteps && mode == USB_MODE_COUNT; i++)
		if (p->steps[i].kind == STEP_DFU_DOWNLOAD || p->steps[i].kind == STEP_DFUSE_WRITE ||
		    p->steps[i].kind == STEP_DFUSE_FILE)
			mode = p->steps[i].mode;
	libusb_context *c;
	if (mode == USB_MODE_COUNT || libusb_init(&c))
		return 0;
	libusb_device **list;
	ssize_t n = usb_io_device_list(c, &list);
	int r = 0;
	const struct usb_ids *ids = &p->board->usb[mode];
	for (ssize_t i = 0; i < n && !r; i++) {
		struct libusb_device_descriptor d;
		if (usb_io_device_descriptor(list[i], &d))
			continue;
		for (int k = 0; k < ids->n && !r; k++)
			if (ids->id[k].vid == d.idVendor && ids->id[k].pid == d.idProduct)
				r = probe_device(list[i], p, mode, found, fn, why, wn);
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	libusb_exit(c);
	return r;
}
