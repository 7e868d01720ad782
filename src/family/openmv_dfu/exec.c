/* family/openmv_dfu/exec.c (exec_dfu.h) — the DFU executors, for the openmv_dfu, st_rom
 * and arduino_dfuse families: entering and catching the bootloader, the
 * openmv_dfu download (plain DFU 1.1), and DfuSe writes by address or from a .dfu file (ST
 * system ROM and Arduino bootloaders).  Every write is read back where the bootloader allows
 * upload, and the result says whether it was verified. */
#include "io/usb_io.h"
#include "exec_dfu.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dfu.h"
#include "dfu_file.h"
#include "dfuse.h"
#include "dfuse_delta.h"
#include "dfuse_mem.h"
#include "openmv_dfu_delta.h"
#include "exec_image.h"
#include "identity_dfu.h"
#include "reset_running.h"
#include "usbdev.h"

#define DEVICE_TIMEOUT_MS 30000 /* how long a step waits for its device by default */
/* How long a bootloader may take to appear after a reset request: the openmv_dfu bootloader
 * is on the bus within its first second (boot/src/common/main.c waits at most 1000 ms for the
 * host to mount it), the Arduino one as fast [I]; more than that means the request was not
 * heard, and the replug prompt follows. */
#define RESET_TIMEOUT_MS 5000

struct dfu_dev {
	struct usbdev u;
	uint8_t intf;
	struct dfu_func_desc fd;
	struct libusb_config_descriptor *cfg;
};

static void dfu_dev_close(void *p)
{
	struct dfu_dev *d = p;
	if (d->cfg)
		usb_io_free_config(d->cfg);
	usbdev_close(&d->u);
	free(d);
}


/* Open (or reuse) the DFU device of mode: find its DFU interface and functional descriptor,
 * claim it.  timeout_ms 0 = look once. */
/* Who answered, for the support log: its serial number and the release number its
 * bootloader reports in the device descriptor (bcdDevice; USB 2.0 §9.6.1), as
 * lsusb -v shows them. */
static void log_identity(struct run_ctx *rc, struct dfu_dev *d, enum usb_mode mode)
{
	struct libusb_device_descriptor dd;
	if (usb_io_device_descriptor(usb_io_device(d->u.handle), &dd))
		return;
	run_log(rc, RUN_LOG_DEVICE, "opened %s %04X:%04X, serial %s, device release (bcdDevice) %x.%02x, "
	        "DFU %x.%02x, %u-byte blocks", usb_mode_label(mode), dd.idVendor, dd.idProduct,
	        d->u.serial[0] ? d->u.serial : "(none)", dd.bcdDevice >> 8, dd.bcdDevice & 0xFF,
	        d->fd.bcd_dfu >> 8, d->fd.bcd_dfu & 0xFF, d->fd.transfer_size);
}

static int dfu_open(struct run_ctx *rc, enum usb_mode mode, int timeout_ms, struct dfu_dev **out,
                    struct rs_error *err)
{
	*out = NULL;
	if (rc->device && rc->device_mode == mode && rc->device_close == dfu_dev_close) {
		*out = rc->device;
		return 0;
	}
	run_drop_device(rc);
	const struct board *b = rc->plan->board;
	struct dfu_dev *d = calloc(1, sizeof *d);
	if (!d)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	struct usbdev_pick pick;
	run_usb_pick(rc, &pick);
	int r = usbdev_open_wait(&d->u, &b->usb[mode], &pick, timeout_ms, run_stop_cb, rc, err);
	if (r) {
		free(d);
		return r;
	}
	r = usb_io_active_config(usb_io_device(d->u.handle), &d->cfg);
	if (r) {
		r = usbdev_error(err, r, "reading its configuration");
		dfu_dev_close(d);
		return r ? r : RS_E_IO; /* usbdev_error never gives 0; said so for the analyzer */
	}
	int intf = dfu_find_interface(d->cfg);
	if (intf < 0) {
		dfu_dev_close(d);
		return rs_fail(err, RS_E_PROTOCOL, "the device %s has no DFU interface", b->usb[mode].id[0].text);
	}
	d->intf = (uint8_t)intf;
	if ((r = dfu_find_func_desc(d->cfg, d->intf, &d->fd, err)) ||
	    (r = identity_dfu_verify(rc, mode, d->u.handle, d->cfg, d->intf, &d->fd, err)) ||
	    (r = usbdev_claim(&d->u, intf, err))) {
		dfu_dev_close(d);
		return r;
	}
	log_identity(rc, d, mode);
	run_hold_device(rc, d, dfu_dev_close, mode);
	*out = d;
	return 0;
}

/* The device went before this step wrote anything: close it and say what to do. */
static int left_before_write(struct run_ctx *rc, int alt, struct rs_error *err)
{
	run_drop_device(rc);
	const struct board_alt *al = board_alt(rc->plan->board, alt);
	char what[80];
	snprintf(what, sizeof what, al ? "alt %d (%s)" : "alt %d", alt, al ? al->name : "");
	return rs_fail(err, RS_E_GONE, "the %s left USB before %s was written (unplugged, or its "
	               "bootloader timed out): plug it in again and run the same action again",
	               rc->plan->board->name, what);
}

/* Select alt and bring the device to dfuIDLE (dfu_prepare).  A device that has gone by now
 * (unplugged, or a bootloader's window closed) may have met SET_INTERFACE: its handle is
 * never closed (usbdev_abandon: libusb 1.0.26 would abort, libusb/libusb issue #1199). */
/* Test only (tests/e2e/record_replay.sh): with OPENMV_RESCUE_TEST_EXTRA_GETSTATE set, one
 * GETSTATE goes out before each alt is prepared, so the request order differs from a recording
 * on purpose and the replay must name the first request that diverges.  GETSTATE only reads the
 * device's state (DFU 1.1 §6.1.5): nothing changes on a camera. */
static void test_extra_request(struct dfu_dev *d)
{
	struct rs_error quiet;
	if (getenv("OPENMV_RESCUE_TEST_EXTRA_GETSTATE"))
		dfu_req_getstate(d->u.handle, d->intf, &quiet);
}

static int select_alt(struct run_ctx *rc, struct dfu_dev *d, int alt, struct rs_error *err)
{
	test_extra_request(d);
	int r = dfu_prepare(d->u.handle, d->intf, (uint8_t)alt, err);
	if (r != RS_E_GONE)
		return r;
	usbdev_abandon(&d->u);
	return left_before_write(rc, alt, err);
}

/* ---- entering the bootloader ------------------------------------------------------------- */

/* Bytes read to hold the openmv_dfu bootloader: any UPLOAD will do (it reads the current
 * alt, the read-only bootloader partition after enumeration; nothing is written). */
#define HOLD_READ_LEN 64

/* Keep a just-caught bootloader from leaving.  The openmv_dfu bootloader leaves 1.5 s after
 * power-up unless an UPLOAD, or a DNLOAD with the GETSTATUS after it, has arrived; a
 * GETSTATUS in dfuIDLE does not hold it (openmv/openmv:boot/src/common/dfu.c sets ATTACHED
 * only in its upload and timeout callbacks; boot/src/common/main.c leaves from DETACHED).
 * The other DFU bootloaders stay by themselves: a GETSTATUS shows they answer. */
static void hold_bootloader(struct run_ctx *rc, struct dfu_dev *d, enum usb_mode mode)
{
	struct rs_error quiet = {0};
	if (mode == USB_BOOTLOADER && (d->fd.attributes & DFU_ATTR_CAN_UPLOAD)) {
		uint8_t buf[HOLD_READ_LEN];
		if (dfu_req_upload(d->u.handle, d->intf, 0, buf, sizeof buf, &quiet) >= 0)
			dfu_req_abort(d->u.handle, d->intf, &quiet); /* back to dfuIDLE */
		else
			run_log(rc, RUN_LOG_INFO, "the bootloader did not answer a read (%s); it may leave soon", quiet.msg);
		return;
	}
	struct dfu_status st;
	dfu_req_getstatus(d->u.handle, d->intf, &st, &quiet);
}

int exec_enter_dfu(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	struct dfu_dev *d;
	struct rs_error quiet = {0};
	/* Already there?  Then hold it before its power-up window closes. */
	if (!dfu_open(rc, s->mode, 0, &d, &quiet)) {
		hold_bootloader(rc, d, s->mode);
		run_log(rc, RUN_LOG_DEVICE, "found %s %s", usb_mode_label(s->mode), b->usb[s->mode].id[0].text);
		return 0;
	}
	if (quiet.code != RS_E_TIMEOUT) /* not "absent": no access, several devices, cancelled */
		return rs_fail(err, quiet.code, "%s", quiet.msg);
	int r = reset_running_camera(rc, s->mode, err);
	if (r == RS_E_IO || r == RS_E_TIMEOUT) {
		/* its port takes nothing (firmware that hangs, as TinyUSB 4.4 .. 4.7 do after a bad
		 * header): only a replug brings the bootloader up */
		run_log(rc, RUN_LOG_WARN, "could not speak to the running %s: %s", b->name, err->msg);
	} else if (r != RS_E_NOT_FOUND) {
		if (r)
			return r;
		int wait = rc->opts->device_timeout_ms ? rc->opts->device_timeout_ms : RESET_TIMEOUT_MS;
		r = dfu_open(rc, s->mode, wait, &d, err);
		if (r == RS_E_TIMEOUT) {
			/* firmware that ignores the debug protocol may still honour the touch */
			run_log(rc, RUN_LOG_INFO, "no bootloader yet; trying the 1200-baud touch");
			if (!reset_running_touch(rc, s->mode, &quiet))
				r = dfu_open(rc, s->mode, wait, &d, err);
		}
		if (!r)
			hold_bootloader(rc, d, s->mode);
		if (r != RS_E_TIMEOUT)
			return r;
		/* It heard nothing (a script that never lets go of the USB, a firmware that does not
		 * answer): the person's replug brings the bootloader up at power-up, in this run. */
		run_log(rc, RUN_LOG_WARN, "the running %s did not restart into its bootloader within %d s "
		        "of being asked; nothing was written", b->name, wait / 1000);
	}
	/* Nothing connected yet: ask for a replug and catch the bootloader when it appears. */
	const struct run_events *ev = rc->ev;
	char waiting[96];
	snprintf(waiting, sizeof waiting, "%s %s", usb_mode_label(s->mode), b->usb[s->mode].id[0].text);
	if (ev && ev->prompt_show)
		ev->prompt_show(ev->ctx, "replug", waiting);
	int timeout = rc->opts->device_timeout_ms ? rc->opts->device_timeout_ms : DEVICE_TIMEOUT_MS * 10;
	for (int waited = 0; waited < timeout; waited += 10) {
		if (!dfu_open(rc, s->mode, 0, &d, &quiet)) {
			hold_bootloader(rc, d, s->mode);
			if (ev && ev->prompt_poll)
				ev->prompt_poll(ev->ctx, true, NULL);
			return 0;
		}
		if (quiet.code != RS_E_TIMEOUT)
			return rs_fail(err, quiet.code, "%s", quiet.msg);
		if (ev && ev->prompt_poll && ev->prompt_poll(ev->ctx, false, NULL) == PROMPT_CANCEL)
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the bootloader; nothing was written");
		if (run_should_stop(rc))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the bootloader; nothing was written");
		usleep(10 * 1000);
	}
	return rs_fail(err, RS_E_TIMEOUT, "the %s did not appear within %d s; nothing was written. Check the cable, then plug "
	               "the camera in again and run the same command",
	               waiting, timeout / 1000);
}

/* ---- openmv_dfu download ----------------------------------------------------------------- */

/* Read the partition back block by block and compare, without holding the whole image; in
 * delta mode only the blocks written (written[b]), the others were compared before the write. */
static int verify_upload(struct dfu_dev *d, struct exec_image *im, const uint8_t *written,
                         struct rs_error *err)
{
	exec_image_rewind(im);
	struct rs_progress prog = exec_image_progress(im);
	prog.should_stop = NULL; /* a read-back runs to its end, as it always has */
	return dfu_verify_blocks(d->u.handle, d->intf, d->fd.transfer_size, im->data, im->len, written,
	                         &prog, err);
}

/* After DETACH and the USB reset a bootloader that leaves is off the bus well within this
 * (the model's 250 ms, a real jump and re-enumeration take milliseconds) [I]. */
#define LEAVE_CHECK_MS 3000

/* Leave the bootloader for the new firmware, and see that it did: a bootloader before
 * 1.0.2 entered by the reset magic word ignores DETACH and may stay in DFU through the USB
 * reset (openmv/openmv commit 3a1e8dab7); then only a replug starts the firmware. */
/* Is the device at this bus address still the one on the bus?  A bootloader that left and
 * came back (a fresh power-up window) enumerates at a new address. */
static bool still_attached(libusb_context *ctx, uint8_t bus, uint8_t addr, const struct usb_ids *ids)
{
	libusb_device **list;
	ssize_t n = usb_io_device_list(ctx, &list);
	bool found = false;
	for (ssize_t i = 0; i < n && !found; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_bus_number(list[i]) != bus || libusb_get_device_address(list[i]) != addr ||
		    usb_io_device_descriptor(list[i], &dd))
			continue;
		for (int k = 0; k < ids->n && !found; k++)
			found = ids->id[k].vid == dd.idVendor && ids->id[k].pid == dd.idProduct;
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	return found;
}

static void leave_by_reset(struct run_ctx *rc, struct dfu_dev *d, enum usb_mode mode)
{
	struct rs_error quiet;
	struct libusb_device_descriptor dd = {0};
	libusb_device *dev = usb_io_device(d->u.handle);
	uint8_t bus = libusb_get_bus_number(dev), addr = libusb_get_device_address(dev);
	usb_io_device_descriptor(dev, &dd);
	dfu_req_detach(d->u.handle, d->intf, DFU_DETACH_TIMEOUT_MS, &quiet);
	usb_io_reset(d->u.handle); /* the device leaves; errors after this are expected */
	bool stayed = true;
	for (int waited = 0; waited < LEAVE_CHECK_MS && stayed; waited += 50) {
		usleep(50 * 1000);
		stayed = still_attached(d->u.ctx, bus, addr, &rc->plan->board->usb[mode]);
	}
	run_drop_device(rc);
	if (!stayed)
		return;
	rc->res->stayed_in_bootloader = true;
	/* bcdDevice is the bootloader's version, major<<8 | minor<<4 | patch (boot/src/common/desc.c) */
	run_log(rc, RUN_LOG_WARN, "the camera stayed in its bootloader (version %d.%d.%d) after the write: "
	        "unplug it and plug it back in to start the new firmware", dd.bcdDevice >> 8,
	        dd.bcdDevice >> 4 & 15, dd.bcdDevice & 15);
}

/* After a failed write, say what is safe to do next (unless the message already does). */
static void advise_after_write(struct rs_error *err, int r, bool rom_bootloader)
{
	if (r == RS_E_CANCELLED || r == RS_E_INPUT || r == RS_E_NOMEM || strstr(err->msg, "run the same"))
		return;
	size_t len = strlen(err->msg);
	snprintf(err->msg + len, sizeof err->msg - len, "%s",
	         rom_bootloader ? "; the chip's ROM bootloader cannot be harmed: replug the camera with the "
	                          "jumper still on and run the same command again"
	                        : "; the bootloader is untouched: plug the camera in again and run the same "
	                          "command again");
}

int exec_dfu_download(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	const struct board_alt *al = board_alt(b, s->alt);
	struct dfu_dev *d;
	int r = dfu_open(rc, s->mode, DEVICE_TIMEOUT_MS, &d, err);
	if (r)
		return r;
	if (al && al->access == ALT_RO)
		return rs_fail(err, RS_E_INPUT, "alt %d (%s) is the bootloader: it is never written here", s->alt, al->name);
	struct exec_image im;
	uint8_t *write = NULL; /* delta mode: the blocks sent (NULL: all) */
	if ((r = exec_image_open(rc, s->image, &im, err)))
		return r;
	/* a DfuSe container (UM0391: it starts "DfuSe") written raw would land, prefix and
	 * all, where the firmware goes; images_check refuses it first, this is the last guard */
	if (im.len >= 5 && !memcmp(im.data, "DfuSe", 5)) {
		r = rs_fail(err, RS_E_INPUT, "%s is a .dfu file, not an image for alt %d: nothing was written",
		            rc->plan->images[s->image].path, s->alt);
		goto out;
	}
	if ((r = select_alt(rc, d, s->alt, err)))
		goto out;
	if (rc->opts->verify_only) { /* never a write, whatever else holds */
		r = !al ? rs_fail(err, RS_E_INPUT, "alt %d is not in boards.ini: nothing to compare", s->alt) :
		    exec_dfu_compare(rc, d->u.handle, d->intf, d->fd.transfer_size,
		                     d->fd.attributes & DFU_ATTR_CAN_UPLOAD, al, &im,
		                     rc->plan->images[s->image].path, err);
		if (r == RS_E_GONE)
			run_drop_device(rc);
		else if (!r && (s->flags & STEP_RESET))
			leave_by_reset(rc, d, s->mode);
		goto out;
	}
	uint64_t left_before = rc->res->bytes_left_alone;
	bool can_verify = (d->fd.attributes & DFU_ATTR_CAN_UPLOAD) && al && al->access != ALT_COMMAND &&
	                  !rc->opts->no_verify;
	if (al && (r = exec_dfu_delta(rc, d->u.handle, d->intf, d->fd.transfer_size,
	                              d->fd.attributes & DFU_ATTR_CAN_UPLOAD, al, &im, &write, err))) {
		if (r == RS_E_GONE)
			run_drop_device(rc);
		rs_wrap(err, "reading alt %d (%s) back before writing; nothing was written", s->alt, al->name);
		goto out;
	}
	struct rs_progress prog = exec_image_progress(&im);
	r = dfu_download_blocks(d->u.handle, d->intf, d->fd.transfer_size, im.data, im.len, write,
	                        (s->flags & STEP_RESET) && !can_verify, &prog, err);
	uint64_t sent = im.len - (write ? rc->res->bytes_left_alone - left_before : 0);
	if (r) {
		if (r == RS_E_GONE)
			run_drop_device(rc);
		rs_wrap(err, "writing %s to alt %d (%s)", rc->plan->images[s->image].path, s->alt, al ? al->name : "?");
		advise_after_write(err, r, false);
		goto out;
	}
	rc->res->bytes_written += sent;
	run_log(rc, RUN_LOG_INFO, "wrote %llu bytes to alt %d", (unsigned long long)sent, s->alt);
	if (can_verify) {
		run_log(rc, RUN_LOG_INFO, "reading alt %d back to verify", s->alt);
		if ((r = verify_upload(d, &im, write, err)))
			goto out;
		run_log(rc, RUN_LOG_INFO, "read %llu bytes back from alt %d: equal to the image%s", (unsigned long long)sent,
		        s->alt, write && sent < im.len ? " (the rest was read and found equal before the write)" : "");
		rc->res->verified_writes++;
		if (s->flags & STEP_RESET)
			leave_by_reset(rc, d, s->mode);
	} else {
		rc->res->unverified_writes = true;
		if (s->flags & STEP_RESET)
			run_drop_device(rc); /* dfu_download reset it */
	}
out:
	free(write);
	exec_image_close(&im);
	return r;
}

/* ---- DfuSe by address and .dfu files ----------------------------------------------------- */

static int alt_layout(struct dfu_dev *d, int alt, struct dfuse_layout *layout, struct rs_error *err)
{
	struct dfu_alt alts[16];
	size_t n = 0;
	int r = dfu_list_alts(d->u.handle, d->cfg, d->intf, alts, 16, &n, err);
	if (r)
		return r;
	for (size_t i = 0; i < n; i++)
		if (alts[i].alt == alt)
			return dfuse_layout_parse(alts[i].name, layout, err);
	return rs_fail(err, RS_E_PROTOCOL, "the device has no alt %d", alt);
}

static int dfuse_write_verify(struct run_ctx *rc, struct dfu_dev *d, const struct step *s, int alt,
                              uint32_t address, const uint8_t *data, size_t len, struct exec_image *im,
                              struct rs_error *err)
{
	struct dfuse_layout layout;
	int r = alt_layout(d, alt, &layout, err);
	if (r == RS_E_GONE)
		return left_before_write(rc, alt, err);
	if (r || (r = select_alt(rc, d, alt, err)))
		return r;
	struct dfuse_target_dev t = {d->u.handle, d->intf, d->fd.transfer_size,
	                             d->fd.attributes & DFU_ATTR_CAN_UPLOAD, s->mode == USB_ST_ROM};
	if (rc->opts->verify_only) /* before any erase: verify never writes */
		return dfuse_delta_compare(rc, &t, &layout, address, data, len,
		                           rc->plan->images[s->image].path, err);
	struct dfuse_stats st = {0};
	struct rs_progress prog = exec_image_progress(im);
	uint64_t before = rc->res->bytes_written;
	r = dfuse_delta_write(rc, &t, &layout, address, data, len, &prog, &st, err);
	if (r) {
		if (r == RS_E_GONE)
			run_drop_device(rc);
		return r;
	}
	if (st.quirk_recoveries)
		run_log(rc, RUN_LOG_WARN, "the ST ROM stalled erasing %u page(s) in bank 2 (a known bug of the STM32H7 revision V system ROM); "
		        "recovered with two CLRSTATUS, checking them by read-back", st.quirk_recoveries);
	run_log(rc, RUN_LOG_INFO, "wrote %llu bytes at 0x%08X",
	        (unsigned long long)(rc->res->bytes_written - before), (unsigned)address);
	if (!(d->fd.attributes & DFU_ATTR_CAN_UPLOAD) || rc->opts->no_verify) {
		rc->res->unverified_writes = true;
		return 0;
	}
	uint8_t *back = malloc(len);
	size_t got = 0;
	if (!back)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	run_log(rc, RUN_LOG_INFO, "reading 0x%08X back to verify", (unsigned)address);
	r = dfuse_upload(d->u.handle, d->intf, d->fd.transfer_size, address, back, len, &got, NULL, err);
	if (!r && (got != len || memcmp(back, data, len)))
		r = rs_fail(err, RS_E_VERIFY, "read-back at 0x%08X differs from the image: the write did not take; run the same action again",
		            (unsigned)address);
	free(back);
	if (!r) {
		rc->res->verified_writes++;
		run_log(rc, RUN_LOG_INFO, "read %zu bytes back at 0x%08X: equal to the image", len, (unsigned)address);
	}
	return r;
}

static void dfuse_finish(struct run_ctx *rc, struct dfu_dev *d, const struct step *s, uint32_t base)
{
	struct rs_error quiet;
	if (s->flags & STEP_LEAVE) {
		dfuse_leave(d->u.handle, d->intf, base, &quiet); /* the device vanishes: success */
		run_drop_device(rc);
	} else if (s->flags & STEP_RESET) {
		dfuse_abort_to_idle(d->u.handle, d->intf, &quiet);
		usb_io_reset(d->u.handle);
		run_drop_device(rc);
	}
}

int exec_dfuse_write(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	uint64_t a = s->address.value;
	if (rc->plan->action != ACTION_RESTORE && b->protect.end && a < b->protect.end && a >= b->protect.start)
		return rs_fail(err, RS_E_INPUT, "0x%08llX is in the protected bootloader region: refused",
		               (unsigned long long)a);
	struct dfu_dev *d;
	int r = dfu_open(rc, s->mode, DEVICE_TIMEOUT_MS, &d, err);
	if (r)
		return r;
	struct exec_image im;
	if ((r = exec_image_open(rc, s->image, &im, err)))
		return r;
	r = dfuse_write_verify(rc, d, s, s->alt, (uint32_t)a, im.data, im.len, &im, err);
	if (r) {
		rs_wrap(err, "writing %s at %s", rc->plan->images[s->image].path, s->address.text);
		advise_after_write(err, r, s->mode == USB_ST_ROM);
	} else
		dfuse_finish(rc, d, s, (uint32_t)a);
	exec_image_close(&im);
	return r;
}

int exec_dfuse_file(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct dfu_dev *d;
	int r = dfu_open(rc, s->mode, DEVICE_TIMEOUT_MS, &d, err);
	if (r)
		return r;
	struct exec_image im;
	if ((r = exec_image_open(rc, s->image, &im, err)))
		return r;
	struct dfu_image img;
	const char *path = rc->plan->images[s->image].path;
	if ((r = dfu_file_parse(im.data, im.len, &img, err)) ||
	    (r = dfu_file_check_ids(&img, d->u.vid, d->u.pid, err))) {
		rs_wrap(err, "%s", path);
		goto out;
	}
	if (!img.is_dfuse) {
		r = rs_fail(err, RS_E_INPUT, "%s is not a DfuSe file: give bootloader.bin instead", path);
		goto out;
	}
	struct dfuse_target t;
	uint32_t base = 0;
	bool first = true;
	/* verify compares element by element: the file counts as one image, equal when all are */
	int equal0 = rc->res->images_equal, differ0 = rc->res->images_differ;
	for (size_t tp = 0; !r && dfuse_file_next_target(&img, &tp, &t);) {
		struct dfuse_element e;
		for (size_t ep = 0; !r && dfuse_target_next_element(&t, &ep, &e);) {
			if (first)
				base = e.address;
			first = false;
			r = dfuse_write_verify(rc, d, s, t.alt, e.address, e.data, e.size, &im, err);
		}
	}
	if (!r && rc->opts->verify_only) {
		bool differs = rc->res->images_differ > differ0;
		rc->res->images_equal = equal0 + !differs;
		rc->res->images_differ = differ0 + differs;
	}
	if (r) {
		rs_wrap(err, rc->opts->verify_only ? "comparing %s" : "writing %s", path);
		if (!rc->opts->verify_only)
			advise_after_write(err, r, s->mode == USB_ST_ROM);
	} else /* set the address pointer to the image base before leaving (§4 pitfall 9) */
		dfuse_finish(rc, d, s, base);
out:
	exec_image_close(&im);
	return r;
}

int exec_dfu_compare_with(struct run_ctx *rc, const struct step *s, const char *path, const uint8_t *data,
                          size_t len, struct rs_error *err)
{
	const struct board_alt *al = board_alt(rc->plan->board, s->alt);
	if (!al)
		return rs_fail(err, RS_E_INPUT, "alt %d is not in boards.ini: nothing to compare", s->alt);
	struct dfu_dev *d;
	int r = dfu_open(rc, s->mode, DEVICE_TIMEOUT_MS, &d, err);
	if (r || (r = select_alt(rc, d, s->alt, err)))
		return r;
	struct exec_image im = {.data = data, .len = len, .rc = rc};
	r = exec_dfu_compare(rc, d->u.handle, d->intf, d->fd.transfer_size, d->fd.attributes & DFU_ATTR_CAN_UPLOAD,
	                     al, &im, path, err);
	if (r == RS_E_GONE)
		run_drop_device(rc);
	else if (!r && (s->flags & STEP_RESET))
		leave_by_reset(rc, d, s->mode);
	return r;
}
