/* fuzz_dfuse_mem.c — libFuzzer target for the DfuSe layout parser and the erase plan
 * (src/proto/dfuse_mem.c, dfuse_plan.c).
 *
 * Input: 8 bytes choosing a write range (address, length), then the layout string.  The
 * parsed layout must keep its invariants, and the erase plan for the range must list
 * ascending, distinct pages that each hold a byte of the range.
 */
#include <stdlib.h>
#include <string.h>

#include "dfuse_mem.h"
#include "dfuse_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_layout(const struct dfuse_layout *l)
{
	if (l->n_segments > DFUSE_LAYOUT_MAX_SEGMENTS || strlen(l->name) > DFUSE_LAYOUT_NAME_MAX)
		abort();
	for (size_t i = 0; i < l->n_segments; i++) {
		const struct dfuse_segment *s = &l->seg[i];
		if (s->start > s->end || s->page_size == 0 || s->type < 1 || s->type > 7)
			abort();
		if ((uint64_t)s->end - s->start + 1 < s->page_size)
			abort();
	}
}

static void check_plan(const struct dfuse_layout *l, uint32_t addr, size_t len)
{
	uint64_t cursor = 0, prev_end = 0;
	uint32_t start, size;
	unsigned n = 0;
	while (dfuse_plan_next_erase(l, addr, len, &cursor, &start, &size) && n++ < 100000) {
		if (n > 1 && start < prev_end)
			abort(); /* not ascending or overlapping: a page would be erased twice */
		if (dfuse_plan_page_overlap(addr, len, start, size) == 0)
			abort(); /* a page that holds no byte of the range */
		const struct dfuse_segment *s = dfuse_layout_find(l, start);
		if (!s || !(s->type & DFUSE_MEM_ERASABLE))
			abort();
		prev_end = (uint64_t)start + size;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	uint32_t addr = le32(data);
	size_t len = le32(data + 4) & 0xFFFFF; /* up to 1 MiB keeps each run short */
	char *s = malloc(size - 8 + 1);
	memcpy(s, data + 8, size - 8);
	s[size - 8] = '\0';

	struct dfuse_layout l;
	struct rs_error err = { 0 };
	int rc = dfuse_layout_parse(s, &l, &err);
	if (rc == RS_OK) {
		check_layout(&l);
		uint32_t ps, pz;
		if (dfuse_layout_page(&l, addr, &ps, &pz) && (ps > addr || addr - ps >= pz))
			abort();
		bool w = dfuse_layout_range_is(&l, addr, len, DFUSE_MEM_WRITABLE);
		if (w && len && !dfuse_layout_find(&l, (uint32_t)(addr + len - 1)))
			abort();
		check_plan(&l, addr, len);
	} else if (rc != RS_E_INPUT || err.msg[0] == '\0') {
		abort();
	}
	free(s);
	return 0;
}
