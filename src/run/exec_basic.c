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

/* A prompt that closes a run in the chip's ROM, or in a loader the ROM ran from RAM ("remove
 * the jumper and reconnect", seed 003 step 5), has no next device to wait for: it is done
 * when the camera comes back in a mode of its own (its bootloader or firmware) and no longer
 * in the ROM. */
static bool rom_mode(enum usb_mode m)
{
	return m == USB_ST_ROM || m == USB_SDP || m == USB_FLASHLOADER;
}

static bool own_mode(enum usb_mode m)
{
	return m == USB_FIRMWARE || m == USB_FIRMWARE_LEGACY || m == USB_BOOTLOADER ||
	       m == USB_ARDUINO_SKETCH || m == USB_ARDUINO_DFU;
}

static enum usb_mode prev_mode(const struct plan *p, int index)
{
	for (int i = index - 1; i >= 0; i--)
		if (p->steps[i].mode != USB_MODE_COUNT)
			return p->steps[i].mode;
	return USB_MODE_COUNT;
}

/* Present: the camera is seen in a mode of its own and in none of the ROM's; other (and
 * *rom_seen, when not NULL): the ROM mode it is still in.  Returns -1 when the bus cannot be
 * read. */
static int left_rom(const struct board *b, bool *present, enum usb_mode *rom_seen, char *other,
                    size_t n)
{
	bool seen[USB_MODE_COUNT];
	if (detect_board_modes(b, seen))
		return -1;
	bool own = false, rom = false;
	for (int m = 0; m < USB_MODE_COUNT; m++) {
		own |= seen[m] && own_mode((enum usb_mode)m);
		if (seen[m] && rom_mode((enum usb_mode)m) && !rom) {
			rom = true;
			if (rom_seen)
				*rom_seen = (enum usb_mode)m;
			snprintf(other, n, "%s %s", usb_mode_label((enum usb_mode)m), b->usb[m].id[0].text);
		}
	}
	*present = own && !rom;
	return 0;
}

/* Can this run see the camera leave the ROM: a ROM step came before, and the camera has a
 * USB ID of its own to be seen by.  Says so plainly when it cannot. */
static bool watch_leave(struct run_ctx *rc, char *waiting, size_t n)
{
	const struct board *b = rc->plan->board;
	enum usb_mode rom = prev_mode(rc->plan, rc->index);
	if (rom == USB_MODE_COUNT || !rom_mode(rom))
		return false;
	bool has_own = false, present;
	for (int m = 0; m < USB_MODE_COUNT; m++)
		has_own |= own_mode((enum usb_mode)m) && b->usb[m].n > 0;
	char other[200];
	if (!has_own || left_rom(b, &present, NULL, other, sizeof other)) {
		run_log(rc, RUN_LOG_INFO, "This step cannot check from here that the camera has left the %s "
		        "(%s): it goes on when you say it is done.", usb_mode_label(rom),
		        has_own ? "the USB bus cannot be read" : "this board has no USB ID of its own");
		return false;
	}
	snprintf(waiting, n, "the camera to start without the %s", usb_mode_label(rom));
	return true;
}

int exec_prompt(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct run_events *ev = rc->ev;
	const struct board *b = rc->plan->board;
	enum usb_mode mode = next_mode(rc->plan, rc->index);
	char waiting[160] = "";
	bool leave = false;
	if (mode != USB_MODE_COUNT && b->usb[mode].n)
		snprintf(waiting, sizeof waiting, "%s %s", usb_mode_label(mode), b->usb[mode].id[0].text);
	else if (mode == USB_MODE_COUNT && ev && ev->prompt_poll)
		leave = watch_leave(rc, waiting, sizeof waiting);
	if (ev && ev->prompt_show)
		ev->prompt_show(ev->ctx, s->prompt, waiting[0] ? waiting : NULL);
	if (!ev || !ev->prompt_poll)
		return 0;
	for (;;) {
		bool present = false;
		char other[200] = "";
		struct prompt_seen seen = {.mode = USB_MODE_COUNT, .text = other};
		if (leave)
			left_rom(b, &present, &seen.mode, other, sizeof other);
		else if (mode != USB_MODE_COUNT)
			detect_board_seen(b, mode, &present, &seen.mode, other, sizeof other);
		enum prompt_answer a = ev->prompt_poll(ev->ctx, present, other[0] ? &seen : NULL);
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
	const char *hex = s->text; /* boards.ini init_mram.key, carried by the step */
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
