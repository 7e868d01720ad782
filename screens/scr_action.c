/* scr_action.c — choose what to do: the board's supported actions, each with one line on
 * when to use it; the others greyed, with the board's reason (boards.ini ACTION.why). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "widgets.h"
#include "wiz.h"

/* When to use each action, in the seeds' words; a board's ACTION.when (boards.ini) says it
 * for that board instead. */
static const struct {
	const char *label;
	const char *when;
} actions[ACTION_COUNT] = {
	[ACTION_FLASH] = {"Flash firmware",
		"Write new firmware (and ROMFS where the board has one). Use it for an update or after an "
		"interrupted one: the bootloader is never touched, so re-running it is safe."},
	[ACTION_ERASE_FS] = {"Erase the internal filesystem",
		"Wipe the small FAT filesystem where main.py lives: a bad main.py or a corrupted filesystem "
		"stops the camera from booting. The camera reformats it on the next boot."},
	[ACTION_RESTORE] = {"Restore the bootloader",
		"Rewrite a damaged bootloader through the chip's ROM: only when the camera no longer shows "
		"up as a DFU device on reset. Needs a jumper or switch on the board."},
	[ACTION_INIT_MRAM] = {"Initialise the MRAM",
		"When DFU writes to the memory the MRAM holds fail because it is blank or its configuration "
		"is corrupted."},
};

static struct {
	struct ui_item items[ACTION_COUNT];
	char labels[ACTION_COUNT][80];
	int sel, top;
} a;

static void why_not(const struct board *b, enum action act, char *buf, size_t n)
{
	const char *why = b->actions[act].why;
	if (why[0]) /* the board's ACTION.why, or boards.ini's for an action it does not list */
		snprintf(buf, n, "Not available on the %s: %s", b->name, why);
	else
		snprintf(buf, n, "Not available on the %s.", b->name);
}

static void enter(struct wiz *w)
{
	a.sel = -1;
	a.top = 0;
	for (int i = 0; i < ACTION_COUNT; i++) {
		bool ok = board_supports(w->board, (enum action)i);
		snprintf(a.labels[i], sizeof a.labels[i], "%-34s %s", actions[i].label,
		         ok ? action_name((enum action)i) : "(not on this board)");
		a.items[i] = (struct ui_item){.label = a.labels[i], .disabled = !ok};
		if (w->action_chosen && (int)w->action == i)
			a.sel = i;
	}
	if (a.sel < 0) /* the first supported action */
		for (int i = ACTION_COUNT - 1; i >= 0; i--)
			if (!a.items[i].disabled)
				a.sel = i;
	if (a.sel < 0)
		a.sel = 0;
}

static void draw(struct wiz *w)
{
	int y = ui_top(), x = ui_left(), wd = ui_width();
	char head[200];
	snprintf(head, sizeof head, "What should be done to the %s (%s)?", w->board->name, w->board->target);
	y += ui_wrap(y, x, wd, 2, UI_NORMAL, head) + 1;
	ui_menu(y, x, wd, ACTION_COUNT, a.items, ACTION_COUNT, a.sel, &a.top);
	y += ACTION_COUNT + 1;
	char text[600];
	if (a.items[a.sel].disabled)
		why_not(w->board, (enum action)a.sel, text, sizeof text);
	else if (w->board->actions[a.sel].when[0])
		wiz_copy(text, sizeof text, w->board->actions[a.sel].when);
	else
		wiz_copy(text, sizeof text, actions[a.sel].when);
	ui_wrap(y, x + 2, wd - 4, ui_bottom() - y + 1, a.items[a.sel].disabled ? UI_DISABLED : UI_NORMAL,
	        text);
}

static enum go choose(struct wiz *w)
{
	if (a.items[a.sel].disabled) {
		why_not(w->board, (enum action)a.sel, w->status, sizeof w->status);
		return GO_STAY;
	}
	if (!w->action_chosen || (int)w->action != a.sel || !w->nslots) {
		w->action = (enum action)a.sel;
		w->action_chosen = true;
		wiz_reset_files(w);
	}
	slog_add(&w->log, "action: %s on %s", action_name(w->action), w->board->target);
	return GO_NEXT;
}

static enum go key(struct wiz *w, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': if (a.sel > 0) a.sel--; return GO_STAY;
	case KEY_DOWN: case 'j': if (a.sel < ACTION_COUNT - 1) a.sel++; return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT: return choose(w);
	default: return wiz_common_key(ch);
	}
}

static enum go tick(struct wiz *w)
{
	(void)w;
	return GO_STAY;
}

const struct screen screen_action = {
	.title = "Choose what to do",
	.keys = "Enter choose  Esc back  ? help  q quit",
	.help = "Choose what to do. Greyed actions are not possible on this board; select one to read why.\n\n"
	        "Flash firmware is the usual fix and is always safe to repeat. Erase the filesystem when a bad "
	        "main.py stops the camera from booting. Restore the bootloader only when the camera no longer "
	        "appears as a DFU device on reset.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
