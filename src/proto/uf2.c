/* uf2.c — see uf2.h.  Block layout: reference dfu-dfuse-picoboot-samba.md §2.8. */
#include "uf2.h"

#include <stdlib.h>
#include <string.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool uf2_looks_like_uf2(const uint8_t *buf, size_t len)
{
	return len >= 8 && le32(buf) == UF2_MAGIC_START0 && le32(buf + 4) == UF2_MAGIC_START1;
}

int uf2_block_decode(const uint8_t *buf, size_t index, struct uf2_block *b, struct rs_error *err)
{
	if (le32(buf) != UF2_MAGIC_START0 || le32(buf + 4) != UF2_MAGIC_START1 ||
	    le32(buf + 508) != UF2_MAGIC_END)
		return rs_fail(err, RS_E_INPUT,
		               "UF2 block %zu (byte 0x%zX) does not have the UF2 magic numbers: the file "
		               "is damaged or not a UF2 file", index, index * UF2_BLOCK_SIZE);
	b->flags = le32(buf + 8);
	b->target_addr = le32(buf + 12);
	b->payload_size = le32(buf + 16);
	b->block_no = le32(buf + 20);
	b->num_blocks = le32(buf + 24);
	b->family = le32(buf + 28);
	b->payload = buf + 32;
	if (b->payload_size > UF2_DATA_SIZE)
		return rs_fail(err, RS_E_INPUT,
		               "UF2 block %zu claims a payload of %u bytes, more than the %u a block "
		               "holds: the file is damaged", index, b->payload_size, UF2_DATA_SIZE);
	return RS_OK;
}

/* A block of the wanted family, remembered by where it sits in the file. */
struct fam_block {
	size_t index;              /* block index in the file */
	struct uf2_block b;
	bool main_flash;
};

static int by_block_no(const void *a, const void *b)
{
	const struct fam_block *x = a, *y = b;
	return x->b.block_no < y->b.block_no ? -1 : x->b.block_no > y->b.block_no;
}

static int by_address(const void *a, const void *b)
{
	const struct fam_block *x = a, *y = b;
	/* blocks for other memories sort last; they are not written */
	if (x->main_flash != y->main_flash)
		return x->main_flash ? -1 : 1;
	return x->b.target_addr < y->b.target_addr ? -1 : x->b.target_addr > y->b.target_addr;
}

static bool is_ours(const struct uf2_block *b, uint32_t family)
{
	/* The RP2040 bootrom takes only blocks that carry its family ID (§2.9). */
	return (b->flags & UF2_FLAG_FAMILY_ID) && !(b->flags & UF2_FLAG_FILE_CONTAINER) &&
	       b->family == family;
}

/* Why a file has none of our blocks: name a family that is there instead. */
static int no_family(const uint8_t *buf, size_t nblocks, uint32_t family, struct rs_error *err)
{
	for (size_t i = 0; i < nblocks; i++) {
		const uint8_t *p = buf + i * UF2_BLOCK_SIZE;
		uint32_t flags = le32(p + 8);
		if ((flags & UF2_FLAG_FAMILY_ID) && !(flags & UF2_FLAG_FILE_CONTAINER))
			return rs_fail(err, RS_E_INPUT,
			               "the UF2 file is for another chip (family 0x%08X), not family 0x%08X",
			               le32(p + 28), family);
	}
	return rs_fail(err, RS_E_INPUT,
	               "the UF2 file has no block marked with family 0x%08X, so the bootloader would "
	               "ignore all of it", family);
}

/* Block numbers: each below numBlocks, one numBlocks for all, none twice, none missing. */
static int check_numbering(struct fam_block *fb, size_t n, struct rs_error *err)
{
	uint32_t total = fb[0].b.num_blocks;
	for (size_t i = 0; i < n; i++) {
		const struct uf2_block *b = &fb[i].b;
		if (b->num_blocks != total)
			return rs_fail(err, RS_E_INPUT,
			               "UF2 block %zu says the file has %u blocks but block %zu says %u: "
			               "the file is damaged", fb[i].index, b->num_blocks, fb[0].index, total);
		if (b->num_blocks == 0)
			return rs_fail(err, RS_E_INPUT,
			               "UF2 block %zu says the file has 0 blocks: the file is damaged", fb[i].index);
		if (b->block_no >= b->num_blocks)
			return rs_fail(err, RS_E_INPUT,
			               "UF2 block %zu is numbered %u of only %u blocks: the file is damaged",
			               fb[i].index, b->block_no, b->num_blocks);
	}
	qsort(fb, n, sizeof *fb, by_block_no);
	for (size_t i = 1; i < n; i++)
		if (fb[i].b.block_no == fb[i - 1].b.block_no)
			return rs_fail(err, RS_E_INPUT,
			               "UF2 blocks %zu and %zu both carry block number %u: the file is damaged",
			               fb[i - 1].index, fb[i].index, fb[i].b.block_no);
	if (n != total)
		return rs_fail(err, RS_E_INPUT,
		               "the UF2 file has %zu of the %u blocks it announces: it is truncated "
		               "(download or build it again)", n, total);
	return RS_OK;
}

static int check_payload(const struct fam_block *f, uint32_t payload_size, struct rs_error *err)
{
	const struct uf2_block *b = &f->b;
	if (b->payload_size != payload_size)
		return rs_fail(err, RS_E_INPUT,
		               "UF2 block %zu carries %u bytes; this chip's bootloader takes only blocks "
		               "of %u bytes", f->index, b->payload_size, payload_size);
	if (b->target_addr % payload_size)
		return rs_fail(err, RS_E_INPUT,
		               "UF2 block %zu is for address 0x%08X, which is not a multiple of %u",
		               f->index, b->target_addr, payload_size);
	if ((uint64_t)b->target_addr + b->payload_size > 0x100000000ull)
		return rs_fail(err, RS_E_INPUT,
		               "UF2 block %zu runs past the end of the 4 GiB address space", f->index);
	return RS_OK;
}

/* Merge address-sorted, non-overlapping blocks into ranges. */
static int build_ranges(const struct fam_block *fb, size_t n, struct uf2_image *img,
                        struct rs_error *err)
{
	img->ranges = calloc(n, sizeof *img->ranges);
	if (!img->ranges)
		return rs_fail(err, RS_E_NOMEM, "out of memory reading the UF2 file");
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		uint64_t end = (uint64_t)fb[i].b.target_addr + fb[i].b.payload_size;
		while (j < n && fb[j].b.target_addr == end) {
			end += fb[j].b.payload_size;
			j++;
		}
		struct uf2_range *r = &img->ranges[img->n];
		r->address = fb[i].b.target_addr;
		r->size = (uint32_t)(end - r->address);
		r->data = malloc(r->size);
		if (!r->data)
			return rs_fail(err, RS_E_NOMEM, "out of memory reading the UF2 file");
		img->n++;
		for (size_t k = i, off = 0; k < j; k++) {
			memcpy(r->data + off, fb[k].b.payload, fb[k].b.payload_size);
			off += fb[k].b.payload_size;
		}
		img->payload_bytes += r->size;
		i = j;
	}
	return RS_OK;
}

static int parse_blocks(const uint8_t *buf, size_t nblocks, uint32_t family, uint32_t payload_size,
                        struct fam_block *fb, struct uf2_image *img, struct rs_error *err)
{
	size_t n = 0;
	for (size_t i = 0; i < nblocks; i++) {
		struct uf2_block b = {0};
		int r = uf2_block_decode(buf + i * UF2_BLOCK_SIZE, i, &b, err);
		if (r)
			return r;
		if (!is_ours(&b, family)) {
			img->blocks_ignored++; /* another family: ignored entirely, numbering too (§2.8) */
			continue;
		}
		fb[n].index = i;
		fb[n].b = b;
		fb[n].main_flash = !(b.flags & UF2_FLAG_NOT_MAIN_FLASH);
		n++;
	}
	if (n == 0)
		return no_family(buf, nblocks, family, err);
	int r = check_numbering(fb, n, err);
	if (r)
		return r;
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (!fb[i].main_flash) {
			img->blocks_ignored++;
			continue;
		}
		if ((r = check_payload(&fb[i], payload_size, err)))
			return r;
		used++;
	}
	if (used == 0)
		return rs_fail(err, RS_E_INPUT,
		               "every block of the UF2 file is marked \"not main flash\": there is nothing "
		               "to write");
	qsort(fb, n, sizeof *fb, by_address);
	for (size_t i = 1; i < used; i++)
		if ((uint64_t)fb[i - 1].b.target_addr + fb[i - 1].b.payload_size > fb[i].b.target_addr)
			return rs_fail(err, RS_E_INPUT,
			               "UF2 blocks %zu and %zu both write address 0x%08X: the file is damaged",
			               fb[i - 1].index, fb[i].index, fb[i].b.target_addr);
	img->blocks_used = used;
	return build_ranges(fb, used, img, err);
}

int uf2_image_parse(const uint8_t *buf, size_t len, uint32_t family, uint32_t payload_size,
                    struct uf2_image *img, struct rs_error *err)
{
	memset(img, 0, sizeof *img);
	if (payload_size == 0 || payload_size > UF2_DATA_SIZE)
		return rs_fail(err, RS_E_INPUT, "internal: UF2 payload size %u is impossible", payload_size);
	if (len == 0)
		return rs_fail(err, RS_E_INPUT, "the UF2 file is empty");
	if (len % UF2_BLOCK_SIZE)
		return rs_fail(err, RS_E_INPUT,
		               "the UF2 file is %zu bytes, not a whole number of 512-byte blocks: it is "
		               "truncated or not a UF2 file", len);
	size_t nblocks = len / UF2_BLOCK_SIZE;
	struct fam_block *fb = calloc(nblocks, sizeof *fb);
	if (!fb)
		return rs_fail(err, RS_E_NOMEM, "out of memory reading the UF2 file");
	int r = parse_blocks(buf, nblocks, family, payload_size, fb, img, err);
	free(fb);
	if (r)
		uf2_image_free(img);
	return r;
}

int uf2_image_from_bin(const uint8_t *buf, size_t len, uint32_t address, struct uf2_image *img,
                       struct rs_error *err)
{
	memset(img, 0, sizeof *img);
	if (len == 0)
		return rs_fail(err, RS_E_INPUT, "the image is empty");
	if ((uint64_t)address + len > 0x100000000ull)
		return rs_fail(err, RS_E_INPUT, "the image runs past the end of the 4 GiB address space");
	img->ranges = calloc(1, sizeof *img->ranges);
	uint8_t *copy = malloc(len);
	if (!img->ranges || !copy) {
		free(copy);
		uf2_image_free(img);
		return rs_fail(err, RS_E_NOMEM, "out of memory reading the image");
	}
	memcpy(copy, buf, len);
	img->ranges[0] = (struct uf2_range){.address = address, .size = (uint32_t)len, .data = copy};
	img->n = 1;
	img->payload_bytes = len;
	return RS_OK;
}

bool uf2_image_within(const struct uf2_image *img, uint64_t start, uint64_t size,
                      const struct uf2_range **bad)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct uf2_range *r = &img->ranges[i];
		if (r->address < start || (uint64_t)r->address + r->size > start + size) {
			if (bad)
				*bad = r;
			return false;
		}
	}
	return true;
}

void uf2_image_free(struct uf2_image *img)
{
	for (size_t i = 0; img->ranges && i < img->n; i++)
		free(img->ranges[i].data);
	free(img->ranges);
	memset(img, 0, sizeof *img);
}
