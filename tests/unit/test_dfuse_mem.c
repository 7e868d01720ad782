/* test_dfuse_mem.c — DfuSe layout strings: the STM32 ROM strings of reference
 * dfu-dfuse-picoboot-samba.md §1.7 and §1.14, dfu-util's quirks, malformed strings. */
#include "dfuse_mem.h"
#include "../common/tap.h"

#include <string.h>

static bool seg_is(const struct dfuse_layout *l, size_t i, uint32_t start, uint32_t end,
		   uint32_t page, uint8_t type)
{
	if (i >= l->n_segments) {
		tap_diag("segment %zu missing (have %zu)", i, l->n_segments);
		return false;
	}
	const struct dfuse_segment *s = &l->seg[i];
	if (s->start == start && s->end == end && s->page_size == page && s->type == type)
		return true;
	tap_diag("segment %zu is 0x%08X..0x%08X page %u type %u", i, s->start, s->end,
		 s->page_size, s->type);
	return false;
}

static void test_stm32_strings(void)
{
	struct dfuse_layout l;
	struct rs_error err = { 0 };

	int rc = dfuse_layout_parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", &l,
				    &err);
	tap_ok(rc == RS_OK && strcmp(l.name, "Internal Flash  ") == 0 && l.n_segments == 3,
	       "F405 flash: name keeps its two trailing spaces, 3 segments (%s)", err.msg);
	tap_ok(seg_is(&l, 0, 0x08000000, 0x0800FFFF, 16384, 7) &&
	       seg_is(&l, 1, 0x08010000, 0x0801FFFF, 65536, 7) &&
	       seg_is(&l, 2, 0x08020000, 0x080FFFFF, 131072, 7),
	       "F405 flash: 4x16K, 1x64K, 7x128K read/erase/write from 0x08000000");

	rc = dfuse_layout_parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg", &l,
				&err);
	tap_ok(rc == RS_OK && l.n_segments == 3 && l.seg[2].end == 0x0807FFFF,
	       "F401/F411 flash ends at 0x0807FFFF (512 KiB)");

	rc = dfuse_layout_parse("@Option Bytes  /0x1FFFC000/01*016 e", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x1FFFC000, 0x1FFFC00F, 16,
				     DFUSE_MEM_READABLE | DFUSE_MEM_WRITABLE),
	       "\"01*016 e\": a space multiplier means bytes: 16 bytes, type e (read+write)");

	rc = dfuse_layout_parse("@OTP Memory /0x1FFF7800/01*512 e,01*016 e", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x1FFF7800, 0x1FFF79FF, 512, 5) &&
	       seg_is(&l, 1, 0x1FFF7A00, 0x1FFF7A0F, 16, 5), "F4 OTP: 512 bytes then 16 bytes");

	rc = dfuse_layout_parse("@Device Feature/0xFFFF0000/01*004 e", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0xFFFF0000, 0xFFFF0003, 4, 5),
	       "F4 Device Feature: 4 bytes at 0xFFFF0000, ends at 0xFFFF0003");

	rc = dfuse_layout_parse("@Device Feature/0xFFFF0000/01*004Kb", &l, &err);
	tap_ok(rc == RS_OK && l.seg[0].type == 5,
	       "an interface named \"Device Feature\" is forced to type e whatever it says");

	rc = dfuse_layout_parse("@Internal Flash   /0x08000000/16*128Kg", &l, &err);
	tap_ok(rc == RS_OK && strcmp(l.name, "Internal Flash   ") == 0 &&
	       seg_is(&l, 0, 0x08000000, 0x081FFFFF, 131072, 7),
	       "H743 flash: 3 trailing spaces kept, 16x128K up to 0x081FFFFF");

	rc = dfuse_layout_parse("@Option Bytes   /0x5200201C/01*128 e", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x5200201C, 0x5200209B, 128, 5),
	       "H743 option bytes: 128 bytes at 0x5200201C, not erasable");

	rc = dfuse_layout_parse("@Internal Flash   /0x08000000/256*02Kg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x08000000, 0x0807FFFF, 2048, 7),
	       "H7A3 flash: \"02K\" is 2 KiB pages (decimal, leading zero)");

	rc = dfuse_layout_parse("@Internal Flash  /0x08000000/128*002Kg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x08000000, 0x0803FFFF, 2048, 7),
	       "F1 flash: \"002K\" is 2 KiB pages, never octal");

	rc = dfuse_layout_parse("@SPI Flash /0x90000000/1024*4Kg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x90000000, 0x903FFFFF, 4096, 7),
	       "4 MiB external flash in 4 KiB sectors");

	rc = dfuse_layout_parse("@Big /0x08000000/2*1Mg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x08000000, 0x081FFFFF, 1048576, 7),
	       "multiplier M is 1048576");
}

static void test_quirks(void)
{
	struct dfuse_layout l;
	struct rs_error err = { 0 };
	int rc = dfuse_layout_parse("@X/0x1000/04*016g", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x1000, 0x103F, 16, 7),
	       "a type letter in the multiplier position is the type, sizes in bytes");

	rc = dfuse_layout_parse("@X/0x1000/02*016Bg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0x1000, 0x101F, 16, 7), "multiplier B is bytes");

	rc = dfuse_layout_parse("@X/0x1000/01*1Kz,01*1Kg", &l, &err);
	tap_ok(rc == RS_OK && l.skipped == 1 && seg_is(&l, 0, 0x1400, 0x17FF, 1024, 7),
	       "[I] a segment with invalid type z is skipped and the next one starts after it");

	rc = dfuse_layout_parse("@X/0x1000/01*1KG", &l, &err);
	tap_ok(rc == RS_OK && l.skipped == 1 && l.n_segments == 0,
	       "upper-case type G is not a type: the segment is skipped");

	rc = dfuse_layout_parse("@X/0x1000/01*1Kgg", &l, &err);
	tap_ok(rc == RS_OK && l.skipped == 1 && l.n_segments == 0,
	       "a two-letter type is invalid: the segment is skipped");

	rc = dfuse_layout_parse("@X/0x1000/01*1K", &l, &err);
	tap_ok(rc == RS_OK && l.skipped == 1 && l.n_segments == 0,
	       "a segment with no type at all is skipped");

	static const uint8_t bits[7] = { 1, 2, 3, 4, 5, 6, 7 };
	bool all = true;
	for (int i = 0; i < 7; i++) {
		char s[32];
		snprintf(s, sizeof s, "@X/0x0/1*1K%c", 'a' + i);
		all = all && dfuse_layout_parse(s, &l, NULL) == RS_OK && l.seg[0].type == bits[i];
	}
	tap_ok(all, "type letters a..g give bits 1..7");

	rc = dfuse_layout_parse("@Flash/0x08000000/02*016Kg/0x1FFF0000/01*016 e", &l, &err);
	tap_ok(rc == RS_OK && l.n_segments == 2 && seg_is(&l, 0, 0x08000000, 0x08007FFF, 16384, 7) &&
	       seg_is(&l, 1, 0x1FFF0000, 0x1FFF000F, 16, 5),
	       "two /0x.../ blocks give segments at both addresses");

	rc = dfuse_layout_parse("@Only a name", &l, &err);
	tap_ok(rc == RS_OK && l.n_segments == 0 && strcmp(l.name, "Only a name") == 0,
	       "a name without blocks parses to no segments");

	rc = dfuse_layout_parse("@X/0x1000/01*1Kg/", &l, &err);
	tap_ok(rc == RS_OK && l.n_segments == 1, "a trailing '/' is accepted");

	rc = dfuse_layout_parse("@X/0x1000/1*4294967295Bg", &l, &err);
	tap_ok(rc == RS_E_INPUT && strstr(err.msg, "32-bit"),
	       "a segment past 4 GiB is refused (%s)", err.msg);
	rc = dfuse_layout_parse("@X/0x0/1*4294967295Bg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0, 0xFFFFFFFE, 0xFFFFFFFF, 7),
	       "a segment ending at 0xFFFFFFFE is fine");
	rc = dfuse_layout_parse("@X/0xFFFFFFF0/1*16Bg", &l, &err);
	tap_ok(rc == RS_OK && seg_is(&l, 0, 0xFFFFFFF0, 0xFFFFFFFF, 16, 7),
	       "a segment ending at exactly 0xFFFFFFFF is fine");
}

static void expect_bad(const char *s, const char *needle)
{
	struct dfuse_layout l;
	struct rs_error err = { 0 };
	int rc = dfuse_layout_parse(s, &l, &err);
	tap_ok(rc == RS_E_INPUT && strstr(err.msg, needle), "\"%s\" refused: %s", s, err.msg);
}

static void test_malformed(void)
{
	expect_bad("Internal Flash/0x08000000/04*016Kg", "'@'");
	expect_bad("", "'@'");
	expect_bad("@/0x08000000/04*016Kg", "empty name");
	expect_bad("@X/0x/04*016Kg", "hex address");
	expect_bad("@X/0x123456789/04*016Kg", "hex address");
	expect_bad("@X/0x08000000/04x016Kg", "'*'");
	expect_bad("@X/0x08000000/*016Kg", "sector count");
	expect_bad("@X/0x08000000/04*Kg", "sector size");
	expect_bad("@X/0x08000000/-4*16Kg", "sector count");
	expect_bad("@X/0x08000000/0*016Kg", "no bytes");
	expect_bad("@X/0x08000000/04*016Kg/junk", "position 22");
	expect_bad("@X/08000000/04*016Kg", "unexpected");
	expect_bad("@X/0x08000000/99999999999*1Kg", "sector count");
	/* Found by fuzz_dfuse_mem: two blocks at one address made the erase plan overlap. */
	expect_bad("@X/0x08010000/04*016Kg/0x08010000/04*006Kg", "overlaps");
	expect_bad("@X/0x1000/2*16Bg/0x1010/1*16Bg", "overlaps");

	char many[1024] = "@X/0x0/";
	for (int i = 0; i < DFUSE_LAYOUT_MAX_SEGMENTS + 1; i++)
		strcat(many, i ? ",1*1Kg" : "1*1Kg");
	expect_bad(many, "more than 64");
	struct dfuse_layout l;
	tap_ok(dfuse_layout_parse(NULL, &l, NULL) == RS_E_INPUT, "NULL string refused");
}

static void test_lookups(void)
{
	struct dfuse_layout l;
	dfuse_layout_parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", &l, NULL);
	const struct dfuse_segment *s = dfuse_layout_find(&l, 0x08012345);
	tap_ok(s == &l.seg[1], "0x08012345 is in the 64K segment");
	tap_ok(!dfuse_layout_find(&l, 0x07FFFFFF) && !dfuse_layout_find(&l, 0x08100000),
	       "addresses just outside flash have no segment");

	uint32_t start = 0, size = 0;
	bool ok = dfuse_layout_page(&l, 0x08005001, &start, &size);
	tap_ok(ok && start == 0x08004000 && size == 16384, "page of 0x08005001 is 0x08004000/16K");
	ok = dfuse_layout_page(&l, 0x080FFFFF, &start, &size);
	tap_ok(ok && start == 0x080E0000 && size == 131072, "page of the last byte is 0x080E0000");
	tap_ok(!dfuse_layout_page(&l, 0x20000000, &start, &size), "no page outside the layout");

	dfuse_layout_parse("@Odd/0x1000/5*3Bg", &l, NULL);
	ok = dfuse_layout_page(&l, 0x1007, &start, &size);
	tap_ok(ok && start == 0x1006 && size == 3,
	       "3-byte pages (not a power of two): 0x1007 is in the page at 0x1006");

	dfuse_layout_parse("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", &l, NULL);
	tap_ok(dfuse_layout_range_is(&l, 0x0800FF00, 0x200, DFUSE_MEM_WRITABLE | DFUSE_MEM_ERASABLE),
	       "a range across the 16K/64K boundary is writable and erasable");
	tap_ok(dfuse_layout_range_is(&l, 0x08000000, 0x100000, DFUSE_MEM_WRITABLE),
	       "the whole 1 MiB is writable");
	tap_ok(!dfuse_layout_range_is(&l, 0x08000000, 0x100001, DFUSE_MEM_WRITABLE),
	       "one byte more than flash is not writable");
	tap_ok(!dfuse_layout_range_is(&l, 0x07FFFFFF, 2, DFUSE_MEM_READABLE),
	       "a range starting before flash is not readable");
	tap_ok(dfuse_layout_range_is(&l, 0x08000010, 0, DFUSE_MEM_WRITABLE) &&
	       !dfuse_layout_range_is(&l, 0x20000000, 0, DFUSE_MEM_WRITABLE),
	       "an empty range is inside only when its address is");

	dfuse_layout_parse("@Option Bytes  /0x1FFFC000/01*016 e", &l, NULL);
	tap_ok(dfuse_layout_range_is(&l, 0x1FFFC000, 16, DFUSE_MEM_WRITABLE) &&
	       !dfuse_layout_range_is(&l, 0x1FFFC000, 16, DFUSE_MEM_ERASABLE),
	       "option bytes are writable but not erasable");

	dfuse_layout_parse("@X/0xFFFFFFF0/1*16Bg", &l, NULL);
	tap_ok(dfuse_layout_range_is(&l, 0xFFFFFFF0, 16, DFUSE_MEM_WRITABLE) &&
	       !dfuse_layout_range_is(&l, 0xFFFFFFF0, 17, DFUSE_MEM_WRITABLE),
	       "a range at the top of the address space does not wrap to 0");
}

int main(void)
{
	test_stm32_strings();
	test_quirks();
	test_malformed();
	test_lookups();
	return tap_done();
}
