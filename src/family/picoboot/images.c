/* family/picoboot/images.c — the Nano RP2040 Connect's image: loaded and checked
 * (picoboot_family.h). */
#include "picoboot_family.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "images.h"
#include "picoboot.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

int picoboot_load_image(const char *path, uint64_t max_size, struct uf2_image *img,
                        struct rs_error *err)
{
	uint8_t *buf;
	size_t len;
	memset(img, 0, sizeof *img);
	int r = images_read_file(path, IMAGES_READ_MAX, &buf, &len, err);
	if (r)
		return r;
	if (uf2_looks_like_uf2(buf, len))
		r = uf2_image_parse(buf, len, UF2_FAMILY_RP2040, UF2_RP2040_PAYLOAD, img, err);
	else if (ends_with(path, ".uf2"))
		r = rs_fail(err, RS_E_INPUT, "it does not start with a UF2 block (\"UF2\\n\" and the second "
		            "magic number): it is not a UF2 file");
	else /* a plain binary goes to the start of flash, as picotool loads one */
		r = uf2_image_from_bin(buf, len, PICOBOOT_FLASH_BASE, img, err);
	free(buf);
	if (r)
		return rs_wrap(err, "%s", path);
	const struct uf2_range *bad = NULL;
	if (max_size && !uf2_image_within(img, PICOBOOT_FLASH_BASE, max_size, &bad)) {
		rs_fail(err, RS_E_INPUT, "%s writes 0x%08" PRIX32 "-0x%08" PRIX64 ", outside the firmware "
		        "area 0x%08X-0x%08" PRIX64 " of this board's flash", path, bad->address,
		        (uint64_t)bad->address + bad->size - 1, PICOBOOT_FLASH_BASE,
		        PICOBOOT_FLASH_BASE + max_size - 1);
		uf2_image_free(img);
		return RS_E_INPUT;
	}
	return RS_OK;
}

int picoboot_check_fit(const struct plan *p, const struct plan_image *im, struct image_problems *out)
{
	(void)p;
	struct rs_error err = {0};
	struct uf2_image img;
	if (picoboot_load_image(im->path, im->max_size, &img, &err)) {
		images_problem(out, IMAGE_HINT_NONE, "%s", err.msg);
		return -1;
	}
	uf2_image_free(&img);
	return 0;
}
