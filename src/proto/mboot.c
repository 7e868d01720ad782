/* mboot.c — mboot exchanges with an open device (see mboot.h).  Section numbers refer to
 * reference nxp-sdp-mboot.md. */
#include "mboot.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* After a data report is refused, how long to look for the device's abort report (§2.6). */
#define MBOOT_ABORT_PEEK_MS 500
/* The final write-memory response follows the flush of the last bytes to flash. */
#define MBOOT_FLUSH_TIMEOUT_MS 20000

int mboot_open(struct mboot_dev *d, libusb_device_handle *h, int intf, struct rs_error *err)
{
	memset(d, 0, sizeof *d);
	d->timeout_ms = MBOOT_TIMEOUT_MS;
	d->max_packet = MBOOT_FALLBACK_MAX_PACKET;
	return hidio_init(&d->io, h, intf, err);
}

static int send_report(struct mboot_dev *d, uint8_t id, const uint8_t *payload, size_t n,
                       int timeout_ms, const char *doing, struct rs_error *err)
{
	uint8_t r[HIDIO_MAX_REPORT];
	size_t len = mboot_frame(id, payload, n, r, sizeof r);
	if (!len)
		return rs_fail(err, RS_E_INPUT, "internal: a %zu-byte report while %s", n, doing);
	return hidio_write(&d->io, r, len, timeout_ms, doing, err);
}

static int send_command(struct mboot_dev *d, const struct mboot_packet *p, const char *doing,
                        struct rs_error *err)
{
	uint8_t b[4 + 4 * MBOOT_MAX_PARAMS];
	size_t n = mboot_packet_encode(p, b, sizeof b);
	return send_report(d, MBOOT_REPORT_CMD_OUT, b, n, d->timeout_ms, doing, err);
}

/* Read one report and split it.  Returns the payload length; *id is its report ID. */
static int read_report(struct mboot_dev *d, uint8_t *buf, int timeout_ms, const char *doing,
                       uint8_t *id, const uint8_t **payload, struct rs_error *err)
{
	int got = hidio_read(&d->io, buf, HIDIO_MAX_REPORT, timeout_ms, doing, err);
	if (got < 0)
		return got;
	size_t n;
	if (mboot_unframe(buf, (size_t)got, id, payload, &n))
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent a %d-byte report that is shorter "
		               "than its length field says", doing, got);
	return (int)n;
}

/* Read the next response packet.  A zero-length report before it is the device aborting a
 * data phase (§2.6, §2.12): the real status follows in the next response. */
static int read_response(struct mboot_dev *d, int timeout_ms, const char *doing,
                         struct mboot_packet *p, bool *aborted, struct rs_error *err)
{
	uint8_t buf[HIDIO_MAX_REPORT];
	for (int tries = 0; tries < 2; tries++) {
		uint8_t id;
		const uint8_t *payload;
		int n = read_report(d, buf, timeout_ms, doing, &id, &payload, err);
		if (n < 0)
			return n;
		if (n == 0 && (id == MBOOT_REPORT_CMD_IN || id == MBOOT_REPORT_DATA_IN)) {
			if (aborted)
				*aborted = true;
			continue;
		}
		if (id != MBOOT_REPORT_CMD_IN)
			return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent report %u where a response "
			               "(report 3) was due", doing, id);
		if (mboot_packet_decode(payload, (size_t)n, p))
			return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent a malformed response (%d bytes)",
			               doing, n);
		return 0;
	}
	return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent two abort reports in a row", doing);
}

/* Check a response: its tag, its parameter count, its status, and for a generic response
 * the command it answers. */
static int check_response(struct mboot_dev *d, const struct mboot_packet *p, uint8_t want_tag,
                          uint8_t cmd_tag, const char *doing, struct rs_error *err)
{
	if (p->nparams < 1)
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent a response without a status", doing);
	if (p->tag == MBOOT_RSP_GENERIC && p->params[0] != MBOOT_OK) {
		d->last_status = p->params[0]; /* any command may fail with a generic response */
		return mboot_status_error(p->params[0], doing, err);
	}
	if (p->tag != want_tag)
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent response tag 0x%02X where 0x%02X "
		               "was due", doing, p->tag, want_tag);
	if (p->params[0] != MBOOT_OK) {
		d->last_status = p->params[0];
		return mboot_status_error(p->params[0], doing, err);
	}
	if (want_tag == MBOOT_RSP_GENERIC && (p->nparams < 2 || p->params[1] != cmd_tag))
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device answered another command (0x%02" PRIX32
		               ") than the one sent (0x%02X)", doing, p->nparams >= 2 ? p->params[1] : 0,
		               cmd_tag);
	return 0;
}

/* Send a command and check its response. */
static int exchange(struct mboot_dev *d, const struct mboot_packet *cmd, uint8_t want_tag,
                    int timeout_ms, const char *doing, struct mboot_packet *rsp, struct rs_error *err)
{
	int rc = send_command(d, cmd, doing, err);
	if (!rc)
		rc = read_response(d, timeout_ms, doing, rsp, NULL, err);
	if (!rc)
		rc = check_response(d, rsp, want_tag, cmd->tag, doing, err);
	return rc;
}

int mboot_get_property(struct mboot_dev *d, uint32_t property, uint32_t index, uint32_t *values,
                       int max_values, int *n, struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_get_property(property, index), r = {0};
	char doing[64];
	snprintf(doing, sizeof doing, "get-property %" PRIu32, property);
	int rc = exchange(d, &c, MBOOT_RSP_GET_PROPERTY, d->timeout_ms, doing, &r, err);
	if (rc)
		return rc;
	int k = 0;
	for (int i = 1; i < r.nparams && k < max_values; i++)
		values[k++] = r.params[i];
	*n = k;
	return 0;
}

int mboot_query_max_packet(struct mboot_dev *d, struct rs_error *err)
{
	uint32_t v[1];
	int n = 0;
	int rc = mboot_get_property(d, MBOOT_PROP_MAX_PACKET_SIZE, 0, v, 1, &n, err);
	if (rc == RS_E_DEVICE) { /* §2.6: a device without the property gets 32-byte reports */
		d->max_packet = MBOOT_FALLBACK_MAX_PACKET;
		return 0;
	}
	if (rc)
		return rc;
	if (n < 1 || v[0] == 0)
		return rs_fail(err, RS_E_PROTOCOL, "the device reported a MaxPacketSize of 0");
	/* one data report carries ID, pad, length and the data (§2.2, §2.7) */
	uint32_t cap = HIDIO_MAX_REPORT - MBOOT_HID_HEADER;
	if (d->io.have_layout && d->io.layout.out_len[MBOOT_REPORT_DATA_OUT] > 3)
		cap = d->io.layout.out_len[MBOOT_REPORT_DATA_OUT] - 3u;
	d->max_packet = v[0] < cap ? v[0] : cap;
	return 0;
}

int mboot_fill_memory(struct mboot_dev *d, uint32_t address, uint32_t count, uint32_t pattern,
                      struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_fill_memory(address, count, pattern), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "fill-memory 0x%" PRIX32 " %" PRIu32 " 0x%08" PRIX32, address,
	         count, pattern);
	return exchange(d, &c, MBOOT_RSP_GENERIC, d->timeout_ms, doing, &r, err);
}

int mboot_configure_memory(struct mboot_dev *d, uint32_t mem_id, uint32_t config_address,
                           int timeout_ms, struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_configure_memory(mem_id, config_address), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "configure-memory %" PRIu32 " 0x%" PRIX32, mem_id, config_address);
	return exchange(d, &c, MBOOT_RSP_GENERIC, timeout_ms, doing, &r, err);
}

int mboot_flash_erase_region(struct mboot_dev *d, uint32_t address, uint32_t count,
                             uint32_t mem_id, int timeout_ms, struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_flash_erase_region(address, count, mem_id), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "flash-erase-region 0x%08" PRIX32 " 0x%" PRIX32, address, count);
	return exchange(d, &c, MBOOT_RSP_GENERIC, timeout_ms, doing, &r, err);
}

/* The host stops a data phase with a zero-length command report and drops what the device
 * still had queued (§2.6 "host-initiated abort"). */
static void abort_data_phase(struct mboot_dev *d)
{
	struct rs_error ignore;
	uint8_t buf[HIDIO_MAX_REPORT];
	send_report(d, MBOOT_REPORT_CMD_OUT, NULL, 0, d->timeout_ms, "aborting", &ignore);
	for (int i = 0; i < 4; i++)
		if (hidio_read(&d->io, buf, sizeof buf, 100, "draining", &ignore) < 0)
			break;
}

int mboot_write_memory(struct mboot_dev *d, uint32_t address, const uint8_t *data, size_t n,
                       uint32_t mem_id, const struct rs_progress *progress, struct rs_error *err)
{
	if (n == 0 || n > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: a write-memory of %zu bytes", n);
	struct mboot_packet c = mboot_cmd_write_memory(address, (uint32_t)n, mem_id), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "write-memory 0x%08" PRIX32, address);
	/* §2.6: a non-zero initial status means no data phase and no second response */
	int rc = exchange(d, &c, MBOOT_RSP_GENERIC, d->timeout_ms, doing, &r, err);
	if (rc)
		return rc;
	size_t chunk = d->max_packet ? d->max_packet : MBOOT_FALLBACK_MAX_PACKET;
	for (size_t off = 0; off < n; off += chunk) {
		size_t part = n - off < chunk ? n - off : chunk;
		char what[128];
		snprintf(what, sizeof what, "write-memory 0x%08" PRIX32 ": sending bytes %zu..%zu of %zu",
		         address, off, off + part - 1, n);
		rc = send_report(d, MBOOT_REPORT_DATA_OUT, data + off, part, d->timeout_ms, what, err);
		if (rc == RS_E_TIMEOUT || rc == RS_E_PROTOCOL) {
			/* the device may have stopped taking data because it aborted: its reason is
			 * the response after the zero-length report */
			struct rs_error peek;
			bool aborted = false;
			if (!read_response(d, MBOOT_ABORT_PEEK_MS, doing, &r, &aborted, &peek) &&
			    check_response(d, &r, MBOOT_RSP_GENERIC, c.tag, doing, &peek))
				*err = peek, rc = peek.code;
		}
		if (rc)
			return rc;
		rs_progress_report(progress, off + part, n);
		if (off + part < n && rs_progress_should_stop(progress)) {
			abort_data_phase(d);
			return rs_fail(err, RS_E_CANCELLED, "stopped during write-memory at byte %zu of %zu",
			               off + part, n);
		}
	}
	rc = read_response(d, MBOOT_FLUSH_TIMEOUT_MS, doing, &r, NULL, err);
	return rc ? rc : check_response(d, &r, MBOOT_RSP_GENERIC, c.tag, doing, err);
}

int mboot_read_memory(struct mboot_dev *d, uint32_t address, uint8_t *out, size_t n,
                      uint32_t mem_id, const struct rs_progress *progress, struct rs_error *err)
{
	if (n == 0 || n > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: a read-memory of %zu bytes", n);
	struct mboot_packet c = mboot_cmd_read_memory(address, (uint32_t)n, mem_id), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "read-memory 0x%08" PRIX32 " %zu", address, n);
	int rc = exchange(d, &c, MBOOT_RSP_READ_MEMORY, d->timeout_ms, doing, &r, err);
	if (rc)
		return rc;
	if (!(r.flags & MBOOT_FLAG_DATA_PHASE) || r.nparams < 2 || r.params[1] != n)
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device announced %" PRIu32 " bytes", doing,
		               r.nparams >= 2 ? r.params[1] : 0);
	uint8_t buf[HIDIO_MAX_REPORT];
	for (size_t off = 0; off < n;) {
		uint8_t id;
		const uint8_t *payload;
		int got = read_report(d, buf, d->timeout_ms, doing, &id, &payload, err);
		if (got < 0)
			return got;
		if (got == 0 || id == MBOOT_REPORT_CMD_IN) {
			/* §2.6: the device gave up (zero-length report); its reason follows */
			if (got == 0)
				rc = read_response(d, d->timeout_ms, doing, &r, NULL, err);
			else if (mboot_packet_decode(payload, (size_t)got, &r))
				rc = rs_fail(err, RS_E_PROTOCOL, "%s: the device sent a malformed response", doing);
			if (!rc)
				rc = check_response(d, &r, MBOOT_RSP_GENERIC, c.tag, doing, err);
			return rc ? rc : rs_fail(err, RS_E_PROTOCOL, "%s: the device ended the data after %zu "
			                         "of %zu bytes", doing, off, n);
		}
		if (id != MBOOT_REPORT_DATA_IN)
			return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent report %u where data was due",
			               doing, id);
		size_t part = (size_t)got < n - off ? (size_t)got : n - off;
		memcpy(out + off, payload, part);
		off += part;
		rs_progress_report(progress, off, n);
	}
	rc = read_response(d, d->timeout_ms, doing, &r, NULL, err);
	return rc ? rc : check_response(d, &r, MBOOT_RSP_GENERIC, c.tag, doing, err);
}

int mboot_efuse_program_once(struct mboot_dev *d, uint32_t index, uint32_t word,
                             struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_efuse_program_once(index, word, false), r = {0};
	char doing[96];
	snprintf(doing, sizeof doing, "efuse-program-once 0x%02" PRIX32 " %08" PRIX32, index, word);
	return exchange(d, &c, MBOOT_RSP_GENERIC, d->timeout_ms, doing, &r, err);
}

int mboot_efuse_read_once(struct mboot_dev *d, uint32_t index, uint32_t *word, struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_efuse_read_once(index), r = {0};
	char doing[64];
	snprintf(doing, sizeof doing, "efuse-read-once 0x%02" PRIX32, index);
	int rc = exchange(d, &c, MBOOT_RSP_FLASH_READ_ONCE, d->timeout_ms, doing, &r, err);
	if (rc)
		return rc;
	/* status, byteCount, data words (§2.5) */
	if (r.nparams < 3 || r.params[1] < 4)
		return rs_fail(err, RS_E_PROTOCOL, "%s: the device sent no fuse data", doing);
	*word = r.params[2];
	return 0;
}

int mboot_reset(struct mboot_dev *d, struct rs_error *err)
{
	struct mboot_packet c = mboot_cmd_reset(), r = {0};
	int rc = send_command(d, &c, "sending reset", err);
	if (rc)
		return rc == RS_E_GONE ? 0 : rc;
	/* spsdk counts a missing answer as done: the device may leave before it answers */
	rc = read_response(d, 2000, "reset", &r, NULL, err);
	if (rc == RS_E_TIMEOUT || rc == RS_E_GONE)
		return 0;
	return rc ? rc : check_response(d, &r, MBOOT_RSP_GENERIC, c.tag, "reset", err);
}
