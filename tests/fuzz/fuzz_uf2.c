/* fuzz_uf2.c — libFuzzer target for the UF2 reader (src/proto/uf2.c): any bytes must parse
 * into sorted, non-overlapping ranges that hold exactly the accepted blocks' payload, or be
 * refused with a one-line reason; never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uf2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uf2_image img;
	struct rs_error err = {0};
	int r = uf2_image_parse(data, size, UF2_FAMILY_RP2040, UF2_RP2040_PAYLOAD, &img, &err);
	if (r) {
		if (r != RS_E_INPUT || !err.msg[0] || strchr(err.msg, '\n') || img.n)
			abort();
		return 0;
	}
	uint64_t sum = 0;
	for (size_t i = 0; i < img.n; i++) {
		const struct uf2_range *g = &img.ranges[i];
		if (!g->size || g->address % UF2_RP2040_PAYLOAD || g->size % UF2_RP2040_PAYLOAD)
			abort();
		/* sorted and not even touching: touching ranges must have been merged */
		if (i && (uint64_t)img.ranges[i - 1].address + img.ranges[i - 1].size >= g->address)
			abort();
		sum += g->size;
	}
	if (!img.n || sum != img.payload_bytes || sum != (uint64_t)img.blocks_used * UF2_RP2040_PAYLOAD ||
	    img.blocks_used + img.blocks_ignored != size / UF2_BLOCK_SIZE)
		abort();
	uf2_image_free(&img);
	return 0;
}
