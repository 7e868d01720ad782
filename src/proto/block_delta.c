/* block_delta.c — the blocks to send when part of the memory already holds the image
 * (see block_delta.h). */
#include "block_delta.h"

#include <stdlib.h>
#include <string.h>

#define UNIT_MAX (16u << 20) /* the largest unit read back at once (a whole 16 MiB chip) */
/* After this many units in a row that differ, the image is taken for a new one throughout: the
 * rest is written without reading it back first, so that a flash of an image that changed
 * everywhere costs at most these reads more than a full write [I: a choice, not a source's]. */
#define GIVE_UP_AFTER 8

/* The unit at addr, checked to be usable: inside the image's partition, on a block
 * boundary, a whole number of blocks. */
static int unit_checked(delta_unit_fn unit, void *ctx, uint64_t start, uint32_t block,
                        uint64_t addr, uint64_t *us, uint64_t *usz, bool *erased,
                        struct rs_error *err)
{
	if (unit(ctx, addr, us, usz, erased))
		return rs_fail(err, RS_E_INPUT, "how the memory at 0x%llx is erased is not known",
		               (unsigned long long)addr);
	if (*usz == 0 || *us > addr || *us + *usz <= addr || *us < start || (*us - start) % block ||
	    *usz % block || *usz > UNIT_MAX)
		return rs_fail(err, RS_E_INPUT, "the unit at 0x%llx (%llu bytes) does not line up "
		               "with the %u-byte blocks", (unsigned long long)*us,
		               (unsigned long long)*usz, block);
	return RS_OK;
}

/* Does buf[0..got), read back from [at, at+n), hold what a full download leaves there: the
 * image's bytes, then 0xFF in an erased unit?  1: differs, 0: equal. */
static int span_differs(const uint8_t *buf, size_t got, uint64_t at, size_t n, bool erased,
                        const uint8_t *image, size_t len)
{
	size_t in_image = at >= len ? 0 : (at + n <= len ? n : (size_t)(len - at));
	if (got < in_image || memcmp(image + at, buf, in_image))
		return 1;
	if (!erased)
		return 0;
	if (got < n)
		return 1; /* the tail was not read back: it cannot be shown erased */
	for (size_t i = in_image; i < n; i++)
		if (buf[i] != 0xFF)
			return 1;
	return 0;
}

/* Read the unit at offset lo (want bytes of it) back block by block and compare each block
 * with what a full download would leave there (span_differs).  It stops at the first block
 * that differs, so a changed unit costs one block's read, not the unit's.  With probe, the
 * unit's first BLOCK_DELTA_PROBE bytes are read alone first: when they differ that is all
 * it costs; when they are equal the unit is read as without it.  1: differs, 0: equal, or a
 * negative RS_E_* from read. */
static int unit_differs(delta_read_fn read, void *ctx, uint64_t lo, size_t want, bool erased,
                        bool probe, uint32_t block, const uint8_t *image, size_t len,
                        uint8_t *buf, uint64_t *bytes_read, struct rs_error *err)
{
	for (size_t off = 0; off < want; off += block) {
		size_t n = want - off < block ? want - off : block;
		uint64_t at = lo + off;
		if (at >= len && !erased)
			return 0; /* past the image in a unit written in place: not ours to compare */
		if (off == 0 && probe && n > BLOCK_DELTA_PROBE) {
			int got = read(ctx, at, buf, BLOCK_DELTA_PROBE, err);
			if (got < 0)
				return got;
			*bytes_read += (uint64_t)got;
			if (span_differs(buf, (size_t)got, at, BLOCK_DELTA_PROBE, erased, image, len))
				return 1;
		}
		int got = read(ctx, at, buf, n, err);
		if (got < 0)
			return got;
		*bytes_read += (uint64_t)got;
		if (span_differs(buf, (size_t)got, at, n, erased, image, len))
			return 1;
	}
	return 0;
}

static int fail_free(struct block_delta *d, uint8_t *buf, int r)
{
	free(buf);
	free(d->write);
	d->write = NULL;
	return r;
}

int block_delta_plan(delta_unit_fn unit, delta_read_fn read, void *ctx, uint64_t start,
                     uint64_t limit, uint32_t block, const uint8_t *image, size_t len,
                     struct block_delta *d, struct rs_error *err)
{
	memset(d, 0, sizeof *d);
	if (!block || !len || len > limit)
		return rs_fail(err, RS_E_INPUT, "nothing to compare");
	d->blocks = (len + block - 1) / block;
	d->write = calloc(d->blocks, 1);
	uint8_t *buf = malloc(block); /* one block at a time: see unit_differs */
	if (!d->write || !buf)
		return fail_free(d, buf, rs_fail(err, RS_E_NOMEM, "out of memory"));
	uint64_t us, usz;
	bool erased;
	int in_a_row = 0;
	bool probe = true; /* the first unit read is probed; then only after one that differed */
	for (uint64_t at = start; at < start + len; at = us + usz) {
		int r = unit_checked(unit, ctx, start, block, at, &us, &usz, &erased, err);
		if (r)
			return fail_free(d, buf, r);
		uint64_t lo = us - start;
		size_t first = (size_t)(lo / block), last = (size_t)((lo + usz + block - 1) / block);
		if (last > d->blocks)
			last = d->blocks;
		uint64_t bytes = (lo + usz < len ? lo + usz : len) - lo;
		d->units++;
		if (in_a_row >= GIVE_UP_AFTER) { /* a new image all through: send the rest unread */
			memset(d->write + first, 1, last - first);
			d->bytes_send += bytes;
			d->units_unread++;
			continue;
		}
		if (first == 0) { /* always sent: no need to read it */
			memset(d->write, 1, last);
			d->bytes_send += bytes;
			continue;
		}
		size_t want = (size_t)(lo + usz <= limit ? usz : limit - lo);
		if (want == 0)
			return fail_free(d, buf, rs_fail(err, RS_E_INPUT, "a unit past the partition's end"));
		int r2 = unit_differs(read, ctx, lo, want, erased, probe, block, image, len, buf,
		                      &d->bytes_read, err);
		if (r2 < 0)
			return fail_free(d, buf, r2);
		probe = r2; /* changes come in runs: an equal unit is most likely followed by one */
		if (!r2) {
			d->bytes_skip += bytes;
			in_a_row = 0;
			continue;
		}
		d->units_differ++;
		in_a_row++;
		memset(d->write + first, 1, last - first);
		d->bytes_send += bytes;
	}
	free(buf);
	return RS_OK;
}

/* How many bytes from lo the memory holds as the image does (want, when all), reading want
 * bytes into buf; with probe the first BLOCK_DELTA_PROBE alone first, and no more when they
 * differ (the count is then the same as the whole read would give).  Negative: read's error. */
static long long same_prefix(delta_read_fn read, void *ctx, uint64_t lo, size_t want, bool probe,
                             const uint8_t *image, uint8_t *buf, uint64_t *bytes_read,
                             struct rs_error *err)
{
	if (probe && want > BLOCK_DELTA_PROBE) {
		int got = read(ctx, lo, buf, BLOCK_DELTA_PROBE, err);
		if (got < 0)
			return got;
		*bytes_read += (uint64_t)got;
		size_t same = 0;
		while (same < (size_t)got && buf[same] == image[lo + same])
			same++;
		if (same < BLOCK_DELTA_PROBE)
			return (long long)same; /* differs there, or the memory ends there */
	}
	int got = read(ctx, lo, buf, want, err);
	if (got < 0)
		return got;
	*bytes_read += (uint64_t)got;
	size_t same = 0;
	while (same < (size_t)got && buf[same] == image[lo + same])
		same++;
	return (long long)same;
}

int block_compare(delta_unit_fn unit, delta_read_fn read, void *ctx, uint64_t start,
                  uint32_t block, const uint8_t *image, size_t len, struct block_compare *c,
                  struct rs_error *err)
{
	memset(c, 0, sizeof *c);
	c->first_differ = UINT64_MAX;
	if (!block || !len)
		return rs_fail(err, RS_E_INPUT, "nothing to compare");
	uint8_t *buf = NULL;
	size_t cap = 0;
	bool probe = true; /* the first unit, then each after one that differed */
	for (uint64_t at = start, us, usz; at < start + len; at = us + usz) {
		bool erased;
		if (unit(ctx, at, &us, &usz, &erased) || usz == 0 || usz > UNIT_MAX || us > at ||
		    us + usz <= at) {
			us = at;
			usz = block;
		}
		uint64_t lo = at - start, hi = us + usz - start < len ? us + usz - start : len;
		size_t want = (size_t)(hi - lo);
		if (want == 0)
			break; /* cannot happen: hi > lo by the unit checks above */
		if (want > cap || !buf) {
			uint8_t *nb = realloc(buf, want);
			if (!nb) {
				free(buf);
				return rs_fail(err, RS_E_NOMEM, "out of memory");
			}
			buf = nb;
			cap = want;
		}
		long long same = same_prefix(read, ctx, lo, want, probe, image, buf, &c->bytes_read, err);
		if (same < 0) {
			free(buf);
			return (int)same;
		}
		c->units++;
		probe = (size_t)same < want;
		if (probe) {
			c->units_differ++;
			if (c->first_differ == UINT64_MAX)
				c->first_differ = start + lo + (uint64_t)same;
		}
	}
	free(buf);
	return RS_OK;
}
