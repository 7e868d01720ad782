/* scr_help.c — help for the screen it was opened from: what the screen is for and its keys. */
#include <curses.h>

#include "widgets.h"
#include "wiz.h"

static const char *const help[SCR_COUNT] = {
	[SCR_DETECT] =
		"This screen lists the cameras and boards connected over USB, named by board and by mode "
		"(running firmware, a bootloader, a chip ROM), and updates when you plug or unplug one.\n\n"
		"Pick the proposal to go straight to the files, or choose the camera and action yourself. "
		"With no camera at hand you can practise a whole recovery on a virtual camera.\n\n"
		"A device that cannot be opened needs the udev rules shown on the screen.",
	[SCR_CAMERA] =
		"Choose the board you want to recover. Boards are grouped by family; the one that is "
		"plugged in is preselected.\n\nUp/Down move, PgUp/PgDn jump, Enter chooses.",
	[SCR_ACTION] =
		"Choose what to do. Greyed actions are not possible on this board; select one to read why.\n\n"
		"Flash firmware is the usual fix and is always safe to repeat. Erase the filesystem when a bad "
		"main.py stops the camera from booting. Restore the bootloader only when the camera no longer "
		"appears as a DFU device on reset.",
	[SCR_FILES] =
		"The images this action writes. They are looked for in a folder you choose, in the firmware "
		"build tree (build/TARGET/bin) and in an OpenMV IDE installation.\n\nEnter on an image types a "
		"file or folder for it (Tab completes). A file that is not an image for this board is refused "
		"here, before anything is written. Continue is possible once every image is good.\n\n"
		"On a flash you can also erase the internal filesystem in the same run (when a bad main.py "
		"stops the camera from booting). In practice mode, sample images stand in for your own.",
	[SCR_CONFIRM] =
		"Everything that will happen, in order. Press c to see the equivalent classic commands "
		"(dfu-util, blhost, ...).\n\nEnter starts. Nothing has been written yet; Esc goes back.",
	[SCR_PROGRESS] =
		"The steps run one after the other. Esc or Ctrl-C asks whether to cancel; the run then stops "
		"at the next safe point, between two blocks or two steps, never in the middle of one.",
	[SCR_PROMPT] =
		"Do what the drawing shows. When the step waits for a device it moves on by itself as soon as "
		"the device appears; otherwise press Enter when you are done. Esc asks whether to cancel.",
	[SCR_ASK] =
		"The next step can never be undone, or several devices match. Type the word exactly to go "
		"ahead, or choose the device; Esc stops here and nothing more is written.",
	[SCR_RESULT] =
		"What was done and what to do next. Save the log to send it to support: it lists your "
		"choices, every step, what the device answered and any error.",
	[SCR_HELP] = "",
	[SCR_SYMPTOM] =
		"Say what happened before the camera stopped booting; the fix for it is proposed, and you "
		"choose the camera next. Nothing is written until you confirm the plan.",
};

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
	y += ui_wrap(y, x, wd, ui_bottom() - y - 3, UI_NORMAL, help[w->help_from]) + 1;
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

const struct screen screen_help = {"Help", enter, draw, key, tick};
