/* practice.c — practising a recovery on a virtual camera.
 *
 * The simulator (openmv-rescue-sim, built with the tests) runs a program with a virtual
 * camera plugged in: "openmv-rescue-sim --camera TARGET:MODE -- PROGRAM ARGS".  The wizard
 * re-runs itself that way with --practice.  The simulator lives next to the program in the
 * build tree (tests/sim/) or beside it once installed.
 */
#include <curses.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wiz.h"

int practice_find_sim(const struct wiz *w, char *path, size_t n)
{
	char copy[512];
	wiz_copy(copy, sizeof copy, w->self_exe);
	const char *dir = dirname(copy);
	const char *const rel[] = {"tests/sim/openmv-rescue-sim", "openmv-rescue-sim"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		char candidate[600];
		snprintf(candidate, sizeof candidate, "%s/%s", dir, rel[i]);
		if (!access(candidate, X_OK)) {
			wiz_copy(path, n, candidate);
			return 0;
		}
	}
	path[0] = '\0';
	return -1;
}

/* The mode a practice camera starts in: running its firmware when the board has one, as a
 * camera on a desk would; otherwise the first mode the board lists. */
static enum usb_mode start_mode(const struct board *b)
{
	if (b->usb[USB_FIRMWARE].n)
		return USB_FIRMWARE;
	for (int m = 0; m < USB_MODE_COUNT; m++)
		if (b->usb[m].n)
			return (enum usb_mode)m;
	return USB_FIRMWARE;
}

int practice_exec(const struct wiz *w, const struct board *b, char *why, size_t n)
{
	char sim[600], camera[80];
	if (practice_find_sim(w, sim, sizeof sim)) {
		snprintf(why, n, "the practice camera is not available: openmv-rescue-sim was not built next to "
		         "this program (it comes with the test build, tests/sim)");
		return -1;
	}
	snprintf(camera, sizeof camera, "%s:%s", b->target, usb_mode_name(start_mode(b)));
	char *argv[] = {sim, "--camera", camera, "--", (char *)w->self_exe, "--practice",
	                "--boards", (char *)w->db->path, NULL};
	endwin();
	execv(sim, argv);
	snprintf(why, n, "could not start %s", sim);
	return -1;
}
