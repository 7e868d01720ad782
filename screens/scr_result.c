/* scr_result.c — what was done, whether it was verified, what to do next (the plan's notes),
 * "save log": a plain-text log of the session for support, and "save a recording": every
 * exchange with the camera (src/io/io_record.h). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "io/io_record.h"
#include "run_worker.h"
#include "widgets.h"
#include "wiz.h"

/* What to do next after each action went well; what a board needs besides (the AE3's
 * ROMFS after init-mram) is a note of its plan, from boards.ini ACTION.note. */
static const char *const next_step[ACTION_COUNT] = {
	[ACTION_FLASH] = "The camera restarts into the new firmware. Connect to it with OpenMV IDE to check.",
	[ACTION_ERASE_FS] = ("The camera reformats its filesystem on the next boot. Copy your files back, "
	                     "but not the main.py that stopped it from booting."),
	[ACTION_RESTORE] = "The bootloader is back. Now flash the firmware normally (Start over, Flash firmware).",
	[ACTION_INIT_MRAM] = "The MRAM is initialised again.",
};

enum { ITEM_SAVE, ITEM_AGAIN, ITEM_RECORDING, ITEM_QUIT, NITEMS };

static struct {
	int sel, top;
	bool saved, save_failed, recording_saved;
	int scroll;          /* the first row of the text shown: nothing is cut, it scrolls */
	char log_path[700];  /* where the log was saved, shown whole */
} r;

/* The result's text as wrapped rows, drawn from row r.scroll on within [y0, y1]. */
struct body {
	int y0, y1, row;
};

/* s wrapped at w (as ui_wrap does), its rows drawn from b's current row on where in view. */
static void block(struct body *b, int x, int w, enum ui_style style, const char *s)
{
	while (*s && w > 0) {
		int len = (int)strcspn(s, "\n"), cut = len;
		if (cut > w) {
			for (cut = w; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = w; /* a word longer than the line (a path): split it */
		}
		int y = b->y0 + b->row - r.scroll;
		if (y >= b->y0 && y <= b->y1) {
			char buf[512];
			snprintf(buf, sizeof buf, "%.*s", cut, s);
			ui_text(y, x, w, style, buf);
		}
		b->row++;
		s += cut;
		if (*s == ' ' || *s == '\n')
			s++;
	}
}

static void enter(struct wiz *w)
{
	r.sel = r.top = r.scroll = 0;
	r.saved = r.recording_saved = false;
	r.log_path[0] = '\0';
	w->exit_status = w->run.rc ? rs_exit_status(w->run.rc) : 0;
	run_free(w);
	/* practice: the virtual camera restarts as a real one is replugged after a recovery
	 * (power-up window, then its firmware), so Start over finds it again */
	if (!practice_replug(w))
		slog_add(&w->log, "practice: the virtual camera was replugged");
}

static const char *what_next(const struct run_view *v, const struct plan *p)
{
	if (!v->rc)
		return next_step[p->action];
	if (v->rc == RS_E_CANCELLED)
		return "Nothing more is written. Run the same action again when you are ready; it starts "
		       "from the beginning.";
	if (v->rc == RS_E_ACCESS) /* this computer's permissions, not the camera: no support case */
		return "This computer did not let the program open the device. Run the command above in "
		       "another terminal, then run the same action again.";
	if (v->rc == RS_E_INPUT) /* a wrong file, or a device that is not this board: nothing written */
		return "Nothing was written. Do what the message above says (is the camera chosen the one "
		       "connected, and are the files for it?), then run the same action again.";
	return "Save the log and run the same action again; if it fails the same way, send the log to "
	       "OpenMV support.";
}

/* Everything the result says, in order; returns the rows it takes. */
static int body(struct wiz *w, struct body *b, int x, int wd)
{
	const struct run_view *v = &w->run;
	const struct plan *p = &w->plan;
	char line[1200];
	b->row = 0;
	if (w->multi.n > 1) { /* "all N": a row per camera */
		snprintf(line, sizeof line, "Done on %d of %d cameras.", w->multi.ok, w->multi.n);
		block(b, x, wd, w->multi.ok == w->multi.n ? UI_GOOD : UI_BAD, line);
		for (int i = 0; i < w->multi.n; i++) {
			const struct wiz_cam *c = w->multi.cam[i];
			multi_row(w, i, line, sizeof line);
			block(b, x + 2, wd - 2, c && !c->rc ? UI_GOOD : UI_BAD, line);
		}
	} else if (!v->rc) {
		bool verified = v->res.verified_writes && !v->res.unverified_writes;
		snprintf(line, sizeof line, "Done: %s", v->res.summary);
		block(b, x, wd, UI_GOOD, line);
		block(b, x, wd, verified ? UI_GOOD : UI_WARN, verified ? "Every write was read back and compared: verified."
		      : v->res.unverified_writes ? "Some writes could not be read back, so they are not verified."
		                                 : "Nothing was written that could be read back to verify.");
		if (v->res.written[0])
			block(b, x, wd, UI_NORMAL, v->res.written);
	} else {
		bool cancelled = v->rc == RS_E_CANCELLED;
		snprintf(line, sizeof line, "%s: %s", cancelled ? "Cancelled" : "Failed", v->error);
		block(b, x, wd, cancelled ? UI_WARN : UI_BAD, line);
		snprintf(line, sizeof line, "%d of %d step%s %s done.", v->res.steps_done, p->nsteps,
		         p->nsteps == 1 ? "" : "s", v->res.steps_done == 1 ? "was" : "were");
		block(b, x, wd, UI_NORMAL, line);
	}
	b->row++;
	block(b, x, wd, UI_HEADING, "What next");
	block(b, x + 2, wd - 2, UI_NORMAL, what_next(v, p));
	for (int i = 0; i < p->nnotes; i++) {
		snprintf(line, sizeof line, "- %s", p->notes[i]);
		block(b, x + 2, wd - 2, UI_NORMAL, line);
	}
	if (r.log_path[0]) {
		b->row++;
		block(b, x, wd, r.save_failed ? UI_BAD : UI_GOOD, r.log_path);
	}
	return b->row;
}

static void draw(struct wiz *w)
{
	int x = ui_left(), wd = ui_width();
	int menu = ui_bottom() - NITEMS + 1;
	struct body b = {.y0 = ui_top(), .y1 = menu - 2};
	int view = b.y1 - b.y0 + 1;
	/* measure first (nothing in view), then keep the scroll inside the text */
	int saved_scroll = r.scroll;
	r.scroll = -100000;
	int total = body(w, &b, x, wd);
	r.scroll = saved_scroll;
	bool scrolls = total > view;
	if (scrolls)
		b.y1--, view--; /* the last row says there is more */
	if (r.scroll > total - view)
		r.scroll = total - view;
	if (r.scroll < 0)
		r.scroll = 0;
	body(w, &b, x, wd);
	if (scrolls) {
		char more[80];
		snprintf(more, sizeof more, "(rows %d-%d of %d: PgUp/PgDn to scroll)", r.scroll + 1,
		         r.scroll + view, total);
		ui_text(b.y1 + 1, x, wd, UI_DISABLED, more);
	}
	struct ui_item items[NITEMS] = {
		{.label = r.saved ? "Save the log again" : "Save the log (for support)"},
		{.label = "Start over"},
		{.label = r.recording_saved ? "Save the recording again" : "Save a recording for support"},
		{.label = "Quit"},
	};
	ui_menu(menu, x, wd, NITEMS, items, NITEMS, r.sel, &r.top);
}

static enum go choose(struct wiz *w)
{
	if (r.sel == ITEM_SAVE) {
		char path[600];
		bool failed = slog_save(&w->log, NULL, path, sizeof path) != 0;
		/* the whole path, wrapped in the text above (the status line is one row) */
		snprintf(r.log_path, sizeof r.log_path, "%s %s", failed ? "The log was not saved:" : "Log saved to", path);
		wiz_copy(w->status, sizeof w->status, failed ? "Not saved: see the end of the text above."
		         : "Log saved: its path is at the end of the text above.");
		r.saved = true;
		r.save_failed = failed;
		r.scroll = 100000; /* bring the path into view */
		return GO_STAY;
	}
	if (r.sel == ITEM_RECORDING) {
		char path[600];
		bool failed = io_record_save(path, sizeof path) != 0;
		snprintf(r.log_path, sizeof r.log_path, "%s %s", failed ? "The recording was not saved:"
		         : "Recording (every exchange with the camera) saved to", path);
		if (!failed)
			slog_add(&w->log, "recording of the run saved to %s", path);
		wiz_copy(w->status, sizeof w->status, failed ? "Not saved: see the end of the text above."
		         : "Recording saved: its path is at the end of the text above.");
		r.recording_saved = true;
		r.save_failed = failed;
		r.scroll = 100000;
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
	case 'r': r.sel = ITEM_RECORDING; return choose(w);
	case KEY_NPAGE: case ' ': r.scroll += 5; return GO_STAY;
	case KEY_PPAGE: r.scroll = r.scroll > 5 ? r.scroll - 5 : 0; return GO_STAY;
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

const struct screen screen_result = {
	.title = "Result",
	.keys = "Enter choose  s save log  r save recording  q quit",
	.help = "What was done and what to do next. Save the log to send it to support: it lists your "
	        "choices, every step, what the device answered and any error. Save a recording too "
	        "(r) when support asks for one: every exchange with the camera, which support reads "
	        "with 'openmv-rescue replay FILE --explain'.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
