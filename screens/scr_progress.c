/* scr_progress.c — the run: step n of m, a bar with bytes, rate and ETA, the steps done and
 * to come, and the device's last words.  Esc or Ctrl-C asks whether to cancel; the run then
 * stops at the next safe point (between blocks or steps). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"
#include "wiz.h"

static void enter(struct wiz *w)
{
	if (!w->run.started && !w->run.finished)
		run_start(w, w->wake_fd);
}

static void rate_line(const struct run_view *v, char *buf, size_t n)
{
	char done[32], total[32], rate[32] = "", eta[32] = "";
	ui_human_size(v->done, done, sizeof done);
	ui_human_size(v->total, total, sizeof total);
	if (v->rate > 1) {
		ui_human_size((uint64_t)v->rate, rate, sizeof rate);
		strncat(rate, "/s", sizeof rate - strlen(rate) - 1);
		if (v->total > v->done) {
			unsigned s = (unsigned)((double)(v->total - v->done) / v->rate + 0.5);
			snprintf(eta, sizeof eta, "ETA %u:%02u", s / 60, s % 60);
		}
	}
	snprintf(buf, n, "%s of %s   %s   %s", done, total, rate, eta);
}

/* "All N": a row per camera (its step and percent, then its result). */
static void draw_multi(struct wiz *w)
{
	int y = ui_top(), x = ui_left(), wd = ui_width();
	char line[600];
	int done = 0;
	for (int i = 0; i < w->multi.n; i++)
		done += w->multi.cam[i] && w->multi.cam[i]->finished;
	snprintf(line, sizeof line, "%s on %d %s cameras at once: %d finished", action_name(w->plan.action),
	         w->multi.n, w->plan.board->name, done);
	y += ui_wrap(y, x, wd, 2, UI_TITLE, line) + 1;
	for (int i = 0; i < w->multi.n && y <= ui_bottom(); i++) {
		const struct wiz_cam *c = w->multi.cam[i];
		multi_row(w, i, line, sizeof line);
		ui_text(y++, x, wd, !c || !c->finished ? UI_NORMAL : c->rc ? UI_BAD : UI_GOOD, line);
	}
	if (w->run.stop_requested)
		ui_status("Stopping at the next safe point...", UI_WARN);
}

static void draw(struct wiz *w)
{
	const struct run_view *v = &w->run;
	if (w->multi.n > 1) {
		draw_multi(w);
		return;
	}
	const struct plan *p = &w->plan;
	int y = ui_top(), x = ui_left(), wd = ui_width();
	char line[600], what[400];
	if (v->step >= 0) {
		step_describe(p, &p->steps[v->step], what, sizeof what);
		snprintf(line, sizeof line, "Step %d of %d: %s", v->step + 1, p->nsteps, what);
	} else {
		snprintf(line, sizeof line, "Starting: %d steps", p->nsteps);
	}
	y += ui_wrap(y, x, wd, 2, UI_TITLE, line) + 1;
	if (v->total) {
		ui_progress_bar(y++, x, wd, v->done, v->total);
		rate_line(v, line, sizeof line);
		ui_text(y++, x, wd, UI_NORMAL, line);
	} else {
		y += 2;
	}
	y++;
	/* the steps around the current one */
	int h = ui_bottom() - y - 4;
	int first = v->step - h / 2;
	if (first > p->nsteps - h)
		first = p->nsteps - h;
	if (first < 0)
		first = 0;
	int list_end = y + h;
	for (int i = first; i < p->nsteps && y < list_end; i++) {
		const char *mark = v->step_rc[i] == 0 ? "[ok]" : v->step_rc[i] < 0 ? "[!!]" : i == v->step ? "[>>]" : "[  ]";
		step_describe(p, &p->steps[i], what, sizeof what);
		snprintf(line, sizeof line, "%s %2d. %s", mark, i + 1, what);
		enum ui_style st = v->step_rc[i] < 0 ? UI_BAD : v->step_rc[i] == 0 ? UI_GOOD :
		                   i == v->step ? UI_TITLE : UI_DISABLED;
		/* wrapped under its text, not cut; a step that no longer fits waits for scrolling */
		int rows = ui_wrap(0, x + 9, wd - 9, 0, st, what);
		if (y + rows > list_end && y > list_end - h)
			break;
		ui_text(y, x, 9, st, line);
		y += ui_wrap(y, x + 9, wd - 9, list_end - y, st, what);
	}
	/* the newest log lines, wrapped, in the three rows above the key line */
	int bottom = ui_bottom() + 1;
	for (int i = 2; i >= 0 && bottom > ui_bottom() - 2; i--) {
		if (!v->last_log[i][0])
			continue;
		int rows = ui_wrap(0, x, wd, 0, UI_DISABLED, v->last_log[i]);
		int room = bottom - (ui_bottom() - 2);
		if (rows > room)
			rows = room;
		ui_wrap(bottom - rows, x, wd, rows, UI_DISABLED, v->last_log[i]);
		bottom -= rows;
	}
	if (v->stop_requested)
		ui_status("Stopping at the next safe point...", UI_WARN);
}

static enum go key(struct wiz *w, int ch)
{
	(void)w;
	switch (ch) {
	case 27: case 3: case 'q': return GO_CANCEL;
	case '?': case KEY_F(1): return GO_HELP;
	default: return GO_STAY;
	}
}

static enum go tick(struct wiz *w)
{
	enum go g = run_pump(w);
	return g == GO_RUN ? GO_STAY : g;
}

const struct screen screen_progress = {
	.title = "Working",
	.keys = "Esc cancel  ? help",
	.help = "The steps run one after the other. Esc or Ctrl-C asks whether to cancel; the run then stops "
	        "at the next safe point, between two blocks or two steps, never in the middle of one.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
