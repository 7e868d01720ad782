/* runner.c — see runner.h. */
#include "runner.h"

#include "run_written.h"
#include "usbdev.h"
#include "verify_steps.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_log(struct run_ctx *rc, enum run_log level, const char *fmt, ...)
{
	if (!rc->ev || !rc->ev->log)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rc->ev->log(rc->ev->ctx, level, msg);
}

void run_progress(struct run_ctx *rc, uint64_t done, uint64_t total)
{
	if (rc->ev && rc->ev->progress)
		rc->ev->progress(rc->ev->ctx, done, total);
}

void run_usb_pick(const struct run_ctx *rc, struct usbdev_pick *out)
{
	/* several matching devices: this run's front end picks (usbdev.h) */
	*out = (struct usbdev_pick){
		.serial = rc->opts ? rc->opts->serial : NULL,
		.bus_path = rc->opts ? rc->opts->bus_path : NULL,
		.choose = rc->ev ? rc->ev->choose : NULL,
		.choose_ctx = rc->ev ? rc->ev->ctx : NULL,
	};
}

bool run_should_stop(struct run_ctx *rc)
{
	return rc->ev && rc->ev->should_stop && rc->ev->should_stop(rc->ev->ctx);
}

static void progress_cb(void *ctx, uint64_t done, uint64_t total)
{
	run_progress(ctx, done, total);
}

void run_hold_device(struct run_ctx *rc, void *device, void (*close_fn)(void *device), enum usb_mode mode)
{
	run_drop_device(rc);
	rc->device = device;
	rc->device_close = close_fn;
	rc->device_mode = mode;
}

void run_drop_device(struct run_ctx *rc)
{
	if (rc->device && rc->device_close)
		rc->device_close(rc->device);
	rc->device = NULL;
	rc->device_close = NULL;
	rc->device_mode = USB_MODE_COUNT;
}

bool run_stop_cb(void *rc)
{
	return run_should_stop(rc);
}

struct rs_progress run_progress_of(struct run_ctx *rc)
{
	return (struct rs_progress){.report = progress_cb, .should_stop = run_stop_cb, .ctx = rc};
}

int run_device_timeout(const struct run_ctx *rc, int default_ms)
{
	return rc->opts && rc->opts->device_timeout_ms > 0 ? rc->opts->device_timeout_ms : default_ms;
}

int run_advise(struct rs_error *err, const char *advice)
{
	size_t n = strlen(err->msg);
	snprintf(err->msg + n, sizeof err->msg - n, "%s", advice);
	return err->code;
}

/* Destructive steps are confirmed once per run, irreversible ones each time with a typed
 * word (the RT1062 eFuse write: seed 003 warning). */
static int confirm_step(struct run_ctx *rc, const struct step *s, bool *confirmed_once,
                        struct rs_error *err)
{
	const struct run_events *ev = rc->ev;
	char what[400];
	step_describe(rc->plan, s, what, sizeof what);
	if (s->flags & STEP_IRREVERSIBLE) {
		if (rc->opts->assume_yes) {
			if (rc->opts->allow_irreversible)
				return 0;
			return rs_fail(err, RS_E_INPUT,
			               "step '%s' is irreversible; with --yes it also needs --allow-irreversible", what);
		}
		char q[600];
		snprintf(q, sizeof q, "This step can never be undone: %s. Type BURN to go ahead.", what);
		if (!ev || !ev->confirm || !ev->confirm(ev->ctx, q, "BURN"))
			return rs_fail(err, RS_E_CANCELLED, "stopped before the irreversible step; nothing was burned");
		return 0;
	}
	if ((s->flags & STEP_DESTRUCTIVE) && !*confirmed_once && !rc->opts->assume_yes) {
		char q[600];
		snprintf(q, sizeof q, "%s %s on %s will overwrite data on the device. Go ahead?",
		         "This", action_name(rc->plan->action), rc->plan->board->name);
		if (!ev || !ev->confirm || !ev->confirm(ev->ctx, q, NULL))
			return rs_fail(err, RS_E_CANCELLED, "stopped before writing anything");
		*confirmed_once = true;
	}
	return 0;
}

int runner_run(struct plan *p, const struct run_options *o, const struct run_events *ev,
               struct run_result *res, struct rs_error *err)
{
	struct run_ctx rc = {.plan = p, .opts = o, .ev = ev, .res = res, .device_mode = USB_MODE_COUNT};
	memset(res, 0, sizeof *res);
	/* Refuse before anything runs if a step cannot be carried out by this build. */
	for (int i = 0; i < p->nsteps; i++)
		if (!exec_for_step(&p->steps[i])) {
			char what[400];
			step_describe(p, &p->steps[i], what, sizeof what);
			return rs_fail(err, RS_E_UNSUPPORTED,
			               "step %d of %d (%s: %s) is not available yet in this build of openmv-rescue; "
			               "nothing was done. Run with --dry-run to see the equivalent commands.",
			               i + 1, p->nsteps, step_kind_info(p->steps[i].kind)->name, what);
		}
	/* verify: refuse before anything runs a plan with a step that would write uncompared */
	for (int i = 0; o->verify_only && i < p->nsteps; i++) {
		const char *why = verify_step_refusal(&p->steps[i]);
		if (why)
			return rs_fail(err, RS_E_UNSUPPORTED, "verify cannot compare step %d of %d (%s): %s; "
			               "nothing was read or written", i + 1, p->nsteps,
			               step_kind_info(p->steps[i].kind)->name, why);
	}
	/* Ask before the first step, not at the first destructive one: by then the step
	 * before has caught a bootloader that may leave while the person reads the question
	 * (openmv_dfu's 1.5 s power-up window, openmv/openmv:boot/src/common/main.c). */
	bool confirmed = false;
	int rc_code = 0;
	for (int i = 0; i < p->nsteps && !confirmed && !rc_code; i++)
		if ((p->steps[i].flags & STEP_DESTRUCTIVE) && !(p->steps[i].flags & STEP_IRREVERSIBLE))
			rc_code = confirm_step(&rc, &p->steps[i], &confirmed, err);
	for (int i = 0; i < p->nsteps && !rc_code; i++) {
		const struct step *s = &p->steps[i];
		rc.index = i;
		if (run_should_stop(&rc)) {
			rc_code = rs_fail(err, RS_E_CANCELLED, "stopped by you before step %d of %d", i + 1, p->nsteps);
			break;
		}
		if (o->verify_only && verify_step_skipped(s)) {
			run_log(&rc, RUN_LOG_INFO, "verify: step %d (%s) is left out: it would write, and "
			        "has nothing to compare", i + 1, step_kind_info(s->kind)->name);
			continue;
		}
		if ((rc_code = confirm_step(&rc, s, &confirmed, err)))
			break;
		if (ev && ev->step_begin)
			ev->step_begin(ev->ctx, p, i);
		rc_code = exec_for_step(s)(&rc, s, err);
		if (ev && ev->step_end)
			ev->step_end(ev->ctx, p, i, rc_code, rc_code ? err->msg : NULL);
		if (!rc_code)
			res->steps_done++;
	}
	if (rc.device && rc.device_close)
		rc.device_close(rc.device);
	for (int i = 0; i < PLAN_MAX_IMAGES; i++)
		free(rc.generated[i]);
	if (!rc_code)
		snprintf(res->summary, sizeof res->summary, "%s %s: all %d steps done%s", p->board->name,
		         action_name(p->action), p->nsteps,
		         res->verified_writes && !res->unverified_writes ? ", every write verified" :
		         res->unverified_writes ? " (some writes could not be read back to verify)" : "");
	if (!rc_code && !o->verify_only)
		run_written_text(res, o->full, res->written, sizeof res->written);
	if (!rc_code && res->stayed_in_bootloader) {
		size_t used = strlen(res->summary);
		snprintf(res->summary + used, sizeof res->summary - used,
		         "; the camera stayed in its bootloader: unplug it and plug it back in to start its firmware");
	}
	return rc_code;
}
