/* sdp.c — see sdp.h.  Section numbers refer to reference nxp-sdp-mboot.md. */
#include "sdp.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- packets (pure) ---------------------------------------------------------------------- */

struct sdp_cmd sdp_cmd_write_file(uint32_t address, uint32_t count)
{
	return (struct sdp_cmd){.type = SDP_WRITE_FILE, .address = address, .count = count};
}

struct sdp_cmd sdp_cmd_jump_address(uint32_t address)
{
	return (struct sdp_cmd){.type = SDP_JUMP_ADDRESS, .address = address};
}

struct sdp_cmd sdp_cmd_error_status(void)
{
	return (struct sdp_cmd){.type = SDP_ERROR_STATUS};
}

struct sdp_cmd sdp_cmd_read_register(uint32_t address, uint8_t format_bits, uint32_t count)
{
	return (struct sdp_cmd){.type = SDP_READ_REGISTER, .address = address, .format = format_bits,
	                        .count = count};
}

/* spsdk and imx_usb_loader send count 4 with WRITE_REGISTER (§1.5); the value goes in data. */
struct sdp_cmd sdp_cmd_write_register(uint32_t address, uint8_t format_bits, uint32_t value)
{
	return (struct sdp_cmd){.type = SDP_WRITE_REGISTER, .address = address, .format = format_bits,
	                        .count = 4, .data = value};
}

static void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* §1.2: type u16, address u32, format u8, count u32, data u32, reserved u8, all big-endian. */
void sdp_cmd_encode(const struct sdp_cmd *c, uint8_t out[SDP_COMMAND_LEN])
{
	out[0] = (uint8_t)(c->type >> 8);
	out[1] = (uint8_t)c->type;
	be32_put(out + 2, c->address);
	out[6] = c->format;
	be32_put(out + 7, c->count);
	be32_put(out + 11, c->data);
	out[15] = 0;
}

int sdp_cmd_decode(const uint8_t *buf, size_t len, struct sdp_cmd *c)
{
	if (len < SDP_COMMAND_LEN)
		return RS_E_PROTOCOL;
	c->type = (uint16_t)(buf[0] << 8 | buf[1]);
	c->address = be32_get(buf + 2);
	c->format = buf[6];
	c->count = be32_get(buf + 7);
	c->data = be32_get(buf + 11);
	return 0;
}

size_t sdp_data_report(const uint8_t *file, size_t n, size_t block, uint8_t out[1 + SDP_DATA_LEN])
{
	if (block >= (n + SDP_DATA_LEN - 1) / SDP_DATA_LEN)
		return 0;
	size_t off = block * SDP_DATA_LEN;
	size_t part = n - off < SDP_DATA_LEN ? n - off : SDP_DATA_LEN;
	out[0] = SDP_REPORT_DATA;
	memcpy(out + 1, file + off, part);
	memset(out + 1 + part, 0, SDP_DATA_LEN - part);
	return 1 + SDP_DATA_LEN;
}

static const char *report_name(uint8_t id)
{
	switch (id) {
	case SDP_REPORT_HAB: return "report 3 (HAB mode)";
	case SDP_REPORT_STATUS: return "report 4 (status)";
	default: return "a report";
	}
}

int sdp_parse_word(const uint8_t *report, size_t len, uint8_t want_id, uint32_t *word,
                   struct rs_error *err)
{
	if (len < 1)
		return rs_fail(err, RS_E_PROTOCOL, "the ROM sent an empty report where %s was due",
		               report_name(want_id));
	if (report[0] != want_id)
		return rs_fail(err, RS_E_PROTOCOL, "the ROM sent report %u where %s was due", report[0],
		               report_name(want_id));
	if (len < 1 + 4)
		return rs_fail(err, RS_E_PROTOCOL, "the ROM sent a %zu-byte %s; it must hold 4 bytes",
		               len - 1, report_name(want_id));
	*word = be32_get(report + 1);
	return 0;
}

const char *sdp_hab_name(uint32_t word)
{
	if (word == SDP_HAB_OPEN)
		return "open (development)";
	if (word == SDP_HAB_CLOSED)
		return "closed (production)";
	return NULL;
}

/* ---- exchanges --------------------------------------------------------------------------- */

int sdp_open(struct sdp_dev *d, libusb_device_handle *h, int intf, struct rs_error *err)
{
	memset(d, 0, sizeof *d);
	d->timeout_ms = SDP_TIMEOUT_MS;
	return hidio_init(&d->io, h, intf, err);
}

static int send_command(struct sdp_dev *d, const struct sdp_cmd *c, const char *doing,
                        struct rs_error *err)
{
	uint8_t r[1 + SDP_COMMAND_LEN];
	r[0] = SDP_REPORT_COMMAND;
	sdp_cmd_encode(c, r + 1);
	return hidio_write(&d->io, r, sizeof r, d->timeout_ms, doing, err);
}

/* Read the next report and take its word; it must be report want_id. */
static int read_word(struct sdp_dev *d, uint8_t want_id, int timeout_ms, const char *doing,
                     uint32_t *word, struct rs_error *err)
{
	uint8_t r[1 + SDP_STATUS_LEN];
	int n = hidio_read(&d->io, r, sizeof r, timeout_ms, doing, err);
	if (n < 0)
		return n;
	int rc = sdp_parse_word(r, (size_t)n, want_id, word, err);
	return rc ? (rs_wrap(err, "%s", doing), rc) : 0;
}

/* Every command is answered by the HAB mode word first (§1.5). */
static int read_hab(struct sdp_dev *d, const char *doing, struct rs_error *err)
{
	uint32_t w = 0;
	int rc = read_word(d, SDP_REPORT_HAB, d->timeout_ms, doing, &w, err);
	if (rc)
		return rc;
	if (!sdp_hab_name(w))
		return rs_fail(err, RS_E_PROTOCOL, "%s: the ROM sent 0x%08" PRIX32 " where the HAB mode "
		               "(0x56787856 or 0x12343412) was due", doing, w);
	d->hab = w;
	return 0;
}

int sdp_write_file(struct sdp_dev *d, uint32_t address, const uint8_t *data, size_t n,
                   const struct rs_progress *progress, struct rs_error *err)
{
	if (n == 0 || n > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: a write-file of %zu bytes", n);
	struct sdp_cmd c = sdp_cmd_write_file(address, (uint32_t)n);
	char doing[96];
	snprintf(doing, sizeof doing, "sending write-file to 0x%08" PRIX32, address);
	int rc = send_command(d, &c, doing, err);
	if (rc)
		return rc;
	/* §1.5: ceil(n/1024) reports 2, the last one padded with zeros to the full size */
	uint8_t r[1 + SDP_DATA_LEN];
	size_t blocks = (n + SDP_DATA_LEN - 1) / SDP_DATA_LEN;
	for (size_t b = 0, off = 0; b < blocks; b++, off += SDP_DATA_LEN) {
		size_t part = n - off < SDP_DATA_LEN ? n - off : SDP_DATA_LEN;
		sdp_data_report(data, n, b, r);
		snprintf(doing, sizeof doing, "sending block %zu of %zu of write-file", b + 1, blocks);
		if ((rc = hidio_write(&d->io, r, sizeof r, d->timeout_ms, doing, err)))
			return rc;
		rs_progress_report(progress, off + part, n);
		if (b + 1 < blocks && rs_progress_should_stop(progress))
			return rs_fail(err, RS_E_CANCELLED, "stopped during write-file at block %zu of %zu; "
			               "the ROM now waits for the rest: disconnect and reconnect the camera",
			               b + 1, blocks);
	}
	if ((rc = read_hab(d, "waiting for the ROM to take the file", err)))
		return rc;
	uint32_t w = 0;
	if ((rc = read_word(d, SDP_REPORT_STATUS, d->timeout_ms, "waiting for write-file to complete",
	                    &w, err)))
		return rc;
	if (w == SDP_REENUM_ACK)
		return rs_fail(err, RS_E_DEVICE, "the ROM refused write-file (0x%08" PRIX32 "): it received "
		               "a different number of bytes than announced", w);
	if (w != SDP_WRITE_FILE_DONE)
		return rs_fail(err, RS_E_DEVICE, "the ROM refused write-file to 0x%08" PRIX32 " (status "
		               "0x%08" PRIX32 ", HAB %s)", address, w, sdp_hab_name(d->hab));
	return 0;
}

int sdp_jump_address(struct sdp_dev *d, uint32_t address, struct rs_error *err)
{
	struct sdp_cmd c = sdp_cmd_jump_address(address);
	int rc = send_command(d, &c, "sending jump-address", err);
	if (rc)
		return rc;
	if ((rc = read_hab(d, "waiting for the ROM to take jump-address", err)))
		return rc;
	/* §1.5: success sends nothing more and the ROM leaves the bus; a report 4 means the ROM
	 * refused the image.  The failure word itself is not documented (unverified). */
	uint8_t r[1 + SDP_STATUS_LEN];
	struct rs_error quiet;
	int n = hidio_read(&d->io, r, sizeof r, SDP_JUMP_FAILURE_WAIT_MS, "after jump-address", &quiet);
	if (n == RS_E_TIMEOUT || n == RS_E_GONE)
		return 0;
	if (n < 0) {
		*err = quiet;
		return n;
	}
	uint32_t w = 0;
	if (n >= 5)
		w = be32_get(r + 1);
	return rs_fail(err, RS_E_DEVICE, "the ROM refused to start the image at 0x%08" PRIX32
	               " (status 0x%08" PRIX32 "): the address must hold the image's IVT%s", address, w,
	               d->hab == SDP_HAB_CLOSED ? ", and this part's HAB is closed: it only starts "
	               "signed images" : "");
}

int sdp_error_status(struct sdp_dev *d, uint32_t *status, struct rs_error *err)
{
	struct sdp_cmd c = sdp_cmd_error_status();
	int rc = send_command(d, &c, "sending error-status", err);
	if (!rc)
		rc = read_hab(d, "waiting for the answer to error-status", err);
	if (!rc)
		rc = read_word(d, SDP_REPORT_STATUS, d->timeout_ms, "reading the error status", status, err);
	return rc;
}

int sdp_read_register(struct sdp_dev *d, uint32_t address, uint8_t format_bits, uint8_t *out,
                      size_t n, struct rs_error *err)
{
	if (n == 0 || n > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: a read-register of %zu bytes", n);
	struct sdp_cmd c = sdp_cmd_read_register(address, format_bits, (uint32_t)n);
	int rc = send_command(d, &c, "sending read-register", err);
	if (!rc)
		rc = read_hab(d, "waiting for the answer to read-register", err);
	/* §1.5: ceil(n/64) reports 4, the last one padded */
	for (size_t off = 0; !rc && off < n; off += SDP_STATUS_LEN) {
		uint8_t r[1 + SDP_STATUS_LEN];
		int got = hidio_read(&d->io, r, sizeof r, d->timeout_ms, "reading register data", err);
		if (got < 0)
			return got;
		size_t part = n - off < SDP_STATUS_LEN ? n - off : SDP_STATUS_LEN;
		if (got < 1 || r[0] != SDP_REPORT_STATUS || (size_t)got < 1 + part)
			return rs_fail(err, RS_E_PROTOCOL, "the ROM sent a %d-byte report %u where %zu bytes "
			               "of register data were due", got > 0 ? got - 1 : 0, got > 0 ? r[0] : 0,
			               part);
		memcpy(out + off, r + 1, part);
	}
	return rc;
}

int sdp_write_register(struct sdp_dev *d, uint32_t address, uint8_t format_bits, uint32_t value,
                       struct rs_error *err)
{
	struct sdp_cmd c = sdp_cmd_write_register(address, format_bits, value);
	int rc = send_command(d, &c, "sending write-register", err);
	if (!rc)
		rc = read_hab(d, "waiting for the answer to write-register", err);
	uint32_t w = 0;
	if (!rc)
		rc = read_word(d, SDP_REPORT_STATUS, d->timeout_ms, "waiting for write-register to complete",
		               &w, err);
	if (!rc && w != SDP_WRITE_REGISTER_DONE)
		return rs_fail(err, RS_E_DEVICE, "the ROM refused write-register at 0x%08" PRIX32
		               " (status 0x%08" PRIX32 ")", address, w);
	return rc;
}
