/* alif_isp_read.c — the reading half of alif_isp.h: MRAM_READ, one 16-byte MRAM line a command,
 * and a comparison of a stretch of MRAM with an image over it. */
#include "alif_isp.h"

#include <string.h>

int alif_isp_mram_read(struct alif_isp *s, uint32_t offset, uint8_t line[ALIF_ISP_READ_LINE],
                       struct rs_error *err)
{
	if (offset % ALIF_ISP_READ_LINE)
		return rs_fail(err, RS_E_INPUT, "internal: MRAM is read in whole 16-byte lines");
	/* the word offset, then the count byte 0x10 (Security Toolkit v1.110 isp/isp_core.py
	 * isp_read_mram); the reply carries the line in its first 16 payload bytes (§1.6) */
	uint8_t payload[5];
	for (int b = 0; b < 4; b++)
		payload[b] = (uint8_t)(offset >> (8 * b));
	payload[4] = ALIF_ISP_READ_LINE;
	struct alif_isp_packet reply;
	int r = alif_isp_command(s, ALIF_CMD_MRAM_READ, payload, sizeof payload, 0, &reply, err);
	if (r)
		return r;
	if (reply.cmd != ALIF_RSP_DATA || reply.len < ALIF_ISP_READ_LINE)
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave answered MRAM_READ at offset 0x%08X with "
		               "%zu bytes, not a 16-byte line", offset, reply.len);
	memcpy(line, reply.payload, ALIF_ISP_READ_LINE);
	return 0;
}

int alif_isp_mram_compare(struct alif_isp *s, uint32_t offset, const uint8_t *data, size_t len,
                          const struct rs_progress *pr, struct alif_isp_compare *out,
                          struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	out->first_differ = UINT32_MAX;
	if (!len || len % ALIF_ISP_READ_LINE)
		return rs_fail(err, RS_E_INPUT, "internal: an MRAM image must be a non-empty multiple of 16 bytes (§1.7)");
	rs_progress_report(pr, 0, len);
	for (size_t off = 0; off < len; off += ALIF_ISP_READ_LINE) {
		uint8_t line[ALIF_ISP_READ_LINE];
		int r = alif_isp_mram_read(s, offset + (uint32_t)off, line, err);
		if (r)
			return rs_wrap(err, "reading MRAM back at byte %zu of %zu", off, len);
		out->lines++;
		if (memcmp(line, data + off, ALIF_ISP_READ_LINE)) {
			if (!out->lines_differ) {
				size_t i = 0;
				while (line[i] == data[off + i])
					i++;
				out->first_differ = offset + (uint32_t)(off + i);
			}
			out->lines_differ++;
		}
		rs_progress_report(pr, off + ALIF_ISP_READ_LINE, len);
		if (off + ALIF_ISP_READ_LINE < len && rs_progress_should_stop(pr))
			return rs_fail(err, RS_E_CANCELLED, "stopped reading MRAM back at byte %zu of %zu",
			               off + ALIF_ISP_READ_LINE, len);
	}
	return 0;
}
