/* family/samba/images.c — the Nano 33 BLE Sense's file check (samba.h of this folder). */
#include "samba_family.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "images.h"
#include "uf2.h"

int samba_check_fit(const struct plan *p, const struct plan_image *im, struct image_problems *out)
{
	struct rs_error err = {0};
	/* SAM-BA: the bootloader takes the raw image; bossac would write a .uf2 byte for byte */
	uint8_t *buf;
	size_t len;
	if (images_read_file(im->path, IMAGES_READ_MAX, &buf, &len, &err)) {
		images_problem(out, IMAGE_HINT_NONE, "%s", err.msg);
		return -1;
	}
	bool uf2 = uf2_looks_like_uf2(buf, len);
	free(buf);
	if (uf2) {
		images_problem(out, IMAGE_HINT_NONE, "%s is a UF2 file; the %s's bootloader takes the plain "
		               "firmware.bin", im->path, p->board->name);
		return -1;
	}
	if (im->max_size && len > im->max_size) {
		char a[32], c[32];
		images_problem(out, IMAGE_HINT_NONE, "%s is %s bytes but the application area of the %s holds %s "
		               "(0x%" PRIX64 "): it is not an image for this board", im->path,
		               images_bytes(len, a, sizeof a), p->board->name,
		               images_bytes(im->max_size, c, sizeof c), im->max_size);
		return -1;
	}
	return 0;
}
