/* block_delta.h — which blocks of an image a bootloader must be sent so that its memory
 * ends up as a full download would leave it, when part of it already holds the image.
 *
 * The memory is made of units (flash sectors, erase blocks, MRAM blocks: how a unit is found
 * is the caller's lookup).  A unit is the smallest thing ever skipped: it is sent whole (all
 * the image's blocks in it) or not at all.  An "erased" unit is erased by the bootloader when
 * a write reaches its first byte, so it is equal only when the image's bytes in it match and
 * the rest of it reads 0xFF, as a full download would leave it.  The unit of block 0 is
 * always sent, without reading it back (the openmv_dfu bootloader opens a partition's MPU region on block 0, and
 * the download ends only after a written block: boot/src/common/dfu.c).
 * Knows no board and no device; pure. */
#ifndef RESCUE_BLOCK_DELTA_H
#define RESCUE_BLOCK_DELTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Read first, alone, from a unit's start when the unit before it differed (changes come in
 * runs): 64 bytes, one full-speed control packet (USB 2.0 §5.5.3), so that a unit that differs
 * in its first bytes costs a packet's read, not a block's.  When they are equal the unit is read
 * as it would be without them.  A read_fn is asked for this length at a unit's start. */
#define BLOCK_DELTA_PROBE 64

/* The unit that holds addr: 0 with its start and size and whether it is erased, or -1. */
typedef int (*delta_unit_fn)(void *ctx, uint64_t addr, uint64_t *start, uint64_t *size,
                             bool *erased);

/* Read n bytes of the memory from start + off into buf: n, fewer (the memory ends), or a
 * negative RS_E_* with err filled. */
typedef int (*delta_read_fn)(void *ctx, uint64_t off, uint8_t *buf, size_t n, struct rs_error *err);

struct block_delta {
	uint8_t *write;          /* one flag per block of the image (the caller frees it) */
	size_t blocks;
	size_t units;            /* every unit the image touches */
	size_t units_differ;     /* of those read back (all but block 0's), the ones that differ */
	size_t units_unread;     /* sent without reading: after 8 in a row that differed, the rest */
	uint64_t bytes_send, bytes_skip; /* the image's bytes sent and left alone */
	uint64_t bytes_read;     /* read back to compare */
};

/* Read back every unit the image [start, start+len) touches, at most limit bytes from
 * start (the partition's size), unit by unit (probed first after a unit that differed, and
 * the first one read: BLOCK_DELTA_PROBE), compare it with image[0..len) and fill d.
 * RS_E_INPUT with a reason when the units do not allow skipping (a unit not known, or one
 * that starts before start, off a block boundary, or is larger than 16 MiB); a read error as
 * read_fn returned it.  Only one unit is held in memory at a time. */
int block_delta_plan(delta_unit_fn unit, delta_read_fn read, void *ctx, uint64_t start,
                     uint64_t limit, uint32_t block, const uint8_t *image, size_t len,
                     struct block_delta *d, struct rs_error *err);

/* What a read-back comparison found: every unit the image touches, those holding other
 * bytes than the image, and the first such address (UINT64_MAX: none). */
struct block_compare {
	size_t units, units_differ;
	uint64_t first_differ;
	uint64_t bytes_read;
};

/* Read back [start, start+len) unit by unit (a unit not known counts as one block) and compare
 * it with image[0..len) only (nothing past the image's end).  The first unit, and each after
 * one that differed, is probed first (BLOCK_DELTA_PROBE): a probe that differs settles its unit
 * and gives the differing address itself, so first_differ is the same as without probes.
 * Writes nothing. */
int block_compare(delta_unit_fn unit, delta_read_fn read, void *ctx, uint64_t start,
                  uint32_t block, const uint8_t *image, size_t len, struct block_compare *c,
                  struct rs_error *err);

#endif
