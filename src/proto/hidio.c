/* hidio.c — see hidio.h. */
#include "io/usb_io.h"
#include "hidio.h"

#include <string.h>

/* HID 1.11 §7.2: class requests and descriptor types. */
#define HID_SET_REPORT 0x09
#define HID_REPORT_TYPE_OUTPUT 0x02
#define HID_DESC_HID 0x21
#define HID_DESC_REPORT 0x22

int hidio_usb_error(int rc, const char *doing, int timeout_ms, struct rs_error *err)
{
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return rs_fail(err, RS_E_GONE, "the device disconnected while %s", doing);
	case LIBUSB_ERROR_TIMEOUT:
		if (timeout_ms >= 1000)
			return rs_fail(err, RS_E_TIMEOUT, "the device did not answer within %d s while %s",
			               timeout_ms / 1000, doing);
		return rs_fail(err, RS_E_TIMEOUT, "the device did not answer within %d ms while %s",
		               timeout_ms, doing);
	case LIBUSB_ERROR_PIPE:
		return rs_fail(err, RS_E_PROTOCOL, "the device refused (stalled) the transfer while %s", doing);
	case LIBUSB_ERROR_ACCESS:
		return rs_fail(err, RS_E_ACCESS, "no permission to talk to the device while %s; install the "
		               "udev rules or run with enough rights", doing);
	case LIBUSB_ERROR_NO_MEM:
		return rs_fail(err, RS_E_NOMEM, "out of memory while %s", doing);
	default:
		return rs_fail(err, RS_E_IO, "USB error while %s: %s", doing, libusb_strerror(rc));
	}
}

/* ---- report descriptor ------------------------------------------------------------------- */

struct globals {
	uint32_t size, count, id;
};

int hidio_parse_report_desc(const uint8_t *d, size_t len, struct hidio_layout *out)
{
	memset(out, 0, sizeof *out);
	uint32_t in_bits[HIDIO_MAX_ID + 1] = {0}, out_bits[HIDIO_MAX_ID + 1] = {0};
	struct globals g = {0, 0, 0}, stack[4];
	int depth = 0;
	const uint32_t limit = HIDIO_MAX_REPORT * 8;
	size_t i = 0;
	while (i < len) {
		uint8_t prefix = d[i++];
		if (prefix == 0xFE) { /* long item: size, tag, data (HID 1.11 §6.2.2.3) */
			if (len - i < 2 || len - i - 2 < d[i])
				return -1;
			i += 2u + d[i];
			continue;
		}
		size_t n = prefix & 3u;
		if (n == 3)
			n = 4;
		if (len - i < n)
			return -1;
		uint32_t v = 0;
		for (size_t k = 0; k < n; k++)
			v |= (uint32_t)d[i + k] << (8 * k);
		i += n;
		unsigned type = (prefix >> 2) & 3u, tag = prefix >> 4;
		if (type == 1) { /* global items */
			switch (tag) {
			case 7: g.size = v; break;
			case 8:
				if (v == 0 || v > HIDIO_MAX_ID)
					return -1;
				g.id = v;
				out->numbered = true;
				break;
			case 9: g.count = v; break;
			case 10:
				if (depth == 4)
					return -1;
				stack[depth++] = g;
				break;
			case 11:
				if (depth == 0)
					return -1;
				g = stack[--depth];
				break;
			default: break;
			}
		} else if (type == 0 && (tag == 8 || tag == 9)) { /* Input, Output */
			if (g.size > limit || g.count > limit || (uint64_t)g.size * g.count > limit)
				return -1;
			uint32_t *bits = tag == 8 ? &in_bits[g.id] : &out_bits[g.id];
			*bits += g.size * g.count;
			if (*bits > limit)
				return -1;
		}
	}
	for (int id = 0; id <= HIDIO_MAX_ID; id++) {
		out->in_len[id] = (uint16_t)((in_bits[id] + 7) / 8);
		out->out_len[id] = (uint16_t)((out_bits[id] + 7) / 8);
		uint16_t extra = out->numbered ? 1 : 0;
		if (out->in_len[id] && out->in_len[id] + extra > out->max_in)
			out->max_in = (uint16_t)(out->in_len[id] + extra);
		if (out->out_len[id] && out->out_len[id] + extra > out->max_out)
			out->max_out = (uint16_t)(out->out_len[id] + extra);
	}
	return 0;
}

/* ---- the interface ----------------------------------------------------------------------- */

int hidio_find_interface(libusb_device_handle *h, int *intf, struct rs_error *err)
{
	struct libusb_config_descriptor *cfg;
	int rc = usb_io_active_config(usb_io_device(h), &cfg);
	if (rc)
		return hidio_usb_error(rc, "reading the configuration descriptor", 0, err);
	int found = -1;
	for (int i = 0; i < cfg->bNumInterfaces && found < 0; i++)
		if (cfg->interface[i].num_altsetting > 0 &&
		    cfg->interface[i].altsetting[0].bInterfaceClass == LIBUSB_CLASS_HID)
			found = cfg->interface[i].altsetting[0].bInterfaceNumber;
	usb_io_free_config(cfg);
	if (found < 0)
		return rs_fail(err, RS_E_PROTOCOL, "the device has no HID interface: it is not an NXP "
		               "ROM or flashloader");
	*intf = found;
	return 0;
}

/* The report descriptor length from the HID class descriptor in the interface's extra
 * bytes (HID 1.11 §6.2.1), or 0. */
static int report_desc_length(const struct libusb_interface_descriptor *alt)
{
	const uint8_t *x = alt->extra;
	int n = alt->extra_length;
	for (int i = 0; i + 1 < n && x[i] >= 2; i += x[i]) {
		if (x[i + 1] != HID_DESC_HID || i + x[i] > n || x[i] < 9)
			continue;
		for (int k = 0; k < x[i + 5] && 6 + 3 * k + 2 < x[i]; k++)
			if (x[i + 6 + 3 * k] == HID_DESC_REPORT)
				return x[i + 7 + 3 * k] | x[i + 8 + 3 * k] << 8;
	}
	return 0;
}

int hidio_init(struct hidio *io, libusb_device_handle *h, int intf, struct rs_error *err)
{
	memset(io, 0, sizeof *io);
	io->handle = h;
	io->intf = intf;
	struct libusb_config_descriptor *cfg;
	int rc = usb_io_active_config(usb_io_device(h), &cfg);
	if (rc)
		return hidio_usb_error(rc, "reading the configuration descriptor", 0, err);
	int desc_len = 0;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		if (cfg->interface[i].num_altsetting < 1)
			continue;
		const struct libusb_interface_descriptor *alt = &cfg->interface[i].altsetting[0];
		if (alt->bInterfaceNumber != intf)
			continue;
		for (int e = 0; e < alt->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &alt->endpoint[e];
			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_INTERRUPT)
				continue;
			if ((ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !io->ep_in)
				io->ep_in = ep->bEndpointAddress;
			else if (!(ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) && !io->ep_out)
				io->ep_out = ep->bEndpointAddress;
		}
		desc_len = report_desc_length(alt);
	}
	usb_io_free_config(cfg);
	if (!io->ep_in)
		return rs_fail(err, RS_E_PROTOCOL, "the HID interface %d has no interrupt IN endpoint", intf);
	uint8_t desc[1024];
	if (desc_len <= 0 || desc_len > (int)sizeof desc)
		desc_len = sizeof desc;
	rc = usb_io_control(h, LIBUSB_ENDPOINT_IN | LIBUSB_RECIPIENT_INTERFACE,
	                             LIBUSB_REQUEST_GET_DESCRIPTOR, HID_DESC_REPORT << 8, (uint16_t)intf,
	                             desc, (uint16_t)desc_len, 2000);
	if (rc == LIBUSB_ERROR_NO_DEVICE)
		return hidio_usb_error(rc, "reading the HID report descriptor", 2000, err);
	/* Without a usable descriptor the reads ask for the caller's buffer size instead. */
	io->have_layout = rc > 0 && !hidio_parse_report_desc(desc, (size_t)rc, &io->layout) &&
	                  io->layout.max_in > 0;
	return 0;
}

int hidio_write(struct hidio *io, const uint8_t *report, size_t len, int timeout_ms,
                const char *doing, struct rs_error *err)
{
	if (len == 0 || len > HIDIO_MAX_REPORT)
		return rs_fail(err, RS_E_INPUT, "internal: a %zu-byte HID report while %s", len, doing);
	int rc, done = 0;
	if (io->ep_out) {
		rc = usb_io_interrupt(io->handle, io->ep_out, (uint8_t *)report, (int)len, &done,
		                               (unsigned)timeout_ms);
		if (!rc && done != (int)len)
			return rs_fail(err, RS_E_IO, "the device took %d of %zu bytes while %s", done, len, doing);
	} else {
		rc = usb_io_control(io->handle, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
		                             LIBUSB_RECIPIENT_INTERFACE, HID_SET_REPORT,
		                             (uint16_t)(HID_REPORT_TYPE_OUTPUT << 8 | report[0]),
		                             (uint16_t)io->intf, (uint8_t *)report, (uint16_t)len,
		                             (unsigned)timeout_ms);
		if (rc >= 0 && rc != (int)len)
			return rs_fail(err, RS_E_IO, "the device took %d of %zu bytes while %s", rc, len, doing);
		if (rc > 0)
			rc = 0;
	}
	return rc ? hidio_usb_error(rc, doing, timeout_ms, err) : 0;
}

int hidio_read(struct hidio *io, uint8_t *buf, size_t cap, int timeout_ms, const char *doing,
               struct rs_error *err)
{
	size_t want = cap;
	if (io->have_layout && io->layout.max_in <= cap)
		want = io->layout.max_in;
	if (want > HIDIO_MAX_REPORT)
		want = HIDIO_MAX_REPORT;
	int got = 0;
	int rc = usb_io_interrupt(io->handle, io->ep_in, buf, (int)want, &got,
	                                   (unsigned)timeout_ms);
	if (rc)
		return hidio_usb_error(rc, doing, timeout_ms, err);
	return got;
}
