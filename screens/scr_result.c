/* scr_result.c — what was done, whether it was verified, what to do next (the plan's notes),
 * and "save log": a plain-text log of the session for support. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "run_worker.h"
#include "widgets.h"
#include "wiz.h"

/* What to do next after each action went well. */
static const char *const next_step[ACTION_COUNT] = {
	[ACTION_FLASH] = "The camera restarts into the new firmware. Connect to it with OpenMV IDE to check.",
	[ACTION_ERASE_FS] = ("The camera reformats its filesystem on the next boot. Copy your files back, "
	                     "but not the main.py that stopped it from booting."),
	[ACTION_RESTORE] = "The bootloader is back. Now flash the firmware normally (Start over, Flash firmware).",
	[ACTION_INIT_MRAM] = "Re-flash the HP core's ROMFS (romfs0.img) next: the MRAM is blank.",
};

enum { ITEM_SAVE, ITEM_AGAIN, ITEM_QUIT, NITEMS };

static struct {
	int sel, top;
	bool saved;
} r;

static void enter(struct wiz *w)
{
	r.sel = r.top = 0;
	r.saved = false;
	w->exit_status = w->run.rc ? rs_exit_status(w->run.rc) : 0;
	worker_free(w->worker);
	w->worker = NULL;
	/* practice: the virtual camera restarts as a real one is replugged after a recovery
	 * (power-up window, then its firmware), so Start over finds it again */
	if (!practice_replug(w))
		slog_add(&w->log, "practice: the virtual camera was replugged");
}

static void draw(struct wiz *w)
{
	const struct run_view *v = &w->run;
	const struct plan *p = &w->plan;
	int y = ui_top(), x = ui_left(), wd = ui_width();
	char line[800];
	if (!v->rc) {
		snprintf(line, sizeof line, "Done: %s", v->res.summary);
		y += ui_wrap(y, x, wd, 3, UI_GOOD, line);
		ui_text(y++, x, wd, (v->res.verified_writes && !v->res.unverified_writes) ? UI_GOOD : UI_WARN,
		        (v->res.verified_writes && !v->res.unverified_writes) ? "Every write was read back and compared: verified."
		        : v->res.unverified_writes ? "Some writes could not be read back, so they are not verified."
		                                   : "Nothing was written that could be read back to verify.");
	} else {
		bool cancelled = v->rc == RS_E_CANCELLED;
		snprintf(line, sizeof line, "%s: %s", cancelled ? "Cancelled" : "Failed", v->error);
		y += ui_wrap(y, x, wd, 7, cancelled ? UI_WARN : UI_BAD, line);
		snprintf(line, sizeof line, "%d of %d step%s %s done.", v->res.steps_done, p->nsteps,
		         p->nsteps == 1 ? "" : "s", v->res.steps_done == 1 ? "was" : "were");
		ui_text(y++, x, wd, UI_NORMAL, line);
	}
	y++;
	ui_text(y++, x, wd, UI_HEADING, "What next");
	if (!v->rc)
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL, next_step[p->action]);
	else if (v->rc == RS_E_CANCELLED)
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL, "Nothing more is written. Run the same action again "
		             "when you are ready; it starts from the beginning.");
	else if (v->rc == RS_E_ACCESS) /* this computer's permissions, not the camera: no support case */
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL, "This computer did not let the program open the "
		             "device. Run the command above in another terminal, then run the same action again.");
	else if (v->rc == RS_E_INPUT) /* a wrong file, or a device that is not this board: nothing written */
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL, "Nothing was written. Do what the message above "
		             "says (is the camera chosen the one connected, and are the files for it?), then "
		             "run the same action again.");
	else
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL, "Save the log and run the same action again; if it "
		             "fails the same way, send the log to OpenMV support.");
	for (int i = 0; i < p->nnotes && y < ui_bottom() - 4; i++) {
		snprintf(line, sizeof line, "- %s", p->notes[i]);
		y += ui_wrap(y, x + 2, wd - 2, 2, UI_NORMAL, line);
	}
	y = ui_bottom() - NITEMS + 1;
	struct ui_item items[NITEMS] = {
		{.label = r.saved ? "Save the log again" : "Save the log (for support)"},
		{.label = "Start over"},
		{.label = "Quit"},
	};
	ui_menu(y, x, wd, NITEMS, items, NITEMS, r.sel, &r.top);
}

static enum go choose(struct wiz *w)
{
	if (r.sel == ITEM_SAVE) {
		char path[700];
		if (slog_save(&w->log, NULL, path, sizeof path))
			snprintf(w->status, sizeof w->status, "Not saved: %.250s", path);
		else
			snprintf(w->status, sizeof w->status, "Log saved to %.250s", path);
		r.saved = true;
		return GO_STAY;
	}
	return r.sel == ITEM_AGAIN ? GO_RESTART : GO_EXIT;
}

static enum go key(struct wiz *w, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': if (r.sel > 0) r.sel--; return GO_STAY;
	case KEY_DOWN: case 'j': if (r.sel < NITEMS - 1) r.sel++; return GO_STAY;
	case 's': r.sel = ITEM_SAVE; return choose(w);
	case '\n': case '\r': case KEY_ENTER: return choose(w);
	case 'q': case 27: return GO_EXIT; /* everything is over: nothing to confirm */
	case '?': case KEY_F(1): return GO_HELP;
	default: return GO_STAY;
	}
}

static enum go tick(struct wiz *w)
{
	(void)w;
	return GO_STAY;
}

const struct screen screen_result = {"Result", enter, draw, key, tick};
