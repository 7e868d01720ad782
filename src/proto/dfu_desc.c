/* dfu_desc.c — the DFU functional descriptor and the list of alternate settings.
 * Where to look and how to read it: reference dfu-dfuse-picoboot-samba.md §1.4. */
#include "io/usb_io.h"
#include "dfu.h"

#include <string.h>

/* Application-specific class 0xFE, subclass 0x01 = DFU (§1.4). */
#define DFU_IFACE_CLASS 0xFE
#define DFU_IFACE_SUBCLASS 0x01

bool dfu_parse_func_desc(const uint8_t *extra, int len, struct dfu_func_desc *out)
{
	int off = 0;
	while (extra && off + 2 <= len) {
		int blen = extra[off];
		if (blen < 2 || off + blen > len)
			return false; /* malformed chain: stop rather than read past the end */
		/* 7 bytes is a DFU 1.0 descriptor without bcdDFUVersion (§1.4). */
		if (extra[off + 1] == DFU_FUNC_DESC_TYPE && blen >= 7) {
			const uint8_t *d = extra + off;
			out->attributes = d[2];
			out->detach_timeout_ms = (uint16_t)(d[3] | d[4] << 8);
			out->transfer_size = (uint16_t)(d[5] | d[6] << 8);
			out->bcd_dfu = blen >= 9 ? (uint16_t)(d[7] | d[8] << 8) : 0x0100;
			return true;
		}
		off += blen;
	}
	return false;
}

static bool is_dfu_altsetting(const struct libusb_interface_descriptor *d)
{
	return d->bInterfaceClass == DFU_IFACE_CLASS &&
	       d->bInterfaceSubClass == DFU_IFACE_SUBCLASS;
}

static const struct libusb_interface *find_interface(const struct libusb_config_descriptor *cfg,
						     uint8_t intf)
{
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *it = &cfg->interface[i];
		if (it->num_altsetting > 0 && it->altsetting[0].bInterfaceNumber == intf)
			return it;
	}
	return NULL;
}

int dfu_find_interface(const struct libusb_config_descriptor *cfg)
{
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface_descriptor *a = &cfg->interface[i].altsetting[0];
		if (is_dfu_altsetting(a))
			return a->bInterfaceNumber;
	}
	return -1;
}

int dfu_find_func_desc(const struct libusb_config_descriptor *cfg, uint8_t intf,
		       struct dfu_func_desc *out, struct rs_error *err)
{
	if (dfu_parse_func_desc(cfg->extra, cfg->extra_length, out))
		return RS_OK;
	const struct libusb_interface *it = find_interface(cfg, intf);
	/* The ST ROM puts the descriptor once, after the last altsetting (§1.4). */
	for (int a = 0; it && a < it->num_altsetting; a++) {
		const struct libusb_interface_descriptor *d = &it->altsetting[a];
		if (is_dfu_altsetting(d) && dfu_parse_func_desc(d->extra, d->extra_length, out))
			return RS_OK;
	}
	return rs_fail(err, RS_E_PROTOCOL, "interface %u has no DFU functional descriptor, so "
		       "its transfer size is unknown", intf);
}

int dfu_list_alts(libusb_device_handle *h, const struct libusb_config_descriptor *cfg,
		  uint8_t intf, struct dfu_alt *alts, size_t max, size_t *n,
		  struct rs_error *err)
{
	*n = 0;
	const struct libusb_interface *it = find_interface(cfg, intf);
	if (!it)
		return rs_fail(err, RS_E_NOT_FOUND, "the device has no interface %u", intf);
	for (int a = 0; a < it->num_altsetting; a++) {
		const struct libusb_interface_descriptor *d = &it->altsetting[a];
		if (!is_dfu_altsetting(d))
			continue;
		if (*n < max) {
			struct dfu_alt *out = &alts[*n];
			out->alt = d->bAlternateSetting;
			out->protocol = d->bInterfaceProtocol;
			strcpy(out->name, "UNKNOWN"); /* dfu-util's name for a missing string */
			if (d->iInterface) {
				/* libusb turns non-ASCII UTF-16 into '?', as dfu-util does (§1.4). */
				int rc = usb_io_string_ascii(h, d->iInterface,
					(unsigned char *)out->name, sizeof out->name);
				if (rc == LIBUSB_ERROR_NO_DEVICE)
					return dfu_usb_error(rc, "reading the interface names", err);
				if (rc <= 0)
					strcpy(out->name, "UNKNOWN");
			}
		}
		(*n)++;
	}
	return RS_OK;
}
