/* dfuse_mem.h — DfuSe memory layouts: the "@name/0xADDR/N*SIZEKt,..." interface strings.
 *
 * Grammar and dfu-util 0.11's reading of it: reference dfu-dfuse-picoboot-samba.md §1.7
 * (ST UM0424 §4.3.2).  Example, STM32F405 internal flash:
 *   "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"
 * The parser never prints; a string it cannot read gives RS_E_INPUT and the position.
 */
#ifndef RESCUE_DFUSE_MEM_H
#define RESCUE_DFUSE_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Type bits: the letters a..g are 1..7 (§1.7). */
#define DFUSE_MEM_READABLE 0x1
#define DFUSE_MEM_ERASABLE 0x2
#define DFUSE_MEM_WRITABLE 0x4

#define DFUSE_LAYOUT_MAX_SEGMENTS 64
#define DFUSE_LAYOUT_NAME_MAX 255

struct dfuse_segment {
	uint32_t start;
	uint32_t end;              /* last byte, inclusive (a segment may end at 0xFFFFFFFF) */
	uint32_t page_size;        /* erase unit: the SIZE of "N*SIZE" */
	uint8_t type;              /* DFUSE_MEM_* bits */
};

struct dfuse_layout {
	char name[DFUSE_LAYOUT_NAME_MAX + 1]; /* after '@', up to '/', trailing spaces kept */
	size_t n_segments;
	struct dfuse_segment seg[DFUSE_LAYOUT_MAX_SEGMENTS];
	unsigned skipped;          /* segments dropped for want of a valid type letter */
};

/* Parse an interface string.  Follows dfu-util: decimal counts and sizes (leading zeros
 * allowed: "016" is 16), multiplier B/K/M, any other multiplier means bytes (so
 * "01*016 e" is one 16-byte segment of type e), a letter a..g in the multiplier position
 * is the type when none follows, "Device Feature" is forced to type e, a segment without a
 * valid type is skipped (counted in skipped).  RS_E_INPUT for anything else, including
 * segments that overlap (dfu-util accepts those; an erase plan could not trust them). */
int dfuse_layout_parse(const char *s, struct dfuse_layout *l, struct rs_error *err);

/* The segment holding addr, or NULL. */
const struct dfuse_segment *dfuse_layout_find(const struct dfuse_layout *l, uint32_t addr);

/* The page (erase unit) holding addr: pages are counted from the segment start, so sizes
 * need not be powers of two.  false when addr is in no segment. */
bool dfuse_layout_page(const struct dfuse_layout *l, uint32_t addr, uint32_t *page_start,
		       uint32_t *page_size);

/* true when every byte of [addr, addr+len) lies in segments that have all the type bits
 * in want.  len 0 is true only when addr itself is inside such a segment. */
bool dfuse_layout_range_is(const struct dfuse_layout *l, uint32_t addr, uint64_t len,
			   uint8_t want);

#endif
