/* family/nxp/blhost_delta.c — delta mode and verify for the RT1062's image steps (see
 * blhost_delta.h).  A unit counts as equal only when it reads as a full erase and write would
 * leave it: the image's bytes, then 0xFF to the unit's end (flash-erase-region erases whole
 * sectors: the model's [I] rule, and the flashloader's own 4 KiB sector erase). */
#include "blhost_delta.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "boarddb_units.h"
#include "exec_nxp_internal.h"

#define UNITS_MEMORY "flexspi" /* boards.ini units.flexspi: the external NOR's erase units */

void blhost_delta_clear(struct blhost_delta *p)
{
	free(p->start);
	free(p->size);
	free(p->write);
	memset(p, 0, sizeof *p);
	p->image = -1;
}

/* Why this erase step is done in full, or NULL when its units may be compared first. */
static const char *why_full(const struct run_ctx *rc, const struct step *s)
{
	if (rc->opts->full)
		return "--full";
	if (!s->text[0])
		return "its whole region is erased, whatever the image's size";
	if (s->flags & STEP_BOOTLOADER)
		return "the secure bootloader is always written in full";
	return NULL;
}

/* Fill p with the units [address, address+n) touches; -1 when boards.ini does not say. */
static int find_units(const struct board *b, uint64_t address, size_t n, struct blhost_delta *p)
{
	uint64_t us, usz;
	bool erased;
	size_t count = 0;
	for (uint64_t at = address; at < address + n; at = us + usz, count++)
		if (board_unit_at(b, UNITS_MEMORY, at, &us, &usz, &erased) || !erased || us != at ||
		    usz == 0 || usz > 0x10000) /* 64 KiB: the largest NOR block */
			return -1;
	p->start = calloc(count, sizeof *p->start);
	p->size = calloc(count, sizeof *p->size);
	p->write = calloc(count, 1);
	if (!p->start || !p->size || !p->write)
		return -1;
	p->units = count;
	size_t i = 0;
	for (uint64_t at = address; at < address + n; at = us + usz, i++) {
		board_unit_at(b, UNITS_MEMORY, at, &us, &usz, &erased);
		p->start[i] = us;
		p->size[i] = usz;
	}
	return 0;
}

/* One read-memory reads at most this much: a run of neighbouring units is read by one
 * command (each command costs its command report, its response and its closing response,
 * more than the data of a 4 KiB sector at high speed), and the run is still short enough to
 * show progress and to stop between runs. */
#define READ_RUN_MAX 0x40000

/* Read the units back, a run at a time; mark those that do not hold what a full write
 * leaves. */
static int compare_units(struct run_ctx *rc, struct nxp_device *d, const uint8_t *data, size_t n,
                         struct blhost_delta *p, struct rs_error *err)
{
	uint8_t *buf = malloc(READ_RUN_MAX);
	if (!buf)
		return rs_fail(err, RS_E_NOMEM, "out of memory for the read-back");
	int r = 0;
	for (size_t i = 0; i < p->units && !r;) {
		if (run_should_stop(rc)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while reading back; nothing was erased");
			break;
		}
		size_t j = i;
		uint64_t run = 0; /* units are at most 64 KiB (find_units): one always fits */
		while (j < p->units && p->start[j] == p->start[i] + run && run + p->size[j] <= READ_RUN_MAX)
			run += p->size[j++];
		uint64_t base = p->start[i];
		r = mboot_read_memory(&d->mboot, (uint32_t)base, buf, (size_t)run, MBOOT_MEM_INTERNAL, NULL, err);
		for (; !r && i < j; i++) {
			uint64_t lo = p->start[i] - p->address;
			const uint8_t *got = buf + (p->start[i] - base);
			size_t in = lo + p->size[i] <= n ? (size_t)p->size[i] : (size_t)(n - lo);
			bool same = !memcmp(got, data + lo, in);
			for (size_t k = in; same && k < p->size[i]; k++)
				same = got[k] == 0xFF;
			p->write[i] = !same;
			run_progress(rc, lo + in, n);
		}
	}
	free(buf);
	return r;
}

/* Erase each run of neighbouring differing units with one flash-erase-region. */
static int erase_runs(struct nxp_device *d, const struct blhost_delta *p, int timeout,
                      struct rs_error *err)
{
	for (size_t i = 0; i < p->units;) {
		if (!p->write[i]) {
			i++;
			continue;
		}
		uint64_t lo = p->start[i], hi = lo;
		for (; i < p->units && p->write[i] && p->start[i] == hi; i++)
			hi = p->start[i] + p->size[i];
		int r = mboot_flash_erase_region(&d->mboot, (uint32_t)lo, (uint32_t)(hi - lo),
		                                 MBOOT_MEM_INTERNAL, timeout, err);
		if (r)
			return r;
	}
	return 0;
}

int blhost_delta_erase(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                       uint64_t len, int timeout, struct rs_error *err)
{
	blhost_delta_clear(&d->delta);
	if (rc->opts->verify_only) {
		run_log(rc, RUN_LOG_INFO, "verify: nothing is erased at 0x%08" PRIX64, s->address.value);
		return 0;
	}
	if (s->image < 0)
		return 1; /* not an image's erase (the FCB, the FAT disk's boot record): as it is */
	const char *why = why_full(rc, s);
	struct blhost_delta p = {.image = s->image, .address = s->address.value};
	if (!why && find_units(rc->plan->board, p.address, (size_t)len, &p))
		why = "boards.ini does not give the flash's erase units there";
	if (why) {
		blhost_delta_clear(&p);
		run_log(rc, RUN_LOG_INFO, "erasing and writing all of 0x%08" PRIX64 ": %s", s->address.value,
		        why);
		return 1;
	}
	uint8_t *data = NULL;
	size_t n = 0;
	const char *name;
	int r = nxp_image_load(rc, s->image, &data, &n, &name, err);
	if (!r) {
		run_log(rc, RUN_LOG_INFO, "reading 0x%08" PRIX64 " back first, to erase and write only the "
		        "sectors that differ", p.address);
		r = compare_units(rc, d, data, n < len ? n : (size_t)len, &p, err);
	}
	free(data);
	if (r == RS_E_DEVICE) { /* this flashloader does not allow reading back */
		run_log(rc, RUN_LOG_INFO, "erasing and writing all of 0x%08" PRIX64 ": it cannot be read "
		        "back (%s)", p.address, err->msg);
		blhost_delta_clear(&p);
		return 1;
	}
	if (!r)
		r = erase_runs(d, &p, timeout, err);
	if (r) {
		blhost_delta_clear(&p);
		return r;
	}
	d->delta = p;
	return 0;
}

int blhost_delta_write(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                       const uint8_t *data, size_t n, struct rs_error *err)
{
	struct rs_progress pr = nxp_progress(rc);
	struct blhost_delta *p = &d->delta;
	if (p->image != s->image || p->address != s->address.value || !p->units) {
		int r = mboot_write_memory(&d->mboot, (uint32_t)s->address.value, data, n,
		                           MBOOT_MEM_INTERNAL, &pr, err);
		if (!r)
			rc->res->bytes_written += n;
		return r;
	}
	uint64_t sent = 0;
	size_t same = 0;
	for (size_t i = 0; i < p->units;) {
		if (!p->write[i]) {
			same++;
			i++;
			continue;
		}
		uint64_t lo = p->start[i] - p->address, hi = lo;
		for (; i < p->units && p->write[i] && p->start[i] - p->address == hi; i++)
			hi = p->start[i] + p->size[i] - p->address;
		if (hi > n)
			hi = n;
		int r = mboot_write_memory(&d->mboot, (uint32_t)(p->address + lo), data + lo,
		                           (size_t)(hi - lo), MBOOT_MEM_INTERNAL, &pr, err);
		if (r)
			return r;
		sent += hi - lo;
	}
	run_log(rc, RUN_LOG_INFO, "0x%08" PRIX64 ": %zu of %zu sectors already held the image: writing "
	        "%" PRIu64 " of %zu bytes", p->address, same, p->units, sent, n);
	rc->res->bytes_written += sent;
	rc->res->bytes_left_alone += n - sent;
	blhost_delta_clear(p);
	return 0;
}

/* The end (an offset from address, at most n) of the erase unit holding address + off; 4 KiB
 * pieces where boards.ini gives none. */
static uint64_t unit_end(const struct board *b, uint64_t address, uint64_t off, size_t n)
{
	uint64_t us, usz;
	bool erased;
	if (board_unit_at(b, UNITS_MEMORY, address + off, &us, &usz, &erased) || usz == 0 ||
	    usz > 0x10000 || us > address + off)
		us = address + off, usz = 0x1000; /* not given: count 4 KiB pieces */
	return us + usz - address < n ? us + usz - address : n;
}

int blhost_compare(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                   const uint8_t *data, size_t n, const char *name, struct rs_error *err)
{
	uint64_t address = s->address.value, first = UINT64_MAX;
	size_t units = 0, differ = 0;
	uint8_t *buf = malloc(READ_RUN_MAX);
	if (!buf)
		return rs_fail(err, RS_E_NOMEM, "out of memory for the read-back");
	int r = 0;
	for (uint64_t off = 0; off < n && !r;) {
		if (run_should_stop(rc)) {
			r = rs_fail(err, RS_E_CANCELLED, "stopped while reading back; nothing was written");
			break;
		}
		uint64_t end = unit_end(rc->plan->board, address, off, n); /* whole units, one read */
		for (uint64_t e; end < n && (e = unit_end(rc->plan->board, address, end, n)) - off <= READ_RUN_MAX;)
			end = e;
		r = mboot_read_memory(&d->mboot, (uint32_t)(address + off), buf, (size_t)(end - off),
		                      MBOOT_MEM_INTERNAL, NULL, err);
		for (uint64_t u = off, ue; !r && u < end; u = ue, units++) {
			ue = unit_end(rc->plan->board, address, u, n);
			uint64_t k = u;
			while (k < ue && buf[k - off] == data[k])
				k++;
			if (k < ue) {
				differ++;
				if (first == UINT64_MAX)
					first = address + k;
			}
		}
		off = end;
		run_progress(rc, off, n);
	}
	free(buf);
	if (r)
		return r;
	if (!differ) {
		rc->res->images_equal++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to the flash at 0x%08" PRIX64 ", all %zu bytes", name,
		        address, n);
	} else {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from the flash at 0x%08" PRIX64 " first at 0x%08" PRIX64
		        "; %zu of %zu sectors differ", name, address, first, differ, units);
	}
	return 0;
}
