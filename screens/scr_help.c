/* scr_help.c — help for the screen it was opened from: its own help text (struct screen.help,
 * beside its title and key line in its file) and the keys every screen shares. */
#include <curses.h>

#include "widgets.h"
#include "wiz.h"

static void enter(struct wiz *w)
{
	(void)w;
}

static void draw(struct wiz *w)
{
	const struct screen *from = screen_of(w->help_from);
	int y = ui_top(), x = ui_left(), wd = ui_width();
	ui_text(y, x, wd, UI_HEADING, from->title);
	y += 2;
	y += ui_wrap(y, x, wd, ui_bottom() - y - 3, UI_NORMAL, from->help) + 1;
	ui_wrap(y, x, wd, 3, UI_DISABLED,
	        "On every screen: ? or F1 help, Esc back, q quit. On the confirm screen, c shows the "
	        "classic command of every step.");
}

static enum go key(struct wiz *w, int ch)
{
	(void)w;
	(void)ch;
	return GO_BACK; /* any key returns */
}

static enum go tick(struct wiz *w)
{
	if (w->run.started && !w->run.finished)
		run_pump(w); /* keep the run's picture fresh; the screen follows on return */
	return GO_STAY;
}

const struct screen screen_help = {
	.title = "Help",
	.keys = "any key back",
	.help = "",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
