/* images_toc.c — see images_toc.h. */
#include "images_toc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "images.h"

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	/* zlib's CRC-32 (reflected polynomial 0xEDB88320), as app-gen-toc uses (§1.10) */
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

int images_check_atoc(const uint8_t *buf, size_t len, char *why, size_t n)
{
	/* §1.10: header (32) | entries (N x 32) | tail (16) = CRC-32 | ATOC address | package
	 * address | package size, and the package ends exactly where the file ends */
	if (len < 48) {
		snprintf(why, n, "it is too short to hold an application TOC");
		return -1;
	}
	for (size_t entries = 0; 48 + entries * 32 <= len; entries++) {
		size_t hdr = len - 16 - 32 * entries - 32;
		const uint8_t *h = buf + hdr;
		if (memcmp(h, "OEMTOC01", 8))
			continue;
		if (le16(h + 8) != 32 || le16(h + 10) != entries || le16(h + 12) != 32) {
			snprintf(why, n, "its TOC header (OEMTOC01 at byte %zu) does not describe %zu entries of 32 bytes "
			         "ending 16 bytes before the end", hdr, entries);
			return -1;
		}
		uint32_t want = le32(buf + len - 16), got = crc32_ieee(h, 32 + 32 * entries);
		if (want != got) {
			snprintf(why, n, "its TOC checksum is wrong (CRC-32 0x%08X, the tail says 0x%08X): the file is damaged",
			         got, want);
			return -1;
		}
		return 0;
	}
	snprintf(why, n, "it does not end with an application TOC (no OEMTOC01 header)");
	return -1;
}

int images_check_toc_file(const struct plan_image *im, char *why, size_t n)
{
	if (im->max_size && im->size != im->max_size) {
		char a[32], c[32];
		snprintf(why, n, "it is %s bytes, but it must fill its place exactly (%s bytes), so that its TOC "
		         "ends where the Secure Enclave looks for it (reference §1.10)",
		         images_bytes(im->size, a, sizeof a), images_bytes(im->max_size, c, sizeof c));
		return -1;
	}
	FILE *f = fopen(im->path, "rb");
	if (!f) {
		snprintf(why, n, "it cannot be read");
		return -1;
	}
	uint8_t *buf = malloc(im->size ? im->size : 1);
	size_t got = buf ? fread(buf, 1, im->size, f) : 0;
	fclose(f);
	int r = -1;
	if (got != im->size)
		snprintf(why, n, "it cannot be read");
	else
		r = images_check_atoc(buf, got, why, n);
	free(buf);
	return r;
}

void images_check_toc(const struct plan *p, const struct plan_image *im, struct image_problems *out)
{
	char why[300];
	size_t len = strlen(im->slot);
	if (len >= 4 && !strcasecmp(im->slot + len - 4, ".toc") && images_check_toc_file(im, why, sizeof why))
		images_problem(out, IMAGE_HINT_NONE, "%s is not a TOC image for the %s: %s", im->path,
		               p->board->name, why);
}
