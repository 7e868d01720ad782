/* images_dfu.c — see images_dfu.h. */
#include "images_dfu.h"

#include <stdio.h>
#include <stdlib.h>

#include "dfu_file.h"

#define DFU_FILE_MAX (64u << 20) /* no DfuSe image for these boards comes near 64 MiB */

static bool id_of_board(const struct board *b, uint16_t vid, uint16_t pid)
{
	static const enum usb_mode dfu_modes[] = {USB_ST_ROM, USB_ARDUINO_DFU, USB_BOOTLOADER};
	if (vid == DFU_ID_ANY && pid == DFU_ID_ANY)
		return true;
	for (size_t m = 0; m < sizeof dfu_modes / sizeof dfu_modes[0]; m++)
		for (int i = 0; i < b->usb[dfu_modes[m]].n; i++) {
			const struct usb_id *id = &b->usb[dfu_modes[m]].id[i];
			if ((vid == DFU_ID_ANY || vid == id->vid) && (pid == DFU_ID_ANY || pid == id->pid))
				return true;
		}
	return false;
}

/* The board's bootloader region: where a bootloader restore writes (plan.c st_rom_restore). */
static void bootloader_region(const struct board *b, uint64_t *start, uint64_t *size)
{
	const struct board_region *r = board_region(b, "bootloader");
	const struct board_alt *al = board_alt(b, 0);
	*start = r ? r->address.value : al ? al->start.value : 0;
	*size = r ? r->size.value : al ? al->size.value : 0;
}

/* The lowest and one past the highest address the file's elements write. */
static void element_span(const struct dfu_image *img, uint64_t *lo, uint64_t *hi)
{
	struct dfuse_target t;
	*lo = UINT64_MAX;
	*hi = 0;
	for (size_t tp = 0; dfuse_file_next_target(img, &tp, &t);) {
		struct dfuse_element e;
		for (size_t ep = 0; dfuse_target_next_element(&t, &ep, &e);) {
			if (e.address < *lo)
				*lo = e.address;
			if (e.address + (uint64_t)e.size > *hi)
				*hi = e.address + (uint64_t)e.size;
		}
	}
	if (*lo > *hi)
		*lo = *hi = 0;
}

static int check_parsed(const struct board *b, const struct dfu_image *img, const struct dfu_check *c,
                        char *why, size_t n, enum image_hint *hint)
{
	uint64_t lo, hi, bl_start, bl_size;
	element_span(img, &lo, &hi);
	bootloader_region(b, &bl_start, &bl_size);
	bool in_bootloader = hi > lo && lo >= bl_start && hi <= bl_start + bl_size;
	if (!c->writes_dfu_file) {
		/* a .dfu is a container (prefix, targets, suffix): written raw to an openmv_dfu alt
		 * it would land, prefix and all, where the firmware goes */
		if (in_bootloader) {
			snprintf(why, n, "is a bootloader image: a .dfu file for 0x%08llX..0x%08llX, the %s's "
			         "bootloader region. It restores the bootloader; it is not firmware",
			         (unsigned long long)lo, (unsigned long long)(hi - 1), b->name);
			*hint = IMAGE_HINT_RESTORE_BOOTLOADER;
		} else {
			snprintf(why, n, "is a .dfu file (for 0x%08llX..0x%08llX), not the raw image this step "
			         "writes: give the .bin or .img file instead", (unsigned long long)lo,
			         (unsigned long long)(hi ? hi - 1 : 0));
		}
		return -1;
	}
	if (!c->accept_combined && !(hi > lo && lo >= c->region_start && hi <= c->region_start + c->region_size)) {
		snprintf(why, n, "writes 0x%08llX..0x%08llX, beyond the bootloader region (0x%08llX..0x%08llX): "
		         "it is a combined image that also erases the filesystem (OpenMV docs, Restoring the "
		         "bootloader). Use bootloader.dfu or bootloader.bin",
		         (unsigned long long)lo, (unsigned long long)(hi ? hi - 1 : 0),
		         (unsigned long long)c->region_start,
		         (unsigned long long)(c->region_start + c->region_size - 1));
		*hint = IMAGE_HINT_ACCEPT_COMBINED;
		return -1;
	}
	return 0;
}

int images_check_dfu(const struct board *b, const char *path, const struct dfu_check *c,
                     char *why, size_t n, enum image_hint *hint)
{
	*hint = IMAGE_HINT_NONE;
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(why, n, "cannot be read");
		return -1;
	}
	uint8_t *buf = malloc(DFU_FILE_MAX);
	size_t len = buf ? fread(buf, 1, DFU_FILE_MAX, f) : 0;
	fclose(f);
	int rc = -1;
	struct dfu_image img;
	struct rs_error err = {0};
	if (!buf)
		snprintf(why, n, "out of memory reading it");
	else if (len == DFU_FILE_MAX)
		snprintf(why, n, "is larger than any DfuSe image for these boards");
	else if (dfu_file_parse(buf, len, &img, &err))
		snprintf(why, n, "is not a valid .dfu file: %s", err.msg);
	else if (!img.is_dfuse)
		snprintf(why, n, "is not a DfuSe .dfu file (no \"DfuSe\" prefix): give the .bin instead");
	else if (img.has_suffix && !id_of_board(b, img.suffix.id_vendor, img.suffix.id_product))
		snprintf(why, n, "was made for USB device %04X:%04X, not for the %s", img.suffix.id_vendor,
		         img.suffix.id_product, b->name);
	else
		rc = check_parsed(b, &img, c, why, n, hint);
	free(buf);
	return rc;
}
