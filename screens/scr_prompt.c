/* scr_prompt.c — a hardware prompt: its drawing and numbered steps (assets/prompts/ID.txt),
 * and, while it waits for a device, whether that device is there yet.  It moves on by
 * itself when the device appears; when another device appears instead, it says what that
 * means ("the camera booted its firmware: the jumper is not on BOOT-RST"), in the words of
 * assets/prompts/prompts.ini. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "prompts.h"
#include "run_worker.h"
#include "widgets.h"
#include "wiz.h"

static struct {
	char *text;
	char id[32];
	int ticks;
	char seen[400];   /* a prompt that waits for Enter: what the camera shows that matters */
	bool warned;      /* Enter was pressed once while seen[] said the step is not done */
} p;

#define SCAN_EVERY_TICKS 5 /* twice a second, as the detect screen */

/* A prompt the runner cannot check (it waits for Enter, e.g. "remove the jumper"): look at
 * the bus anyway, and when the chosen camera shows up in a mode that means the step is not
 * done yet (the ST ROM while the jumper should be off), say so. */
static void look_at_bus(struct wiz *w)
{
	struct detected found[DETECT_MAX];
	int n = detect_scan(w->db, found, DETECT_MAX);
	p.seen[0] = '\0';
	for (int i = 0; i < n && !p.seen[0]; i++)
		for (int k = 0; k < found[i].nmatch && k < DETECT_MATCHES; k++) {
			if (found[i].match[k].board != w->board)
				continue;
			const char *meaning = prompt_meaning(p.id, found[i].match[k].mode);
			if (meaning)
				snprintf(p.seen, sizeof p.seen, "Seen: %s %04X:%04X - %s",
				         usb_mode_label(found[i].match[k].mode), found[i].vid, found[i].pid, meaning);
		}
}

static void enter(struct wiz *w)
{
	if (strcmp(p.id, w->run.prompt_id) || !p.text) {
		free(p.text);
		p.text = wiz_prompt_text(w, w->run.prompt_id);
		wiz_copy(p.id, sizeof p.id, w->run.prompt_id);
	}
	p.ticks = 0;
	p.seen[0] = '\0';
	p.warned = false;
	if (!w->run.waiting_for[0])
		look_at_bus(w);
}

static void draw(struct wiz *w)
{
	const struct run_view *v = &w->run;
	const struct prompt_def *d = prompt_find(v->prompt_id);
	int y = ui_top(), x = ui_left(), wd = ui_width();
	y += ui_wrap(y, x, wd, 2, UI_TITLE, d ? d->title : v->prompt_id) + 1;
	/* what the device seen instead means, in full: it may need more than the two rows under
	 * the waiting line (at 80 columns it takes three), so the drawing gives way to it */
	char line[600], meaning[600] = "";
	if (v->waiting_for[0] && v->other[0] && !v->present)
		prompt_seen_instead(v->prompt_id, v->other_mode, v->other, meaning, sizeof meaning);
	int mrows = meaning[0] ? ui_wrap(0, x, wd, 0, UI_WARN, meaning) : 0;
	int extra = mrows > 4 ? 2 : mrows > 2 ? mrows - 2 : 0;
	int bottom = ui_bottom() - 3 - extra;
	if (p.text)
		ui_wrap(y, x + 1, wd - 1, bottom - y + 1, UI_NORMAL, p.text);
	else
		ui_wrap(y, x + 1, wd - 1, 3, UI_DISABLED, "(The drawing for this step is missing: the assets "
		        "folder was not found. Follow the line above.)");
	y = ui_bottom() - 2 - extra;
	if (v->waiting_for[0]) {
		snprintf(line, sizeof line, "Waiting for %s ... %s", v->waiting_for,
		         v->present ? "found" : "not yet");
		ui_text(y++, x, wd, v->present ? UI_GOOD : UI_TITLE, line);
		if (meaning[0]) {
			ui_wrap(y, x, wd, 2 + extra, UI_WARN, meaning);
		} else {
			ui_text(y, x, wd, UI_DISABLED, w->practice && !v->present
			        ? "Practice: press Enter and the virtual camera is replugged for you."
			        : "This moves on by itself when the device appears.");
		}
	} else {
		/* nothing this step could detect: say so rather than seem to watch */
		ui_text(y++, x, wd, UI_TITLE, "Press Enter when you have done this.");
		if (p.seen[0])
			ui_wrap(y, x, wd, 2 + extra, UI_WARN, p.seen);
		else
			ui_text(y, x, wd, UI_DISABLED, "This step cannot see it happen from here, so it waits for your Enter.");
	}
}

static enum go key(struct wiz *w, int ch)
{
	switch (ch) {
	case '\n': case '\r': case KEY_ENTER:
		if (w->run.waiting_for[0] && !w->run.present) {
			/* the step moves on when the device appears: say what it still waits for */
			if (!practice_replug(w)) {
				slog_add(&w->log, "  practice: the virtual camera was replugged");
				snprintf(w->status, sizeof w->status, "Practice: the virtual camera was unplugged and "
				         "plugged in again for you.");
			} else if (w->run.other[0] && !p.warned) {
				/* the camera is there in a mode that says the step is not done (still in
				 * the ROM): wait, unless the person insists */
				p.warned = true;
				wiz_copy(w->status, sizeof w->status, "Still waiting: not seen yet; press Enter again "
				         "to go on anyway.");
				return GO_STAY;
			} else {
				snprintf(w->status, sizeof w->status, "Still waiting for %.200s: not seen yet.",
				         w->run.waiting_for);
			}
		}
		if (p.seen[0] && !p.warned) {
			/* the camera says the step is not done: wait, unless the person insists */
			p.warned = true;
			slog_add(&w->log, "  Enter at the prompt while %s", p.seen);
			snprintf(w->status, sizeof w->status, "Not done yet by the look of it; press Enter again to go "
			         "on anyway.");
			return GO_STAY;
		}
		slog_add(&w->log, "  the person pressed Enter at the prompt");
		worker_prompt_done(w->worker, false);
		return GO_STAY;
	case 27: case 3: case 'q': return GO_CANCEL;
	case '?': case KEY_F(1): return GO_HELP;
	default: return GO_STAY;
	}
}

static enum go tick(struct wiz *w)
{
	if (!w->run.waiting_for[0] && ++p.ticks % SCAN_EVERY_TICKS == 0)
		look_at_bus(w);
	enum go g = run_pump(w);
	return g == GO_PROMPT ? GO_STAY : g;
}

const struct screen screen_prompt = {
	.title = "Your turn",
	.keys = "Enter done  Esc cancel  ? help",
	.help = "Do what the drawing shows. When the step waits for a device it moves on by itself as soon as "
	        "the device appears; otherwise press Enter when you are done. Esc asks whether to cancel.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
