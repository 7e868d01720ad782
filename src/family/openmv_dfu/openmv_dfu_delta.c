/* openmv_dfu_delta — delta mode for the openmv_dfu download (see delta.h).
 *
 * Why it is safe on the real bootloader (openmv/openmv boot/src/common/dfu.c): a block lands at
 * partition start + block x wTransferSize whatever came before it (TinyUSB's DFU class passes
 * the block number through), an UPLOAD of block n reads the same place, a sector (or a QSPI /
 * OSPI erase block) is erased when a write reaches its first byte, and a partition guarded by
 * the MPU becomes writable when its block 0 is written.  So block 0's unit is always sent,
 * and any other unit is sent whole or not at all. */
#include "openmv_dfu_delta.h"

#include <stdio.h>
#include <stdlib.h>

#include "block_delta.h"
#include "boarddb_units.h"
#include "dfu.h"

struct delta_ctx {
	struct run_ctx *rc;
	const struct board *board;
	const struct board_alt *al;
	libusb_device_handle *h;
	uint16_t intf, xfer;
	uint64_t len;
};

static int unit_at(void *ctx, uint64_t addr, uint64_t *start, uint64_t *size, bool *erased)
{
	struct delta_ctx *c = ctx;
	return board_unit_at(c->board, c->al->memory, addr, start, size, erased);
}

/* UPLOAD the blocks from start + off: the bootloader reads block n at start + n x xfer. */
static int read_back(void *ctx, uint64_t off, uint8_t *buf, size_t n, struct rs_error *err)
{
	struct delta_ctx *c = ctx;
	size_t got = 0;
	if (off % c->xfer)
		return rs_fail(err, RS_E_INPUT, "a unit at offset %llu is not on a %u-byte block",
		               (unsigned long long)off, c->xfer);
	while (got < n) {
		if (run_should_stop(c->rc))
			return rs_fail(err, RS_E_CANCELLED, "stopped while reading alt %d back; nothing "
			               "was written", c->al->alt);
		size_t want = n - got < c->xfer ? n - got : c->xfer;
		uint64_t block = (off + got) / c->xfer;
		if (block > 0xFFFF)
			return rs_fail(err, RS_E_INPUT, "block %llu is past DFU's 16-bit block numbers",
			               (unsigned long long)block);
		int r = dfu_req_upload(c->h, c->intf, (uint16_t)block, buf + got, (uint16_t)want, err);
		if (r < 0)
			return r;
		got += (size_t)r;
		run_progress(c->rc, off + got < c->len ? off + got : c->len, c->len);
		if ((size_t)r < want)
			break; /* a short frame: the partition ends here */
	}
	return (int)got;
}

static void unit_word(const struct board *b, const char *mem, uint64_t addr, char *out, size_t n)
{
	uint64_t s, sz;
	bool erased = false;
	board_unit_at(b, mem, addr, &s, &sz, &erased);
	snprintf(out, n, "%s", erased ? "sectors" : "blocks");
}

int exec_dfu_delta(struct run_ctx *rc, libusb_device_handle *h, uint16_t intf, uint16_t xfer,
                   bool can_upload, const struct board_alt *al, const struct exec_image *im,
                   uint8_t **write, struct rs_error *err)
{
	*write = NULL;
	const struct board *b = rc->plan->board;
	if (rc->opts->full) {
		run_log(rc, RUN_LOG_INFO, "--full: writing all of alt %d", al->alt);
		return RS_OK;
	}
	if (!can_upload || al->access != ALT_RW) {
		run_log(rc, RUN_LOG_INFO, "alt %d cannot be read back first: writing all of it", al->alt);
		return RS_OK;
	}
	uint64_t us, usz;
	bool erased;
	if (!board_unit_at(b, al->memory, al->start.value, &us, &usz, &erased) &&
	    us + usz >= al->start.value + im->len)
		return RS_OK; /* all in block 0's unit, which is always written: nothing to compare */
	struct delta_ctx c = {rc, b, al, h, intf, xfer, im->len};
	struct block_delta d;
	struct rs_error why = {0};
	run_log(rc, RUN_LOG_INFO, "reading alt %d (%s) back first, to write only what differs",
	        al->alt, al->name);
	int r = block_delta_plan(unit_at, read_back, &c, al->start.value, al->size.value, xfer,
	                         im->data, im->len, &d, &why);
	struct rs_error quiet;
	if (r || d.bytes_read)
		dfu_req_abort(h, intf, &quiet); /* leave dfuUPLOAD-IDLE for dfuIDLE */
	if (r == RS_E_INPUT) {
		run_log(rc, RUN_LOG_INFO, "writing all of alt %d: %s", al->alt, why.msg);
		return RS_OK;
	}
	if (r) {
		*err = why;
		return r;
	}
	char word[16];
	unit_word(b, al->memory, al->start.value, word, sizeof word);
	run_log(rc, RUN_LOG_INFO, "alt %d: %zu of %zu %s already held the image: writing %llu of %zu "
	        "bytes (the first is always written%s)", al->alt, d.units - 1 - d.units_differ - d.units_unread,
	        d.units, word, (unsigned long long)d.bytes_send, im->len,
	        d.units_unread ? "; after 8 in a row that differed, the rest unread" : "");
	rc->res->bytes_left_alone += d.bytes_skip;
	*write = d.write;
	return RS_OK;
}

int exec_dfu_compare(struct run_ctx *rc, libusb_device_handle *h, uint16_t intf, uint16_t xfer,
                     bool can_upload, const struct board_alt *al, const struct exec_image *im,
                     const char *path, struct rs_error *err)
{
	if (!can_upload || al->access == ALT_COMMAND)
		return rs_fail(err, RS_E_INPUT, "alt %d (%s) cannot be read back, so it cannot be "
		               "verified; nothing was written", al->alt, al->name);
	const struct board *b = rc->plan->board;
	struct delta_ctx c = {rc, b, al, h, intf, xfer, im->len};
	struct block_compare cmp;
	int r = block_compare(unit_at, read_back, &c, al->start.value, xfer, im->data, im->len, &cmp, err);
	struct rs_error quiet;
	dfu_req_abort(h, intf, &quiet); /* leave dfuUPLOAD-IDLE */
	if (r)
		return r;
	char word[16];
	unit_word(b, al->memory, al->start.value, word, sizeof word);
	if (cmp.units_differ == 0) {
		rc->res->images_equal++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to alt %d (%s), all %zu bytes", path, al->alt,
		        al->name, im->len);
	} else {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from alt %d (%s) first at 0x%08llx; %zu of %zu "
		        "%s differ", path, al->alt, al->name, (unsigned long long)cmp.first_differ,
		        cmp.units_differ, cmp.units, word);
	}
	return RS_OK;
}
