/* dfuse_delta.c — delta mode and verify for DfuSe writes by address (see dfuse_delta.h).
 *
 * Why skipping is safe: with DfuSe the host erases (ERASE 0x41 names one page of the layout
 * string, UM0424 §4.3.2 via reference §1.5) and the device only programs, so a page that is
 * neither erased nor written keeps its bytes, and a page that is erased is written whole
 * (dfuse_write erases exactly the pages its range touches).  The ST system ROM behaves so
 * by ST AN3156.  The Arduino bootloader (Portenta, Giga, Nicla) is closed: that its ERASE
 * clears only the named page is inferred from its layout string, so there delta mode is
 * used only when the full read-back after the write follows (it would see a neighbour page
 * that a wider erase cleared); with --no-verify it writes in full. */
#include "dfuse_delta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block_delta.h"
#include "dfuse_plan.h"

/* Does the page [ps, ps+n) read as a full erase and write of the image would leave it? */
static bool page_equal(uint32_t ps, const uint8_t *cur, size_t n, uint32_t address,
                       const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t a = (uint64_t)ps + i;
		bool in = a >= address && a < (uint64_t)address + len;
		if (cur[i] != (in ? data[a - address] : 0xFF))
			return false;
	}
	return true;
}

/* The reason to write everything, or NULL when the pages may be compared first. */
static const char *why_full(struct run_ctx *rc, const struct dfuse_target_dev *t,
                            const struct dfuse_layout *l, uint32_t address, size_t len)
{
	if (rc->opts->full)
		return "--full";
	if (!t->can_upload)
		return "this bootloader cannot be read back";
	if (!t->rom && rc->opts->no_verify)
		return "the Arduino bootloader's erase rules are not public, and with --no-verify no "
		       "read-back would prove a partial write";
	if (!dfuse_layout_range_is(l, address, len, DFUSE_MEM_READABLE | DFUSE_MEM_ERASABLE))
		return "not every page there can be read and erased";
	return NULL;
}

static int write_full(struct run_ctx *rc, const struct dfuse_target_dev *t,
                      const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                      size_t len, const struct rs_progress *prog, struct dfuse_stats *st,
                      struct rs_error *err)
{
	int r = dfuse_write(t->h, t->intf, l, t->xfer, address, data, len, 0, st, prog, err);
	if (!r)
		rc->res->bytes_written += len;
	return r;
}

/* Does the page [ps, ps+size) differ from what a full write leaves?  With probe its first
 * BLOCK_DELTA_PROBE bytes are read alone first (SET_ADDRESS to the page, then UPLOAD block 2
 * of that length, which reads at the address pointer itself: block 2 is offset 0 whatever
 * the multiplier, ST AN3156 "Read memory"), and when they differ nothing more is read.  1,
 * 0, or a negative RS_E_*. */
static int page_differs(const struct dfuse_target_dev *t, uint32_t ps, size_t size, uint8_t *buf,
                        bool probe, uint32_t address, const uint8_t *data, size_t len,
                        struct rs_error *err)
{
	size_t got = 0;
	int r;
	if (probe && size > BLOCK_DELTA_PROBE) {
		r = dfuse_upload(t->h, t->intf, t->xfer, ps, buf, BLOCK_DELTA_PROBE, &got, NULL, err);
		if (r)
			return r;
		if (got != BLOCK_DELTA_PROBE || !page_equal(ps, buf, got, address, data, len))
			return 1;
	}
	r = dfuse_upload(t->h, t->intf, t->xfer, ps, buf, size, &got, NULL, err);
	if (r)
		return r;
	return got != size || !page_equal(ps, buf, size, address, data, len);
}

/* Read every page the image touches back; flags[i] = page i differs.  *n = pages.  The first
 * page, and each after one that differed, is probed first (page_differs): changes come in
 * runs, so a run of changed pages costs a probe each. */
static int plan_pages(struct run_ctx *rc, const struct dfuse_target_dev *t,
                      const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                      size_t len, uint8_t **flags, size_t *n, struct rs_error *err)
{
	uint64_t cur = 0;
	uint32_t ps, psz;
	size_t pages = 0, cap = 0, done = 0;
	while (dfuse_plan_next_erase(l, address, len, &cur, &ps, &psz))
		pages++;
	uint8_t *f = calloc(pages ? pages : 1, 1), *buf = NULL;
	if (!f)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	cur = 0;
	int r = RS_OK;
	bool probe = true;
	for (size_t i = 0; i < pages && !r; i++) {
		dfuse_plan_next_erase(l, address, len, &cur, &ps, &psz);
		size_t size = (size_t)(cur - ps); /* the last page of a segment may be cut short */
		if (size > cap || !buf) {
			uint8_t *nb = realloc(buf, size);
			if (!nb) {
				r = rs_fail(err, RS_E_NOMEM, "out of memory");
				break;
			}
			buf = nb;
			cap = size;
		}
		if (run_should_stop(rc)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while reading back; nothing was written");
			break;
		}
		int d = page_differs(t, ps, size, buf, probe, address, data, len, err);
		r = d < 0 ? d : RS_OK;
		f[i] = d != 0;
		probe = d == 1;
		done += dfuse_plan_page_overlap(address, len, ps, psz);
		run_progress(rc, done, len);
	}
	free(buf);
	if (r) {
		free(f);
		return r;
	}
	*flags = f;
	*n = pages;
	return RS_OK;
}

static void add_stats(struct dfuse_stats *sum, const struct dfuse_stats *one)
{
	sum->pages_erased += one->pages_erased;
	sum->set_addresses += one->set_addresses;
	sum->blocks += one->blocks;
	for (unsigned k = 0; k < one->quirk_recoveries && sum->quirk_recoveries < DFUSE_MAX_RECOVERED; k++)
		sum->recovered_pages[sum->quirk_recoveries++] = one->recovered_pages[k];
}

/* Erase and write each run of neighbouring differing pages with one dfuse_write. */
static int write_pages(const struct dfuse_target_dev *t,
                       const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                       size_t len, const uint8_t *flags, size_t pages,
                       const struct rs_progress *prog, struct dfuse_stats *st, uint64_t *sent,
                       struct rs_error *err)
{
	uint64_t cur = 0, lo = 0, hi = 0, end = (uint64_t)address + len;
	uint32_t ps, psz;
	bool open = false;
	for (size_t i = 0; i <= pages; i++) {
		bool more = i < pages && dfuse_plan_next_erase(l, address, len, &cur, &ps, &psz);
		uint64_t a = more ? (ps > address ? ps : address) : 0, b = more ? (cur < end ? cur : end) : 0;
		if (open && (!more || !flags[i] || a != hi)) { /* the run ends: write it */
			struct dfuse_stats one = {0};
			int r = dfuse_write(t->h, t->intf, l, t->xfer, (uint32_t)lo, data + (lo - address),
			                    (size_t)(hi - lo), 0, &one, prog, err);
			add_stats(st, &one);
			if (r)
				return r;
			*sent += hi - lo;
			open = false;
		}
		if (more && flags[i]) {
			if (!open)
				lo = a;
			open = true;
			hi = b;
		}
	}
	return RS_OK;
}

int dfuse_delta_write(struct run_ctx *rc, const struct dfuse_target_dev *t,
                      const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                      size_t len, const struct rs_progress *prog, struct dfuse_stats *st,
                      struct rs_error *err)
{
	memset(st, 0, sizeof *st);
	const char *why = why_full(rc, t, l, address, len);
	if (why) {
		run_log(rc, RUN_LOG_INFO, "writing all %zu bytes at 0x%08X: %s", len, (unsigned)address, why);
		return write_full(rc, t, l, address, data, len, prog, st, err);
	}
	run_log(rc, RUN_LOG_INFO, "reading 0x%08X back first, to write only the pages that differ",
	        (unsigned)address);
	uint8_t *flags;
	size_t pages, differ = 0;
	int r = plan_pages(rc, t, l, address, data, len, &flags, &pages, err);
	if (r) {
		rs_wrap(err, "reading 0x%08X back before writing; nothing was written", (unsigned)address);
		return r;
	}
	for (size_t i = 0; i < pages; i++)
		differ += flags[i];
	uint64_t sent = 0;
	r = write_pages(t, l, address, data, len, flags, pages, prog, st, &sent, err);
	free(flags);
	if (r)
		return r;
	run_log(rc, RUN_LOG_INFO, "0x%08X: %zu of %zu pages already held the image: writing %llu of "
	        "%zu bytes", (unsigned)address, pages - differ, pages, (unsigned long long)sent, len);
	rc->res->bytes_written += sent;
	rc->res->bytes_left_alone += len - sent;
	return RS_OK;
}

/* *same = how many bytes from at the memory holds as img does (n: all), reading n bytes; with
 * probe the first BLOCK_DELTA_PROBE alone first (see page_differs), and no more when they
 * differ: the count is then what the whole read would give. */
static int same_from(const struct dfuse_target_dev *t, uint32_t at, uint8_t *buf, size_t n,
                     bool probe, const uint8_t *img, size_t *same, struct rs_error *err)
{
	size_t got = 0;
	*same = 0;
	if (probe && n > BLOCK_DELTA_PROBE) {
		int r = dfuse_upload(t->h, t->intf, t->xfer, at, buf, BLOCK_DELTA_PROBE, &got, NULL, err);
		if (r)
			return r;
		while (*same < got && buf[*same] == img[*same])
			(*same)++;
		if (*same < BLOCK_DELTA_PROBE)
			return RS_OK;
		*same = 0;
	}
	int r = dfuse_upload(t->h, t->intf, t->xfer, at, buf, n, &got, NULL, err);
	while (!r && *same < got && buf[*same] == img[*same])
		(*same)++;
	return r;
}

int dfuse_delta_compare(struct run_ctx *rc, const struct dfuse_target_dev *t,
                        const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                        size_t len, const char *path, struct rs_error *err)
{
	if (!t->can_upload)
		return rs_fail(err, RS_E_INPUT, "this bootloader cannot be read back, so %s cannot be "
		               "verified; nothing was written", path);
	uint64_t end = (uint64_t)address + len, first = UINT64_MAX;
	size_t units = 0, differ = 0;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int r = RS_OK;
	bool probe = true;
	for (uint64_t at = address; at < end && !r;) {
		uint32_t ps, psz;
		if (!dfuse_layout_page(l, (uint32_t)at, &ps, &psz) || !psz) {
			ps = (uint32_t)at;
			psz = t->xfer;
		}
		uint64_t hi = (uint64_t)ps + psz < end ? (uint64_t)ps + psz : end;
		size_t n = (size_t)(hi - at);
		if (!n) { /* a page of size 0 and no transfer size: nothing can be read */
			r = rs_fail(err, RS_E_INPUT, "the memory at 0x%08llX cannot be read in pages",
			            (unsigned long long)at);
			break;
		}
		if (n > cap || !buf) {
			uint8_t *nb = realloc(buf, n);
			if (!nb) {
				r = rs_fail(err, RS_E_NOMEM, "out of memory");
				break;
			}
			buf = nb;
			cap = n;
		}
		size_t same = 0;
		r = same_from(t, (uint32_t)at, buf, n, probe, data + (at - address), &same, err);
		units++;
		probe = !r && same < n; /* the first page, then each after one that differed */
		if (probe) {
			differ++;
			if (first == UINT64_MAX)
				first = at + same;
		}
		at = hi;
		run_progress(rc, at - address, len);
	}
	free(buf);
	if (r)
		return r;
	if (!differ) {
		rc->res->images_equal++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to the memory at 0x%08X, all %zu bytes", path,
		        (unsigned)address, len);
	} else {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from the memory at 0x%08X first at 0x%08llx; %zu "
		        "of %zu pages differ", path, (unsigned)address, (unsigned long long)first, differ, units);
	}
	return RS_OK;
}
