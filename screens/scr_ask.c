/* scr_ask.c — the runner asks: a typed confirmation before an irreversible step (the person
 * types the word, e.g. BURN), or which of several matching devices to use. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "run_worker.h"
#include "widgets.h"
#include "wiz.h"

static struct {
	char typed[32];
	int sel, top;
} a;

static void enter(struct wiz *w)
{
	(void)w;
	a.typed[0] = '\0';
	a.sel = a.top = 0;
}

static void draw(struct wiz *w)
{
	const struct run_view *v = &w->run;
	int y = ui_top(), x = ui_left(), wd = ui_width();
	y += ui_wrap(y, x, wd, 6, v->typed_word[0] ? UI_WARN : UI_TITLE, v->question) + 1;
	if (v->nlabels) {
		struct ui_item items[8];
		for (int i = 0; i < v->nlabels; i++)
			items[i] = (struct ui_item){.label = v->labels[i]};
		ui_menu(y, x, wd, v->nlabels, items, v->nlabels, a.sel, &a.top);
		return;
	}
	char label[80];
	snprintf(label, sizeof label, "Type %s and press Enter to go ahead; Esc stops here:", v->typed_word);
	ui_text(y++, x, wd, UI_NORMAL, label);
	ui_field(y, x, 40, a.typed);
}

static void answer(struct wiz *w, bool yes, int index)
{
	struct run_view *v = &w->run;
	if (v->nlabels) {
		slog_add(&w->log, "  chose %s", index >= 0 ? v->labels[index] : "none (cancelled)");
		worker_choose(w->worker, index);
	} else {
		slog_add(&w->log, "  %s", yes ? "the person typed the word: go ahead" : "the person said no");
		worker_confirm(w->worker, yes);
	}
	v->ask_open = false;
}

static enum go key(struct wiz *w, int ch)
{
	struct run_view *v = &w->run;
	if (ch == 27) {
		answer(w, false, -1);
		return GO_RUN;
	}
	if (ch == KEY_F(1))
		return GO_HELP;
	if (v->nlabels) {
		switch (ch) {
		case KEY_UP: if (a.sel > 0) a.sel--; return GO_STAY;
		case KEY_DOWN: if (a.sel < v->nlabels - 1) a.sel++; return GO_STAY;
		case '\n': case '\r': case KEY_ENTER: answer(w, true, a.sel); return GO_RUN;
		case '?': return GO_HELP;
		default: return GO_STAY;
		}
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		if (strcmp(a.typed, v->typed_word)) {
			snprintf(w->status, sizeof w->status, "Type %s exactly (capital letters), or Esc to stop.",
			         v->typed_word);
			a.typed[0] = '\0'; /* start again on an empty field */
			return GO_STAY;
		}
		answer(w, true, 0);
		return GO_RUN;
	}
	ui_field_key(a.typed, sizeof a.typed, ch);
	return GO_STAY;
}

static enum go tick(struct wiz *w)
{
	enum go g = run_pump(w);
	return g == GO_ASK ? GO_STAY : g;
}

const struct screen screen_ask = {
	.title = "A question before going on",
	.keys = "Enter answer  Esc stop here",
	.help = "The next step can never be undone, or several devices match. Type the word exactly to go "
	        "ahead, or choose the device; Esc stops here and nothing more is written.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
