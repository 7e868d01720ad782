/* family/nxp/exec.c — the RT1062's devices: opening and caching them, catching the secure
 * bootloader, and the ROM's serial-download steps (see exec_nxp.h; blhost steps are in
 * exec_blhost.c).  Facts: seed 002 §10.7.7, seed 003 "OpenMV Cam RT1062", reference
 * nxp-sdp-mboot.md. */
#include "exec_nxp.h"
#include "reset_running.h"
#include "blhost_delta.h"
#include "exec_nxp_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "identity.h"

static void nxp_device_close(void *p)
{
	struct nxp_device *d = p;
	blhost_delta_clear(&d->delta);
	usbdev_close(&d->usb);
	free(d);
}

void nxp_device_drop(struct run_ctx *rc)
{
	run_drop_device(rc);
}

int nxp_wait_ms(const struct run_ctx *rc, int default_ms)
{
	return run_device_timeout(rc, default_ms);
}

void nxp_version_text(uint32_t v, char *buf, size_t n)
{
	/* (char << 24) | (major << 16) | (minor << 8) | bugfix: 0x4B030000 is K3.0.0 (§2.9) */
	char c = (char)(v >> 24);
	if (c < 'A' || c > 'Z')
		c = '?';
	snprintf(buf, n, "%c%u.%u.%u", c, (unsigned)(v >> 16 & 0xFF), (unsigned)(v >> 8 & 0xFF),
	         (unsigned)(v & 0xFF));
}

/* A freshly opened flashloader: ask its version at once (this is what holds the secure
 * bootloader in its USB mode; inferred from OpenMV IDE "claiming" it within its ~1 s window,
 * reference alif-isp-openmv-ide-n6.md §2.3), then its MaxPacketSize for write-memory. */
static int greet_flashloader(struct nxp_device *d, struct rs_error *err)
{
	uint32_t v[1];
	int n = 0;
	int r = mboot_get_property(&d->mboot, MBOOT_PROP_CURRENT_VERSION, 0, v, 1, &n, err);
	if (r && r != RS_E_DEVICE)
		return r;
	d->version = !r && n ? v[0] : 0;
	return mboot_query_max_packet(&d->mboot, err);
}

int nxp_device_get(struct run_ctx *rc, enum usb_mode mode, int wait_ms, struct nxp_device **out,
                   struct rs_error *err)
{
	if (rc->device && rc->device_close == nxp_device_close && rc->device_mode == mode) {
		*out = rc->device;
		return 0;
	}
	nxp_device_drop(rc);
	const struct usb_ids *ids = &rc->plan->board->usb[mode];
	if (!ids->n)
		return rs_fail(err, RS_E_UNSUPPORTED, "the %s has no USB ID for its %s in boards.ini",
		               rc->plan->board->name, usb_mode_label(mode));
	struct nxp_device *d = calloc(1, sizeof *d);
	if (!d)
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	d->mode = mode;
	d->delta.image = -1;
	struct usbdev_pick pick;
	run_usb_pick(rc, &pick);
	int r = usbdev_open_wait(&d->usb, ids, &pick, wait_ms, run_stop_cb,
	                         rc, err);
	if (r) {
		free(d);
		return r;
	}
	int intf = 0;
	r = hidio_find_interface(d->usb.handle, &intf, err);
	if (!r)
		r = usbdev_claim(&d->usb, intf, err);
	if (!r && mode == USB_SDP)
		r = sdp_open(&d->sdp, d->usb.handle, intf, err);
	if (!r && mode == USB_FLASHLOADER) {
		r = mboot_open(&d->mboot, d->usb.handle, intf, err);
		if (!r)
			r = greet_flashloader(d, err);
		char why[300];
		if (!r && identity_check_mboot(rc->plan->board, d->version, why, sizeof why))
			r = rs_fail(err, RS_E_INPUT, "%s; nothing was written", why);
	}
	if (r) {
		nxp_device_close(d);
		return r;
	}
	run_hold_device(rc, d, nxp_device_close, mode);
	*out = d;
	return 0;
}

struct rs_progress nxp_progress(struct run_ctx *rc)
{
	return run_progress_of(rc);
}

int nxp_image_load(struct run_ctx *rc, int index, uint8_t **buf, size_t *len, const char **name,
                   struct rs_error *err)
{
	if (index < 0 || index >= rc->plan->nimages)
		return rs_fail(err, RS_E_INPUT, "internal: a step without its image");
	const struct plan_image *im = &rc->plan->images[index];
	*name = im->path;
	FILE *f = fopen(im->path, "rb");
	if (!f)
		return rs_fail(err, RS_E_INPUT, "%s: cannot be read (%s)", im->path, strerror(errno));
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (size <= 0 || (im->max_size && (uint64_t)size > im->max_size)) {
		fclose(f);
		return rs_fail(err, RS_E_INPUT, "%s changed since it was checked (now %ld bytes)", im->path, size);
	}
	*buf = malloc((size_t)size);
	if (!*buf) {
		fclose(f);
		return rs_fail(err, RS_E_NOMEM, "out of memory for %s", im->path);
	}
	size_t got = fread(*buf, 1, (size_t)size, f);
	fclose(f);
	if (got != (size_t)size) {
		free(*buf);
		*buf = NULL;
		return rs_fail(err, RS_E_INPUT, "%s: read %zu of %ld bytes", im->path, got, size);
	}
	*len = got;
	return 0;
}

int nxp_fail(int code, struct rs_error *err, const char *fmt, ...)
{
	char msg[sizeof err->msg], advice[300];
	snprintf(msg, sizeof msg, "%s", err->msg);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(advice, sizeof advice, fmt, ap);
	va_end(ap);
	return rs_fail(err, code, "%s; %s", msg, advice);
}

/* ---- catching the secure bootloader ------------------------------------------------------ */

int exec_nxp_enter_flashloader(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	const char *id = b->usb[USB_FLASHLOADER].n ? b->usb[USB_FLASHLOADER].id[0].text : "?";
	struct nxp_device *d;
	struct rs_error quiet;
	(void)s;
	int r = nxp_device_get(rc, USB_FLASHLOADER, 0, &d, &quiet);
	if (r && r != RS_E_TIMEOUT) {
		*err = quiet;
		return r;
	}
	if (r && reset_running_camera(rc, USB_FLASHLOADER, &quiet) == 0) {
		/* seed 002 §10.7.7: after a reset the camera enumerates as the SBL device */
		r = nxp_device_get(rc, USB_FLASHLOADER, nxp_wait_ms(rc, 10000), &d, err);
		if (r && r != RS_E_TIMEOUT)
			return r;
	}
	if (r) {
		bool present = false;
		char other[200] = "";
		detect_board_mode(b, USB_FLASHLOADER, &present, other, sizeof other);
		/* No running camera to ask (or it did not reboot): the person presses RESET (seed
		 * 002 §10.7.7: "a reset leaves the camera enumerated as the SBL device"). */
		run_log(rc, RUN_LOG_INFO, "Press the RESET button on the camera (or unplug it and plug it "
		        "back in): its secure bootloader answers as %s for about a second, and it is "
		        "claimed as soon as it appears.%s%s", id, other[0] ? " Seen now: " : "", other);
		int wait = nxp_wait_ms(rc, NXP_PERSON_TIMEOUT_MS);
		r = nxp_device_get(rc, USB_FLASHLOADER, wait, &d, err);
		if (r == RS_E_TIMEOUT)
			return rs_fail(err, RS_E_TIMEOUT, "the secure bootloader (%s) did not appear within %d s; "
			               "press RESET once and wait. If the camera never shows up as %s, its "
			               "bootloader is damaged: run restore-bootloader", id, (wait + 999) / 1000, id);
		if (r)
			return r;
	}
	char v[16];
	nxp_version_text(d->version, v, sizeof v);
	run_log(rc, RUN_LOG_DEVICE, "bootloader %s answered (version %s, %" PRIu32 "-byte packets)", id,
	        d->version ? v : "unknown", d->mboot.max_packet);
	return 0;
}

/* ---- the ROM's serial download ----------------------------------------------------------- */

static const char *const rom_advice = "nothing on the camera's flash has changed: unplug the camera, "
	"keep the SBL jumper, plug it back in and run restore-bootloader again";

int exec_sdp_write_file(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d;
	int r = nxp_device_get(rc, USB_SDP, nxp_wait_ms(rc, NXP_APPEAR_TIMEOUT_MS), &d, err);
	if (r)
		return r == RS_E_TIMEOUT ? nxp_fail(r, err, "check the SBL jumper and reconnect the camera") : r;
	uint8_t *data = NULL;
	size_t n = 0;
	const char *name;
	if ((r = nxp_image_load(rc, s->image, &data, &n, &name, err)))
		return r;
	struct rs_progress pr = nxp_progress(rc);
	r = sdp_write_file(&d->sdp, (uint32_t)s->address.value, data, n, &pr, err);
	free(data);
	if (r)
		return r == RS_E_CANCELLED ? r : nxp_fail(r, err, "%s", rom_advice);
	if (d->sdp.hab == SDP_HAB_CLOSED)
		run_log(rc, RUN_LOG_WARN, "this RT1062's HAB is closed (a production part): the ROM only "
		        "starts signed images");
	run_log(rc, RUN_LOG_DEVICE, "the ROM took %zu bytes at 0x%08" PRIX64 " (HAB %s)", n,
	        s->address.value, sdp_hab_name(d->sdp.hab));
	return 0;
}

int exec_sdp_jump(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct nxp_device *d = NULL;
	int r = nxp_device_get(rc, USB_SDP, nxp_wait_ms(rc, NXP_APPEAR_TIMEOUT_MS), &d, err);
	if (r)
		return r;
	r = sdp_jump_address(&d->sdp, (uint32_t)s->address.value, err);
	/* RS_E_GONE: the ROM left the bus at once, as it does when the jump succeeds (§1.5) */
	if (r && r != RS_E_GONE)
		return nxp_fail(r, err, "%s", rom_advice);
	nxp_device_drop(rc);
	const struct usb_ids *fl = &rc->plan->board->usb[USB_FLASHLOADER];
	const char *loader = s->image >= 0 ? rc->plan->images[s->image].path : "";
	run_log(rc, RUN_LOG_INFO, "waiting for the flashloader to start (%s)", fl->n ? fl->id[0].text : "?");
	int wait = nxp_wait_ms(rc, NXP_APPEAR_TIMEOUT_MS);
	r = nxp_device_get(rc, USB_FLASHLOADER, wait, &d, err);
	if (r == RS_E_TIMEOUT)
		return rs_fail(err, RS_E_TIMEOUT, "the flashloader did not appear as %s within %d s after "
		               "jump-address: check that %s is the RT1062 flashloader; %s",
		               fl->n ? fl->id[0].text : "?", (wait + 999) / 1000,
		               loader[0] ? loader : "the loader file", rom_advice);
	if (r)
		return r;
	char v[16];
	nxp_version_text(d->version, v, sizeof v);
	run_log(rc, RUN_LOG_DEVICE, "flashloader answered (version %s, %" PRIu32 "-byte packets)",
	        d->version ? v : "unknown", d->mboot.max_packet);
	return 0;
}
