/* samba.c — see samba.h.  Command grammar and replies: reference dfu-dfuse-picoboot-samba.md
 * §3.4; bossac's sequence: §3.5. */
#include "io/serial_io.h"
#include "samba.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crc16.h"

/* ---- byte transport --------------------------------------------------------------------- */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Has the port's device node gone (the board reset or was unplugged)? */
static bool port_gone(const struct samba *s)
{
	struct stat st;
	return stat(sp_get_port_name(s->port), &st) != 0 && errno == ENOENT;
}

static int gone(struct rs_error *err, const char *what)
{
	return rs_fail(err, RS_E_GONE, "the board disconnected while %s", what);
}

/* Read up to n bytes.  The first byte may take first_ms; each later byte may follow the
 * previous one by at most gap_ms (gap_ms < 0: the whole read shares first_ms).  Returns the
 * count read (>= 0), or RS_E_GONE when the port hung up. */
static int read_bytes(struct samba *s, uint8_t *buf, size_t n, int first_ms, int gap_ms,
                      const char *what, struct rs_error *err)
{
	int fd = -1;
	if (sp_get_port_handle(s->port, &fd) != SP_OK)
		return rs_fail(err, RS_E_IO, "the serial port is not open while %s", what);
	size_t got = 0;
	long deadline = now_ms() + first_ms;
	while (got < n) {
		long left = deadline - now_ms();
		if (left <= 0)
			break;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int pr = poll(&pfd, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return rs_fail(err, RS_E_IO, "waiting for the board failed while %s: %s", what, strerror(errno));
		if (pr == 0)
			break;
		ssize_t r = serial_io_read_fd(s->port, fd, buf + got, n - got);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) /* end of file or EIO: a hung-up tty, the device went away */
			return gone(err, what);
		got += (size_t)r;
		if (gap_ms >= 0)
			deadline = now_ms() + gap_ms;
	}
	return (int)got;
}

static int read_exact(struct samba *s, uint8_t *buf, size_t n, int timeout_ms, const char *what,
                      struct rs_error *err)
{
	int r = read_bytes(s, buf, n, timeout_ms, -1, what, err);
	if (r < 0)
		return r;
	if ((size_t)r < n) {
		if (port_gone(s))
			return gone(err, what);
		if (r == 0)
			return rs_fail(err, RS_E_TIMEOUT, "the bootloader stopped answering (nothing for %d s) while %s",
			               timeout_ms / 1000, what);
		return rs_fail(err, RS_E_TIMEOUT, "the bootloader stopped answering after %d of %zu bytes (nothing for "
		               "%d s) while %s", r, n, timeout_ms / 1000, what);
	}
	return RS_OK;
}

static int write_all(struct samba *s, const void *buf, size_t len, const char *what,
                     struct rs_error *err)
{
	enum sp_return r = serial_io_write(s->port, buf, len, SAMBA_SLOW_REPLY_MS);
	if (r >= 0 && (size_t)r == len)
		return RS_OK;
	if (port_gone(s) || (r == SP_ERR_FAIL && sp_last_error_code() == EIO))
		return gone(err, what);
	if (r >= 0)
		return rs_fail(err, RS_E_TIMEOUT, "the board stopped taking data while %s", what);
	return rs_fail(err, RS_E_IO, "writing to the serial port failed while %s", what);
}

/* Send one command; hex numbers are written as bossac writes them (%08X). */
static int command(struct samba *s, const char *cmd, const char *what, struct rs_error *err)
{
	return write_all(s, cmd, strlen(cmd), what, err);
}

/* Replies end with "\n\r" (the SAMD monitor's terminator; the nRF bootloader's is not
 * confirmed, reference §3.6), which bossac reads but never checks: take it if it comes. */
static int swallow_terminator(struct samba *s, const char *what, struct rs_error *err)
{
	uint8_t t[2];
	int r = read_bytes(s, t, sizeof t, SAMBA_SILENCE_MS, SAMBA_SILENCE_MS, what, err);
	return r < 0 ? r : RS_OK;
}

/* A one-letter acknowledgement such as "Y\n\r"; only the letter matters (bossac, §3.4). */
static int expect_ack(struct samba *s, char letter, int timeout_ms, const char *what,
                      struct rs_error *err)
{
	uint8_t c = 0;
	int r = read_exact(s, &c, 1, timeout_ms, what, err);
	if (r)
		return r;
	if (c != (uint8_t)letter)
		return rs_fail(err, RS_E_PROTOCOL, "the bootloader answered 0x%02X instead of '%c' while %s",
		               c, letter, what);
	return swallow_terminator(s, what, err);
}

/* Read a text reply that ends with silence (V#, I#): bossac waits for 100 ms without a byte
 * and keeps the text up to the first non-printable byte (§3.3). */
static int read_text(struct samba *s, char *out, size_t n, const char *what, struct rs_error *err)
{
	uint8_t buf[256];
	int r = read_bytes(s, buf, sizeof buf - 1, SAMBA_REPLY_MS, SAMBA_SILENCE_MS, what, err);
	if (r < 0)
		return r;
	size_t k = 0;
	while (k < (size_t)r && buf[k] >= 0x20 && buf[k] < 0x7F)
		k++;
	snprintf(out, n, "%.*s", (int)k, (const char *)buf);
	return r;
}

/* ---- commands ---------------------------------------------------------------------------- */

/* The letters between "[Arduino:" and "]" name the bootloader's extensions (§3.3). */
static void parse_extensions(struct samba *s)
{
	s->extensions[0] = '\0';
	const char *p = strstr(s->version, "[Arduino:");
	if (!p)
		return;
	p += strlen("[Arduino:");
	size_t k = 0;
	while (*p && *p != ']' && k + 1 < sizeof s->extensions)
		s->extensions[k++] = *p++;
	s->extensions[k] = '\0';
}

int samba_connect(struct samba *s, struct sp_port *port, struct rs_error *err)
{
	memset(s, 0, sizeof *s);
	s->port = port;
	uint8_t junk[1024];
	/* Whatever a previous session left unread would be taken for a reply (bossac drains too). */
	int r = read_bytes(s, junk, sizeof junk, SAMBA_SILENCE_MS, SAMBA_SILENCE_MS,
	                   "clearing old input", err);
	if (r < 0)
		return r;
	if ((r = command(s, "N#", "setting binary mode", err)))
		return r;
	/* N# answers "\n\r"; bossac reads two bytes and ignores them */
	if ((r = read_bytes(s, junk, 2, SAMBA_REPLY_MS, SAMBA_SILENCE_MS, "setting binary mode", err)) < 0)
		return r;
	if ((r = command(s, "V#", "asking for the bootloader version", err)))
		return r;
	if ((r = read_text(s, s->version, sizeof s->version, "asking for the bootloader version", err)) < 0)
		return r;
	if (r == 0)
		return rs_fail(err, RS_E_TIMEOUT, "no answer to the SAM-BA version command (V#)");
	parse_extensions(s);
	/* I identify, K reset, X erase, Y copy buffer to flash, Z checksum (§3.3) */
	for (const char *need = "IKXYZ"; *need; need++)
		if (!strchr(s->extensions, *need))
			return rs_fail(err, RS_E_PROTOCOL,
			               "the answer to the version command (\"%.60s\") is not an Arduino SAM-BA "
			               "bootloader with the I, K, X, Y and Z extensions", s->version);
	if ((r = command(s, "I#", "asking which chip this is", err)))
		return r;
	if ((r = read_text(s, s->chip, sizeof s->chip, "asking which chip this is", err)) < 0)
		return r;
	if (!s->chip[0])
		return rs_fail(err, RS_E_PROTOCOL, "the bootloader did not name its chip (I#)");
	return RS_OK;
}

int samba_write(struct samba *s, uint32_t addr, const uint8_t *data, size_t len,
                struct rs_error *err)
{
	char cmd[32], what[80];
	snprintf(cmd, sizeof cmd, "S%08X,%08X#", (unsigned)addr, (unsigned)len);
	snprintf(what, sizeof what, "sending %zu bytes to the buffer at 0x%X", len, (unsigned)addr);
	/* The data follows the command at once; the device finds it in the same read (§3.7). */
	int r = command(s, cmd, what, err);
	return r ? r : write_all(s, data, len, what, err);
}

int samba_copy_to_flash(struct samba *s, uint32_t src, uint32_t dst, uint32_t size,
                        struct rs_error *err)
{
	char cmd[32], what[80];
	snprintf(what, sizeof what, "copying the buffer to flash offset 0x%X", (unsigned)dst);
	snprintf(cmd, sizeof cmd, "Y%08X,0#", (unsigned)src); /* step 1: where the data is */
	int r = command(s, cmd, what, err);
	if (!r)
		r = expect_ack(s, 'Y', SAMBA_REPLY_MS, what, err);
	if (r)
		return r;
	snprintf(cmd, sizeof cmd, "Y%08X,%08X#", (unsigned)dst, (unsigned)size); /* step 2: program */
	r = command(s, cmd, what, err);
	return r ? r : expect_ack(s, 'Y', SAMBA_SLOW_REPLY_MS, what, err);
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int samba_checksum(struct samba *s, uint32_t addr, uint32_t size, uint16_t *crc,
                   struct rs_error *err)
{
	char cmd[32], what[80];
	snprintf(cmd, sizeof cmd, "Z%08X,%08X#", (unsigned)addr, (unsigned)size);
	snprintf(what, sizeof what, "checking %u bytes at flash offset 0x%X", (unsigned)size, (unsigned)addr);
	int r = command(s, cmd, what, err);
	if (r)
		return r;
	uint8_t rep[10] = {0}; /* "Z" + 8 hex digits + "#" (§3.4) */
	if ((r = read_exact(s, rep, sizeof rep, SAMBA_SLOW_REPLY_MS, what, err)))
		return r;
	uint32_t v = 0;
	bool ok = rep[0] == 'Z' && rep[9] == '#';
	for (int i = 1; ok && i < 9; i++) {
		int h = hexval(rep[i]);
		ok = h >= 0;
		v = v << 4 | (uint32_t)(h & 0xF);
	}
	if (!ok || v > 0xFFFF)
		return rs_fail(err, RS_E_PROTOCOL, "the bootloader's checksum reply \"%.10s\" is malformed "
		               "while %s", (const char *)rep, what);
	*crc = (uint16_t)v;
	return swallow_terminator(s, what, err);
}

int samba_chip_erase(struct samba *s, uint32_t addr, struct rs_error *err)
{
	char cmd[32], what[80];
	snprintf(cmd, sizeof cmd, "X%08X#", (unsigned)addr);
	snprintf(what, sizeof what, "erasing the flash from offset 0x%X", (unsigned)addr);
	int r = command(s, cmd, what, err);
	return r ? r : expect_ack(s, 'X', SAMBA_SLOW_REPLY_MS, what, err);
}

/* The bootloader has no memory read (R and w are not among its commands: disassembly of
 * arduino/ArduinoCore-mbed bootloaders/nano33ble/bootloader.elf and of the updated
 * bootloader in libraries/Nano33BLE_System/examples/Nano33_updateBLandSoftDevice/
 * bootloader.h), only Z.  A CRC-16 with initial value 0 maps a 16-bit message one to one
 * onto its 16-bit value (it is m(x)·x^16 mod P(x), and P has a constant term), so the
 * checksum of 2 bytes gives the 2 bytes back; a 1-byte checksum gives its byte. */
static int read_through_checksums(struct samba *s, uint32_t addr, uint8_t *buf, size_t len,
                                  uint16_t *inverse, struct rs_error *err)
{
	for (size_t off = 0; off < len;) {
		uint32_t n = len - off >= 2 ? 2 : 1;
		uint16_t crc = 0;
		int r = samba_checksum(s, addr + (uint32_t)off, n, &crc, err);
		if (r)
			return r;
		if (n == 2) {
			buf[off] = (uint8_t)(inverse[crc] >> 8);
			buf[off + 1] = (uint8_t)inverse[crc];
		} else {
			unsigned v = 0;
			while (v < 256 && crc16_xmodem((uint8_t[]){(uint8_t)v}, 1) != crc)
				v++;
			if (v == 256)
				return rs_fail(err, RS_E_PROTOCOL, "the bootloader's checksum 0x%04X of one byte "
				               "at offset 0x%X is no byte's", crc, (unsigned)(addr + off));
			buf[off] = (uint8_t)v;
		}
		off += n;
	}
	return RS_OK;
}

int samba_read(struct samba *s, uint32_t addr, uint8_t *buf, size_t len, struct rs_error *err)
{
	uint16_t *inverse = malloc(65536 * sizeof *inverse);
	if (!inverse)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	for (unsigned v = 0; v < 65536; v++)
		inverse[crc16_xmodem((uint8_t[]){(uint8_t)(v >> 8), (uint8_t)v}, 2)] = (uint16_t)v;
	int r = read_through_checksums(s, addr, buf, len, inverse, err);
	free(inverse);
	return r;
}

int samba_reset(struct samba *s, struct rs_error *err)
{
	int r = command(s, "K#", "resetting the board", err);
	if (!r) /* let the two bytes leave before the caller closes the port */
		serial_io_drain(s->port);
	/* the board may reset before the write call returns: that is the point */
	return r == RS_E_GONE ? RS_OK : r;
}

/* ---- the flash sequence ------------------------------------------------------------------ */

/* After a checksum mismatch: read the page back and count the bytes that differ. */
static int verify_failed(struct samba *s, uint32_t addr, const uint8_t *want, size_t n,
                         unsigned page, unsigned pages, struct rs_error *err)
{
	uint8_t *got = calloc(1, n); /* zeroed: what a short read leaves is compared too */
	if (!got)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	struct rs_error rerr = {0};
	size_t bad = 0;
	int r = samba_read(s, addr, got, n, &rerr);
	for (size_t i = 0; !r && i < n; i++)
		bad += got[i] != want[i];
	free(got);
	if (r)
		return rs_fail(err, RS_E_VERIFY, "page %u of %u (flash offset 0x%X) does not hold what was "
		               "written (checksum differs; reading it back failed too: %s)", page, pages,
		               (unsigned)addr, rerr.msg);
	return rs_fail(err, RS_E_VERIFY, "page %u of %u (flash offset 0x%X) does not hold what was "
	               "written: %zu of its %zu bytes differ", page, pages, (unsigned)addr, bad, n);
}

/* Delta mode: does the page at dst already hold page[] (the file's bytes and the zeros a
 * full write pads with)?  Asked with one Z over the whole page: the device's CRC-16 of it
 * against ours, so a page that differs yet has the same CRC-16 (for a random change, 1 in
 * 65536) is taken for equal; bossac's own verify has the same bound. */
static int page_holds(struct samba *s, uint32_t dst, const uint8_t *page, bool *same,
                      struct rs_error *err)
{
	uint16_t crc = 0;
	int r = samba_checksum(s, dst, SAMBA_PAGE_SIZE, &crc, err);
	*same = !r && crc == crc16_xmodem(page, SAMBA_PAGE_SIZE);
	return r;
}

static int flash(struct samba *s, uint32_t offset, const uint8_t *data, size_t len, bool delta,
                 const struct rs_progress *progress, struct samba_flash_result *res,
                 struct rs_error *err)
{
	memset(res, 0, sizeof *res);
	if (offset % SAMBA_PAGE_SIZE)
		return rs_fail(err, RS_E_INPUT, "flash offset 0x%X is not a multiple of the 4 KiB page",
		               (unsigned)offset);
	if (len == 0)
		return rs_fail(err, RS_E_INPUT, "the image is empty");
	unsigned pages = (unsigned)((len + SAMBA_PAGE_SIZE - 1) / SAMBA_PAGE_SIZE);
	/* X first, as bossac sends it.  This bootloader's X erases nothing (samba.h); and since
	 * delta mode compares each page after it, a bootloader whose X did erase from offset on
	 * would show every page erased, and every page that differs would be written. */
	int r = samba_chip_erase(s, offset, err);
	if (r)
		return r;
	rs_progress_report(progress, 0, len);
	uint8_t page[SAMBA_PAGE_SIZE];
	for (unsigned p = 0; p < pages; p++) {
		if (rs_progress_should_stop(progress))
			return rs_fail(err, RS_E_CANCELLED, "stopped after page %u of %u: the firmware is "
			               "incomplete, flash it again before using the board", p, pages);
		size_t at = (size_t)p * SAMBA_PAGE_SIZE;
		size_t n = len - at < SAMBA_PAGE_SIZE ? len - at : SAMBA_PAGE_SIZE;
		uint32_t dst = offset + (uint32_t)at;
		memcpy(page, data + at, n);
		memset(page + n, 0, SAMBA_PAGE_SIZE - n); /* bossac pads the last page with zeros */
		bool same = false;
		if (delta && page_holds(s, dst, page, &same, err))
			return rs_wrap(err, "page %u of %u", p + 1, pages);
		if (same) {
			res->pages_same++;
			res->bytes_left_alone += n;
			rs_progress_report(progress, at + n, len);
			continue;
		}
		if (samba_write(s, SAMBA_BUFFER_ADDR, page, SAMBA_PAGE_SIZE, err) ||
		    samba_copy_to_flash(s, SAMBA_BUFFER_ADDR, dst, SAMBA_PAGE_SIZE, err))
			return rs_wrap(err, "page %u of %u", p + 1, pages);
		res->pages++;
		res->bytes_written += n;
		uint16_t crc = 0;
		if (samba_checksum(s, dst, (uint32_t)n, &crc, err))
			return rs_wrap(err, "page %u of %u", p + 1, pages);
		if (crc != crc16_xmodem(page, n))
			return verify_failed(s, dst, page, n, p + 1, pages, err);
		res->verified_pages++;
		rs_progress_report(progress, at + n, len);
	}
	return RS_OK;
}

int samba_flash(struct samba *s, uint32_t offset, const uint8_t *data, size_t len,
                const struct rs_progress *progress, struct samba_flash_result *res,
                struct rs_error *err)
{
	return flash(s, offset, data, len, false, progress, res, err);
}

int samba_flash_delta(struct samba *s, uint32_t offset, const uint8_t *data, size_t len, bool delta,
                      const struct rs_progress *progress, struct samba_flash_result *res,
                      struct rs_error *err)
{
	return flash(s, offset, data, len, delta, progress, res, err);
}
