/* devlist.c — see devlist.h. */
#include "io/usb_io.h"
#include "devlist.h"

#include <libusb.h>
#include <stdio.h>
#include <string.h>

#include "identity.h"

/* The process's scan context (usb_io_scan_context). */
static libusb_context *ctx(void)
{
	return usb_io_scan_context();
}

/* A DFU interface (class 0xFE, subclass 0x01: DFU 1.1 §4.2.1) in its first configuration. */
static bool has_dfu_interface(libusb_device *dev)
{
	struct libusb_config_descriptor *cfg;
	if (usb_io_config(dev, 0, &cfg))
		return false;
	bool dfu = false;
	for (int i = 0; i < cfg->bNumInterfaces && !dfu; i++)
		for (int a = 0; a < cfg->interface[i].num_altsetting && !dfu; a++)
			dfu = cfg->interface[i].altsetting[a].bInterfaceClass == 0xFE &&
			      cfg->interface[i].altsetting[a].bInterfaceSubClass == 0x01;
	usb_io_free_config(cfg);
	return dfu;
}

static void name_by_board(const struct boarddb *db, struct devinfo *x)
{
	struct board_match m[DEVLIST_BOARDS];
	int n = boarddb_match_usb(db, x->vid, x->pid, m, DEVLIST_BOARDS);
	x->ncandidates = n < DEVLIST_BOARDS ? n : DEVLIST_BOARDS;
	for (int i = 0; i < x->ncandidates; i++)
		x->candidates[i] = m[i].board->target;
	x->mode = n ? m[0].mode : USB_MODE_COUNT;
	x->board = n == 1 ? m[0].board : NULL;
}

static void bus_path(libusb_device *dev, char *buf, size_t n)
{
	uint8_t ports[8];
	int np = libusb_get_port_numbers(dev, ports, 8);
	size_t off = (size_t)snprintf(buf, n, "%u", libusb_get_bus_number(dev));
	for (int i = 0; i < np && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%c%u", i ? '.' : '-', ports[i]);
}

int devlist_scan(const struct boarddb *db, struct devinfo *out, int max)
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
		struct devinfo *x = &out[k];
		memset(x, 0, sizeof *x);
		x->vid = d.idVendor, x->pid = d.idProduct, x->bcd_device = d.bcdDevice;
		name_by_board(db, x);
		if (!x->ncandidates && !has_dfu_interface(list[i]))
			continue;
		x->bus = libusb_get_bus_number(list[i]);
		x->address = libusb_get_device_address(list[i]);
		bus_path(list[i], x->bus_path, sizeof x->bus_path);
		if (x->mode == USB_BOOTLOADER) /* bcdDevice is the openmv_dfu bootloader's version */
			identity_version_text(d.bcdDevice, x->bootloader_version, sizeof x->bootloader_version);
		libusb_device_handle *h;
		int r = usb_io_open(list[i], &h);
		x->may_open = r != LIBUSB_ERROR_ACCESS;
		if (!r) {
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

const char *devinfo_name(const struct devinfo *d)
{
	if (d->board)
		return d->board->name;
	if (d->ncandidates)
		return d->mode == USB_ST_ROM ? "an STM32 camera" : "one of several boards";
	return "unknown DFU device";
}

const char *devinfo_mode(const struct devinfo *d)
{
	return d->mode == USB_MODE_COUNT ? "DFU" : usb_mode_label(d->mode);
}

const char *devlist_permission_fix(void)
{
	return "install the udev rules: sudo cp assets/udev/70-openmv-rescue.rules /etc/udev/rules.d/ && "
	       "sudo udevadm control --reload-rules && sudo udevadm trigger (or run as root)";
}
