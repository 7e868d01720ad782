/* alif_isp_write.c — the writing half of alif_isp.h: BURN_MRAM with its DOWNLOAD_DATA
 * phase (SERAM), optionally authenticated, and the SEROM ROM-recovery MRAM_WRITE. */
#include "alif_isp.h"

#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
	for (int b = 0; b < 4; b++)
		p[b] = (uint8_t)(v >> (8 * b));
}

/* DOWNLOAD_DATA chunks of len bytes, each acknowledged (§1.7).  base/total: progress. */
static int send_data(struct alif_isp *s, const uint8_t *data, size_t len, uint64_t base, uint64_t total,
                     const struct rs_progress *pr, struct rs_error *err)
{
	size_t chunk = len <= ALIF_ISP_BURN_CHUNK ? ALIF_ISP_SMALL_CHUNK : ALIF_ISP_BURN_CHUNK;
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		uint8_t payload[2 + ALIF_ISP_BURN_CHUNK];
		payload[0] = payload[1] = ALIF_ISP_DATA_PAD;
		memcpy(payload + 2, data + off, n);
		int r = alif_isp_command(s, ALIF_CMD_DOWNLOAD_DATA, payload, n + 2, 0, NULL, err);
		if (r)
			return rs_wrap(err, "at byte %zu of %zu", off, len);
		if (pr) {
			rs_progress_report(pr, base + off + n, total);
			if (off + n < len && rs_progress_should_stop(pr))
				return rs_fail(err, RS_E_CANCELLED, "stopped at byte %zu of %zu", off + n, len);
		}
	}
	return 0;
}

int alif_isp_burn_mram(struct alif_isp *s, uint32_t address, const uint8_t *data, size_t len,
                       const uint8_t *sign, size_t sign_len, uint32_t token,
                       const struct rs_progress *pr, struct rs_error *err)
{
	if (!len || len % 16)
		return rs_fail(err, RS_E_INPUT, "internal: an MRAM image must be a non-empty multiple of 16 bytes (§1.7)");
	if (sign && sign_len != ALIF_ISP_SIGN_SIZE)
		return rs_fail(err, RS_E_INPUT, "a .sign file must be %d bytes, this one is %zu",
		               ALIF_ISP_SIGN_SIZE, sign_len);
	int r;
	if (sign) {
		/* §1.8 app-write-mram -a: VERIFY_IMAGE(token), the certificate, DOWNLOAD_DONE (answered
		 * within the usual timeout: the Security Toolkit's isp/isp_util.py authenticate_image) */
		uint8_t w[4];
		put32(w, token);
		if (alif_isp_command(s, ALIF_CMD_VERIFY_IMAGE, w, 4, 0, NULL, err) ||
		    send_data(s, sign, sign_len, 0, 0, NULL, err))
			return rs_wrap(err, "sending the signature");
		if (alif_isp_command(s, ALIF_CMD_DOWNLOAD_DONE, NULL, 0, 0, NULL, err))
			return rs_wrap(err, "checking the signature");
	}
	uint8_t burn[12];
	put32(burn, address);
	put32(burn + 4, (uint32_t)len);
	put32(burn + 8, token);
	r = alif_isp_command(s, ALIF_CMD_BURN_MRAM, burn, sign ? 12 : 8, ALIF_ISP_BURN_TIMEOUT_MS, NULL, err);
	if (r)
		return r;
	rs_progress_report(pr, 0, len);
	if ((r = send_data(s, data, len, 0, len, pr, err)))
		return r;
	/* An authenticated image is verified before the SE answers this DOWNLOAD_DONE: the Security
	 * Toolkit waits max(1 s, size/10000 s) for it (isp/isp_util.py burn_mram_isp) */
	unsigned wait = 0;
	if (sign)
		wait = len / 10 > ALIF_ISP_VERIFY_MIN_MS ? (unsigned)(len / 10) : ALIF_ISP_VERIFY_MIN_MS;
	r = alif_isp_command(s, ALIF_CMD_DOWNLOAD_DONE, NULL, 0, wait, NULL, err);
	return r ? rs_wrap(err, sign ? "verifying the image" : "finishing the write") : 0;
}

int alif_isp_rom_write(struct alif_isp *s, uint32_t offset, const uint8_t *data, size_t len,
                       const struct rs_progress *pr, struct rs_error *err)
{
	if (!len || len % ALIF_ISP_ROM_CHUNK)
		return rs_fail(err, RS_E_INPUT, "internal: a ROM recovery image must be a non-empty multiple of 16 bytes");
	rs_progress_report(pr, 0, len);
	for (size_t off = 0; off < len; off += ALIF_ISP_ROM_CHUNK) {
		uint8_t payload[4 + ALIF_ISP_ROM_CHUNK];
		put32(payload, offset + (uint32_t)off);
		memcpy(payload + 4, data + off, ALIF_ISP_ROM_CHUNK);
		int r = alif_isp_command(s, ALIF_CMD_MRAM_WRITE, payload, sizeof payload, 0, NULL, err);
		if (r)
			return rs_wrap(err, "at byte %zu of %zu", off, len);
		rs_progress_report(pr, off + ALIF_ISP_ROM_CHUNK, len);
		if (off + ALIF_ISP_ROM_CHUNK < len && rs_progress_should_stop(pr))
			return rs_fail(err, RS_E_CANCELLED, "stopped at byte %zu of %zu",
			               off + ALIF_ISP_ROM_CHUNK, len);
	}
	return 0;
}
