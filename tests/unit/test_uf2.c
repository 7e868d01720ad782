/* test_uf2.c — the UF2 reader (src/proto/uf2.c) and CRC-16/XMODEM (src/proto/crc16.c)
 * against the vectors of reference dfu-dfuse-picoboot-samba.md §2.8 and §3.4, and every
 * kind of malformed file: each must be refused with a reason naming what is wrong. */
#include <stdlib.h>
#include <string.h>

#include "crc16.h"
#include "../common/tap.h"
#include "uf2.h"

#define NRF52840_FAMILY 0xADA52840u /* §2.8 */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Write one block; the payload is filled with a pattern derived from the address. */
static void block(uint8_t *p, uint32_t flags, uint32_t addr, uint32_t size, uint32_t no,
                  uint32_t total, uint32_t family)
{
	memset(p, 0, UF2_BLOCK_SIZE);
	put32(p, UF2_MAGIC_START0);
	put32(p + 4, UF2_MAGIC_START1);
	put32(p + 8, flags);
	put32(p + 12, addr);
	put32(p + 16, size);
	put32(p + 20, no);
	put32(p + 24, total);
	put32(p + 28, family);
	for (uint32_t i = 0; i < size && i < UF2_DATA_SIZE; i++)
		p[32 + i] = (uint8_t)((addr >> 8) + i * 7);
	put32(p + 508, UF2_MAGIC_END);
}

static void rp(uint8_t *p, uint32_t addr, uint32_t no, uint32_t total)
{
	block(p, UF2_FLAG_FAMILY_ID, addr, 256, no, total, UF2_FAMILY_RP2040);
}

static int parse(const uint8_t *buf, size_t len, struct uf2_image *img, struct rs_error *err)
{
	rs_clear(err);
	return uf2_image_parse(buf, len, UF2_FAMILY_RP2040, UF2_RP2040_PAYLOAD, img, err);
}

/* Expect a refusal whose message contains needle. */
static void refused(const uint8_t *buf, size_t len, const char *needle, const char *name)
{
	struct uf2_image img;
	struct rs_error err;
	int r = parse(buf, len, &img, &err);
	ok(r == RS_E_INPUT && strstr(err.msg, needle) && !strchr(err.msg, '\n') && img.n == 0,
	   "refused: %s (\"%s\")", name, err.msg);
}

static void test_crc(void)
{
	/* §3.4: CRC-16/XMODEM check value */
	ok(crc16_xmodem((const uint8_t *)"123456789", 9) == 0x31C3, "CRC-16/XMODEM of \"123456789\" is 0x31C3");
	ok(crc16_xmodem(NULL, 0) == 0, "CRC-16/XMODEM of nothing is the initial value 0");
	uint16_t c = crc16_xmodem_update(CRC16_XMODEM_INIT, (const uint8_t *)"1234", 4);
	ok(crc16_xmodem_update(c, (const uint8_t *)"56789", 5) == 0x31C3, "CRC-16 continued over two pieces");
	uint8_t ff[4096];
	memset(ff, 0xFF, sizeof ff);
	uint8_t zz[4096] = {0};
	ok(crc16_xmodem(zz, sizeof zz) == 0, "CRC-16 of zeros stays 0 (no initial or final XOR)");
	ok(crc16_xmodem(ff, sizeof ff) != crc16_xmodem(ff, sizeof ff - 1), "CRC-16 depends on the length");
}

static void test_reference_header(void)
{
	/* §2.8: example RP2040 block header, addr 0x10000000, 256-byte payload, block 0 of 1 */
	static const uint8_t head[32] = {
		0x55, 0x46, 0x32, 0x0a, 0x57, 0x51, 0x5d, 0x9e, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x56, 0xff, 0x8b, 0xe4,
	};
	static const uint8_t tail[4] = {0x30, 0x6f, 0xb1, 0x0a};
	uint8_t blk[UF2_BLOCK_SIZE] = {0};
	memcpy(blk, head, sizeof head);
	memcpy(blk + 508, tail, sizeof tail);
	for (int i = 0; i < 256; i++)
		blk[32 + i] = (uint8_t)i;
	struct uf2_block b;
	struct rs_error err = {0};
	ok(uf2_block_decode(blk, 0, &b, &err) == 0, "reference block decodes");
	ok(b.flags == UF2_FLAG_FAMILY_ID && b.target_addr == 0x10000000 && b.payload_size == 256 &&
	   b.block_no == 0 && b.num_blocks == 1 && b.family == UF2_FAMILY_RP2040,
	   "reference block fields: flags 0x2000, 0x10000000, 256 bytes, 0 of 1, RP2040");
	ok(uf2_looks_like_uf2(blk, sizeof blk) && !uf2_looks_like_uf2(blk + 1, 8), "UF2 start magics recognised");
	uint8_t mine[UF2_BLOCK_SIZE];
	rp(mine, 0x10000000, 0, 1);
	ok(!memcmp(mine, head, sizeof head) && !memcmp(mine + 508, tail, 4),
	   "the test's block writer matches the reference bytes");
	struct uf2_image img;
	ok(parse(blk, sizeof blk, &img, &err) == 0 && img.n == 1 && img.ranges[0].address == 0x10000000 &&
	   img.ranges[0].size == 256 && img.ranges[0].data[255] == 255 && img.payload_bytes == 256,
	   "reference block gives one 256-byte range at 0x10000000 with its payload");
	uf2_image_free(&img);
}

static void test_ranges(void)
{
	/* blocks out of address order, a gap, foreign and family-less blocks interleaved */
	uint8_t f[7 * UF2_BLOCK_SIZE];
	rp(f + 0 * 512, 0x10001000, 2, 4);
	block(f + 1 * 512, UF2_FLAG_FAMILY_ID, 0x00026000, 256, 0, 2, NRF52840_FAMILY);
	rp(f + 2 * 512, 0x10000100, 1, 4);
	block(f + 3 * 512, 0, 0x10000000, 256, 0, 1, 1234 /* fileSize, no family */);
	rp(f + 4 * 512, 0x10000000, 0, 4);
	block(f + 5 * 512, UF2_FLAG_FAMILY_ID, 0x00026100, 256, 1, 2, NRF52840_FAMILY);
	rp(f + 6 * 512, 0x10001100, 3, 4);
	struct uf2_image img;
	struct rs_error err;
	int r = parse(f, sizeof f, &img, &err);
	ok(r == 0, "multi-family file parses (%s)", err.msg);
	ok(img.n == 2 && img.ranges[0].address == 0x10000000 && img.ranges[0].size == 512 &&
	   img.ranges[1].address == 0x10001000 && img.ranges[1].size == 512,
	   "adjacent blocks merge into 2 ranges sorted by address");
	ok(img.blocks_used == 4 && img.blocks_ignored == 3 && img.payload_bytes == 1024,
	   "4 RP2040 blocks used, 3 other blocks ignored");
	bool data_ok = img.n == 2;
	for (int k = 0; data_ok && k < 2; k++)
		for (uint32_t i = 0; i < 512; i++) {
			uint32_t a = img.ranges[k].address + i;
			uint32_t base = a & ~0xFFu;
			if (img.ranges[k].data[i] != (uint8_t)((base >> 8) + (a - base) * 7))
				data_ok = false;
		}
	ok(data_ok, "every range holds its blocks' payload in address order");
	const struct uf2_range *bad = NULL;
	ok(uf2_image_within(&img, 0x10000000, 0x200000, NULL), "image lies within 2 MiB of flash");
	ok(!uf2_image_within(&img, 0x10000000, 0x1000, &bad) && bad == &img.ranges[1],
	   "a 4 KiB window leaves the second range outside");
	uf2_image_free(&img);

	/* not-main-flash blocks of our family count in the numbering but are not written */
	uint8_t g[2 * UF2_BLOCK_SIZE];
	rp(g, 0x10000000, 0, 2);
	block(g + 512, UF2_FLAG_FAMILY_ID | UF2_FLAG_NOT_MAIN_FLASH, 0x20000000, 256, 1, 2, UF2_FAMILY_RP2040);
	ok(parse(g, sizeof g, &img, &err) == 0 && img.n == 1 && img.blocks_ignored == 1,
	   "not-main-flash block skipped (%s)", err.msg);
	uf2_image_free(&img);
}

static void test_refusals(void)
{
	uint8_t f[3 * UF2_BLOCK_SIZE] = {0};
	refused(f, 0, "empty", "empty file");
	rp(f, 0x10000000, 0, 1);
	refused(f, 511, "not a whole number of 512-byte blocks", "511 bytes");
	refused(f, 513, "not a whole number", "513 bytes");

	rp(f, 0x10000000, 0, 1);
	f[0] ^= 1;
	refused(f, 512, "magic", "first start magic wrong");
	rp(f, 0x10000000, 0, 1);
	f[5] ^= 1;
	refused(f, 512, "magic", "second start magic wrong");
	rp(f, 0x10000000, 0, 1);
	f[509] ^= 1;
	refused(f, 512, "magic", "end magic wrong");
	rp(f, 0x10000000, 0, 2);
	rp(f + 512, 0x10000100, 1, 2);
	f[512 + 508] = 0;
	refused(f, 1024, "block 1 (byte 0x200)", "bad magic in the second block is named");
	block(f, UF2_FLAG_FAMILY_ID, 0x10000000, 477, 0, 1, UF2_FAMILY_RP2040);
	refused(f, 512, "payload of 477 bytes", "payload larger than the block");
	block(f, UF2_FLAG_FAMILY_ID, 0x10000000, 128, 0, 1, UF2_FAMILY_RP2040);
	refused(f, 512, "takes only blocks of 256 bytes", "payload of 128 bytes");
	rp(f, 0x10000080, 0, 1);
	refused(f, 512, "not a multiple of 256", "unaligned address");
	rp(f, 0xFFFFFF00, 0, 1);
	struct uf2_image top;
	struct rs_error err;
	ok(parse(f, 512, &top, &err) == 0 && top.n == 1 && top.ranges[0].address == 0xFFFFFF00 &&
	   top.ranges[0].size == 256, "the last 256 bytes of the address space are accepted");
	uf2_image_free(&top);
	rp(f, 0x10000000, 1, 1);
	refused(f, 512, "numbered 1 of only 1", "blockNo equal to numBlocks");
	rp(f, 0x10000000, 0, 0);
	refused(f, 512, "says the file has 0 blocks", "numBlocks zero");
	rp(f, 0x10000000, 0, 2);
	rp(f + 512, 0x10000100, 1, 3);
	refused(f, 1024, "says the file has 3 blocks", "numBlocks differs between blocks");
	rp(f, 0x10000000, 0, 2);
	rp(f + 512, 0x10000100, 0, 2);
	refused(f, 1024, "both carry block number 0", "block number used twice");
	rp(f, 0x10000000, 0, 3);
	rp(f + 512, 0x10000100, 1, 3);
	refused(f, 1024, "has 2 of the 3 blocks", "a block missing (truncated file)");
	rp(f, 0x10000000, 0, 2);
	rp(f + 512, 0x10000000, 1, 2);
	refused(f, 1024, "both write address 0x10000000", "two blocks for the same address");
	block(f, UF2_FLAG_FAMILY_ID, 0x00026000, 256, 0, 1, NRF52840_FAMILY);
	refused(f, 512, "another chip (family 0xADA52840)", "only another family's blocks");
	block(f, 0, 0x10000000, 256, 0, 1, 0);
	refused(f, 512, "no block marked with family 0xE48BFF56", "no family ID at all");
	block(f, UF2_FLAG_FAMILY_ID | UF2_FLAG_NOT_MAIN_FLASH, 0x10000000, 256, 0, 1, UF2_FAMILY_RP2040);
	refused(f, 512, "nothing to write", "only not-main-flash blocks");
	block(f, UF2_FLAG_FAMILY_ID | UF2_FLAG_FILE_CONTAINER, 0x10000000, 256, 0, 1, UF2_FAMILY_RP2040);
	refused(f, 512, "no block marked with family", "file-container block is not firmware");
}

/* Every prefix of a valid file must be refused cleanly (ASan watches the reads). */
static void test_truncations(void)
{
	uint8_t f[2 * UF2_BLOCK_SIZE];
	rp(f, 0x10000000, 0, 2);
	rp(f + 512, 0x10000100, 1, 2);
	int wrong = 0;
	for (size_t len = 0; len < sizeof f; len++) {
		uint8_t *copy = malloc(len ? len : 1); /* exact size, so ASan sees any over-read */
		memcpy(copy, f, len);
		struct uf2_image img;
		struct rs_error err;
		if (parse(copy, len, &img, &err) != RS_E_INPUT || img.n != 0 || !err.msg[0])
			wrong++;
		free(copy);
	}
	ok(wrong == 0, "all %zu shorter prefixes of a 2-block file are refused (%d accepted)", sizeof f, wrong);
}

static void test_bin(void)
{
	uint8_t bin[1000];
	for (int i = 0; i < 1000; i++)
		bin[i] = (uint8_t)(i * 3);
	struct uf2_image img;
	struct rs_error err = {0};
	ok(uf2_image_from_bin(bin, sizeof bin, 0x10000000, &img, &err) == 0 && img.n == 1 &&
	   img.ranges[0].address == 0x10000000 && img.ranges[0].size == 1000 &&
	   !memcmp(img.ranges[0].data, bin, sizeof bin),
	   "a plain .bin becomes one range at 0x10000000");
	uf2_image_free(&img);
	ok(uf2_image_from_bin(bin, 0, 0x10000000, &img, &err) == RS_E_INPUT, "an empty .bin is refused");
	ok(uf2_image_from_bin(bin, sizeof bin, 0xFFFFFF00, &img, &err) == RS_E_INPUT,
	   "a .bin past 4 GiB is refused");
}

int main(void)
{
	test_crc();
	test_reference_header();
	test_ranges();
	test_refusals();
	test_truncations();
	test_bin();
	return tap_done();
}
