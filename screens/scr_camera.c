/* scr_camera.c — choose the camera: every board of boards.ini, grouped by family, the one
 * detected (or chosen before) preselected. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "widgets.h"
#include "wiz.h"

#define MAX_ITEMS (2 * BOARD_MAX)

static struct {
	struct ui_item items[MAX_ITEMS];
	char labels[MAX_ITEMS][120];
	const struct board *board[MAX_ITEMS]; /* NULL for a family heading */
	int n, sel, top;
} c;

/* In practice set-up: does the simulator have a model of b? */
static bool has_model(const struct board *b, char models[][40], int nmodels)
{
	for (int i = 0; i < nmodels; i++)
		if (!strcasecmp(models[i], b->target))
			return true;
	return false;
}

static void enter(struct wiz *w)
{
	const struct boarddb *db = w->db;
	bool done[BOARD_MAX] = {false};
	char models[BOARD_MAX][40];
	int nmodels = w->practice_setup ? practice_models(w, models, BOARD_MAX) : 0;
	c.n = 0;
	c.sel = -1;
	c.top = 0;
	/* families in the order boards.ini first names them */
	for (int i = 0; i < db->n; i++) {
		if (done[i])
			continue;
		const char *family = db->boards[i].family;
		snprintf(c.labels[c.n], sizeof c.labels[0], "%s", family[0] ? family : "Other");
		c.items[c.n] = (struct ui_item){.label = c.labels[c.n], .heading = true};
		c.board[c.n++] = NULL;
		for (int k = i; k < db->n && c.n < MAX_ITEMS; k++) {
			const struct board *b = &db->boards[k];
			if (done[k] || strcmp(b->family, family))
				continue;
			done[k] = true;
			bool model = !w->practice_setup || has_model(b, models, nmodels);
			/* name and TARGET fit 80 columns (the longest are 27 each); the chip and the
			 * rest are said under the list for the selected board, wrapped */
			snprintf(c.labels[c.n], sizeof c.labels[0], "%-27s %-27s%s", b->name, b->target,
			         model ? "" : " (no model yet)");
			c.items[c.n] = (struct ui_item){.label = c.labels[c.n], .disabled = !model};
			if (b == w->board)
				c.sel = c.n;
			c.board[c.n++] = b;
		}
	}
	if (c.sel < 0 || (w->practice_setup && c.items[c.sel].disabled)) {
		/* practice starts on the first camera that has a virtual model */
		c.sel = -1;
		for (int i = 0; i < c.n && c.sel < 0; i++)
			if (c.board[i] && !c.items[i].disabled)
				c.sel = i;
	}
	if (c.sel < 0)
		c.sel = ui_menu_move(c.items, c.n, -1, 1);
}

/* "OpenMV Cam H7 (OPENMV4): STM32H743, family OpenMV STM32" for the selected board. */
static void details(const struct wiz *w, char *buf, size_t n)
{
	const struct board *b = c.sel >= 0 ? c.board[c.sel] : NULL;
	if (!b) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, n, "%s (%s): %s%s", b->name, b->target, b->mcu,
	         c.items[c.sel].disabled && w->practice_setup ? "; the simulator has no model of it yet" : "");
}

static void draw(struct wiz *w)
{
	int y = ui_top(), x = ui_left(), wd = ui_width();
	ui_wrap(y, x, wd, 1, UI_NORMAL,
	        w->practice_setup ? "Which camera should the virtual camera be?"
	                          : "Which camera is it? The name is printed on the board or its box.");
	y += 2;
	char about[400];
	details(w, about, sizeof about);
	int rows = ui_wrap(0, x, wd, 0, UI_NORMAL, about);
	if (rows > 3)
		rows = 3;
	ui_menu(y, x, wd, ui_bottom() - y - rows, c.items, c.n, c.sel, &c.top);
	ui_wrap(ui_bottom() - rows + 1, x, wd, rows, UI_DISABLED, about);
}

static enum go choose(struct wiz *w)
{
	const struct board *b = c.board[c.sel];
	if (!b)
		return GO_STAY;
	if (w->practice_setup) {
		if (c.items[c.sel].disabled) {
			snprintf(w->status, sizeof w->status, "There is no virtual %s yet; choose another camera.",
			         b->name);
			return GO_STAY;
		}
		w->board = b;
		return GO_PRACTICE;
	}
	if (b != w->board) {
		w->board = b;
		w->action_chosen = w->action_chosen && board_supports(b, w->action);
		w->nslots = 0;
	}
	slog_add(&w->log, "camera: %s (%s)", b->name, b->target);
	return GO_NEXT;
}

static enum go key(struct wiz *w, int ch)
{
	int page = ui_bottom() - ui_top() - 2;
	switch (ch) {
	case KEY_UP: case 'k': c.sel = ui_menu_move(c.items, c.n, c.sel, -1); return GO_STAY;
	case KEY_DOWN: case 'j': c.sel = ui_menu_move(c.items, c.n, c.sel, 1); return GO_STAY;
	case KEY_PPAGE: c.sel = ui_menu_move(c.items, c.n, c.sel, -page); return GO_STAY;
	case KEY_NPAGE: c.sel = ui_menu_move(c.items, c.n, c.sel, page); return GO_STAY;
	case KEY_HOME: c.sel = ui_menu_move(c.items, c.n, -1, 1); return GO_STAY;
	case KEY_END: c.sel = ui_menu_move(c.items, c.n, c.n, -1); return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT: return choose(w);
	default: return wiz_common_key(ch);
	}
}

static enum go tick(struct wiz *w)
{
	(void)w;
	return GO_STAY;
}

const struct screen screen_camera = {
	.title = "Choose the camera",
	.keys = "Enter choose  Esc back  ? help  q quit",
	.help = "Choose the board you want to recover. Boards are grouped by family; the one that is "
	        "plugged in is preselected.\n\nUp/Down move, PgUp/PgDn jump, Enter chooses.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
