/* uf2.h — UF2 files and plain binaries held in memory, turned into the address ranges a
 * PICOBOOT load writes.
 *
 * Format facts: reference dfu-dfuse-picoboot-samba.md §2.8 (microsoft/uf2) and §2.9 (what
 * the RP2040 bootrom accepts).  A file is a whole number of 512-byte blocks; each block
 * carries up to 476 payload bytes for one target address.  Blocks of another family (or
 * with no family ID) are ignored entirely, so multi-family files work; so are blocks marked
 * not-main-flash.  Every field of every block we use is checked against the buffer and
 * against the other blocks: a malformed file gives RS_E_INPUT with one sentence naming the
 * block and what is wrong, never an out-of-bounds read.
 */
#ifndef RESCUE_UF2_H
#define RESCUE_UF2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define UF2_BLOCK_SIZE 512
#define UF2_DATA_SIZE 476            /* bytes 32..507 of a block */
#define UF2_MAGIC_START0 0x0A324655u /* "UF2\n" */
#define UF2_MAGIC_START1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u

#define UF2_FLAG_NOT_MAIN_FLASH 0x00000001u
#define UF2_FLAG_FILE_CONTAINER 0x00001000u
#define UF2_FLAG_FAMILY_ID 0x00002000u
#define UF2_FLAG_MD5 0x00004000u
#define UF2_FLAG_EXTENSION_TAGS 0x00008000u

#define UF2_FAMILY_RP2040 0xE48BFF56u
#define UF2_RP2040_PAYLOAD 256       /* the only payload size the RP2040 bootrom takes (§2.9) */

/* One decoded block header; payload points into the caller's buffer. */
struct uf2_block {
	uint32_t flags;
	uint32_t target_addr;
	uint32_t payload_size;
	uint32_t block_no;
	uint32_t num_blocks;
	uint32_t family;           /* fileSize when UF2_FLAG_FAMILY_ID is clear */
	const uint8_t *payload;
};

/* A run of consecutive bytes to write at address. */
struct uf2_range {
	uint32_t address;
	uint32_t size;
	uint8_t *data;             /* owned by the image */
};

/* The ranges of one family, sorted by address, never overlapping or touching (adjacent
 * blocks are merged). */
struct uf2_image {
	struct uf2_range *ranges;
	size_t n;
	uint64_t payload_bytes;    /* sum of the ranges' sizes */
	size_t blocks_used;        /* blocks of the family that carry data for main flash */
	size_t blocks_ignored;     /* other families, no family ID, not-main-flash */
};

/* Does buf start with a UF2 block's two start magics? */
bool uf2_looks_like_uf2(const uint8_t *buf, size_t len);

/* Decode the block at buf (at least 512 bytes): checks the three magics and that the
 * payload fits in the block.  index names the block in messages (0-based). */
int uf2_block_decode(const uint8_t *buf, size_t index, struct uf2_block *b, struct rs_error *err);

/* Parse a whole UF2 file for one family, whose blocks must each carry payload_size bytes at
 * a payload_size-aligned address (RP2040: UF2_RP2040_PAYLOAD).  Also checked: blockNo <
 * numBlocks, one numBlocks for all the family's blocks, no block number twice, all of them
 * present, no two blocks writing the same bytes, no address past 4 GiB.  On success img
 * holds at least one range; free it with uf2_image_free(). */
int uf2_image_parse(const uint8_t *buf, size_t len, uint32_t family, uint32_t payload_size,
                    struct uf2_image *img, struct rs_error *err);

/* A plain binary as one range at address (picotool's -t bin). */
int uf2_image_from_bin(const uint8_t *buf, size_t len, uint32_t address, struct uf2_image *img,
                       struct rs_error *err);

/* Is every byte of img inside [start, start + size)?  If not, *bad is the first range
 * outside. */
bool uf2_image_within(const struct uf2_image *img, uint64_t start, uint64_t size,
                      const struct uf2_range **bad);

void uf2_image_free(struct uf2_image *img);

#endif
