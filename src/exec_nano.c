/* exec_nano.c — see exec_nano.h. */
#include "exec_nano.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect.h"
#include "exec_nano_layout.h"
#include "identity.h"
#include "images_nano.h"
#include "picoboot.h"
#include "samba.h"
#include "serialdev.h"
#include "usbdev.h"

/* How long a bootloader may take to appear: arduino-cli waits 10 s for the new port after
 * a touch (reference dfu-dfuse-picoboot-samba.md §3.1). */
#define NANO_DEVICE_TIMEOUT_MS 10000
/* REBOOT delay picotool asks for with -x (reference §2.6 step 7). */
#define NANO_REBOOT_DELAY_MS 500

static int device_timeout(const struct run_ctx *rc)
{
	return rc->opts && rc->opts->device_timeout_ms > 0 ? rc->opts->device_timeout_ms
	                                                   : NANO_DEVICE_TIMEOUT_MS;
}

static bool stop_cb(void *ctx)
{
	return run_should_stop(ctx);
}

static void progress_cb(void *ctx, uint64_t done, uint64_t total)
{
	run_progress(ctx, done, total);
}

static struct rs_progress progress_of(struct run_ctx *rc)
{
	return (struct rs_progress){.report = progress_cb, .should_stop = stop_cb, .ctx = rc};
}

/* Add advice after the message already in err. */
static int advise(struct rs_error *err, const char *advice)
{
	size_t n = strlen(err->msg);
	snprintf(err->msg + n, sizeof err->msg - n, "%s", advice);
	return err->code;
}

static void mark_verified(struct run_ctx *rc)
{
	rc->res->verified_writes++;
}

/* ---- entering the bootloader ------------------------------------------------------------- */

static bool bootloader_present(const struct board *b, enum usb_mode mode)
{
	if (mode == USB_SAMBA) { /* a CDC port: look for the tty, the thing we will open */
		char name[256];
		struct rs_error e = {0};
		return serialdev_find_wait(&b->usb[mode], 0, NULL, NULL, name, sizeof name, &e) == 0;
	}
	bool present = false;
	char other[8];
	detect_board_mode(b, mode, &present, other, 0);
	return present;
}

/* The IDs a board shows while it runs firmware or a sketch: those ports take the touch. */
static struct usb_ids running_ids(const struct board *b)
{
	struct usb_ids ids = {0};
	const enum usb_mode modes[] = {USB_FIRMWARE, USB_ARDUINO_SKETCH};
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
		for (int i = 0; i < b->usb[modes[m]].n && ids.n < BOARD_MAX_IDS; i++)
			ids.id[ids.n++] = b->usb[modes[m]].id[i];
	return ids;
}

int exec_nano_enter_bootloader(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	if (s->mode != USB_SAMBA && s->mode != USB_BOOTSEL)
		return rs_fail(err, RS_E_UNSUPPORTED, "internal: no Nano bootloader for mode %s",
		               usb_mode_name(s->mode));
	if (bootloader_present(b, s->mode)) {
		run_log(rc, RUN_LOG_INFO, "the %s is already in its bootloader", b->name);
		return 0;
	}
	struct usb_ids ids = running_ids(b);
	char port[256];
	struct rs_error e = {0};
	if (!ids.n || serialdev_find_wait(&ids, 0, NULL, NULL, port, sizeof port, &e)) {
		run_log(rc, RUN_LOG_INFO, "no running %s found to reset from software", b->name);
		return 0;
	}
	run_log(rc, RUN_LOG_INFO, "resetting the %s on %s into its bootloader (1200-baud touch)",
	        b->name, port);
	if (serialdev_touch_1200(port, &e)) {
		run_log(rc, RUN_LOG_WARN, "the 1200-baud touch failed: %s", e.msg);
		return 0;
	}
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (bootloader_present(b, s->mode)) {
			run_log(rc, RUN_LOG_INFO, "the bootloader (%s) is there", b->usb[s->mode].id[0].text);
			return 0;
		}
		if (run_should_stop(rc))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the bootloader; nothing "
			               "was written");
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
		if (ms >= NANO_DEVICE_TIMEOUT_MS) {
			run_log(rc, RUN_LOG_WARN, "the board did not restart into its bootloader within %d s",
			        NANO_DEVICE_TIMEOUT_MS / 1000);
			return 0;
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

/* ---- SAM-BA ------------------------------------------------------------------------------- */

static int samba_session(struct run_ctx *rc, const struct step *s, const uint8_t *data, size_t len,
                         struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	char name[256];
	int r = serialdev_find_wait(&b->usb[USB_SAMBA], device_timeout(rc), stop_cb, rc, name,
	                            sizeof name, err);
	if (r)
		return r == RS_E_TIMEOUT ? advise(err, ": double-tap RESET so that the LED breathes, then "
		                                  "run the same action again") : r;
	struct sp_port *port;
	if ((r = serialdev_open(name, SAMBA_BAUD, &port, err)))
		return r;
	struct samba sb;
	r = samba_connect(&sb, port, err);
	if (r) {
		serialdev_close(port);
		return advise(err, " — the board is not in its bootloader: double-tap RESET so that the LED "
		              "breathes, then run the same action again");
	}
	run_log(rc, RUN_LOG_DEVICE, "%s: %s, chip %s", name, sb.version, sb.chip);
	/* V# and the I# chip, e.g. "nRF52840-QIAA" (reference §3.3), against boards.ini */
	char why[300];
	if (identity_check_samba(b, sb.version, sb.chip, why, sizeof why)) {
		serialdev_close(port);
		return rs_fail(err, RS_E_INPUT, "%s (on %s); nothing was written", why, name);
	}
	if ((r = exec_nano_check_layout(rc, &sb, err))) {
		serialdev_close(port);
		return r;
	}
	struct rs_progress pr = progress_of(rc);
	struct samba_flash_result res;
	r = samba_flash(&sb, (uint32_t)s->address.value, data, len, &pr, &res, err);
	if (!r)
		r = samba_reset(&sb, err);
	serialdev_close(port);
	if (r && r != RS_E_CANCELLED && r != RS_E_INPUT)
		return advise(err, "; the bootloader is untouched: double-tap RESET and run the same action "
		              "again");
	if (!r)
		run_log(rc, RUN_LOG_INFO, "%u pages written at offset %s and verified; the board restarts "
		        "into the new firmware", res.verified_pages, s->address.text);
	return r;
}

int exec_samba_flash(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct plan_image *im = &rc->plan->images[s->image];
	if (s->image < 0 || s->address.value > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT, "internal: SAM-BA step without an image or offset");
	uint8_t *data;
	size_t len;
	int r = images_read_file(im->path, IMAGES_NANO_MAX_FILE, &data, &len, err);
	if (r)
		return r;
	if (!len || (im->max_size && len > im->max_size)) /* checked before the run; the file may have changed */
		r = rs_fail(err, RS_E_INPUT, "%s is %zu bytes: it does not fit the application area "
		            "(%llu bytes)", im->path, len, (unsigned long long)im->max_size);
	else if ((r = samba_session(rc, s, data, len, err)) == 0)
		mark_verified(rc);
	free(data);
	return r;
}

/* ---- PICOBOOT ----------------------------------------------------------------------------- */

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
	                     device_timeout(rc), stop_cb, rc, err);
	if (r == RS_E_TIMEOUT)
		return advise(err, ": hold BOOTSEL while connecting USB, then run the same action again");
	if (r)
		return r == RS_E_CANCELLED ? r : advise(err, "." DRIVE_ALTERNATIVE);
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
		return r == RS_E_INPUT ? r : advise(err, "; nothing was written." DRIVE_ALTERNATIVE);
	}
	/* ROM version 1 = B0, 2 = B1, 3 = B2 (reference §2.6 step 3) */
	run_log(rc, RUN_LOG_DEVICE, "RP2040 boot ROM B%u on PICOBOOT interface %d", rom ? rom - 1 : 0, intf);
	return 0;
}

/* Load img; reboot afterwards when asked (picotool -x). */
static int bootsel_load(struct run_ctx *rc, const struct uf2_image *img, bool reboot,
                        struct rs_error *err)
{
	struct bootsel bs;
	int r = bootsel_open(rc, &bs, err);
	if (r)
		return r;
	struct rs_progress pr = progress_of(rc);
	r = picoboot_load_flash(&bs.pb, img, &pr, err);
	if (!r && reboot) /* pc 0: boot from flash; sp: top of SRAM, as picotool passes it */
		r = picoboot_reboot(&bs.pb, 0, PICOBOOT_SRAM_END, NANO_REBOOT_DELAY_MS, err);
	usbdev_close(&bs.dev);
	if (r && r != RS_E_CANCELLED && r != RS_E_INPUT)
		return advise(err, "; the boot ROM cannot be damaged by this: hold BOOTSEL while "
		              "connecting USB and run the same action again");
	return r;
}

int exec_picoboot_load(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	if (s->image < 0)
		return rs_fail(err, RS_E_INPUT, "internal: PICOBOOT load without an image");
	const struct plan_image *im = &rc->plan->images[s->image];
	struct uf2_image img;
	int r = images_nano_load_rp2040(im->path, im->max_size, &img, err);
	if (r)
		return r;
	r = bootsel_load(rc, &img, true, err);
	if (!r) {
		mark_verified(rc);
		run_log(rc, RUN_LOG_INFO, "%llu bytes written and verified; the board restarts into the new "
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
		if ((r = images_read_file(im->path, IMAGES_NANO_MAX_FILE, &file, &len, err)))
			return r;
		data = file;
	}
	struct uf2_image img = {0};
	if (!data || !len)
		r = rs_fail(err, RS_E_INPUT, "internal: %s was not made before it is written", im->path);
	else if (s->address.value < PICOBOOT_FLASH_BASE || s->address.value % PICOBOOT_FLASH_SECTOR ||
	         s->address.value + len > 0x20000000u)
		r = rs_fail(err, RS_E_INPUT, "%s is not a 4 KiB-aligned flash address of the RP2040",
		            s->address.text);
	else
		r = uf2_image_from_bin(data, len, (uint32_t)s->address.value, &img, err);
	free(file);
	if (!r)
		r = bootsel_load(rc, &img, false, err);
	if (!r) {
		mark_verified(rc);
		run_log(rc, RUN_LOG_INFO, "%zu bytes written at %s and verified; the board stays in BOOTSEL "
		        "mode: unplug it and plug it back in (without BOOTSEL) to start it", len, s->address.text);
	}
	uf2_image_free(&img);
	return r;
}
