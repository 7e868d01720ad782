/* identity_dfu.c — see identity_dfu.h. */
#include "identity_dfu.h"

#include <stdio.h>
#include <string.h>

#include "usbdev.h"

int identity_dfu_read(libusb_device_handle *h, const struct libusb_config_descriptor *cfg, uint8_t intf,
                      const struct dfu_func_desc *fd, struct ident_dfu *out, struct rs_error *err)
{
	static struct dfu_alt alts[IDENT_MAX_ALTS]; /* 4 KiB of names: not on a worker's stack */
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
	r = libusb_get_device_descriptor(libusb_get_device(h), &dd);
	if (r)
		return usbdev_error(err, r, "reading its device descriptor");
	out->bcd_device = dd.bcdDevice;
	return 0;
}

int identity_dfu_verify(struct run_ctx *rc, enum usb_mode mode, libusb_device_handle *h,
                        const struct libusb_config_descriptor *cfg, uint8_t intf,
                        const struct dfu_func_desc *fd, struct rs_error *err)
{
	static struct ident_dfu id;
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
