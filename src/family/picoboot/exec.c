/* family/picoboot/exec.c — the Nano RP2040 Connect's PICOBOOT load and write
 * (picoboot_family.h). */
#include "picoboot_family.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_delta.h"
#include "identity.h"
#include "images.h"
#include "picoboot.h"
#include "usbdev.h"

/* How long the boot ROM may take to appear: arduino-cli waits 10 s for the new port after
 * a touch (reference dfu-dfuse-picoboot-samba.md §3.1). */
#define NANO_DEVICE_TIMEOUT_MS 10000
/* REBOOT delay picotool asks for with -x (reference §2.6 step 7). */
#define NANO_REBOOT_DELAY_MS 500

#define DRIVE_ALTERNATIVE " If PICOBOOT cannot be used, copy the .uf2 file onto the RPI-RP2 drive " \
	"instead (OpenMV firmware guide §10.7.8)."

struct bootsel {
	struct usbdev dev;
	struct picoboot pb;
};

/* The boot ROM's version against id.rom_versions of boards.ini. */
static int check_rom(struct run_ctx *rc, unsigned rom, struct rs_error *err)
{
	char why[300];
	if (identity_check_picoboot(rc->plan->board, rom, why, sizeof why))
		return rs_fail(err, RS_E_INPUT, "%s; nothing was written", why);
	return 0;
}

static int bootsel_open(struct run_ctx *rc, struct bootsel *bs, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	int intf, r;
	uint8_t out, in;
	unsigned rom = 0;
	struct usbdev_pick pick;
	run_usb_pick(rc, &pick);
	r = usbdev_open_wait(&bs->dev, &b->usb[USB_BOOTSEL], &pick,
	                     run_device_timeout(rc, NANO_DEVICE_TIMEOUT_MS), run_stop_cb, rc, err);
	if (r == RS_E_TIMEOUT)
		return run_advise(err, ": hold BOOTSEL while connecting USB, then run the same action again");
	if (r)
		return r == RS_E_CANCELLED ? r : run_advise(err, "." DRIVE_ALTERNATIVE);
	if ((r = picoboot_find_interface(bs->dev.handle, &intf, &out, &in, err)) ||
	    (r = usbdev_claim(&bs->dev, intf, err)) ||
	    (r = picoboot_open(&bs->pb, bs->dev.handle, intf, out, in, err)) ||
	    (r = picoboot_exclusive_access(&bs->pb, PICOBOOT_EXCLUSIVE, err)) ||
	    (r = picoboot_identify(&bs->pb, &rom, err)) || (r = check_rom(rc, rom, err))) {
		usbdev_close(&bs->dev);
		if (r == RS_E_PROTOCOL && strstr(err->msg, "not an RP2040")) { /* another chip's ROM */
			char was[sizeof err->msg];
			snprintf(was, sizeof was, "%s", err->msg);
			return rs_fail(err, RS_E_INPUT, "%.400s; nothing was written", was);
		}
		return r == RS_E_INPUT ? r : run_advise(err, "; nothing was written." DRIVE_ALTERNATIVE);
	}
	/* ROM version 1 = B0, 2 = B1, 3 = B2 (reference §2.6 step 3) */
	run_log(rc, RUN_LOG_DEVICE, "RP2040 boot ROM B%u on PICOBOOT interface %d", rom ? rom - 1 : 0, intf);
	return 0;
}

/* How the log names delta mode's choice (run_delta.h): 4 KiB erased sectors of units.flash. */
static const struct run_delta_words delta_words = {
	"sector", "erasing and writing every sector the image touches",
	"reading the flash back first, to erase and write only the 4 KiB sectors that differ"};

/* verify: compare img with the flash and count the verdict; nothing is written. */
static int bootsel_compare(struct run_ctx *rc, struct bootsel *bs, const struct uf2_image *img,
                           const char *path, struct rs_error *err)
{
	struct rs_progress pr = run_progress_of(rc);
	struct picoboot_compare c;
	int r = picoboot_compare_flash(&bs->pb, img, &pr, &c, err);
	if (r)
		return r;
	if (!c.differ) {
		rc->res->images_equal++;
		run_log(rc, RUN_LOG_INFO, "%s: equal to the flash, all %llu bytes", path,
		        (unsigned long long)img->payload_bytes);
	} else {
		rc->res->images_differ++;
		run_log(rc, RUN_LOG_WARN, "%s: differs from the flash first at 0x%08x; %u of %u sectors "
		        "differ", path, (unsigned)c.first_differ, c.sectors_differ, c.sectors);
	}
	return RS_OK;
}

static int bootsel_write(struct run_ctx *rc, struct bootsel *bs, const struct uf2_image *img,
                         struct rs_error *err)
{
	struct rs_progress pr = run_progress_of(rc);
	struct picoboot_load_result res;
	bool delta = img->n && run_delta_by_unit(rc, img->ranges[0].address, PICOBOOT_FLASH_SECTOR, &delta_words);
	int r = picoboot_load_flash_delta(&bs->pb, img, delta, &pr, &res, err);
	if (r)
		return r;
	rc->res->bytes_written += res.bytes_written;
	rc->res->bytes_left_alone += res.bytes_left_alone;
	if (delta)
		run_log(rc, RUN_LOG_INFO, "%u of %u sectors already held the image: writing %llu of %llu "
		        "bytes", res.sectors_same, res.sectors, (unsigned long long)res.bytes_written,
		        (unsigned long long)img->payload_bytes);
	return RS_OK;
}

/* Load img (or with verify, compare it); reboot afterwards when asked (picotool -x). */
static int bootsel_load(struct run_ctx *rc, const struct uf2_image *img, const char *path,
                        bool reboot, struct rs_error *err)
{
	struct bootsel bs;
	int r = bootsel_open(rc, &bs, err);
	if (r)
		return r;
	r = rc->opts->verify_only ? bootsel_compare(rc, &bs, img, path, err) : bootsel_write(rc, &bs, img, err);
	if (!r && reboot) /* pc 0: boot from flash; sp: top of SRAM, as picotool passes it */
		r = picoboot_reboot(&bs.pb, 0, PICOBOOT_SRAM_END, NANO_REBOOT_DELAY_MS, err);
	usbdev_close(&bs.dev);
	if (r && r != RS_E_CANCELLED && r != RS_E_INPUT)
		return run_advise(err, rc->opts->verify_only ? "; nothing was written: hold BOOTSEL while "
		                  "connecting USB and run the same action again" : "; the boot ROM cannot be "
		                  "damaged by this: hold BOOTSEL while connecting USB and run the same action again");
	return r;
}

int exec_picoboot_load(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	if (s->image < 0)
		return rs_fail(err, RS_E_INPUT, "internal: PICOBOOT load without an image");
	const struct plan_image *im = &rc->plan->images[s->image];
	struct uf2_image img;
	int r = picoboot_load_image(im->path, im->max_size, &img, err);
	if (r)
		return r;
	/* the board's flash window (boards.ini): picoboot_check_fit refuses such an image first,
	 * this is the last guard */
	for (size_t i = 0; i < img.n && s->length.value && !r; i++)
		if ((uint64_t)img.ranges[i].address + img.ranges[i].size > s->length.value)
			r = rs_fail(err, RS_E_INPUT, "%s reaches 0x%08llX, past the end of the %s's flash (%s, "
			            "boards.ini erase_fs.flash_end): nothing was written", im->path,
			            (unsigned long long)img.ranges[i].address + img.ranges[i].size,
			            rc->plan->board->name, s->length.text);
	if (!r)
		r = bootsel_load(rc, &img, im->path, true, err);
	if (!r && !rc->opts->verify_only) {
		rc->res->verified_writes++;
		run_log(rc, RUN_LOG_INFO, "%llu bytes in place and verified; the board restarts into the new "
		        "firmware", (unsigned long long)img.payload_bytes);
	}
	uf2_image_free(&img);
	return r;
}

int exec_picoboot_write(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	if (s->image < 0 || s->image >= PLAN_MAX_IMAGES)
		return rs_fail(err, RS_E_INPUT, "internal: PICOBOOT write without an image");
	const struct plan_image *im = &rc->plan->images[s->image];
	uint8_t *file = NULL;
	const uint8_t *data = rc->generated[s->image];
	size_t len = rc->generated_len[s->image];
	int r = 0;
	if (!im->generated) {
		if ((r = images_read_file(im->path, IMAGES_READ_MAX, &file, &len, err)))
			return r;
		data = file;
	}
	struct uf2_image img = {0};
	if (!data || !len)
		r = rs_fail(err, RS_E_INPUT, "internal: %s was not made before it is written", im->path);
	else if (s->address.value < PICOBOOT_FLASH_BASE || s->address.value % PICOBOOT_FLASH_SECTOR ||
	         s->address.value + len > s->length.value)
		r = rs_fail(err, RS_E_INPUT, "%s is not a 4 KiB-aligned flash address below %s (boards.ini "
		            "erase_fs.flash_end)", s->address.text, s->length.text[0] ? s->length.text : "?");
	else
		r = uf2_image_from_bin(data, len, (uint32_t)s->address.value, &img, err);
	free(file);
	if (!r)
		r = bootsel_load(rc, &img, im->path, false, err);
	if (!r && !rc->opts->verify_only) {
		rc->res->verified_writes++;
		run_log(rc, RUN_LOG_INFO, "%zu bytes in place at %s and verified; the board stays in BOOTSEL "
		        "mode: unplug it and plug it back in (without BOOTSEL) to start it", len, s->address.text);
	}
	uf2_image_free(&img);
	return r;
}
