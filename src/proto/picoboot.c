/* picoboot.c — see picoboot.h.  Packet layout §2.3, handshake §2.4, bootrom rules §2.5,
 * picotool's load sequence §2.6 (reference dfu-dfuse-picoboot-samba.md). */
#include "io/usb_io.h"
#include "picoboot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void picoboot_encode(uint8_t out[PICOBOOT_CMD_LEN], uint32_t token, uint8_t cmd_id,
                     uint8_t cmd_size, uint32_t transfer_len, const uint8_t *args, size_t args_len)
{
	memset(out, 0, PICOBOOT_CMD_LEN);
	put32(out, PICOBOOT_MAGIC);
	put32(out + 4, token);
	out[8] = cmd_id;
	out[9] = cmd_size;
	put32(out + 12, transfer_len);
	if (args && args_len)
		memcpy(out + 16, args, args_len > 16 ? 16 : args_len);
}

void picoboot_decode_status(const uint8_t in[PICOBOOT_STATUS_LEN], struct picoboot_status *st)
{
	st->token = le32(in);
	st->code = le32(in + 4);
	st->cmd_id = in[8];
	st->in_progress = in[9];
}

const char *picoboot_status_name(uint32_t code)
{
	static const char *const names[] = { /* §2.3; 9-17 are RP2350-era */
		"ok", "unknown command", "invalid command length", "invalid transfer length",
		"invalid address", "bad address alignment",
		"interleaved write (the RPI-RP2 drive is written at the same time)",
		"rebooting", "unknown error", "invalid state",
		"not permitted", "invalid argument", "buffer too small", "precondition not met",
		"modified data", "invalid data", "not found", "unsupported modification",
	};
	return code < sizeof names / sizeof *names ? names[code] : "an unknown status code";
}

/* ---- transport ------------------------------------------------------------------------ */

static int usb_fail(int rc, const char *what, struct rs_error *err)
{
	switch (rc) {
	case LIBUSB_ERROR_NO_DEVICE:
		return rs_fail(err, RS_E_GONE, "the RP2040 disconnected while %s", what);
	case LIBUSB_ERROR_TIMEOUT:
		return rs_fail(err, RS_E_TIMEOUT, "the RP2040 did not answer while %s", what);
	case LIBUSB_ERROR_NO_MEM:
		return rs_fail(err, RS_E_NOMEM, "out of memory while %s", what);
	default:
		return rs_fail(err, RS_E_IO, "USB error while %s: %s", what, libusb_error_name(rc));
	}
}

/* GET_STATUS(endpoint) and CLEAR_FEATURE(ENDPOINT_HALT) where halted, as picotool does. */
static void clear_halts(struct picoboot *pb)
{
	uint8_t eps[2] = {pb->ep_out, pb->ep_in};
	for (int i = 0; i < 2; i++) {
		uint8_t st[2] = {0};
		int r = usb_io_control(pb->h, LIBUSB_ENDPOINT_IN | LIBUSB_RECIPIENT_ENDPOINT,
		                                LIBUSB_REQUEST_GET_STATUS, 0, eps[i], st, 2, 1000);
		if (r == 2 && (st[0] & 1))
			usb_io_clear_halt(pb->h, eps[i]);
	}
}

int picoboot_if_reset(struct picoboot *pb, struct rs_error *err)
{
	int r = usb_io_control(pb->h, LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_INTERFACE,
	                                PICOBOOT_IF_RESET, 0, (uint16_t)pb->interface, NULL, 0, 1000);
	return r < 0 ? usb_fail(r, "resetting the PICOBOOT interface", err) : RS_OK;
}

int picoboot_cmd_status(struct picoboot *pb, struct picoboot_status *st, struct rs_error *err)
{
	uint8_t buf[PICOBOOT_STATUS_LEN];
	int r = usb_io_control(pb->h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_VENDOR |
	                                LIBUSB_RECIPIENT_INTERFACE, PICOBOOT_IF_CMD_STATUS, 0,
	                                (uint16_t)pb->interface, buf, sizeof buf, 1000);
	if (r < 0)
		return usb_fail(r, "reading the command status", err);
	if (r != PICOBOOT_STATUS_LEN)
		return rs_fail(err, RS_E_PROTOCOL, "the command status has %d bytes, not 16", r);
	picoboot_decode_status(buf, st);
	return RS_OK;
}

/* A command was refused (stall): ask why, then make the interface usable again (§2.4 item 4). */
static int refused(struct picoboot *pb, const char *what, struct rs_error *err)
{
	struct picoboot_status st = {0};
	struct rs_error e2 = {0};
	int r = picoboot_cmd_status(pb, &st, &e2);
	picoboot_if_reset(pb, &e2);
	clear_halts(pb);
	if (r)
		return rs_fail(err, RS_E_DEVICE, "the RP2040 bootrom refused %s (its status could not be "
		               "read: %s)", what, e2.msg);
	if (st.code == 0) /* [I] a stall that no failure explains: the link rather than the command */
		return rs_fail(err, RS_E_DEVICE, "the RP2040 stalled %s without reporting an error (status 0: "
		               "a USB fault, try another cable or port)", what);
	return rs_fail(err, RS_E_DEVICE, "the RP2040 bootrom refused %s: %s (status %u)", what,
	               picoboot_status_name(st.code), (unsigned)st.code);
}

/* Is the device still there?  A standard GET_STATUS answers unless it has gone. */
static bool device_gone(struct picoboot *pb)
{
	uint8_t st[2];
	return usb_io_control(pb->h, LIBUSB_ENDPOINT_IN, LIBUSB_REQUEST_GET_STATUS, 0, 0, st, 2,
	                               1000) == LIBUSB_ERROR_NO_DEVICE;
}

static int bulk(struct picoboot *pb, uint8_t ep, uint8_t *buf, int len, int *done, int timeout_ms)
{
	*done = 0;
	return usb_io_bulk(pb->h, ep, buf, len, done, (unsigned)timeout_ms);
}

/* One command: packet, data phase (in or out), acknowledgement. */
static int run(struct picoboot *pb, uint8_t cmd, uint8_t cmd_size, const uint8_t *args,
               size_t args_len, uint8_t *data, uint32_t len, const char *what, struct rs_error *err)
{
	uint8_t pkt[PICOBOOT_CMD_LEN];
	bool in = cmd & 0x80;
	int done, r;
	picoboot_encode(pkt, ++pb->token, cmd, cmd_size, len, args, args_len);
	r = bulk(pb, pb->ep_out, pkt, sizeof pkt, &done, PICOBOOT_CMD_TIMEOUT_MS);
	if (!r && done != (int)sizeof pkt)
		return rs_fail(err, RS_E_IO, "the RP2040 took %d of 32 command bytes while %s", done, what);
	if (!r && len) {
		r = bulk(pb, in ? pb->ep_in : pb->ep_out, data, (int)len, &done, PICOBOOT_DATA_TIMEOUT_MS);
		if (!r && done != (int)len)
			return rs_fail(err, RS_E_PROTOCOL, "the RP2040 moved %d of %u bytes while %s", done,
			               (unsigned)len, what);
	}
	if (!r) {
		uint8_t ack = 0;
		if (in && len) /* picotool acknowledges an IN transfer with one byte (§2.4 item 3) */
			r = bulk(pb, pb->ep_out, &ack, 1, &done, PICOBOOT_ACK_DATA_TIMEOUT_MS);
		else /* a zero-length packet once the bootrom has finished (an erase is complete) */
			r = bulk(pb, pb->ep_in, &ack, 1, &done, len ? PICOBOOT_ACK_DATA_TIMEOUT_MS :
			                                               PICOBOOT_ACK_NODATA_TIMEOUT_MS);
		if (!r && !(in && len) && done != 0)
			return rs_fail(err, RS_E_PROTOCOL, "the RP2040 acknowledged with data instead of an "
			               "empty packet while %s", what);
	}
	if (r == LIBUSB_ERROR_PIPE)
		return refused(pb, what, err);
	if (r == LIBUSB_ERROR_IO && device_gone(pb)) /* an unplug mid-transfer can end as an I/O error */
		r = LIBUSB_ERROR_NO_DEVICE;
	return r ? usb_fail(r, what, err) : RS_OK;
}

/* ---- commands --------------------------------------------------------------------------- */

int picoboot_open(struct picoboot *pb, libusb_device_handle *h, int interface, uint8_t ep_out,
                  uint8_t ep_in, struct rs_error *err)
{
	memset(pb, 0, sizeof *pb);
	pb->h = h;
	pb->interface = interface;
	pb->ep_out = ep_out;
	pb->ep_in = ep_in;
	clear_halts(pb);
	return picoboot_if_reset(pb, err);
}

int picoboot_exclusive_access(struct picoboot *pb, enum picoboot_exclusive mode, struct rs_error *err)
{
	uint8_t arg = (uint8_t)mode;
	return run(pb, PICOBOOT_EXCLUSIVE_ACCESS, 1, &arg, 1, NULL, 0,
	           "taking exclusive access to the flash", err);
}

int picoboot_exit_xip(struct picoboot *pb, struct rs_error *err)
{
	return run(pb, PICOBOOT_EXIT_XIP, 0, NULL, 0, NULL, 0, "leaving flash XIP mode", err);
}

static void range_args(uint8_t args[8], uint32_t addr, uint32_t size)
{
	put32(args, addr);
	put32(args + 4, size);
}

int picoboot_flash_erase(struct picoboot *pb, uint32_t addr, uint32_t size, struct rs_error *err)
{
	uint8_t args[8];
	char what[80];
	range_args(args, addr, size);
	snprintf(what, sizeof what, "erasing %u KiB of flash at 0x%08X", (unsigned)(size / 1024), (unsigned)addr);
	return run(pb, PICOBOOT_FLASH_ERASE, 8, args, 8, NULL, 0, what, err);
}

int picoboot_write(struct picoboot *pb, uint32_t addr, const uint8_t *data, uint32_t len,
                   struct rs_error *err)
{
	uint8_t args[8];
	char what[80];
	range_args(args, addr, len);
	snprintf(what, sizeof what, "writing %u bytes at 0x%08X", (unsigned)len, (unsigned)addr);
	/* libusb takes a non-const buffer; an OUT transfer does not change it */
	return run(pb, PICOBOOT_WRITE, 8, args, 8, (uint8_t *)(uintptr_t)data, len, what, err);
}

int picoboot_read(struct picoboot *pb, uint32_t addr, uint8_t *buf, uint32_t len, struct rs_error *err)
{
	uint8_t args[8];
	char what[80];
	range_args(args, addr, len);
	snprintf(what, sizeof what, "reading %u bytes at 0x%08X", (unsigned)len, (unsigned)addr);
	return run(pb, PICOBOOT_READ, 8, args, 8, buf, len, what, err);
}

int picoboot_reboot(struct picoboot *pb, uint32_t pc, uint32_t sp, uint32_t delay_ms,
                    struct rs_error *err)
{
	uint8_t args[12];
	put32(args, pc);
	put32(args + 4, sp);
	put32(args + 8, delay_ms);
	int r = run(pb, PICOBOOT_REBOOT, 12, args, 12, NULL, 0, "asking the RP2040 to reboot", err);
	return r == RS_E_GONE ? RS_OK : r; /* gone already: it rebooted */
}

int picoboot_identify(struct picoboot *pb, unsigned *rom_version, struct rs_error *err)
{
	uint8_t m[4], v = 0;
	int r = picoboot_read(pb, PICOBOOT_ROM_MAGIC_ADDR, m, 4, err);
	if (r)
		return r;
	if ((le32(m) & ~0x0F000000u) != PICOBOOT_RP2040_ROM_MAGIC)
		return rs_fail(err, RS_E_PROTOCOL, "the BOOTSEL device is not an RP2040 (its boot ROM "
		               "starts %02X %02X %02X %02X)", m[0], m[1], m[2], m[3]);
	if ((r = picoboot_read(pb, PICOBOOT_ROM_VERSION_ADDR, &v, 1, err)))
		return r;
	*rom_version = v;
	return RS_OK;
}

int picoboot_find_interface(libusb_device_handle *h, int *interface, uint8_t *ep_out,
                            uint8_t *ep_in, struct rs_error *err)
{
	struct libusb_config_descriptor *cfg;
	int r = usb_io_active_config(usb_io_device(h), &cfg);
	if (r)
		return usb_fail(r, "reading the configuration descriptor", err);
	/* picotool: interface 1 when the bootrom shows both, else the only one (§2.1) */
	int n = cfg->bNumInterfaces == 2 ? 1 : 0;
	r = RS_E_NOT_FOUND;
	if (n < cfg->bNumInterfaces && cfg->interface[n].num_altsetting > 0) {
		const struct libusb_interface_descriptor *d = &cfg->interface[n].altsetting[0];
		const struct libusb_endpoint_descriptor *e = d->endpoint;
		bool bulk2 = d->bNumEndpoints == 2 &&
		             (e[0].bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK &&
		             (e[1].bmAttributes & 3) == LIBUSB_TRANSFER_TYPE_BULK;
		if (d->bInterfaceClass == 0xFF && d->bInterfaceProtocol == 0 && bulk2 &&
		    !(e[0].bEndpointAddress & LIBUSB_ENDPOINT_IN) && (e[1].bEndpointAddress & LIBUSB_ENDPOINT_IN)) {
			*interface = d->bInterfaceNumber;
			*ep_out = e[0].bEndpointAddress;
			*ep_in = e[1].bEndpointAddress;
			r = RS_OK;
		}
	}
	usb_io_free_config(cfg);
	if (r)
		return rs_fail(err, RS_E_NOT_FOUND, "the BOOTSEL device has no PICOBOOT interface (vendor "
		               "class, two bulk endpoints)");
	return RS_OK;
}
