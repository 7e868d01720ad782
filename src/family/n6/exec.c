/* family/n6/exec.c — see exec_n6.h.  The native path: the N6 boot ROM's DFU (0483:DF11, BOOT
 * jumper) takes OpenBootloader into RAM; after DETACH the camera comes back as
 * OpenBootloader, again 0483:DF11 but with other alts, which takes the external-flash loader
 * and bootloader.bin for nor0 (reference alif-isp-openmv-ide-n6.md §4.2). */
#include "exec_n6.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flashlayout.h"
#include "identity_n6.h"
#include "stm32prog.h"
#include "usbdev.h"

/* [I] OpenBootloader is a few hundred KiB loaded into RAM: the ROM checks it, starts it and
 * it enumerates within seconds.  Generous, so a slow hub does not fail the restore. */
#define N6_REENUMERATE_MS 20000
#define N6_DEFAULT_DEVICE_MS 10000
/* No row of an N6 layout comes near this (the bootloader partition is 512 KiB, boards.ini). */
#define N6_MAX_IMAGE (64u << 20)

struct n6_run {
	struct run_ctx *rc;
	struct flashlayout fl;
	struct stm32prog_part parts[FLASHLAYOUT_MAX_ROWS];
	uint8_t *data[FLASHLAYOUT_MAX_ROWS];
	int nparts;
	uint64_t total;                 /* the layout's bytes */
	struct rs_progress_span span;   /* progress over both stages, to the run's */
	struct stm32prog_log log;
};

static void n6_note(void *ctx, const char *msg)
{
	struct n6_run *r = ctx;
	run_log(r->rc, RUN_LOG_DEVICE, "%s", msg);
}

static bool wait_stop(void *ctx)
{
	return run_should_stop(ctx);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Load the layout again (it was checked before the run; files may have changed since) and
 * read every binary it programs. */
static int load_layout(struct n6_run *r, const char *tsv, struct rs_error *err)
{
	int rc = flashlayout_load(tsv, &r->fl, err);
	if (rc)
		return rc;
	for (int i = 0; i < r->fl.nrows; i++) {
		const struct flashlayout_row *row = &r->fl.rows[i];
		if (!flashlayout_row_programs(row))
			continue;
		if (row->size > N6_MAX_IMAGE)
			return rs_fail(err, RS_E_INPUT, "%s:%d: %s is %llu bytes, far more than any N6 image", r->fl.path,
			               row->line, row->path, (unsigned long long)row->size);
		FILE *f = fopen(row->path, "rb");
		uint8_t *buf = malloc(row->size);
		size_t got = f && buf ? fread(buf, 1, row->size, f) : 0;
		if (f)
			fclose(f);
		if (got != row->size) {
			free(buf);
			return rs_fail(err, RS_E_INPUT, "%s:%d: %s could not be read", r->fl.path, row->line, row->path);
		}
		struct stm32prog_part *p = &r->parts[r->nparts];
		r->data[r->nparts] = buf;
		*p = (struct stm32prog_part){.id = row->id, .opt = row->opt_text, .name = row->name, .type = row->type,
		                             .ip = row->ip, .offset = row->offset, .data = buf, .len = row->size};
		r->nparts++;
		r->total += row->size;
	}
	return stm32prog_check_parts(r->parts, r->nparts, err);
}

/* Open the phase-protocol device: wait for it, claim its DFU interface, read its alts. */
static int open_device(struct n6_run *r, const struct usb_ids *ids, int timeout_ms, struct usbdev *ud,
                       struct stm32prog_dev *d, struct rs_error *err)
{
	struct usbdev_pick pick;
	run_usb_pick(r->rc, &pick);
	int rc = usbdev_open_wait(ud, ids, &pick, timeout_ms, wait_stop, r->rc, err);
	if (rc)
		return rc;
	uint16_t intf = 0;
	if (!(rc = stm32prog_dfu_interface(ud->handle, &intf, err)) && !(rc = usbdev_claim(ud, intf, err)))
		rc = stm32prog_open(d, ud->handle, intf, err);
	if (rc)
		usbdev_close(ud);
	return rc;
}

static bool looks_like_openbootloader(const struct stm32prog_dev *d)
{
	return stm32prog_find_alt(d, STM32PROG_ID_FSBL, false) < 0 &&
	       (stm32prog_find_alt(d, STM32PROG_ID_LOADER, false) >= 0 ||
	        stm32prog_find_alt(d, STM32PROG_ID_LAYOUT, false) >= 0);
}

/* Before anything is sent: is this the N6's boot ROM (or OpenBootloader), or another device
 * answering as 0483:DF11?  What it says is logged; a mismatch is RS_E_INPUT naming it. */
static int check_identity(struct n6_run *r, const struct stm32prog_dev *d, bool obl, const char *after,
                          struct rs_error *err)
{
	char found[600], why[400];
	const struct board *b = r->rc->plan->board;
	identity_describe_n6(d, found, sizeof found);
	run_log(r->rc, RUN_LOG_DEVICE, "identity: %s", found);
	if (!(obl ? identity_check_n6_obl(b, d, why, sizeof why) : identity_check_n6_rom(b, d, why, sizeof why)))
		return RS_OK;
	return rs_fail(err, RS_E_INPUT, "%s; nothing was written%s", why, after);
}

/* After DETACH the ROM's device goes and OpenBootloader's comes, under the same VID:PID:
 * wait until a device with a different alt list answers. */
static int wait_for_openbootloader(struct n6_run *r, const struct usb_ids *ids, const struct stm32prog_dev *rom,
                                   struct usbdev *ud, struct stm32prog_dev *d, struct rs_error *err)
{
	long deadline = now_ms() + N6_REENUMERATE_MS;
	for (;;) {
		long left = deadline - now_ms();
		if (left <= 0)
			return rs_fail(err, RS_E_TIMEOUT, "the camera did not come back as OpenBootloader within %d s "
			               "after the ROM took %s: the ROM may have refused it (it must be the signed "
			               "'trusted' build)", N6_REENUMERATE_MS / 1000, r->parts[0].name);
		struct rs_error local = {0};
		int rc = open_device(r, ids, (int)left, ud, d, &local);
		if (rc == RS_E_CANCELLED || rc == RS_E_ACCESS) {
			*err = local;
			return rc;
		}
		if (!rc) {
			if (!stm32prog_same_alts(rom, d))
				return 0;
			usbdev_close(ud); /* still the ROM, not yet gone */
		}
		sleep_ms(100);
	}
}

static int run_native(struct n6_run *r, const struct step *s, struct rs_error *err)
{
	struct run_ctx *rc = r->rc;
	const struct usb_ids *ids = &rc->plan->board->usb[s->mode];
	int timeout = rc->opts->device_timeout_ms ? rc->opts->device_timeout_ms : N6_DEFAULT_DEVICE_MS;
	enum stm32prog_nor_addressing mode = (enum stm32prog_nor_addressing)rc->opts->n6_nor_addressing;
	struct usbdev ud;
	struct stm32prog_dev *d = calloc(2, sizeof *d), *rom = d + 1;
	if (!d)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	int code = open_device(r, ids, timeout, &ud, d, err);
	if (code) {
		free(d);
		return code;
	}
	run_log(rc, RUN_LOG_DEVICE, "%s: %d alts, blocks of %u bytes", ids->id[0].text, d->nalts, d->transfer_size);
	bool obl = looks_like_openbootloader(d);
	if ((code = check_identity(r, d, obl, "", err))) {
		usbdev_close(&ud);
		free(d);
		return code;
	}
	if (obl) {
		run_log(rc, RUN_LOG_INFO, "the camera already runs OpenBootloader: going on from there");
		r->span.base = r->parts[0].len;
	} else {
		code = stm32prog_rom_stage(d, &r->parts[0], &r->span.inner, &r->log, err);
		*rom = *d;
		if (code == RS_E_GONE) /* it may have gone under SET_INTERFACE (usbdev_abandon) */
			usbdev_abandon(&ud);
		usbdev_close(&ud);
		if (code) {
			free(d);
			return rs_wrap(err, "nothing was written to the camera's flash; unplug it, keep the BOOT jumper, "
			               "plug it back in and run restore-bootloader again");
		}
		r->span.base = r->parts[0].len;
		run_log(rc, RUN_LOG_INFO, "OpenBootloader sent; waiting for the camera to come back with it");
		code = wait_for_openbootloader(r, ids, rom, &ud, d, err);
		if (!code && (code = check_identity(r, d, true, " to its flash (the ROM took OpenBootloader into RAM only)", err)))
			usbdev_close(&ud);
		if (code) {
			free(d);
			return code;
		}
	}
	int written = 0;
	code = stm32prog_obl_stage(d, r->parts, r->nparts, mode, &r->span.inner, &r->log, &written, err);
	if (code == RS_E_GONE)
		usbdev_abandon(&ud);
	usbdev_close(&ud);
	free(d);
	if (code && code != RS_E_CANCELLED)
		return rs_wrap(err, "%s; unplug the camera, keep the BOOT jumper, plug it back in and run "
		               "restore-bootloader again", written ? "nor0 may hold part of the new bootloader"
		                                                   : "nothing was written to the camera's flash yet");
	return code;
}

/* exec_n6_cube.c: run STM32_Programmer_CLI on the layout; total = its bytes, for progress */
int exec_n6_cubeprogrammer(struct run_ctx *rc, const char *tsv, uint64_t total, struct rs_error *err);

int exec_stm32prog_layout(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	if (s->image < 0)
		return rs_fail(err, RS_E_INPUT, "internal: the layout step has no FlashLayout.tsv");
	const char *tsv = rc->plan->images[s->image].path;
	run_drop_device(rc); /* the camera re-enumerates: hold nothing open */
	struct n6_run *r = calloc(1, sizeof *r);
	if (!r)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	r->rc = rc;
	r->log = (struct stm32prog_log){.note = n6_note, .ctx = r};
	int code = load_layout(r, tsv, err);
	struct rs_progress outer = run_progress_of(rc);
	rs_progress_span_init(&r->span, &outer, r->total);
	if (!code) {
		if (rc->opts->use_cubeprogrammer) {
			code = exec_n6_cubeprogrammer(rc, tsv, r->total, err);
		} else {
			code = run_native(r, s, err);
			char cli[512];
			if (code && code != RS_E_CANCELLED && n6_find_cubeprogrammer(cli, sizeof cli))
				run_log(rc, RUN_LOG_INFO, "STM32_Programmer_CLI is installed (%s): after replugging with the "
				        "BOOT jumper you can also try --use-cubeprogrammer", cli);
		}
	}
	if (!code)
		run_progress(rc, r->total, r->total);
	for (int i = 0; i < r->nparts; i++)
		free(r->data[i]);
	free(r);
	return code;
}
