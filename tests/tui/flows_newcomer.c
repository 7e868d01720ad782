/* flows_newcomer.c — what a newcomer meets first: nothing cut off at 80x24 (the confirm
 * screen, its commands view, the camera list), the fix proposed from the symptom, the
 * filesystem erased with a flash in the same run, terminals the wizard cannot draw on, and
 * a whole practice recovery on a virtual camera without files of one's own. */
#include <ctype.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

/* A folder name long enough that the paths in it do not fit one row of 80 columns. */
#define LONG_DIR "firmware-builds-for-the-camera-on-the-lab-bench/openmv-v4.5.9-with-my-own-changes"

/* The body of the screen (inside the frame, above the key line) with every blank left out,
 * rows joined: a wrapped text is found in it whole; a text cut at the edge is not. */
static void body_joined(struct vt *v, char *out, size_t n)
{
	size_t k = 0;
	/* columns 1 .. cols-4: inside the frame, without the scroll marks' column */
	for (int r = 1; r < vt_rows(v) - 3; r++)
		for (int c = 1; c < vt_cols(v) - 3 && k + 1 < n; c++) {
			uint32_t ch = vt_char(v, r, c);
			if (ch > ' ' && ch < 127)
				out[k++] = (char)ch;
		}
	out[k] = '\0';
}

static bool shows_whole(struct vt *v, const char *text)
{
	char want[1024], got[8192];
	size_t k = 0;
	for (const char *s = text; *s && k + 1 < sizeof want; s++)
		if (!isspace((unsigned char)*s))
			want[k++] = *s;
	want[k] = '\0';
	body_joined(v, got, sizeof got);
	bool yes = strstr(got, want) != NULL;
	if (!yes) {
		printf("# expected whole on screen (wrapped): \"%s\"\n", text);
		vt_dump(v, stdout);
	}
	return yes;
}

/* No row of the body runs into the last column inside the frame (where a cut text ends). */
static bool nothing_at_edge(struct vt *v)
{
	for (int r = 1; r < vt_rows(v) - 3; r++) {
		uint32_t c = vt_char(v, r, vt_cols(v) - 2);
		uint32_t before = vt_char(v, r, vt_cols(v) - 3);
		if (c != ' ' && c != 0 && before != ' ' && before != 0) {
			printf("# row %d runs into the edge\n", r);
			vt_dump(v, stdout);
			return false;
		}
	}
	return true;
}

void flow_wrap_confirm(void)
{
	mkdirs(LONG_DIR);
	write_h7_firmware(LONG_DIR "/firmware.bin");
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Flash firmware");
	vt_select(v, "Look in a folder");
	enter(v);
	vt_type(v, LONG_DIR);
	enter(v);
	vt_select(v, "Continue");
	enter(v);
	char path[1200];
	snprintf(path, sizeof path, "Write %s/firmware.bin to alt 2 (FIRMWARE), then restart the camera", LONG_DIR);
	ok(shows(v, "openmv-rescue - Confirm") && shows_whole(v, path),
	   "80x24 confirm: a step with a long path is shown whole, wrapped");
	ok(nothing_at_edge(v), "80x24 confirm: no row is cut at the edge");
	vt_type(v, "c");
	snprintf(path, sizeof path, "dfu-util -w -d ,37C5:9204 -a 2 --reset -D %s/firmware.bin", LONG_DIR);
	ok(shows_whole(v, path), "80x24 commands view: the command a person would copy is shown whole");
	ok(shows_whole(v, "# Reset the camera into its bootloader (37C5:9204), or plug it in: it listens briefly at power-up"),
	   "80x24 commands view: the comment line wraps instead of being cut");
	ok(nothing_at_edge(v), "80x24 commands view: no row is cut at the edge");
	vt_free(v);
}

void flow_wrap_camera(void)
{
	struct vt *v = start();
	vt_select(v, "Choose the camera and what to do yourself");
	enter(v);
	vt_select(v, "OPENMV_AE3");
	ok(shows_whole(v, "OpenMV AE3 (OPENMV_AE3): Alif Ensemble (dual M55)"),
	   "80x24 camera list: the chosen board's chip is said whole");
	ok(nothing_at_edge(v), "80x24 camera list: no row is cut at the edge");
	vt_select(v, "ARDUINO_NANO_RP2040_CONNECT");
	ok(shows(v, "Arduino Nano RP2040 Connect") && shows(v, "ARDUINO_NANO_RP2040_CONNECT") &&
	   shows_whole(v, "Arduino Nano RP2040 Connect (ARDUINO_NANO_RP2040_CONNECT): RP2040"),
	   "80x24 camera list: the longest name and TARGET are whole");
	ok(nothing_at_edge(v), "80x24 camera list: still nothing at the edge at the end of the list");
	enter(v);
	ok(shows_whole(v, "What should be done to the Arduino Nano RP2040 Connect (ARDUINO_NANO_RP2040_CONNECT)?"),
	   "80x24 action screen: the question with the longest board name is whole");
	vt_free(v);
}

void flow_symptom(void)
{
	struct vt *v = start();
	vt_select(v, "My camera does not boot");
	enter(v);
	ok(shows(v, "What happened before the camera stopped booting?"), "a camera that does not boot: the symptom is asked");
	vt_select(v, "after I changed main.py");
	ok(shows(v, "Erase the internal filesystem: the script that stops it"), "a bad script: erasing the filesystem is proposed");
	vt_select(v, "An update was interrupted");
	ok(shows(v, "Flash the firmware again"), "an interrupted update: flashing again is proposed");
	vt_select(v, "no USB device at all");
	ok(shows(v, "Restore the bootloader through the chip's ROM"), "no USB device: restoring the bootloader is proposed");
	vt_select(v, "after I changed main.py");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose the camera"), "then the camera is chosen");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(highlighted(v, "Erase the internal filesystem"), "with the proposed action preselected");
	vt_free(v);
}

void flow_erase_fs_choice(void)
{
	mkdirs("build/OPENMV4/bin");
	write_h7_firmware("build/OPENMV4/bin/firmware.bin");
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Flash firmware");
	ok(shows(v, "[ ] Also erase the internal filesystem"), "a flash offers to erase the filesystem too");
	vt_select(v, "Also erase the internal filesystem");
	enter(v);
	ok(shows(v, "[x] Also erase the internal filesystem"), "Enter ticks it");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "Write erase.bin to alt 1 (FILESYSTEM)") &&
	   shows_whole(v, "Write build/OPENMV4/bin/firmware.bin to alt 2 (FIRMWARE), then restart the camera"),
	   "the plan erases the filesystem, then writes the firmware and restarts, in one run");
	vt_type(v, "c");
	ok(shows(v, "dfu-util -w -d ,37C5:9204 -a 1 -D erase.bin"), "the erase's classic command, without --reset");
	vt_free(v);
	/* a restore without the firmware: the note says what to do in the wizard's words */
	mkdirs("boot/OPENMV4/bin");
	write_image("boot/OPENMV4/bin/bootloader.bin", 0x20020000u, 0x08000201u, 4096);
	v = start();
	to_action(v, "OPENMV4 ", "Restore the bootloader");
	vt_select(v, "Look in a folder");
	enter(v);
	vt_type(v, "boot/OPENMV4/bin");
	enter(v);
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "Then flash the firmware normally"), "a restore alone says to flash afterwards");
	ok(!vt_contains(v, "--firmware") && !vt_contains(v, " --"), "without telling a wizard user to pass a flag");
	vt_free(v);
}

static void one_clear_line(const char *const *env, const char *term, const char *want)
{
	char *argv[] = {(char *)program, NULL};
	struct vt *v = vt_spawn(argv, env, home, 24, 80);
	int status = -1;
	bool ended = v && vt_wait_exit(v, WAIT_MS, &status) == 0;
	char row0[400] = "", row1[400] = "", row2[400] = "";
	if (v) {
		vt_row(v, 0, row0, sizeof row0);
		vt_row(v, 1, row1, sizeof row1);
		vt_row(v, 2, row2, sizeof row2);
	}
	ok(ended && WIFEXITED(status) && WEXITSTATUS(status) == 2, "%s: the wizard ends at once with 2", term);
	char line[1300]; /* the line as the terminal wrapped it at 80 columns */
	snprintf(line, sizeof line, "%s%s%s", row0, row1, row2);
	bool clear = strstr(line, "openmv-rescue: ") == line && strstr(line, want) != NULL;
	for (int r = 1; r < 24 && v; r++) {
		char row[400];
		vt_row(v, r, row, sizeof row);
		if (strstr(row, "Error opening terminal"))
			clear = false;
	}
	if (!clear)
		printf("# rows: \"%s\" \"%s\" \"%s\"\n", row0, row1, row2);
	ok(clear, "%s: one line that says why, no raw ncurses error", term);
	vt_free(v);
}

void flow_terminals(void)
{
	char ti[600];
	snprintf(ti, sizeof ti, "TERMINFO=%s", terminfo);
	const char *dumb[] = {"TERM=dumb", ti, "LANG=C.UTF-8", NULL};
	one_clear_line(dumb, "TERM=dumb", "TERM=dumb cannot move the cursor");
	const char *unknown[] = {"TERM=no-such-terminal-9000", ti, "LANG=C.UTF-8", NULL};
	one_clear_line(unknown, "an unknown TERM", "TERM=no-such-terminal-9000 is not known here");
	const char *unset[] = {"TERM=", ti, "LANG=C.UTF-8", NULL};
	one_clear_line(unset, "TERM unset", "TERM is not set");
}

/* ---- practice: the wizard with --practice under the simulator, as practice_exec runs it --- */

static struct vt *start_practice(const char *camera, const char *first_text)
{
	char *argv[] = {(char *)sim, "--camera", (char *)camera, "--", (char *)program, "--practice", NULL};
	return start_argv(argv, "C.UTF-8", NULL, 24, 80, first_text);
}

static bool wait_result(struct vt *v)
{
	return vt_wait_text(v, "openmv-rescue PRACTICE (virtual camera) - Result", 30000) == 0;
}

void flow_practice_walk(void)
{
	struct vt *v = start_practice("OPENMV4", "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	ok(wait_result(v) && shows(v, "Done: OpenMV Cam H7 erase-fs"), "practice erase-fs: done");
	vt_select(v, "Start over");
	enter(v);
	ok(vt_wait_text(v, "OpenMV Cam H7 - running firmware", WAIT_MS) == 0,
	   "Start over after a practice run: the virtual camera is back (restarted into its firmware)");
	ok(!vt_contains(v, "No camera found"), "... and not 'No camera found'");
	vt_select(v, "OpenMV Cam H7 is running its firmware - update the firmware?");
	enter(v);
	ok(shows(v, "Use sample images"), "a practice flash offers sample images");
	vt_select(v, "Use sample images");
	enter(v);
	ok(shows(v, "from sample") && !vt_contains(v, "PROBLEM") && !vt_contains(v, "missing"),
	   "the sample images pass the board's checks");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "openmv-rescue PRACTICE (virtual camera) - Confirm"), "Continue reaches the confirm screen");
	enter(v);
	ok(wait_result(v) && shows(v, "Done: OpenMV Cam H7 flash"), "the whole practice flash is walked to the end");
	ok(shows(v, "Wrote ") && shows(v, "KiB"), "the result says how much was written");
	vt_free(v);
}

/* A restore through the chip's ROM (the N6's FlashLayout.tsv) cannot be acted out: practice
 * says so in one line instead of making samples the ROM prompt would then wait for in vain. */
void flow_practice_rom_sample(void)
{
	struct vt *v = start_practice("OPENMV_N6", "OpenMV DFU bootloader");
	to_action(v, "OPENMV_N6 ", "Restore the bootloader");
	ok(shows(v, "Use sample images"), "N6 restore in practice: sample images are offered");
	vt_select(v, "Use sample images");
	enter(v);
	ok(shows(v, "No sample OPENMV_N6/FlashLayout.tsv: practice cannot act out a restore") &&
	   shows(v, "through the chip's ROM yet; practise another action or another camera."),
	   "... and refused in one line that says why (not a file that could not be written)");
	ok(!vt_contains(v, "could not be written") && shows(v, "missing"), "... nothing made, the layout still missing");
	vt_free(v);
}

void flow_practice_typed(void)
{
	/* "openmv-rescue --practice" typed by a person, outside the simulator: the wizard starts on
	 * choosing the virtual camera, then re-runs itself with one plugged in */
	char *argv[] = {(char *)program, "--practice", NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "Choose the camera");
	ok(shows(v, "Which camera should the virtual camera be?"),
	   "--practice outside the simulator starts by choosing the virtual camera");
	ok(!vt_contains(v, "PRACTICE (virtual camera)"), "... and does not claim a virtual camera yet");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(vt_wait_text(v, "OpenMV DFU bootloader", WAIT_MS) == 0 &&
	   shows(v, "openmv-rescue PRACTICE (virtual camera) - Find the camera"),
	   "choosing the H7 re-runs the wizard with a virtual H7 on the bus");
	vt_free(v);
}

void flow_practice_replug(void)
{
	/* nothing on the bus: the run asks for a replug, the virtual person answers it */
	struct vt *v = start_practice("OPENMV4:off", "Find the camera");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	ok(vt_wait_text(v, "Waiting for OpenMV DFU bootloader 37C5:9204 ... not yet", WAIT_MS) == 0,
	   "practice with the camera unplugged: the replug prompt waits");
	ok(shows(v, "Practice: press Enter and the virtual camera is replugged"), "it says Enter replugs the virtual camera");
	enter(v);
	ok(wait_result(v) && shows(v, "Done: OpenMV Cam H7 erase-fs"), "Enter replugged it and the run went on to the end");
	vt_free(v);
}

void flow_waiting_enter(void)
{
	/* not practice: Enter with nothing attached says what is still awaited */
	char *argv[] = {(char *)sim, "--camera", "OPENMV4:off", "--", (char *)program, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "Find the camera");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	vt_wait_text(v, "Waiting for OpenMV DFU bootloader", WAIT_MS);
	enter(v);
	ok(shows(v, "Still waiting for OpenMV DFU bootloader 37C5:9204: not seen yet."),
	   "Enter at a waiting prompt with nothing attached says what it still waits for");
	ok(shows(v, "openmv-rescue - Your turn"), "and the prompt stays");
	vt_free(v);
}
