/* family/alif/exec.c — the session, prompts and probing of the AE3 Secure Enclave recovery, and the
 * STEP_ISP_BANNER and STEP_ISP_MAINTENANCE executors (see exec_alif.h). */
#include "exec_alif_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "identity.h"
#include "serialdev.h"

#define FIND_TIMEOUT_MS 10000      /* the prompt before these steps already waited for the bridge */
#define HANDSHAKE_LIMIT_S 300      /* without a front end to ask, give the handshake 5 minutes */
#define REBOOT_ATTEMPTS 12         /* START tries after a reset: 12 x 0.5 s for the SE to boot */

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void run_free(void *device)
{
	struct alif_run *r = device;
	alif_disconnect(r);
	free(r);
}

struct alif_run *alif_run_get(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	if (rc->device && rc->device_mode == USB_SE_BRIDGE)
		return rc->device;
	run_drop_device(rc);
	struct alif_run *r = calloc(1, sizeof *r);
	if (!r) {
		rs_fail(err, RS_E_NOMEM, "out of memory");
		return NULL;
	}
	r->boot_baud = (int)s->value.value; /* the step carries boards.ini restore.baud */
	r->fast_baud = (int)s->fast.value;
	run_hold_device(rc, r, run_free, USB_SE_BRIDGE);
	return r;
}

int alif_connect(struct run_ctx *rc, struct alif_run *r, int timeout_ms, struct rs_error *err)
{
	if (r->port)
		return 0;
	const struct usb_ids *ids = &rc->plan->board->usb[USB_SE_BRIDGE];
	int rv = serialdev_find_wait(ids, timeout_ms, run_stop_cb, rc, r->port_name, sizeof r->port_name,
	                             err);
	if (rv)
		return rv;
	if ((rv = serialdev_open(r->port_name, r->boot_baud, &r->port, err)))
		return rv;
	alif_isp_init(&r->isp, r->port, r->boot_baud);
	return 0;
}

void alif_disconnect(struct alif_run *r)
{
	serialdev_close(r->port);
	r->port = NULL;
}

int alif_begin(struct run_ctx *rc, struct alif_run *r, int attempts, struct rs_error *err)
{
	int timeout = rc->opts && rc->opts->device_timeout_ms ? rc->opts->device_timeout_ms : FIND_TIMEOUT_MS;
	int rv = alif_connect(rc, r, timeout, err);
	if (rv)
		return rv;
	rv = alif_isp_start(&r->isp, attempts, err);
	if (rv == RS_E_GONE)
		alif_disconnect(r);
	return rv;
}

/* A DEV part takes the -dev system package: its HBK0 is blank (not provisioned) or one of the
 * DEV key hashes of the Alif Security Toolkit (boards.ini restore.dev_keys, from the toolkit's
 * utils/hashesDB.db; the toolkit decides so in isp/device_probe.py). */
static bool is_dev_part(const struct board_action *a, const struct alif_isp_revision *rev)
{
	if (rev->hbk0_blank)
		return true;
	char hex[33];
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", rev->hbk0[i]);
	for (int i = 0; i < a->ndev_keys; i++)
		if (!strcmp(hex, a->dev_keys[i]))
			return true;
	return false;
}

void alif_read_revision(struct run_ctx *rc, struct alif_run *r)
{
	struct rs_error e = {0};
	if (alif_isp_get_revision(&r->isp, &r->rev, &e)) {
		run_log(rc, RUN_LOG_WARN, "could not read the chip revision: %s", e.msg);
		return;
	}
	r->have_revision = true;
	r->dev_part = is_dev_part(&rc->plan->board->actions[ACTION_RESTORE], &r->rev);
	run_log(rc, RUN_LOG_DEVICE, "Chip: part %s, revision %s, life cycle %s%s", r->rev.part[0] ? r->rev.part : "(blank)",
	        r->rev.rev_name, alif_isp_lcs_name(r->rev.lcs),
	        r->rev.hbk0_blank ? ", not provisioned (development part)" : r->dev_part ? ", development keys (DEV part)" : "");
}

/* The part the SE reports against id.se_parts of boards.ini, before anything is written. */
static int alif_check_part(struct run_ctx *rc, struct alif_run *r, struct rs_error *err)
{
	char why[300];
	if (r->have_revision && identity_check_se_part(rc->plan->board, r->rev.part, why, sizeof why))
		return rs_fail(err, RS_E_INPUT, "%s; nothing was written", why);
	return 0;
}

/* ---- prompts through the runner's events -------------------------------------------------- */

struct hm_ctx {
	struct run_ctx *rc;
	bool button_shown;
	long started;
};

/* Called about every 100 ms while the handshake runs: first the hard_maintenance prompt
 * (switch on), then, once the person says it is on, press_user_button. */
static bool hm_keep_going(void *ctx)
{
	struct hm_ctx *h = ctx;
	const struct run_events *ev = h->rc->ev;
	if (run_should_stop(h->rc))
		return false;
	if (!ev || !ev->prompt_poll)
		return now_ms() - h->started < HANDSHAKE_LIMIT_S * 1000L;
	enum prompt_answer a = ev->prompt_poll(ev->ctx, false, NULL);
	if (a == PROMPT_CANCEL)
		return false;
	if (a == PROMPT_DONE && !h->button_shown) {
		h->button_shown = true;
		if (ev->prompt_show)
			ev->prompt_show(ev->ctx, "press_user_button", "the Secure Enclave's answer");
	}
	return true;
}

static int hard_maintenance(struct run_ctx *rc, struct alif_run *r, struct rs_error *err)
{
	const struct run_events *ev = rc->ev;
	run_log(rc, RUN_LOG_INFO, "The Secure Enclave does not answer: entering hard-maintenance mode "
	        "(sending the handshake until it answers as it starts)");
	struct hm_ctx h = {.rc = rc, .started = now_ms()};
	if (ev && ev->prompt_show)
		ev->prompt_show(ev->ctx, "hard_maintenance", "the Secure Enclave's answer");
	int rv = alif_isp_hard_maintenance(&r->isp, hm_keep_going, &h, err);
	if (rv == RS_E_GONE)
		alif_disconnect(r);
	if (rv)
		return rv;
	r->hard_maintenance = true;
	run_log(rc, RUN_LOG_DEVICE, "The Secure Enclave answered the handshake: it is in hard-maintenance mode");
	rv = alif_isp_start(&r->isp, 4, err);
	if (rv)
		return rs_wrap(err, "after the hard-maintenance handshake");
	return 0;
}

int alif_power_cycle(struct run_ctx *rc, struct alif_run *r, struct rs_error *err)
{
	const struct run_events *ev = rc->ev;
	if (ev && ev->prompt_show)
		ev->prompt_show(ev->ctx, "power_cycle", "the Secure Enclave to answer again");
	/* The person's "done", or the SE going quiet and then answering again, ends the wait. */
	bool went_quiet = false;
	long started = now_ms();
	for (;;) {
		bool answers = false;
		struct rs_error e = {0};
		if (!r->port)
			alif_connect(rc, r, 0, &e);
		if (r->port) {
			r->isp.rx_timeout_ms = 250;
			int rv = alif_isp_start(&r->isp, 1, &e);
			r->isp.rx_timeout_ms = ALIF_ISP_RX_TIMEOUT_MS;
			answers = rv == 0;
			if (rv == RS_E_GONE)
				alif_disconnect(r);
		}
		if (!answers)
			went_quiet = true;
		bool back = went_quiet && answers;
		if (run_should_stop(rc))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the power cycle");
		if (ev && ev->prompt_poll) {
			enum prompt_answer a = ev->prompt_poll(ev->ctx, back, NULL);
			if (a == PROMPT_CANCEL)
				return rs_fail(err, RS_E_CANCELLED, "stopped at the power-cycle prompt");
			if (a == PROMPT_DONE)
				return 0;
		} else if (back) {
			return 0;
		} else if (now_ms() - started > HANDSHAKE_LIMIT_S * 1000L) {
			return rs_fail(err, RS_E_TIMEOUT, "the Secure Enclave did not come back after the power cycle");
		}
		struct timespec t = {0, 50 * 1000 * 1000};
		nanosleep(&t, NULL);
	}
}

/* ---- the system package ------------------------------------------------------------------- */

int alif_locate_package(struct run_ctx *rc, struct alif_run *r, int image, struct alif_package *pkg,
                        char *where, size_t where_len, struct rs_error *err)
{
	const char *part = r->have_revision ? r->rev.part : "";
	const char *rev = r->have_revision && strcmp(r->rev.rev_name, "?") ? r->rev.rev_name : "";
	bool dev = r->have_revision && r->dev_part;
	char note[300];
	if (image >= 0) {
		const struct plan_image *im = &rc->plan->images[image];
		int rv = alif_package_find(im->path, part, rev, dev, pkg, note, sizeof note, err);
		if (!rv) {
			if (note[0])
				run_log(rc, RUN_LOG_WARN, "%s", note);
			return 1;
		}
		if (im->given || rv != RS_E_NOT_FOUND)
			return rv; /* the person named this folder: say what is wrong with it */
	}
	char dirs[6][512];
	int n = alif_package_ide_dirs(dirs, 6);
	for (int i = 0; i < n; i++)
		if (!alif_package_find(dirs[i], part, rev, dev, pkg, note, sizeof note, NULL)) {
			run_log(rc, RUN_LOG_INFO, "Using the Alif system package of the OpenMV IDE installation in %s", pkg->dir);
			if (note[0])
				run_log(rc, RUN_LOG_WARN, "%s", note);
			return 1;
		}
	snprintf(where, where_len, "%s%s%s", image >= 0 ? rc->plan->images[image].path : "",
	         image >= 0 ? " and " : "", "the usual OpenMV IDE installation folders");
	return 0;
}

/* ---- STEP_ISP_BANNER ---------------------------------------------------------------------- */

static int read_banner(struct run_ctx *rc, struct alif_run *r, struct rs_error *err)
{
	int rv = alif_isp_get_banner(&r->isp, r->banner, sizeof r->banner, err);
	if (rv)
		return rv;
	char word[16];
	r->have_version = !alif_isp_banner_version(r->banner, &r->version, word, sizeof word);
	if (r->have_version)
		run_log(rc, RUN_LOG_DEVICE, "Secure Enclave firmware: SES %s v%d.%d.%d", word, r->version.major,
		        r->version.minor, r->version.patch);
	else
		run_log(rc, RUN_LOG_WARN, "the Secure Enclave's banner carries no version: \"%s\"", r->banner);
	return 0;
}

static int recover_from_rom(struct run_ctx *rc, struct alif_run *r, const struct alif_isp_enquiry *e,
                            struct rs_error *err)
{
	run_log(rc, RUN_LOG_INFO, "The Secure Enclave is in ROM recovery mode (SEROM, boot error 0x%08X/0x%08X): "
	        "its system package is rewritten from ROM", e->error, e->ext_error);
	alif_read_revision(rc, r);
	int bad = alif_check_part(rc, r, err);
	if (bad)
		return bad;
	struct alif_package pkg;
	char where[700];
	const struct step *sp = NULL;
	for (int i = 0; i < rc->plan->nsteps; i++)
		if (rc->plan->steps[i].kind == STEP_ISP_UPDATE_SP)
			sp = &rc->plan->steps[i];
	int found = alif_locate_package(rc, r, sp ? sp->image : -1, &pkg, where, sizeof where, err);
	if (found < 0)
		return found;
	if (!found)
		return rs_fail(err, RS_E_NOT_FOUND, "the Secure Enclave is in ROM recovery mode and needs the Alif system "
		               "package (SP-*.bin and offset-*.bin), which was not found in %s; name its folder with "
		               "--image system-package=DIR and run again (nothing was written)", where);
	int rv = alif_rom_recovery(rc, r, &pkg, err);
	if (rv)
		return rv;
	r->rom_recovered = true;
	if ((rv = alif_power_cycle(rc, r, err)))
		return rv;
	if (alif_begin(rc, r, REBOOT_ATTEMPTS, err))
		return rs_wrap(err, "after the ROM recovery and power cycle");
	struct alif_isp_enquiry again;
	if ((rv = alif_isp_enquiry(&r->isp, &again, err)))
		return rv;
	if (!again.seram)
		return rs_fail(err, RS_E_DEVICE, "after the ROM recovery the Secure Enclave is still not running its "
		               "firmware (stage 0x%02X, error 0x%08X); check that the system package matches this chip",
		               again.stage, again.error);
	return 0;
}

int exec_isp_banner(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct alif_run *r = alif_run_get(rc, s, err);
	if (!r)
		return RS_E_NOMEM;
	int rv = alif_begin(rc, r, 2, err);
	if (rv == RS_E_TIMEOUT && r->port)
		rv = hard_maintenance(rc, r, err);
	if (rv)
		return rv;
	struct alif_isp_enquiry e;
	if ((rv = alif_isp_enquiry(&r->isp, &e, err)))
		return rv;
	if (!e.serom && !e.seram)
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave reports neither its ROM nor its firmware as "
		               "running (stage 0x%02X)", e.stage);
	if (e.serom && !e.seram && rc->opts->verify_only)
		return rs_fail(err, RS_E_DEVICE, "the Secure Enclave is in ROM recovery mode (SEROM, boot error 0x%08X): "
		               "its MRAM cannot be read from there, so there is nothing to verify; run "
		               "restore-bootloader to repair it (nothing was written)", e.error);
	if (e.serom && !e.seram && (rv = recover_from_rom(rc, r, &e, err)))
		return rv;
	if ((rv = read_banner(rc, r, err)))
		return rv;
	if (!r->have_revision)
		alif_read_revision(rc, r);
	if ((rv = alif_check_part(rc, r, err)))
		return rv;
	if (r->isp.prints)
		run_log(rc, RUN_LOG_DEVICE, "The Secure Enclave printed %u messages (last: \"%s\")", r->isp.prints,
		        r->isp.last_print);
	return alif_isp_stop(&r->isp, err);
}

/* ---- STEP_ISP_MAINTENANCE ----------------------------------------------------------------- */

int alif_ensure_maintenance(struct run_ctx *rc, struct alif_run *r, struct rs_error *err)
{
	struct alif_isp_enquiry e;
	int rv = alif_isp_enquiry(&r->isp, &e, err);
	if (rv)
		return rv;
	if (!e.seram)
		return rs_fail(err, RS_E_DEVICE, "the Secure Enclave is not running its firmware (stage 0x%02X); "
		               "run restore-bootloader again from the start", e.stage);
	if (e.maintenance) {
		run_log(rc, RUN_LOG_DEVICE, "The Secure Enclave is in maintenance mode");
		return 0;
	}
	/* §1.8 soft maintenance: START, SET_MAINTENANCE_FLAG, STOP, RESET */
	run_log(rc, RUN_LOG_INFO, "Putting the Secure Enclave into maintenance mode (it restarts)");
	if ((rv = alif_isp_set_maintenance(&r->isp, err)) || (rv = alif_isp_stop(&r->isp, err)) ||
	    (rv = alif_isp_reset(&r->isp, err)))
		return rv;
	if (alif_isp_start(&r->isp, REBOOT_ATTEMPTS, err))
		return rs_wrap(err, "after the restart into maintenance mode");
	if ((rv = alif_isp_enquiry(&r->isp, &e, err)))
		return rv;
	if (!e.maintenance)
		return rs_fail(err, RS_E_DEVICE, "the Secure Enclave did not enter maintenance mode after its restart; "
		               "turn the hard-maintenance switch on and run restore-bootloader again");
	run_log(rc, RUN_LOG_DEVICE, "The Secure Enclave is in maintenance mode");
	return 0;
}

int exec_isp_maintenance(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	struct alif_run *r = alif_run_get(rc, s, err);
	if (!r)
		return RS_E_NOMEM;
	int rv = alif_begin(rc, r, 3, err);
	if (!rv)
		rv = alif_ensure_maintenance(rc, r, err);
	if (!rv)
		rv = alif_isp_stop(&r->isp, err);
	return rv;
}
