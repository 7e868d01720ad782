/* detect.c — see detect.h.  Plain polling of the device list; cheap enough at 20 Hz. */
#include "io/usb_io.h"
#include "detect.h"

#include <libusb.h>
#include <stdio.h>
#include <string.h>

#include "identity.h"

/* The process's scan context (usb_io_scan_context). */
static libusb_context *ctx(void)
{
	return usb_io_scan_context();
}

int detect_scan(const struct boarddb *db, struct detected *out, int max)
{
	libusb_device **list;
	if (!ctx())
		return 0;
	ssize_t n = usb_io_device_list(ctx(), &list);
	int k = 0;
	for (ssize_t i = 0; i < n && k < max; i++) {
		struct libusb_device_descriptor d;
		if (usb_io_device_descriptor(list[i], &d))
			continue;
		struct detected *x = &out[k];
		memset(x, 0, sizeof *x);
		x->nmatch = boarddb_match_usb(db, d.idVendor, d.idProduct, x->match, DETECT_MATCHES);
		if (!x->nmatch)
			continue;
		x->vid = d.idVendor;
		x->pid = d.idProduct;
		x->bus = libusb_get_bus_number(list[i]);
		x->address = libusb_get_device_address(list[i]);
		if (x->match[0].mode == USB_BOOTLOADER)
			identity_version_text(d.bcdDevice, x->bootloader_version, sizeof x->bootloader_version);
		libusb_device_handle *h;
		int r = usb_io_open(list[i], &h);
		if (r == LIBUSB_ERROR_ACCESS) {
			x->no_access = true;
		} else if (!r) {
			if (d.iSerialNumber)
				usb_io_string_ascii(h, d.iSerialNumber, (unsigned char *)x->serial,
				                                   sizeof x->serial);
			usb_io_close(h);
		}
		k++;
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	return k;
}

void detect_board_mode(const struct board *b, enum usb_mode mode, bool *present, char *other,
                       size_t other_n)
{
	enum usb_mode other_mode;
	detect_board_seen(b, mode, present, &other_mode, other, other_n);
}

void detect_board_seen(const struct board *b, enum usb_mode mode, bool *present,
                       enum usb_mode *other_mode, char *other, size_t other_n)
{
	*present = false;
	*other_mode = USB_MODE_COUNT;
	if (other_n)
		other[0] = '\0';
	libusb_device **list;
	if (!ctx())
		return;
	ssize_t n = usb_io_device_list(ctx(), &list);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		if (usb_io_device_descriptor(list[i], &d))
			continue;
		for (int m = 0; m < USB_MODE_COUNT; m++)
			for (int k = 0; k < b->usb[m].n; k++) {
				if (b->usb[m].id[k].vid != d.idVendor || b->usb[m].id[k].pid != d.idProduct)
					continue;
				if (m == (int)mode)
					*present = true;
				else if (*other_mode == USB_MODE_COUNT) {
					*other_mode = (enum usb_mode)m;
					if (other_n)
						snprintf(other, other_n, "%s %s", usb_mode_label((enum usb_mode)m),
						         b->usb[m].id[k].text);
				}
			}
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
}

int detect_board_modes(const struct board *b, bool seen[USB_MODE_COUNT])
{
	memset(seen, 0, sizeof(bool) * USB_MODE_COUNT);
	libusb_device **list;
	ssize_t n = ctx() ? usb_io_device_list(ctx(), &list) : -1;
	if (n < 0)
		return -1;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		if (usb_io_device_descriptor(list[i], &d))
			continue;
		for (int m = 0; m < USB_MODE_COUNT; m++)
			for (int k = 0; k < b->usb[m].n; k++)
				if (b->usb[m].id[k].vid == d.idVendor && b->usb[m].id[k].pid == d.idProduct)
					seen[m] = true;
	}
	usb_io_free_device_list(list, 1);
	return 0;
}
