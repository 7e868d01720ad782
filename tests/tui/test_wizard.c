/* test_wizard.c — walks the wizard's flows on a virtual terminal and checks the screen.
 *
 * Usage: test_wizard PROGRAM TERMINFO_DIR FLOW [SIMULATOR]
 * PROGRAM is openmv-rescue; TERMINFO_DIR holds xterm-256color without `rep` (libvterm 0.1.4
 * scrolls on ncurses' REP at the last column: reference test-harness-umockdev-libvterm.md §D).
 * Each flow runs the program in a fresh directory under TMPDIR that is also its HOME, so the
 * places it looks for images (build/TARGET/bin, an OpenMV IDE folder under $HOME) are the
 * test's own; the directory is removed at the end.
 *
 * The first flows need no camera.  The wizard lists whatever USB devices are present, so
 * menus are always reached by their text (vt_select), never by position.  The sim-* and
 * practice flows run the wizard under openmv-rescue-sim with a virtual camera plugged in;
 * the harness then watches the wizard as the simulator's child.
 */
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/tap.h"
#include "vtharness.h"

#define WAIT_MS 10000

static const char *program, *terminfo, *sim;
static char home[512];

/* ---- fixtures ---------------------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void mkdirs(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	for (char *p = path + strlen(home) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

/* A file of size bytes whose first two words are sp and reset (an STM32 vector table). */
static void write_image(const char *rel, uint32_t sp, uint32_t reset, size_t size)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	for (size_t i = 0; i < size; i++) {
		uint32_t word = i < 4 ? sp : i < 8 ? reset : 0;
		fputc(i < 8 ? (int)((word >> (8 * (i % 4))) & 0xFF) : (int)(i & 0xFF), f);
	}
	fclose(f);
}

/* The H7 (OPENMV4) links its firmware at 0x08040000 with its stack in DTCM (boards.ini
 * check.entry and check.stack). */
static void write_h7_firmware(const char *rel) { write_image(rel, 0x20020000u, 0x08040201u, 4096); }

static struct vt *start_argv(char *const argv[], const char *lang, const char *const *extra, int rows,
                             int cols, const char *first_text)
{
	char ti[600], h[600], l[64], lc[64];
	snprintf(ti, sizeof ti, "TERMINFO=%s", terminfo);
	snprintf(h, sizeof h, "HOME=%s", home);
	snprintf(l, sizeof l, "LANG=%s", lang);
	snprintf(lc, sizeof lc, "LC_ALL=%s", lang);
	const char *env[16] = {"TERM=xterm-256color", ti, h, l, lc, "ESCDELAY=25", "NO_COLOR="};
	int n = 7;
	for (int i = 0; extra && extra[i] && n < 15; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	struct vt *v = vt_spawn(argv, env, home, rows, cols);
	if (v && vt_wait_text(v, first_text, WAIT_MS))
		vt_dump(v, stdout);
	return v;
}

static struct vt *start_env(const char *lang, const char *const *extra, int rows, int cols)
{
	char *argv[] = {(char *)program, NULL};
	return start_argv(argv, lang, extra, rows, cols, "Find the camera");
}

/* The wizard with a virtual camera: openmv-rescue-sim --camera SPEC -- openmv-rescue.
 * first_text: what the detect screen shows once the camera is seen. */
static struct vt *start_sim(const char *camera, const char *first_text)
{
	char *argv[] = {(char *)sim, "--camera", (char *)camera, "--", (char *)program, NULL};
	return start_argv(argv, "C.UTF-8", NULL, 24, 80, first_text);
}

static struct vt *start(void) { return start_env("C.UTF-8", NULL, 24, 80); }

static bool shows(struct vt *v, const char *text)
{
	bool yes = vt_contains(v, text);
	if (!yes) {
		printf("# expected on screen: \"%s\"\n", text);
		vt_dump(v, stdout);
	}
	return yes;
}

static bool highlighted(struct vt *v, const char *text)
{
	char line[1024] = "";
	int r = vt_highlighted_row(v);
	if (r >= 0)
		vt_row(v, r, line, sizeof line);
	bool yes = r >= 0 && strstr(line, text);
	if (!yes) {
		printf("# expected highlighted: \"%s\" (row %d: \"%s\")\n", text, r, line);
		vt_dump(v, stdout);
	}
	return yes;
}

static void enter(struct vt *v) { vt_key(v, VTERM_KEY_ENTER); }

/* detect -> camera -> action (by their menu texts) */
static void to_action(struct vt *v, const char *camera, const char *action)
{
	vt_select(v, "Choose the camera and what to do yourself");
	enter(v);
	vt_select(v, camera);
	enter(v);
	if (action) {
		vt_select(v, action);
		enter(v);
	}
}

static bool box_corner(struct vt *v, int row, int col, uint32_t want)
{
	uint32_t c = vt_char(v, row, col);
	if (c != want) {
		printf("# cell %d,%d is U+%04X, expected U+%04X\n", row, col, c, want);
		vt_dump(v, stdout);
	}
	return c == want;
}

static bool terminal_restored(struct vt *v)
{
	struct termios t;
	if (vt_termios(v, &t))
		return false;
	return (t.c_lflag & ICANON) && (t.c_lflag & ECHO) && (t.c_lflag & ISIG);
}

/* ---- flows ------------------------------------------------------------------------------- */

static void flow_first_screen(void)
{
	struct vt *v = start();
	ok(shows(v, "openmv-rescue - Find the camera"), "the first screen is the detect screen");
	ok(shows(v, "Connected devices"), "it lists connected devices");
	ok(shows(v, "Choose the camera and what to do yourself"), "it offers to choose by hand");
	ok(shows(v, "Practise on a virtual camera"), "it offers practice mode");
	ok(box_corner(v, 0, 0, 0x250C) && box_corner(v, 23, 79, 0x2518), "the frame fills 80x24");
	ok(vt_highlighted_row(v) >= 0, "one menu item is highlighted");
	vt_type(v, "?");
	ok(shows(v, "openmv-rescue - Help") && shows(v, "plug or unplug"), "? shows this screen's help");
	vt_type(v, " ");
	ok(shows(v, "openmv-rescue - Find the camera"), "any key returns from help");
	vt_free(v);
}

static void flow_navigation(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", NULL);
	ok(shows(v, "What should be done to the OpenMV Cam H7 (OPENMV4)?"), "camera chosen: the action screen names it");
	ok(highlighted(v, "Flash firmware"), "the first supported action is preselected");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(shows(v, "openmv-rescue - Choose the camera"), "Esc goes back to the camera screen");
	ok(highlighted(v, "OPENMV4 "), "the chosen camera is still selected");
	ok(shows(v, "OpenMV STM32") && shows(v, "OpenMV i.MX RT"), "boards are grouped by family");
	vt_type(v, "?");
	ok(shows(v, "grouped by family"), "help on the camera screen");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(highlighted(v, "OPENMV4 "), "back from help, the selection is kept");
	vt_key(v, VTERM_KEY_LEFT);
	ok(shows(v, "openmv-rescue - Find the camera"), "Left goes back to the detect screen");
	vt_type(v, "q");
	ok(shows(v, "Quit openmv-rescue? Nothing has been written"), "q asks before quitting");
	vt_type(v, "y");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	   "quitting before doing anything exits with 3 (cancelled)");
	ok(terminal_restored(v), "the terminal modes are restored after quitting");
	ok(!vt_contains(v, "openmv-rescue - "), "the wizard's screen is gone after quitting");
	vt_free(v);
}

static void flow_actions(void)
{
	struct vt *v = start();
	to_action(v, "ARDUINO_PORTENTA_H7", NULL);
	ok(shows(v, "Arduino Portenta H7"), "Portenta chosen");
	vt_select(v, "Restore the bootloader");
	ok(shows(v, "(not on this board)"), "an unsupported action is shown as such");
	ok(shows(v, "factory-locked"), "its reason from boards.ini is shown");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose what to do"), "an unsupported action cannot be chosen");
	vt_select(v, "Erase the internal filesystem");
	ok(shows(v, "Wipe the small FAT filesystem where main.py lives"), "each action says when to use it");
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_select(v, "OPENMV4 ");
	enter(v);
	vt_select(v, "Initialise the MRAM");
	ok(shows(v, "has no MRAM"), "init-mram is greyed on the H7 with why");
	vt_free(v);
}

static void flow_wrong_file(void)
{
	mkdirs("bad");
	/* a stack pointer outside the H7's RAM: an image for another chip */
	write_image("bad/firmware.bin", 0x10010000u, 0x08010201u, 4096);
	mkdirs("good");
	write_h7_firmware("good/firmware.bin");
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Flash firmware");
	ok(shows(v, "openmv-rescue - Choose the files"), "flash goes to the files screen");
	ok(shows(v, "firmware.bin") && shows(v, "missing"), "firmware.bin is not found anywhere yet");
	vt_select(v, "firmware.bin");
	enter(v);
	ok(shows(v, "File or folder for firmware.bin"), "Enter on an image asks for its file");
	vt_type(v, "bad/firmware.bin");
	enter(v);
	ok(shows(v, "Refused:") && shows(v, "not built for the OpenMV Cam H7"), "a wrong file is refused at once");
	ok(shows(v, "missing"), "the refused file is not taken");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "Not yet: every image needs a good file"), "Continue is refused while an image is missing");
	vt_select(v, "firmware.bin");
	enter(v);
	vt_ctrl(v, 'u');
	vt_type(v, "good/firmware.bin");
	enter(v);
	ok(shows(v, "firmware.bin: taken.") && shows(v, "OK"), "a good file is taken");
	ok(shows(v, "skipped"), "the optional ROMFS is left out, and says so");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "openmv-rescue - Confirm"), "with every image good, Continue reaches the confirm screen");
	vt_free(v);
}

static void flow_dry_path(void)
{
	mkdirs("build/OPENMV4/bin");
	write_h7_firmware("build/OPENMV4/bin/firmware.bin");
	write_image("build/OPENMV4/bin/romfs0.img", 0, 0, 8192);
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Flash firmware");
	ok(shows(v, "from build/OPENMV4/bin"), "images are found in build/TARGET/bin");
	ok(highlighted(v, "Continue"), "with everything found, Continue is preselected");
	enter(v);
	ok(shows(v, "Write build/OPENMV4/bin/firmware.bin to alt 2 (FIRMWARE)"), "the confirm screen lists the steps");
	ok(shows(v, "Write build/OPENMV4/bin/romfs0.img to alt 3 (ROMFS0), then restart"), "with --reset on the last");
	ok(shows(v, "Start? This overwrites data on the camera."), "it asks before writing");
	vt_type(v, "c");
	ok(shows(v, "dfu-util -w -d ,37C5:9204 -a 2 -D build/OPENMV4/bin/firmware.bin"), "c shows the classic commands");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(shows(v, "openmv-rescue - Choose the files"), "Esc goes back to the files");
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_select(v, "Erase the internal filesystem");
	enter(v);
	ok(shows(v, "openmv-rescue - Confirm") && shows(v, "Write erase.bin to alt 1 (FILESYSTEM)"),
	   "erase-fs needs no files: straight to confirm");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(shows(v, "openmv-rescue - Choose what to do"), "and back from there to the action screen");
	vt_free(v);
}

static void flow_ide_folder(void)
{
	mkdirs("openmvide/share/qtcreator/firmware/OPENMV3");
	/* the M7 links firmware at 0x08020000, stack up to 0x20080000 (boards.ini OPENMV3) */
	write_image("openmvide/share/qtcreator/firmware/OPENMV3/firmware.bin", 0x20080000u, 0x08020201u, 4096);
	struct vt *v = start();
	to_action(v, "OPENMV3 ", "Flash firmware");
	ok(shows(v, "from OpenMV IDE"), "firmware.bin is found in an OpenMV IDE folder under $HOME");
	vt_free(v);
}

static void flow_run_and_log(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "starting the run ends on the result screen");
	/* this build has no DFU executor yet: the runner refuses before touching anything */
	ok(shows(v, "Failed:") && shows(v, "is not available"), "a step this build cannot do is reported");
	ok(shows(v, "0 of 3 steps were done."), "nothing was done");
	vt_type(v, "s");
	ok(shows(v, "Log saved to ./openmv-rescue-"), "s saves the session log");
	char cmd[1400];
	snprintf(cmd, sizeof cmd, "grep -q 'action: erase-fs on OPENMV4' %s/openmv-rescue-*.log && "
	         "grep -q 'run ended: step 2 of 3' %s/openmv-rescue-*.log", home, home);
	ok(system(cmd) == 0, "the log holds the choices and the outcome");
	vt_type(v, "q");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	   "a failed run exits with 1");
	vt_free(v);
}

static void flow_resize(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", NULL);
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_resize(v, 30, 100);
	ok(box_corner(v, 29, 99, 0x2518) && box_corner(v, 0, 99, 0x2510), "larger: the frame follows the new size");
	ok(highlighted(v, "OPENMV4 "), "larger: the selection is kept");
	vt_resize(v, 20, 60);
	ok(shows(v, "needs a terminal of at least 80x24"), "too small: says so");
	vt_resize(v, 24, 80);
	ok(box_corner(v, 23, 79, 0x2518) && shows(v, "openmv-rescue - Choose the camera"), "80x24 again: redrawn");
	ok(highlighted(v, "OPENMV4 "), "80x24 again: the selection is kept");
	vt_free(v);
}

static void flow_c_locale(void)
{
	struct vt *v = start_env("C", NULL, 24, 80);
	ok(shows(v, "openmv-rescue - Find the camera"), "C locale: the first screen");
	ok(box_corner(v, 0, 0, 0x250C) && box_corner(v, 23, 79, 0x2518) && box_corner(v, 21, 0, 0x251C),
	   "C locale: line drawing through ACS");
	vt_select(v, "Choose the camera and what to do yourself");
	enter(v);
	ok(vt_select(v, "ARDUINO_NANO_RP2040_CONNECT") == 0, "C locale: the board list scrolls to its end");
	ok(highlighted(v, "ARDUINO_NANO_RP2040_CONNECT"), "C locale: the last board is highlighted");
	int r = vt_select(v, "OPENMV1 ");
	if (r)
		vt_dump(v, stdout);
	ok(r == 0 && shows(v, "OpenMV STM32"), "C locale: and back to the top");
	vt_free(v);
}

static void flow_colour(void)
{
	const char *colour[] = {"NO_COLOR=", NULL};
	(void)colour;
	const char *mono[] = {"NO_COLOR=1", NULL};
	struct vt *v = start_env("C.UTF-8", mono, 24, 80);
	ok(vt_highlighted_row(v) >= 0, "NO_COLOR: the highlight is reverse video");
	vt_free(v);
	const char *vt100[] = {"TERM=vt100", NULL};
	v = start_env("C.UTF-8", vt100, 24, 80);
	ok(v && vt_contains(v, "openmv-rescue - Find the camera") && vt_highlighted_row(v) >= 0,
	   "a monochrome terminal (vt100) gets the same screen");
	vt_free(v);
}

static void flow_cancel(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	vt_ctrl(v, 'c');
	ok(shows(v, "Quit openmv-rescue?"), "Ctrl-C asks before quitting");
	vt_type(v, "n");
	ok(shows(v, "openmv-rescue - Confirm") && !vt_contains(v, "Quit openmv-rescue?"), "n keeps going");
	vt_kill(v, SIGTERM);
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
	   "SIGTERM ends the wizard");
	ok(terminal_restored(v), "the terminal is restored after SIGTERM");
	vt_free(v);
}

static void flow_crash(void)
{
	struct vt *v = start();
	vt_kill(v, SIGSEGV);
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFSIGNALED(status), "a crash ends the wizard");
	ok(terminal_restored(v), "the terminal is restored after a crash");
	vt_free(v);
}

static void flow_sim_bootloader(void)
{
	struct vt *v = start_sim("OPENMV4:bootloader", "OpenMV DFU bootloader");
	ok(shows(v, "OpenMV Cam H7 - OpenMV DFU bootloader (37C5:9204)"), "the virtual H7's bootloader is named");
	ok(highlighted(v, "OpenMV Cam H7 is in its bootloader - flash firmware?"), "and flashing it is proposed first");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose the files") && shows(v, "Files for flash on the OpenMV Cam H7"),
	   "accepting the proposal goes straight to the files");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(highlighted(v, "Flash firmware"), "back on the action screen, the proposed action is chosen");
	vt_free(v);
}

static void flow_sim_st_rom(void)
{
	struct vt *v = start_sim("OPENMV4:st-rom", "ST ROM DFU");
	ok(shows(v, "ST ROM DFU (0483:DF11)") && shows(v, "other boards"),
	   "the ST ROM is named, shared by several boards");
	ok(highlighted(v, "One of 4 boards is in the ST ROM bootloader - restore the bootloader?"),
	   "restoring the bootloader is proposed");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose the camera"), "the person says which camera it is");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(highlighted(v, "Restore the bootloader"), "with the proposed action preselected");
	vt_free(v);
}

static void flow_sim_plug_unplug(void)
{
	/* the bootloader after power-up jumps to the firmware after 1.5 s without a DFU request
	 * (tests/sim/camera.h "power-up") */
	struct vt *v = start_sim("OPENMV4:power-up,after-leave=firmware", "OpenMV DFU bootloader");
	ok(shows(v, "OpenMV Cam H7 - OpenMV DFU bootloader"), "the bootloader appears");
	ok(vt_wait_text(v, "OpenMV Cam H7 - running firmware (37C5:1204)", WAIT_MS) == 0,
	   "when it leaves, the running firmware appears by itself");
	ok(!vt_contains(v, "OpenMV DFU bootloader"), "and the bootloader is gone from the list");
	ok(highlighted(v, "OpenMV Cam H7 is running its firmware - update the firmware?"),
	   "the proposal follows the device");
	vt_free(v);
}

static void flow_practice(void)
{
	struct vt *v = start();
	vt_select(v, "Practise on a virtual camera");
	enter(v);
	ok(shows(v, "Which camera should the virtual camera be?"), "practice asks which camera to simulate");
	ok(shows(v, "(no model yet)"), "boards the simulator cannot model are greyed");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(vt_wait_text(v, "PRACTICE (virtual camera)", WAIT_MS) == 0, "the wizard re-runs itself in practice mode");
	ok(vt_wait_text(v, "OpenMV Cam H7 - OpenMV DFU bootloader", WAIT_MS) == 0, "and sees the virtual camera");
	ok(!vt_contains(v, "Practise on a virtual camera"), "practice is not offered again inside practice");
	vt_free(v);
}

static void flow_practice_missing(void)
{
	/* the program alone in a folder: no simulator next to it */
	char cmd[1400], copy[700];
	snprintf(copy, sizeof copy, "%s/alone/openmv-rescue", home);
	mkdirs("alone");
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", program, copy);
	if (system(cmd)) {
		ok(0, "copy the program");
		return;
	}
	char *argv[] = {copy, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "Find the camera");
	vt_select(v, "Practise on a virtual camera");
	enter(v);
	ok(shows(v, "The practice camera is not available"), "without the simulator, practice says so");
	ok(shows(v, "openmv-rescue - Find the camera"), "and stays on the first screen");
	vt_free(v);
}

/* ---- the run screens against the scripted runner (fake_runner.c, $FAKE_RUN) ---------- */

static struct vt *start_fake(const char *script)
{
	char env[200];
	snprintf(env, sizeof env, "FAKE_RUN=%s", script);
	const char *extra[] = {env, NULL};
	return start_env("C.UTF-8", extra, 24, 80);
}

static void flow_run_restore_prompt(void)
{
	mkdirs("build/OPENMV4/bin");
	write_image("build/OPENMV4/bin/bootloader.bin", 0x20020000u, 0x08000201u, 4096);
	/* "running firmware" from the 4th poll, the ST ROM from the 30th (1.5 s) */
	struct vt *v = start_fake("other=4,present=30,blocks=40,block_ms=25");
	to_action(v, "OPENMV4 ", "Restore the bootloader");
	ok(shows(v, "bootloader.bin") && shows(v, "from build/OPENMV4/bin"), "restore: bootloader.bin found");
	enter(v); /* Continue */
	ok(shows(v, "connect a jumper wire between BOOT and RST"), "restore: the confirm screen lists the prompt");
	enter(v); /* Start */
	ok(vt_wait_text(v, "openmv-rescue - Your turn", WAIT_MS) == 0, "the hardware prompt comes up");
	ok(shows(v, "2. Connect a jumper wire between the BOOT and RST pins."), "with its numbered steps");
	ok(shows(v, "+------------------------+"), "and its drawing");
	ok(shows(v, "Waiting for ST ROM DFU 0483:df11 ... not yet"), "it waits for the ST ROM, live");
	ok(vt_wait_text(v, "the jumper is not on BOOT-RST", WAIT_MS) == 0 &&
	   shows(v, "Seen instead: running firmware 37C5:1204"),
	   "when the firmware appears instead, it says what that means");
	ok(vt_wait_text(v, "Step 2 of 3: Write build/OPENMV4/bin/bootloader.bin at 0x08000000", WAIT_MS) == 0,
	   "when the ST ROM appears, it moves on by itself");
	ok(vt_wait_text(v, "KiB of 160.0 KiB", WAIT_MS) == 0, "progress shows bytes of the total");
	ok(vt_wait_text(v, "Remove the jumper wire between BOOT and RST.", WAIT_MS) == 0,
	   "then the prompt to remove the jumper");
	ok(shows(v, "Press Enter when you have done this."), "which waits for Enter: nothing to detect");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "the result screen follows");
	ok(shows(v, "Done: OpenMV Cam H7 restore-bootloader: all 3 steps done"), "it says what was done");
	ok(shows(v, "verified"), "and whether it was verified");
	ok(shows(v, "Now flash the firmware normally"), "and what to do next");
	vt_type(v, "q");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "a finished run exits with 0");
	ok(terminal_restored(v), "the terminal is restored");
	vt_free(v);
}

/* H7 flash of firmware.bin only, slow enough to act during the transfer. */
static struct vt *start_long_flash(void)
{
	mkdirs("build/OPENMV4/bin");
	write_h7_firmware("build/OPENMV4/bin/firmware.bin");
	struct vt *v = start_fake("blocks=2000,block_ms=10");
	to_action(v, "OPENMV4 ", "Flash firmware");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	if (vt_wait_text(v, "KiB of 7.8 MiB", WAIT_MS))
		vt_dump(v, stdout);
	return v;
}

static void flow_run_cancel(void)
{
	struct vt *v = start_long_flash();
	ok(shows(v, "Step 2 of 2: Write build/OPENMV4/bin/firmware.bin to alt 2"), "the progress screen names the step");
	ok(vt_wait_text(v, "/s   ETA ", WAIT_MS) == 0, "with rate and ETA");
	vt_ctrl(v, 'c');
	ok(shows(v, "Stop the run?"), "Ctrl-C asks whether to cancel");
	vt_type(v, "n");
	ok(!vt_contains(v, "Stop the run?") && shows(v, "Step 2 of 2"), "n goes on");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(shows(v, "Stop the run?"), "Esc asks too");
	vt_type(v, "y");
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "y stops the run");
	ok(shows(v, "Cancelled: stopped by you after block"), "at a safe point between blocks");
	vt_type(v, "q");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	   "a cancelled run exits with 3");
	vt_free(v);
}

static void flow_run_resize(void)
{
	struct vt *v = start_long_flash();
	vt_resize(v, 30, 100);
	ok(box_corner(v, 29, 99, 0x2518), "during progress, a larger terminal is filled");
	ok(vt_wait_text(v, "Step 2 of 2", WAIT_MS) == 0 && shows(v, "KiB of 7.8 MiB"), "progress is still shown");
	vt_resize(v, 24, 80);
	ok(box_corner(v, 23, 79, 0x2518) && shows(v, "Step 2 of 2"), "and at 80x24 again");
	vt_free(v);
}

static void flow_run_typed(void)
{
	mkdirs("build/OPENMV_RT1060/bin");
	write_image("build/OPENMV_RT1060/bin/sdphost_flash_loader.bin", 0, 0, 4096);
	write_image("build/OPENMV_RT1060/bin/blhost_flash_loader.bin", 0, 0, 4096);
	write_image("build/OPENMV_RT1060/bin/firmware.bin", 0, 0, 8192);
	struct vt *v = start_fake("present=2,blocks=4,block_ms=5");
	to_action(v, "OPENMV_RT1060", "Restore the bootloader");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "One step can never be undone"), "the confirm screen warns of the irreversible step");
	enter(v);
	ok(vt_wait_text(v, "Type BURN and press Enter", WAIT_MS) == 0, "the irreversible step asks for a typed word");
	ok(shows(v, "-- efuse-program-once") && vt_reverse(v, 6, 3), "naming the step, with a field to type in");
	vt_type(v, "burn");
	enter(v);
	ok(shows(v, "Type BURN exactly"), "a wrong word is not enough");
	vt_ctrl(v, 'u');
	vt_type(v, "BURN");
	enter(v);
	ok(vt_wait_text(v, "Remove the jumper from the SBL and 3.3V pins.", WAIT_MS) == 0,
	   "the word lets the run go on to the last prompt");
	enter(v);
	ok(vt_wait_text(v, "all 15 steps done", WAIT_MS) == 0, "and to the end");
	vt_free(v);
}

static void flow_run_fail(void)
{
	struct vt *v = start_fake("fail=3");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "a failing step ends the run");
	ok(shows(v, "Failed: the device reported errWRITE at block 3"), "the result says why");
	ok(shows(v, "2 of 3 steps were done."), "and how far it got");
	vt_type(v, "s");
	char cmd[1400];
	snprintf(cmd, sizeof cmd, "grep -q 'step 3 failed (device-error): the device reported errWRITE' "
	         "%s/openmv-rescue-*.log", home);
	ok(system(cmd) == 0, "the saved log holds the failed step");
	vt_free(v);
}

static const struct {
	const char *name;
	void (*run)(void);
	bool needs_sim;
} flows[] = {
	{"first-screen", flow_first_screen, false},
	{"navigation", flow_navigation, false},
	{"actions", flow_actions, false},
	{"wrong-file", flow_wrong_file, false},
	{"dry-path", flow_dry_path, false},
	{"ide-folder", flow_ide_folder, false},
	{"run-and-log", flow_run_and_log, false},
	{"resize", flow_resize, false},
	{"c-locale", flow_c_locale, false},
	{"colour", flow_colour, false},
	{"cancel", flow_cancel, false},
	{"crash", flow_crash, false},
	{"practice-missing", flow_practice_missing, false},
	{"sim-bootloader", flow_sim_bootloader, true},
	{"sim-st-rom", flow_sim_st_rom, true},
	{"sim-plug-unplug", flow_sim_plug_unplug, true},
	{"practice", flow_practice, true},
	{"run-restore-prompt", flow_run_restore_prompt, false},
	{"run-cancel", flow_run_cancel, false},
	{"run-resize", flow_run_resize, false},
	{"run-typed", flow_run_typed, false},
	{"run-fail", flow_run_fail, false},
};

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: test_wizard PROGRAM TERMINFO_DIR FLOW [SIMULATOR]\n");
		return 2;
	}
	program = argv[1];
	terminfo = argv[2];
	sim = argc == 5 && argv[4][0] ? argv[4] : NULL;
	const char *tmp = getenv("TMPDIR");
	snprintf(home, sizeof home, "%s/tui.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(home)) {
		printf("1..0 # SKIP no temporary directory: %s\n", strerror(errno));
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	int found = 0;
	for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++)
		if (!strcmp(flows[i].name, argv[3])) {
			found = 1;
			if (flows[i].needs_sim && !sim) {
				printf("1..0 # SKIP openmv-rescue-sim was not built (umockdev missing)\n");
				nftw(home, rm_one, 16, FTW_DEPTH | FTW_PHYS);
				return 77;
			}
			flows[i].run();
		}
	nftw(home, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (!found) {
		fprintf(stderr, "test_wizard: unknown flow %s\n", argv[3]);
		return 2;
	}
	return tap_done();
}
