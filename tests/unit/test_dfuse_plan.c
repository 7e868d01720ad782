/* test_dfuse_plan.c — which pages a DfuSe write erases and which SET_ADDRESS + blocks it
 * sends (src/proto/dfuse_plan.c), including unaligned writes and odd page sizes. */
#include "dfuse_plan.h"
#include "../common/tap.h"

#include <string.h>

#define F4_FLASH "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"
#define H7_FLASH "@Internal Flash   /0x08000000/16*128Kg"

static size_t plan_pages(const char *layout, uint32_t addr, size_t len, uint32_t *pages,
			 size_t max)
{
	struct dfuse_layout l;
	if (dfuse_layout_parse(layout, &l, NULL) != RS_OK)
		return (size_t)-1;
	uint64_t cursor = 0;
	uint32_t start, size;
	size_t n = 0;
	while (dfuse_plan_next_erase(&l, addr, len, &cursor, &start, &size)) {
		if (n < max)
			pages[n] = start;
		n++;
	}
	return n;
}

static bool pages_are(const uint32_t *got, size_t n, const uint32_t *want, size_t wn)
{
	bool same = n == wn && memcmp(got, want, wn * sizeof *want) == 0;
	if (!same) {
		tap_diag("got %zu pages:", n);
		for (size_t i = 0; i < n && i < 16; i++)
			tap_diag("  0x%08X", got[i]);
	}
	return same;
}

static void test_erase_plans(void)
{
	uint32_t p[64];
	size_t n = plan_pages(F4_FLASH, 0x08000000, 3000, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x08000000 }, 1),
	       "3000 bytes at 0x08000000 on an F4 erase the first 16K sector once (§1.12)");

	n = plan_pages(F4_FLASH, 0x0800FF00, 0x300, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x0800C000, 0x08010000 }, 2),
	       "an unaligned write across the 16K/64K boundary erases both sectors");

	n = plan_pages(F4_FLASH, 0x08003FFF, 0x10002, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x08000000, 0x08004000, 0x08008000, 0x0800C000,
					     0x08010000 }, 5),
	       "from the last byte of sector 0 to the first of sector 4: 5 sectors, each once");

	n = plan_pages(F4_FLASH, 0x08020000, 0x20000, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x08020000 }, 1),
	       "exactly one 128K sector: one erase, not the next sector");

	n = plan_pages(H7_FLASH, 0x080E0000, 0x40000, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x080E0000, 0x08100000 }, 2),
	       "H7: 256K from 0x080E0000 erases the last bank-1 and first bank-2 sector");

	n = plan_pages("@Option Bytes  /0x1FFFC000/01*016 e", 0x1FFFC000, 16, p, 64);
	tap_ok(n == 0, "option bytes (type e, not erasable) are never erased");

	n = plan_pages("@Mixed/0x1000/01*016 e,02*016Bg", 0x1008, 0x10, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x1010 }, 1),
	       "a range over a non-erasable and an erasable segment erases only the latter");

	n = plan_pages("@Odd/0x1000/5*3Bg", 0x1002, 5, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x1000, 0x1003, 0x1006 }, 3),
	       "3-byte pages (not a power of two): 0x1002..0x1006 touches 3 pages");

	n = plan_pages("@Gap/0x1000/1*16Bg/0x2000/1*16Bg", 0x1000, 0x1010, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0x1000, 0x2000 }, 2),
	       "a gap between two blocks is skipped, not walked byte by byte");

	n = plan_pages("@Top/0xFFFFFF00/16*16Bg", 0xFFFFFFF8, 8, p, 64);
	tap_ok(pages_are(p, n, (uint32_t[]){ 0xFFFFFFF0 }, 1),
	       "the last page of the 32-bit address space, without wrapping");
}

/* Brute force: for many small ranges, the plan equals the set of pages holding at least
 * one byte of the range, ascending, each once. */
static void test_erase_exhaustive(void)
{
	static const char *layouts[] = {
		"@A/0x100/4*8Bg,2*16Bg,3*5Bg", "@B/0x100/2*8Bg,1*16 e,2*7Bg", "@C/0x100/6*12Bg",
	};
	int bad = 0, checked = 0;
	for (size_t li = 0; li < 3; li++) {
		struct dfuse_layout l;
		dfuse_layout_parse(layouts[li], &l, NULL);
		for (uint32_t a = 0xF0; a < 0x170; a++) {
			for (size_t len = 1; len < 0x50; len++) {
				uint32_t want[256], got[256];
				size_t wn = 0, gn = 0;
				for (uint32_t x = a; x < a + len; x++) {
					uint32_t ps, sz;
					const struct dfuse_segment *s = dfuse_layout_find(&l, x);
					if (!s || !(s->type & DFUSE_MEM_ERASABLE))
						continue;
					dfuse_layout_page(&l, x, &ps, &sz);
					if (wn == 0 || want[wn - 1] != ps)
						want[wn++] = ps;
				}
				uint64_t cursor = 0;
				uint32_t start, size;
				while (gn < 256 &&
				       dfuse_plan_next_erase(&l, a, len, &cursor, &start, &size))
					got[gn++] = start;
				checked++;
				if (gn != wn || memcmp(got, want, wn * sizeof *want) != 0)
					bad++;
			}
		}
	}
	tap_ok(bad == 0, "erase plan = pages holding a byte of the range, for %d ranges "
	       "(%d differ)", checked, bad);
}

static void test_overlap(void)
{
	tap_ok(dfuse_plan_page_overlap(0x0800FF00, 0x300, 0x0800C000, 0x4000) == 0x100 &&
	       dfuse_plan_page_overlap(0x0800FF00, 0x300, 0x08010000, 0x10000) == 0x200 &&
	       dfuse_plan_page_overlap(0x1000, 0x10, 0x2000, 0x10) == 0,
	       "page overlap counts the data bytes inside each page");
}

static void test_runs(void)
{
	size_t off = 0;
	struct dfuse_run r[4];
	size_t n = 0;
	while (n < 4 && dfuse_plan_next_run(0x08000000, 3000, 2048, false, &off, &r[n]))
		n++;
	tap_ok(n == 1 && r[0].address == 0x08000000 && r[0].blocks == 2 && r[0].len == 3000,
	       "3000 bytes in 2048-byte blocks: one SET_ADDRESS, 2 blocks");
	tap_ok(dfuse_plan_block_number(0) == 2 && dfuse_plan_block_number(1) == 3 &&
	       dfuse_plan_block_len(&r[0], 2048, 0) == 2048 &&
	       dfuse_plan_block_len(&r[0], 2048, 1) == 952,
	       "blocks are numbered 2, 3 and the last one is short (952 bytes)");

	off = n = 0;
	while (n < 4 && dfuse_plan_next_run(0x08000000, 3000, 2048, true, &off, &r[n]))
		n++;
	tap_ok(n == 2 && r[0].blocks == 1 && r[1].address == 0x08000800 && r[1].len == 952,
	       "per-block addressing (dfu-util's): SET_ADDRESS 0x08000000 and 0x08000800");

	/* A run holds at most 65534 blocks (wValue 2..65535). */
	size_t len = (size_t)DFUSE_MAX_BLOCKS_PER_RUN * 64 + 1;
	off = n = 0;
	while (n < 4 && dfuse_plan_next_run(0x90000000, len, 64, false, &off, &r[n]))
		n++;
	tap_ok(n == 2 && r[0].blocks == 65534 && dfuse_plan_block_number(65533) == 0xFFFF &&
	       r[1].address == 0x90000000 + 65534u * 64 && r[1].blocks == 1 && r[1].len == 1,
	       "a write of 65534 blocks + 1 byte needs a second SET_ADDRESS");

	/* Every block lands where the device computes it: pointer + (n - 2) * xfer. */
	bool placed = true, contiguous = true;
	size_t sum = 0;
	off = 0;
	struct dfuse_run run;
	uint16_t xfer = 1024;
	len = 100000;
	while (dfuse_plan_next_run(0x08040123, len, xfer, false, &off, &run)) {
		contiguous = contiguous && run.offset == sum && run.address == 0x08040123 + sum;
		for (uint32_t k = 0; k < run.blocks; k++) {
			uint32_t device = run.address + (uint32_t)(dfuse_plan_block_number(k) - 2) * xfer;
			placed = placed && device == 0x08040123 + run.offset + (size_t)k * xfer;
		}
		sum += run.len;
	}
	tap_ok(placed && contiguous && sum == len,
	       "an unaligned 100000-byte write: every block at pointer + (n - 2) * 1024, runs "
	       "contiguous and covering every byte");

	off = 0;
	tap_ok(!dfuse_plan_next_run(0x1000, 10, 0, false, &off, &run) &&
	       !dfuse_plan_next_run(0x1000, 0, 64, false, &off, &run),
	       "no runs for a zero transfer size or an empty image");
}

int main(void)
{
	test_erase_plans();
	test_erase_exhaustive();
	test_overlap();
	test_runs();
	return tap_done();
}
