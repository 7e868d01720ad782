/* scr_symptom.c — "my camera does not boot": ask what happened, and propose the action that
 * fixes it (reference alif-isp-openmv-ide-n6.md, the common failures: a bad main.py or a
 * corrupted filesystem is fixed by erasing it; an interrupted update by flashing again; a
 * camera that shows no USB device at all, even in its bootloader, needs its bootloader
 * restored through the chip's ROM).  The camera is then chosen as usual, with the action
 * proposed. */
#include <curses.h>
#include <stdio.h>

#include "widgets.h"
#include "wiz.h"

static const struct {
	const char *symptom;
	enum action action;
	const char *proposal;
} symptoms[] = {
	{"It stopped booting after I changed main.py or another script", ACTION_ERASE_FS,
	 "Erase the internal filesystem: the script that stops it is removed and the camera reformats "
	 "the filesystem at its next boot. The firmware and the bootloader are not touched."},
	{"An update was interrupted (unplugged, power cut, an error)", ACTION_FLASH,
	 "Flash the firmware again: the bootloader is never touched by an update, so it still listens "
	 "at power-up and the flash can simply be repeated."},
	{"It shows no USB device at all, even right after plugging it in", ACTION_RESTORE,
	 "Restore the bootloader through the chip's ROM: a jumper or switch on the board starts the ROM, "
	 "which cannot be damaged. Try another USB cable and port first: many cables only charge."},
};
#define NSYMPTOMS ((int)(sizeof symptoms / sizeof symptoms[0]))

static struct {
	int sel, top;
} s;

static void enter(struct wiz *w)
{
	(void)w;
	s.sel = s.top = 0;
}

static void draw(struct wiz *w)
{
	(void)w;
	int y = ui_top(), x = ui_left(), wd = ui_width();
	y += ui_wrap(y, x, wd, 2, UI_NORMAL, "What happened before the camera stopped booting?") + 1;
	struct ui_item items[NSYMPTOMS];
	for (int i = 0; i < NSYMPTOMS; i++)
		items[i] = (struct ui_item){.label = symptoms[i].symptom};
	ui_menu(y, x, wd, NSYMPTOMS, items, NSYMPTOMS, s.sel, &s.top);
	y += NSYMPTOMS + 1;
	ui_text(y++, x, wd, UI_HEADING, "Proposed");
	ui_wrap(y, x + 2, wd - 2, ui_bottom() - y + 1, UI_NORMAL, symptoms[s.sel].proposal);
}

static enum go key(struct wiz *w, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': if (s.sel > 0) s.sel--; return GO_STAY;
	case KEY_DOWN: case 'j': if (s.sel < NSYMPTOMS - 1) s.sel++; return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
		w->action = symptoms[s.sel].action;
		w->action_chosen = true;
		w->nslots = 0;
		slog_add(&w->log, "symptom: %s -> %s", symptoms[s.sel].symptom, action_name(w->action));
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

const struct screen screen_symptom = {
	.title = "What happened?",
	.keys = "Enter choose  Esc back  ? help  q quit",
	.help = "Say what happened before the camera stopped booting; the fix for it is proposed, and you "
	        "choose the camera next. Nothing is written until you confirm the plan.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
