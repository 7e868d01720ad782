/* transitions.c — the wizard's moves as data: which screen each outcome leads to.
 *
 * The first row that matches (screen, outcome) and whose condition holds wins.  GO_HELP,
 * GO_QUIT, GO_CANCEL and GO_EXIT are handled for every screen by wizard.c.
 */
#include <curses.h>

#include "wiz.h"

static const struct screen *const screens[SCR_COUNT] = {
	[SCR_DETECT] = &screen_detect,
	[SCR_CAMERA] = &screen_camera,
	[SCR_ACTION] = &screen_action,
	[SCR_FILES] = &screen_files,
	[SCR_CONFIRM] = &screen_confirm,
	[SCR_PROGRESS] = &screen_progress,
	[SCR_PROMPT] = &screen_prompt,
	[SCR_ASK] = &screen_ask,
	[SCR_RESULT] = &screen_result,
	[SCR_HELP] = &screen_help,
	[SCR_SYMPTOM] = &screen_symptom,
};

const struct screen *screen_of(enum screen_id id)
{
	return screens[id];
}

/* Conditions. */
static bool needs_files(const struct wiz *w) { return w->nslots > 0; }
static bool run_going(const struct wiz *w) { return w->run.started && !w->run.finished; }

#define ANY SCR_COUNT     /* from any screen */
#define BACK_TO_HELP_FROM SCR_COUNT /* to the screen help was opened from */

static const struct {
	enum screen_id from;
	enum go go;
	enum screen_id to;
	bool (*when)(const struct wiz *w);
} moves[] = {
	{SCR_DETECT, GO_NEXT, SCR_CAMERA, NULL},
	{SCR_DETECT, GO_SKIP, SCR_FILES, needs_files},
	{SCR_DETECT, GO_SKIP, SCR_CONFIRM, NULL},
	{SCR_DETECT, GO_SYMPTOM, SCR_SYMPTOM, NULL},
	{SCR_SYMPTOM, GO_NEXT, SCR_CAMERA, NULL},
	{SCR_SYMPTOM, GO_BACK, SCR_DETECT, NULL},
	{SCR_CAMERA, GO_NEXT, SCR_ACTION, NULL},
	{SCR_CAMERA, GO_BACK, SCR_DETECT, NULL},
	{SCR_ACTION, GO_NEXT, SCR_FILES, needs_files},
	{SCR_ACTION, GO_NEXT, SCR_CONFIRM, NULL},
	{SCR_ACTION, GO_BACK, SCR_CAMERA, NULL},
	{SCR_FILES, GO_NEXT, SCR_CONFIRM, NULL},
	{SCR_FILES, GO_BACK, SCR_ACTION, NULL},
	{SCR_CONFIRM, GO_NEXT, SCR_PROGRESS, NULL},
	{SCR_CONFIRM, GO_BACK, SCR_FILES, needs_files},
	{SCR_CONFIRM, GO_BACK, SCR_ACTION, NULL},
	/* the run moves between its screens by itself */
	{ANY, GO_RUN, SCR_PROGRESS, run_going},
	{ANY, GO_PROMPT, SCR_PROMPT, run_going},
	{ANY, GO_ASK, SCR_ASK, run_going},
	{ANY, GO_DONE, SCR_RESULT, NULL},
	{SCR_RESULT, GO_RESTART, SCR_DETECT, NULL},
	{SCR_HELP, GO_BACK, BACK_TO_HELP_FROM, NULL},
	{ANY, GO_HELP, SCR_HELP, NULL},
};

enum screen_id transition(const struct wiz *w, enum go g)
{
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		if ((moves[i].from != ANY && moves[i].from != w->cur) || moves[i].go != g)
			continue;
		if (moves[i].when && !moves[i].when(w))
			continue;
		if (moves[i].from == SCR_HELP && moves[i].to == BACK_TO_HELP_FROM)
			return w->help_from;
		return moves[i].to;
	}
	return w->cur;
}

enum go wiz_common_key(int ch)
{
	switch (ch) {
	case '?': case KEY_F(1): return GO_HELP;
	case 'q': case 'Q': case 3 /* Ctrl-C */: return GO_QUIT;
	case 27: case KEY_LEFT: case KEY_BACKSPACE: case 127: case 'b': return GO_BACK;
	default: return GO_STAY;
	}
}
