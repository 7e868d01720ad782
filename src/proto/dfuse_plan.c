/* dfuse_plan.c — see dfuse_plan.h. */
#include "dfuse_plan.h"

/* The lowest segment start above addr, or 2^32 when there is none. */
static uint64_t next_segment_start(const struct dfuse_layout *l, uint64_t addr)
{
	uint64_t best = (uint64_t)UINT32_MAX + 1;
	for (size_t i = 0; i < l->n_segments; i++)
		if (l->seg[i].start > addr && l->seg[i].start < best)
			best = l->seg[i].start;
	return best;
}

bool dfuse_plan_next_erase(const struct dfuse_layout *l, uint32_t addr, size_t len,
			   uint64_t *cursor, uint32_t *page_start, uint32_t *page_size)
{
	uint64_t end = (uint64_t)addr + len; /* one past the last byte */
	uint64_t cur = *cursor > addr ? *cursor : addr;
	while (cur < end && cur <= UINT32_MAX) {
		const struct dfuse_segment *s = dfuse_layout_find(l, (uint32_t)cur);
		if (!s) {
			/* Not in the layout (the caller refuses such writes first): skip the gap. */
			cur = next_segment_start(l, cur);
			continue;
		}
		if (!(s->type & DFUSE_MEM_ERASABLE)) {
			cur = (uint64_t)s->end + 1;
			continue;
		}
		uint64_t start = s->start + (cur - s->start) / s->page_size * s->page_size;
		uint64_t next = start + s->page_size;
		if (next > (uint64_t)s->end + 1)
			next = (uint64_t)s->end + 1;
		*page_start = (uint32_t)start;
		*page_size = s->page_size;
		*cursor = next;
		return true;
	}
	*cursor = end;
	return false;
}

size_t dfuse_plan_page_overlap(uint32_t addr, size_t len, uint32_t page_start,
			       uint32_t page_size)
{
	uint64_t a0 = addr, a1 = (uint64_t)addr + len;
	uint64_t p0 = page_start, p1 = (uint64_t)page_start + page_size;
	uint64_t lo = a0 > p0 ? a0 : p0, hi = a1 < p1 ? a1 : p1;
	return hi > lo ? (size_t)(hi - lo) : 0;
}

bool dfuse_plan_next_run(uint32_t addr, size_t len, uint16_t xfer, bool per_block,
			 size_t *offset, struct dfuse_run *run)
{
	if (*offset >= len || xfer == 0)
		return false;
	uint64_t max_blocks = per_block ? 1 : DFUSE_MAX_BLOCKS_PER_RUN;
	uint64_t left = len - *offset;
	uint64_t bytes = max_blocks * xfer;
	if (bytes > left)
		bytes = left;
	run->address = (uint32_t)(addr + *offset);
	run->offset = *offset;
	run->len = (size_t)bytes;
	run->blocks = (uint32_t)((bytes + xfer - 1) / xfer);
	*offset += (size_t)bytes;
	return true;
}

uint16_t dfuse_plan_block_number(uint32_t k)
{
	return (uint16_t)(DFUSE_FIRST_DATA_BLOCK + k);
}

size_t dfuse_plan_block_len(const struct dfuse_run *run, uint16_t xfer, uint32_t k)
{
	size_t start = (size_t)k * xfer;
	if (start >= run->len)
		return 0;
	return run->len - start < xfer ? run->len - start : xfer;
}
