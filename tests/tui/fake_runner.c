/* fake_runner.c — a scripted stand-in for runner_run(), linked into a test build of the
 * program with -Wl,--wrap=runner_run, so the wizard's run screens (progress, hardware
 * prompts, questions, cancel) can be walked without any device or executor.  The wizard
 * itself is unchanged: it calls runner_run() and receives the same events in the same order
 * the real runner sends them (src/run/runner.c): a yes/no confirmation once before the first
 * destructive step, a typed one before each irreversible step, step_begin/step_end around
 * each step, should_stop between steps and between blocks.
 *
 * The script comes from $FAKE_RUN, comma-separated NAME=VALUE:
 *   other=N     during a prompt that waits for a device, report another mode of the same
 *               board ("running firmware 37C5:1204") from poll N on (0: never)
 *   present=N   report the expected device present from poll N on (0: never)
 *   blocks=N    each writing step moves N blocks of 4096 bytes (default 8)
 *   block_ms=N  milliseconds per block (default 5)
 *   fail=N      step N (1-based) fails with a device error
 * Polls come every 50 ms, as in exec_basic.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runner.h"

struct script {
	int other, present, blocks, block_ms, fail;
};

static void read_script(struct script *s)
{
	*s = (struct script){.blocks = 8, .block_ms = 5};
	const char *env = getenv("FAKE_RUN");
	char buf[256];
	snprintf(buf, sizeof buf, "%s", env ? env : "");
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int v;
		if (sscanf(tok, "other=%d", &v) == 1) s->other = v;
		else if (sscanf(tok, "present=%d", &v) == 1) s->present = v;
		else if (sscanf(tok, "blocks=%d", &v) == 1) s->blocks = v;
		else if (sscanf(tok, "block_ms=%d", &v) == 1) s->block_ms = v;
		else if (sscanf(tok, "fail=%d", &v) == 1) s->fail = v;
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static bool stop(const struct run_events *ev)
{
	return ev->should_stop && ev->should_stop(ev->ctx);
}

/* The first mode after step i that a device step needs, as exec_basic.c finds it. */
static enum usb_mode next_mode(const struct plan *p, int i)
{
	for (int k = i + 1; k < p->nsteps; k++)
		if (p->steps[k].mode != USB_MODE_COUNT)
			return p->steps[k].mode;
	return USB_MODE_COUNT;
}

/* Another mode of the same board, for "seen instead". */
static int other_mode(const struct board *b, enum usb_mode not)
{
	static const enum usb_mode order[] = {USB_FIRMWARE, USB_BOOTLOADER, USB_ST_ROM, USB_FLASHLOADER};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (order[i] != not && b->usb[order[i]].n)
			return (int)order[i];
	return -1;
}

static int prompt(struct plan *p, int i, const struct run_events *ev, const struct script *s,
                  struct rs_error *err)
{
	const struct board *b = p->board;
	enum usb_mode mode = next_mode(p, i);
	char waiting[160] = "", other[160] = "";
	if (mode != USB_MODE_COUNT && b->usb[mode].n)
		snprintf(waiting, sizeof waiting, "%s %s", usb_mode_label(mode), b->usb[mode].id[0].text);
	int om = mode != USB_MODE_COUNT ? other_mode(b, mode) : -1;
	if (om >= 0)
		snprintf(other, sizeof other, "%s %s", usb_mode_label((enum usb_mode)om), b->usb[om].id[0].text);
	ev->prompt_show(ev->ctx, p->steps[i].prompt, waiting[0] ? waiting : NULL);
	for (int poll = 1;; poll++) {
		bool present = waiting[0] && s->present && poll >= s->present;
		bool seen = waiting[0] && other[0] && s->other && poll >= s->other && !present;
		struct prompt_seen other_seen = {.mode = (enum usb_mode)om, .text = other};
		enum prompt_answer a = ev->prompt_poll(ev->ctx, present, seen ? &other_seen : NULL);
		if (a == PROMPT_DONE)
			return 0;
		if (a == PROMPT_CANCEL)
			return rs_fail(err, RS_E_CANCELLED, "stopped at the prompt; nothing was written after it");
		sleep_ms(50);
	}
}

static int transfer(const struct run_events *ev, const struct script *s, int index, struct rs_error *err)
{
	uint64_t total = (uint64_t)s->blocks * 4096;
	ev->progress(ev->ctx, 0, total);
	for (int k = 1; k <= s->blocks; k++) {
		if (stop(ev))
			return rs_fail(err, RS_E_CANCELLED, "stopped by you after block %d of %d of step %d; "
			               "re-run the same action to finish", k - 1, s->blocks, index + 1);
		sleep_ms(s->block_ms);
		ev->progress(ev->ctx, (uint64_t)k * 4096, total);
	}
	ev->log(ev->ctx, RUN_LOG_DEVICE, "status OK, state dfuDNLOAD-IDLE");
	return 0;
}

int __wrap_runner_run(struct plan *p, const struct run_options *o, const struct run_events *ev,
                      struct run_result *res, struct rs_error *err);

int __wrap_runner_run(struct plan *p, const struct run_options *o, const struct run_events *ev,
                      struct run_result *res, struct rs_error *err)
{
	struct script s;
	read_script(&s);
	if (o->serial || o->device_timeout_ms || o->no_verify) {
		/* what the front end passed: flow_run_options reads it back from the session log */
		char got[300];
		snprintf(got, sizeof got, "fake runner got serial=%.100s device_timeout_ms=%d no_verify=%d",
		         o->serial ? o->serial : "(any)", o->device_timeout_ms, o->no_verify);
		ev->log(ev->ctx, RUN_LOG_INFO, got);
	}
	memset(res, 0, sizeof *res);
	bool confirmed = false;
	int rc = 0;
	for (int i = 0; i < p->nsteps && !rc; i++) {
		const struct step *st = &p->steps[i];
		if (stop(ev)) {
			rc = rs_fail(err, RS_E_CANCELLED, "stopped by you before step %d of %d", i + 1, p->nsteps);
			break;
		}
		char what[400];
		step_describe(p, st, what, sizeof what);
		if (st->flags & STEP_IRREVERSIBLE) {
			char q[600];
			snprintf(q, sizeof q, "This step can never be undone: %s. Type BURN to go ahead.", what);
			if (!ev->confirm(ev->ctx, q, "BURN")) {
				rc = rs_fail(err, RS_E_CANCELLED, "stopped before the irreversible step; nothing was burned");
				break;
			}
		} else if ((st->flags & STEP_DESTRUCTIVE) && !confirmed) {
			if (!ev->confirm(ev->ctx, "This will overwrite data on the device. Go ahead?", NULL)) {
				rc = rs_fail(err, RS_E_CANCELLED, "stopped before writing anything");
				break;
			}
			confirmed = true;
		}
		ev->step_begin(ev->ctx, p, i);
		if (s.fail == i + 1)
			rc = rs_fail(err, RS_E_DEVICE, "the device reported errWRITE at block 3; re-run the same action");
		else if (st->kind == STEP_PROMPT)
			rc = prompt(p, i, ev, &s, err);
		else if (st->image >= 0 && st->kind != STEP_MAKE_ZEROS && st->kind != STEP_MAKE_KEY)
			rc = transfer(ev, &s, i, err);
		ev->step_end(ev->ctx, p, i, rc, rc ? err->msg : NULL);
		if (!rc)
			res->steps_done++;
	}
	if (!rc) {
		res->verified_writes = 1;
		snprintf(res->summary, sizeof res->summary, "%s %s: all %d steps done, every write verified",
		         p->board->name, action_name(p->action), p->nsteps);
	}
	return rc;
}
