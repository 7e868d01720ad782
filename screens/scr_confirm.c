/* scr_confirm.c — the plan, step by step, before anything is written: what each step does
 * (or, with c, the classic command it stands for), the files, the notes, and one question.
 * Going ahead here is the confirmation the runner asks before destructive steps; an
 * irreversible step is still confirmed with a typed word when it comes (scr_ask.c). */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "identity_dfu.h"
#include "widgets.h"
#include "wiz.h"

#define MAX_LINES 400
#define ROW_MAX 300

/* Every line is wrapped to the screen's width when it is added, so nothing is cut: a long
 * command or path goes on over the next rows (indented as its first row), and the view
 * scrolls.  The rows are made again when the width changes. */
static struct {
	char lines[MAX_LINES][ROW_MAX];
	enum ui_style style[MAX_LINES];
	int n, top;
	int width;          /* the width the rows were wrapped to */
	bool classic;
	bool destructive, irreversible;
} c;

/* The indent of a line: its leading blanks, and "NN. " of a step. */
static int indent_of(const char *s)
{
	int k = (int)strspn(s, " ");
	int d = k;
	while (s[d] >= '0' && s[d] <= '9')
		d++;
	if (d > k && s[d] == '.' && s[d + 1] == ' ')
		return d + 2;
	if (s[k] == '-' && s[k + 1] == ' ') /* a note's bullet */
		return k + 2;
	return k;
}

static void add_row(enum ui_style st, const char *s, int len, int indent)
{
	if (c.n == MAX_LINES)
		return;
	snprintf(c.lines[c.n], sizeof c.lines[0], "%*s%.*s", indent, "", len, s);
	c.style[c.n++] = st;
}

static void add_wrapped(enum ui_style st, const char *text)
{
	int w = c.width, indent = indent_of(text);
	if (indent > w / 2)
		indent = 0;
	const char *s = text;
	int first = 1, room = w;
	do {
		int len = (int)strlen(s);
		int cut = len;
		if (cut > room) {
			cut = room;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut <= 0)
				cut = room; /* a word longer than the row (a path): cut it, go on next row */
		}
		add_row(st, s, cut, first ? 0 : indent);
		s += cut;
		while (*s == ' ')
			s++;
		first = 0;
		room = w - indent;
	} while (*s);
}

static void add(enum ui_style st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(enum ui_style st, const char *fmt, ...)
{
	char text[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	add_wrapped(st, text);
}

/* Add text that may hold several lines. */
static void add_lines(enum ui_style st, const char *indent, const char *text)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		add(st, "%s%.*s", indent, (int)len, text);
		text += len + (text[len] == '\n');
	}
}

static void build(struct wiz *w)
{
	const struct plan *p = &w->plan;
	c.n = 0;
	c.width = ui_width() - 1; /* the last column is the scroll marker's */
	if (c.width > ROW_MAX - 1)
		c.width = ROW_MAX - 1;
	c.destructive = c.irreversible = false;
	add(UI_TITLE, "%s (%s): %s, %d step%s", p->board->name, p->board->target, action_name(p->action),
	    p->nsteps, p->nsteps == 1 ? "" : "s");
	if (w->multi.n > 1) { /* "All N": the same plan on each, at once */
		add(UI_TITLE, "On %d cameras at once, each on its own:", w->multi.n);
		for (int i = 0; i < w->multi.n; i++)
			add(UI_NORMAL, "  serial %s", w->multi.serial[i]);
	}
	char found[400] = "", why[400] = "";
	int same = identity_probe(p, found, sizeof found, why, sizeof why);
	if (same) { /* what the identity check found (src/plan/identity.c), word-wrapped */
		char text[900];
		snprintf(text, sizeof text, "Device: %s. It says: %s", same > 0 ? "it is what boards.ini expects" : why, found);
		for (const char *t = text; *t;) {
			int cut = (int)strlen(t) <= ui_width() - 2 ? (int)strlen(t) : ui_width() - 2;
			while (t[cut] && cut > 20 && t[cut] != ' ')
				cut--;
			add(same > 0 ? UI_GOOD : UI_BAD, "%s%.*s", t == text ? "" : "  ", cut, t);
			t += cut + (t[cut] == ' ');
		}
	}
	add(UI_NORMAL, "%s", "");
	for (int i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		char text[600];
		if (c.classic)
			step_classic(p, s, text, sizeof text);
		else
			step_describe(p, s, text, sizeof text);
		const char *tag = (s->flags & STEP_IRREVERSIBLE) ? "  [IRREVERSIBLE]" :
		                  (s->flags & STEP_DESTRUCTIVE) ? "  [writes]" : "";
		c.destructive |= (s->flags & STEP_DESTRUCTIVE) != 0;
		c.irreversible |= (s->flags & STEP_IRREVERSIBLE) != 0;
		size_t first = strcspn(text, "\n");
		add((s->flags & STEP_IRREVERSIBLE) ? UI_BAD : UI_NORMAL, "%2d. %.*s%s", i + 1, (int)first, text, tag);
		if (text[first])
			add_lines(UI_NORMAL, "    ", text + first + 1);
	}
	bool any_file = false;
	for (int i = 0; i < p->nimages; i++)
		if (!p->images[i].generated) {
			if (!any_file)
				add(UI_NORMAL, "%s", ""), add(UI_HEADING, "Files");
			any_file = true;
			char size[32] = "";
			ui_human_size(p->images[i].size, size, sizeof size);
			add(UI_NORMAL, "  %-22s %-10s %s", p->images[i].slot, size, p->images[i].path);
		}
	if (p->nnotes) {
		add(UI_NORMAL, "%s", "");
		add(UI_HEADING, "Good to know");
		for (int i = 0; i < p->nnotes; i++)
			add(UI_NORMAL, "  - %s", p->notes[i]);
	}
}

static void enter(struct wiz *w)
{
	c.top = 0;
	c.classic = false;
	build(w);
}

static void draw(struct wiz *w)
{
	if (c.width != ui_width() - 1 && ui_width() - 1 < ROW_MAX)
		build(w); /* resized: wrap again */
	int x = ui_left(), wd = ui_width();
	int h = ui_bottom() - ui_top() - 2; /* two rows for the question */
	if (c.top > c.n - h)
		c.top = c.n - h > 0 ? c.n - h : 0;
	for (int r = 0; r < h && c.top + r < c.n; r++)
		ui_text(ui_top() + r, x, wd - 1, c.style[c.top + r], c.lines[c.top + r]);
	if (c.top > 0)
		ui_text(ui_top(), x + wd - 1, 1, UI_KEY, "^");
	if (c.top + h < c.n)
		ui_text(ui_top() + h - 1, x + wd - 1, 1, UI_KEY, "v");
	const char *q = c.irreversible ? "Start? One step can never be undone: you will type a word to allow it."
	                : c.destructive ? "Start? This overwrites data on the camera."
	                                : "Start?";
	ui_text(ui_bottom(), x, wd, c.destructive ? UI_WARN : UI_TITLE, q);
}

static enum go key(struct wiz *w, int ch)
{
	int h = ui_bottom() - ui_top() - 2;
	switch (ch) {
	case KEY_UP: case 'k': if (c.top > 0) c.top--; return GO_STAY;
	case KEY_DOWN: case 'j': if (c.top + h < c.n) c.top++; return GO_STAY;
	case KEY_PPAGE: c.top = c.top > h ? c.top - h : 0; return GO_STAY;
	case KEY_NPAGE: if (c.top + h < c.n) c.top += h; return GO_STAY;
	case 'c':
		c.classic = !c.classic;
		build(w);
		return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case 'y':
		slog_add(&w->log, "confirmed: %s %s, %d steps", w->board->target, action_name(w->action),
		         w->plan.nsteps);
		return GO_NEXT;
	default:
		return wiz_common_key(ch);
	}
}

static enum go tick(struct wiz *w)
{
	(void)w;
	return GO_STAY;
}

const struct screen screen_confirm = {
	.title = "Confirm",
	.keys = "Enter start  c commands  Esc back  ? help  q quit",
	.help = "Everything that will happen, in order. Press c to see the equivalent classic commands "
	        "(dfu-util, blhost, ...).\n\nEnter starts. Nothing has been written yet; Esc goes back.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
