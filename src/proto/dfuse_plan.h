/* dfuse_plan.h — what a DfuSe write sends, computed without touching a device.
 *
 * Two pure plans for writing data[0..len) at addr (reference dfu-dfuse-picoboot-samba.md
 * §1.5, §1.6, §4 items 4–5):
 *  - erase: every page of an erasable segment that the range touches, ascending, each
 *    exactly once; pages are counted from their segment's start, so page sizes need not be
 *    powers of two (dfu-util assumes they are);
 *  - runs: one SET_ADDRESS per run, then DNLOAD blocks 2, 3, 4, ... of xfer bytes, since
 *    the device places block n at pointer + (n - 2) * wTransferSize.  A run holds at most
 *    65534 blocks (wValue is 16 bits).  per_block gives dfu-util's pattern instead: a
 *    SET_ADDRESS before every block, each sent as block 2.
 */
#ifndef RESCUE_DFUSE_PLAN_H
#define RESCUE_DFUSE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dfuse_mem.h"

#define DFUSE_FIRST_DATA_BLOCK 2
#define DFUSE_MAX_BLOCKS_PER_RUN (0xFFFFu - DFUSE_FIRST_DATA_BLOCK + 1)

struct dfuse_run {
	uint32_t address;          /* sent with SET_ADDRESS */
	size_t offset;             /* first data byte of the run */
	size_t len;                /* bytes in the run */
	uint32_t blocks;           /* numbered DFUSE_FIRST_DATA_BLOCK upwards */
};

/* The next page to erase: start with *cursor = 0.  Returns false when no page is left.
 * Only pages in segments with the erasable bit are returned. */
bool dfuse_plan_next_erase(const struct dfuse_layout *l, uint32_t addr, size_t len,
			   uint64_t *cursor, uint32_t *page_start, uint32_t *page_size);

/* How many bytes of [addr, addr+len) fall in the page [page_start, page_start+page_size). */
size_t dfuse_plan_page_overlap(uint32_t addr, size_t len, uint32_t page_start,
			       uint32_t page_size);

/* The next run: start with *offset = 0.  Returns false when all len bytes are planned.
 * xfer must be > 0. */
bool dfuse_plan_next_run(uint32_t addr, size_t len, uint16_t xfer, bool per_block,
			 size_t *offset, struct dfuse_run *run);

/* Block k (0-based) of a run: its wValue, data offset and length. */
uint16_t dfuse_plan_block_number(uint32_t k);
size_t dfuse_plan_block_len(const struct dfuse_run *run, uint16_t xfer, uint32_t k);

#endif
