/* samba_compare.c — comparing an image with the Nano 33 BLE's flash without writing (see
 * samba.h): the bootloader has no read command, only Z, the CRC-16/XMODEM of a range it
 * computes itself (reference dfu-dfuse-picoboot-samba.md §3.4), so a page is compared by
 * its CRC-16 and the first differing byte is found by halving. */
#include "samba.h"

#include <string.h>

#include "crc16.h"

/* Do the device's bytes at offset differ from want[0..n), by their CRC-16? */
static int range_differs(struct samba *s, uint32_t offset, const uint8_t *want, size_t n,
                         bool *differs, struct rs_error *err)
{
	uint16_t crc = 0;
	int r = samba_checksum(s, offset, (uint32_t)n, &crc, err);
	*differs = !r && crc != crc16_xmodem(want, n);
	return r;
}

/* The first differing byte of a range whose CRC-16 differs: the first half is asked; if it
 * is equal the difference is in the second.  A CRC-16 of one byte is that byte's alone (a
 * CRC with initial value 0 maps a message shorter than 16 bits one to one: samba.c), so the
 * last step is exact.  12 Z commands for a 4 KiB page. */
static int first_differ(struct samba *s, uint32_t offset, const uint8_t *want, size_t n,
                        uint32_t *at, struct rs_error *err)
{
	size_t lo = 0, w = n;
	while (w > 1) {
		size_t h = w / 2;
		bool d = false;
		int r = range_differs(s, offset + (uint32_t)lo, want + lo, h, &d, err);
		if (r)
			return r;
		if (d) {
			w = h;
		} else {
			lo += h;
			w -= h;
		}
	}
	*at = offset + (uint32_t)lo;
	return RS_OK;
}

int samba_compare(struct samba *s, uint32_t offset, const uint8_t *data, size_t len,
                  const struct rs_progress *progress, struct samba_compare *c, struct rs_error *err)
{
	memset(c, 0, sizeof *c);
	if (offset % SAMBA_PAGE_SIZE || len == 0)
		return rs_fail(err, RS_E_INPUT, "nothing to compare at flash offset 0x%X", (unsigned)offset);
	rs_progress_report(progress, 0, len);
	for (size_t at = 0; at < len; at += SAMBA_PAGE_SIZE) {
		if (rs_progress_should_stop(progress))
			return rs_fail(err, RS_E_CANCELLED, "stopped while comparing; nothing was written");
		size_t n = len - at < SAMBA_PAGE_SIZE ? len - at : SAMBA_PAGE_SIZE;
		uint32_t dst = offset + (uint32_t)at;
		bool d = false;
		int r = range_differs(s, dst, data + at, n, &d, err);
		if (!r && d && !c->differ)
			r = first_differ(s, dst, data + at, n, &c->first_differ, err);
		if (r)
			return r;
		c->pages++;
		c->pages_differ += d;
		c->differ |= d;
		rs_progress_report(progress, at + n, len);
	}
	return RS_OK;
}
