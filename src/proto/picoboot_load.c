/* picoboot_load.c — loading an image into the RP2040's flash (picoboot.h): every sector it
 * touches erased and written whole, as picotool load does (reference dfu-dfuse-picoboot-samba.md
 * §2.6), or in delta mode only the sectors that do not already hold what that would leave, and
 * comparing an image with the flash without writing.  FLASH_ERASE takes whole 4 KiB sectors
 * (§2.5; pico-sdk hardware_flash FLASH_SECTOR_SIZE), so a sector is the unit left alone. */
#include "picoboot.h"

#include <stdlib.h>
#include <string.h>

/* The bytes of one batch of whole sectors, as picotool writes them: every touched 4 KiB
 * sector whole, with the image's holes and the rest of the sector filled with zeros
 * (raspberrypi/picotool main.cpp, load: "zero fill to cope with holes", "zero padding up to
 * FLASH_SECTOR_ERASE_SIZE"), so that both leave the same flash.  Returns the image bytes. */
static uint64_t fill_batch(const struct uf2_image *img, uint32_t start, uint32_t size, uint8_t *buf,
                           bool *pages)
{
	uint64_t bytes = 0;
	memset(buf, 0x00, size);
	memset(pages, 0, size / PICOBOOT_FLASH_PAGE * sizeof *pages);
	const uint32_t per_sector = PICOBOOT_FLASH_SECTOR / PICOBOOT_FLASH_PAGE;
	for (size_t i = 0; i < img->n; i++) {
		const struct uf2_range *g = &img->ranges[i];
		uint64_t lo = g->address > start ? g->address : start;
		uint64_t hi = (uint64_t)g->address + g->size;
		if (hi > (uint64_t)start + size)
			hi = (uint64_t)start + size;
		if (lo >= hi)
			continue;
		memcpy(buf + (lo - start), g->data + (lo - g->address), hi - lo);
		uint64_t first = (lo - start) / PICOBOOT_FLASH_SECTOR * per_sector;
		uint64_t last = (hi - 1 - start) / PICOBOOT_FLASH_SECTOR * per_sector + per_sector - 1;
		for (uint64_t p = first; p <= last; p++)
			pages[p] = true;
		bytes += hi - lo;
	}
	return bytes;
}

static int compare(const uint8_t *want, const uint8_t *got, uint32_t addr, uint32_t len,
                   struct rs_error *err)
{
	uint32_t bad = 0, first = 0;
	for (uint32_t i = 0; i < len; i++)
		if (want[i] != got[i] && !bad++)
			first = addr + i;
	if (!bad)
		return RS_OK;
	return rs_fail(err, RS_E_VERIFY, "the flash does not hold what was written: %u of %u bytes "
	               "from 0x%08X differ, the first at 0x%08X", (unsigned)bad, (unsigned)len,
	               (unsigned)addr, (unsigned)first);
}

/* Erase, write and read back one batch of sectors. */
static int load_batch(struct picoboot *pb, uint32_t start, uint32_t size, const uint8_t *buf,
                      const bool *pages, uint8_t *readback, struct rs_error *err)
{
	int r;
	if ((r = picoboot_exit_xip(pb, err)) || (r = picoboot_flash_erase(pb, start, size, err)))
		return r;
	uint32_t npages = size / PICOBOOT_FLASH_PAGE;
	for (int pass = 0; pass < 2; pass++) {
		/* pass 0 writes each run of pages that hold image bytes, pass 1 reads them back */
		if (pass == 1 && (r = picoboot_exit_xip(pb, err))) /* direct flash reads need XIP off */
			return r;
		for (uint32_t p = 0; p < npages;) {
			if (!pages[p]) {
				p++;
				continue;
			}
			uint32_t q = p;
			while (q < npages && pages[q])
				q++;
			uint32_t off = p * PICOBOOT_FLASH_PAGE, len = (q - p) * PICOBOOT_FLASH_PAGE;
			if (pass == 0)
				r = picoboot_write(pb, start + off, buf + off, len, err);
			else if (!(r = picoboot_read(pb, start + off, readback, len, err)))
				r = compare(buf + off, readback, start + off, len, err);
			if (r)
				return r;
			p = q;
		}
	}
	return RS_OK;
}

/* The next batch at or after *pos: a run of touched sectors, at most the batch size. */
static bool next_batch(const struct uf2_image *img, uint64_t *pos, uint32_t *start, uint32_t *size)
{
	const uint64_t sec = PICOBOOT_FLASH_SECTOR;
	uint64_t lo = UINT64_MAX;
	for (size_t i = 0; i < img->n; i++) { /* first sector touched at or after pos */
		uint64_t a = img->ranges[i].address, e = a + img->ranges[i].size;
		if (e <= *pos)
			continue;
		uint64_t s = (a > *pos ? a : *pos) / sec * sec;
		if (s < lo)
			lo = s;
	}
	if (lo == UINT64_MAX)
		return false;
	uint64_t hi = lo;
	for (bool grew = true; grew && hi - lo < PICOBOOT_ERASE_BATCH_SECTORS * sec;) {
		grew = false; /* extend by whole sectors while the next sector holds image bytes */
		for (size_t i = 0; i < img->n && !grew; i++) {
			uint64_t a = img->ranges[i].address, e = a + img->ranges[i].size;
			if (a < hi + sec && e > hi) {
				hi += sec;
				grew = true;
			}
		}
	}
	*start = (uint32_t)lo;
	*size = (uint32_t)(hi - lo);
	*pos = hi;
	return true;
}

/* The image's bytes in [lo, hi). */
static uint64_t image_bytes(const struct uf2_image *img, uint64_t lo, uint64_t hi)
{
	uint64_t n = 0;
	for (size_t i = 0; i < img->n; i++) {
		uint64_t a = img->ranges[i].address, e = a + img->ranges[i].size;
		a = a > lo ? a : lo;
		e = e < hi ? e : hi;
		n += e > a ? e - a : 0;
	}
	return n;
}

/* Which sectors of the batch already hold buf: same[i].  While *probe (the sector before
 * differed, or this is the first), a sector's first PICOBOOT_PROBE bytes are read alone (a
 * READ takes any length, RP2040 datasheet §2.8.5); a probe that differs settles the sector;
 * at the first equal probe, or without probing, the rest of the batch is read in one READ.
 * *probe is left as whether the batch's last sector differed (changes come in runs). */
static int same_sectors(struct picoboot *pb, uint32_t start, uint32_t n, const uint8_t *buf,
                        uint8_t *readback, bool *same, bool *probe, struct rs_error *err)
{
	const uint32_t sec = PICOBOOT_FLASH_SECTOR;
	uint32_t i = 0;
	int r;
	if (n == 0)
		return RS_OK; /* next_batch gives at least a sector; nothing to read otherwise */
	for (; i < n && *probe; i++) {
		if ((r = picoboot_read(pb, start + i * sec, readback, PICOBOOT_PROBE, err)))
			return r;
		if (!memcmp(buf + i * sec, readback, PICOBOOT_PROBE))
			break; /* equal: read it whole with the rest */
		same[i] = false;
	}
	if (i < n && (r = picoboot_read(pb, start + i * sec, readback + i * sec, (n - i) * sec, err)))
		return r;
	for (; i < n; i++)
		same[i] = !memcmp(buf + i * sec, readback + i * sec, sec);
	*probe = !same[n - 1];
	return RS_OK;
}

/* Delta mode: read the batch back first (same_sectors), then erase, write and read back only
 * the runs of sectors that differ from buf, which is the whole sector as a full load leaves it
 * (the image's bytes, zeros in its holes and after its end): a sector left alone was just read
 * back equal. */
static int load_batch_delta(struct picoboot *pb, const struct uf2_image *img, uint32_t start,
                            uint32_t size, const uint8_t *buf, const bool *pages, uint8_t *readback,
                            bool *probe, struct picoboot_load_result *res, struct rs_error *err)
{
	const uint32_t sec = PICOBOOT_FLASH_SECTOR, n = size / sec, per = sec / PICOBOOT_FLASH_PAGE;
	bool same[PICOBOOT_ERASE_BATCH_SECTORS] = {false};
	int r;
	if ((r = picoboot_exit_xip(pb, err)) ||
	    (r = same_sectors(pb, start, n, buf, readback, same, probe, err)))
		return r;
	for (uint32_t i = 0; i < n;) {
		uint64_t at = (uint64_t)start + i * sec;
		if (same[i]) {
			res->sectors_same++;
			res->bytes_left_alone += image_bytes(img, at, at + sec);
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < n && !same[j])
			j++;
		if ((r = load_batch(pb, (uint32_t)at, (j - i) * sec, buf + i * sec, pages + i * per,
		                    readback, err)))
			return r;
		res->bytes_written += image_bytes(img, at, (uint64_t)start + j * sec);
		i = j;
	}
	return RS_OK;
}

static int check_in_flash(const struct uf2_image *img, struct rs_error *err)
{
	for (size_t i = 0; i < img->n; i++)
		if (img->ranges[i].address < PICOBOOT_FLASH_BASE ||
		    (uint64_t)img->ranges[i].address + img->ranges[i].size > PICOBOOT_XIP_END)
			return rs_fail(err, RS_E_INPUT, "0x%08X is outside the flash's address window (0x%08X to 0x%08X)",
			               img->ranges[i].address, PICOBOOT_FLASH_BASE, PICOBOOT_XIP_END);
	return RS_OK;
}

static int load(struct picoboot *pb, const struct uf2_image *img, bool delta,
                const struct rs_progress *progress, struct picoboot_load_result *res,
                struct rs_error *err)
{
	memset(res, 0, sizeof *res);
	int r = check_in_flash(img, err);
	if (r)
		return r;
	const uint32_t max = PICOBOOT_ERASE_BATCH_SECTORS * PICOBOOT_FLASH_SECTOR;
	uint8_t *buf = malloc(max), *readback = malloc(max);
	bool *pages = malloc(max / PICOBOOT_FLASH_PAGE * sizeof *pages);
	r = buf && readback && pages ? RS_OK : rs_fail(err, RS_E_NOMEM, "out of memory");
	uint64_t pos = 0, done = 0;
	uint32_t start, size;
	bool probe = true; /* the first sector is probed, then each after one that differed */
	rs_progress_report(progress, 0, img->payload_bytes);
	while (!r && next_batch(img, &pos, &start, &size)) {
		if (rs_progress_should_stop(progress)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped at 0x%08X: the firmware is incomplete, load it "
			            "again before using the board", (unsigned)start);
			break;
		}
		uint64_t bytes = fill_batch(img, start, size, buf, pages);
		done += bytes;
		res->sectors += size / PICOBOOT_FLASH_SECTOR;
		if (delta) {
			r = load_batch_delta(pb, img, start, size, buf, pages, readback, &probe, res, err);
		} else if (!(r = load_batch(pb, start, size, buf, pages, readback, err))) {
			res->bytes_written += bytes;
		}
		if (!r)
			rs_progress_report(progress, done, img->payload_bytes);
	}
	free(buf);
	free(readback);
	free(pages);
	return r;
}

int picoboot_load_flash(struct picoboot *pb, const struct uf2_image *img,
                        const struct rs_progress *progress, struct rs_error *err)
{
	struct picoboot_load_result res;
	return load(pb, img, false, progress, &res, err);
}

int picoboot_load_flash_delta(struct picoboot *pb, const struct uf2_image *img, bool delta,
                              const struct rs_progress *progress, struct picoboot_load_result *res,
                              struct rs_error *err)
{
	return load(pb, img, delta, progress, res, err);
}

/* Compare one batch read back (at start) with the image's bytes in it; a differing sector
 * sets its flag in differ[]. */
static void compare_batch(const struct uf2_image *img, uint32_t start, uint32_t size,
                          const uint8_t *got, bool *differ, struct picoboot_compare *c)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct uf2_range *g = &img->ranges[i];
		uint64_t lo = g->address > start ? g->address : start;
		uint64_t hi = (uint64_t)g->address + g->size;
		hi = hi < (uint64_t)start + size ? hi : (uint64_t)start + size;
		for (uint64_t a = lo; a < hi; a++) {
			if (got[a - start] == g->data[a - g->address])
				continue;
			differ[(a - start) / PICOBOOT_FLASH_SECTOR] = true;
			if (!c->differ || a < c->first_differ)
				c->first_differ = (uint32_t)a;
			c->differ = true;
		}
	}
}

int picoboot_compare_flash(struct picoboot *pb, const struct uf2_image *img,
                           const struct rs_progress *progress, struct picoboot_compare *c,
                           struct rs_error *err)
{
	memset(c, 0, sizeof *c);
	int r = check_in_flash(img, err);
	if (r)
		return r;
	const uint32_t max = PICOBOOT_ERASE_BATCH_SECTORS * PICOBOOT_FLASH_SECTOR;
	uint8_t *got = malloc(max);
	r = got ? RS_OK : rs_fail(err, RS_E_NOMEM, "out of memory");
	uint64_t pos = 0, done = 0;
	uint32_t start, size;
	rs_progress_report(progress, 0, img->payload_bytes);
	while (!r && next_batch(img, &pos, &start, &size)) {
		if (rs_progress_should_stop(progress)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while comparing at 0x%08X; nothing was "
			            "written", (unsigned)start);
			break;
		}
		bool differ[PICOBOOT_ERASE_BATCH_SECTORS] = {0};
		if ((r = picoboot_exit_xip(pb, err)) || (r = picoboot_read(pb, start, got, size, err)))
			break;
		compare_batch(img, start, size, got, differ, c);
		for (uint32_t i = 0; i < size / PICOBOOT_FLASH_SECTOR; i++)
			c->sectors_differ += differ[i];
		c->sectors += size / PICOBOOT_FLASH_SECTOR;
		done += image_bytes(img, start, (uint64_t)start + size);
		rs_progress_report(progress, done, img->payload_bytes);
	}
	free(got);
	return r;
}
