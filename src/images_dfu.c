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

int images_check_dfu(const struct board *b, const char *path, uint64_t region_start,
                     uint64_t region_size, bool accept_combined, char *why, size_t n)
{
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
	else {
		rc = 0;
		struct dfuse_target t;
		for (size_t tp = 0; !rc && dfuse_file_next_target(&img, &tp, &t);) {
			struct dfuse_element e;
			for (size_t ep = 0; !rc && dfuse_target_next_element(&t, &ep, &e);)
				if (!accept_combined &&
				    (e.address < region_start || e.address + (uint64_t)e.size > region_start + region_size)) {
					snprintf(why, n, "writes 0x%08X..0x%08X, beyond the bootloader region: it is a combined "
					         "image that also erases the filesystem (OpenMV docs, Restoring the bootloader). Use bootloader.dfu or "
					         "bootloader.bin, or add --accept-combined", (unsigned)e.address,
					         (unsigned)(e.address + e.size - 1));
					rc = -1;
				}
		}
	}
	free(buf);
	return rc;
}
