/* exec_basic.c — see exec_basic.h. */
#include "exec_basic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect.h"

/* The device the step after a prompt will talk to, if any. */
static enum usb_mode next_mode(const struct plan *p, int index)
{
	for (int i = index + 1; i < p->nsteps; i++)
		if (p->steps[i].mode != USB_MODE_COUNT)
			return p->steps[i].mode;
	return USB_MODE_COUNT;
}

int exec_prompt(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct run_events *ev = rc->ev;
	const struct board *b = rc->plan->board;
	enum usb_mode mode = next_mode(rc->plan, rc->index);
	char waiting[160] = "";
	if (mode != USB_MODE_COUNT && b->usb[mode].n)
		snprintf(waiting, sizeof waiting, "%s %s", usb_mode_label(mode), b->usb[mode].id[0].text);
	if (ev && ev->prompt_show)
		ev->prompt_show(ev->ctx, s->prompt, waiting[0] ? waiting : NULL);
	if (!ev || !ev->prompt_poll)
		return 0;
	for (;;) {
		bool present = false;
		char other[200] = "";
		if (mode != USB_MODE_COUNT)
			detect_board_mode(b, mode, &present, other, sizeof other);
		enum prompt_answer a = ev->prompt_poll(ev->ctx, present, other[0] ? other : NULL);
		if (a == PROMPT_DONE)
			return 0;
		if (a == PROMPT_CANCEL)
			return rs_fail(err, RS_E_CANCELLED, "stopped at the prompt; nothing was written after it");
		struct timespec ts = {0, 10 * 1000 * 1000}; /* 10 ms: the bootloader window is 1.5 s */
		nanosleep(&ts, NULL);
	}
}

static int generated(struct run_ctx *rc, const struct step *s, size_t len, struct rs_error *err)
{
	if (s->image < 0 || s->image >= PLAN_MAX_IMAGES)
		return rs_fail(err, RS_E_INPUT, "internal: generated image without a slot");
	free(rc->generated[s->image]);
	rc->generated[s->image] = calloc(1, len);
	if (!rc->generated[s->image])
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	rc->generated_len[s->image] = len;
	return 0;
}

int exec_make_zeros(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	return generated(rc, s, 4096, err); /* seed 000: bs=4096 count=1 */
}

int exec_make_key(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const char *hex = rc->plan->board->actions[ACTION_INIT_MRAM].key_hex;
	if (strlen(hex) != 32)
		return rs_fail(err, RS_E_INPUT, "this board has no MRAM key in boards.ini");
	int r = generated(rc, s, 4096, err); /* reference §3: key.bin is 4096 bytes */
	if (r)
		return r;
	for (int i = 0; i < 16; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		rc->generated[s->image][i] = (uint8_t)v;
	}
	return 0;
}
