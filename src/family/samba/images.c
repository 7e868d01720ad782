/* images_nano.c — see images_nano.h. */
#include "images_nano.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "images.h"
#include "picoboot.h"

bool images_nano_applies(const struct plan *p)
{
	enum method m = p->board->actions[p->action].method;
	return m == METHOD_SAMBA || m == METHOD_PICOBOOT;
}

int images_read_file(const char *path, size_t limit, uint8_t **buf, size_t *len,
                     struct rs_error *err)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return rs_fail(err, RS_E_INPUT, "%s cannot be read (%s)", path, strerror(errno));
	size_t cap = 0, n = 0;
	uint8_t *b = NULL;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				free(b);
				fclose(f);
				return rs_fail(err, RS_E_INPUT, "%s is larger than %zu MiB: not a firmware image",
				               path, limit >> 20);
			}
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			uint8_t *nb = realloc(b, ncap);
			if (!nb) {
				free(b);
				fclose(f);
				return rs_fail(err, RS_E_NOMEM, "out of memory reading %s", path);
			}
			b = nb;
			cap = ncap;
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad || n > limit) {
		free(b);
		return rs_fail(err, RS_E_INPUT, bad ? "%s could not be read to the end" :
		               "%s is too large to be a firmware image", path);
	}
	*buf = b;
	*len = n;
	return RS_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcasecmp(s + a - b, suffix);
}

int images_nano_load_rp2040(const char *path, uint64_t max_size, struct uf2_image *img,
                            struct rs_error *err)
{
	uint8_t *buf;
	size_t len;
	memset(img, 0, sizeof *img);
	int r = images_read_file(path, IMAGES_NANO_MAX_FILE, &buf, &len, err);
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

int images_nano_check(const struct plan *p, const struct plan_image *im, char *why, size_t n)
{
	struct rs_error err = {0};
	if (p->board->actions[p->action].method == METHOD_PICOBOOT) {
		struct uf2_image img;
		if (images_nano_load_rp2040(im->path, im->max_size, &img, &err)) {
			snprintf(why, n, "%s", err.msg);
			return -1;
		}
		uf2_image_free(&img);
		return 0;
	}
	/* SAM-BA: the bootloader takes the raw image; bossac would write a .uf2 byte for byte */
	uint8_t *buf;
	size_t len;
	if (images_read_file(im->path, IMAGES_NANO_MAX_FILE, &buf, &len, &err)) {
		snprintf(why, n, "%s", err.msg);
		return -1;
	}
	bool uf2 = uf2_looks_like_uf2(buf, len);
	free(buf);
	if (uf2) {
		snprintf(why, n, "%s is a UF2 file; the %s's bootloader takes the plain firmware.bin",
		         im->path, p->board->name);
		return -1;
	}
	if (im->max_size && len > im->max_size) {
		char a[32], c[32];
		snprintf(why, n, "%s is %s bytes but the application area of the %s holds %s (0x%" PRIX64
		         "): it is not an image for this board", im->path, images_bytes(len, a, sizeof a),
		         p->board->name, images_bytes(im->max_size, c, sizeof c), im->max_size);
		return -1;
	}
	return 0;
}
