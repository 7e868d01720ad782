/* flows_screens.c — the wizard's screens without a device: navigation, choices, files,
 * the path to the confirm screen, resize, locales, colour, quitting and signals. */
#include <glob.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

void flow_first_screen(void)
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

void flow_navigation(void)
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

void flow_actions(void)
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
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_select(v, "OPENMV_AE3 ");
	enter(v);
	vt_select(v, "Initialise the MRAM");
	ok(shows(v, "Special AE3 builds with an Everspin MRAM"), "on the AE3 it says when, in boards.ini's init_mram.when");
	vt_free(v);
}

void flow_wrong_file(void)
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

void flow_dry_path(void)
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

void flow_ide_folder(void)
{
	mkdirs("openmvide/share/qtcreator/firmware/OPENMV3");
	/* the M7 links firmware at 0x08020000, stack up to 0x20080000 (boards.ini OPENMV3) */
	write_image("openmvide/share/qtcreator/firmware/OPENMV3/firmware.bin", 0x20080000u, 0x08020201u, 4096);
	struct vt *v = start();
	to_action(v, "OPENMV3 ", "Flash firmware");
	ok(shows(v, "from OpenMV IDE"), "firmware.bin is found in an OpenMV IDE folder under $HOME");
	/* a folder the person names: the H7's firmware in myfw/ */
	mkdirs("myfw");
	write_h7_firmware("myfw/firmware.bin");
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_key(v, VTERM_KEY_ESCAPE);
	vt_select(v, "OPENMV4 ");
	enter(v);
	vt_select(v, "Flash firmware");
	enter(v);
	ok(shows(v, "missing"), "the H7 has no image anywhere yet");
	vt_select(v, "Look in a folder...");
	enter(v);
	vt_type(v, "myf\t");
	ok(shows(v, "myfw/"), "Tab completes the folder name");
	enter(v);
	ok(shows(v, "Looked for the images in myfw.") && shows(v, "from your folder"),
	   "a chosen folder is searched by image name");
	vt_free(v);
}

void flow_run_and_log(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v);
	/* no camera is connected: the run waits for the bootloader with a replug prompt */
	ok(vt_wait_text(v, "Waiting for OpenMV DFU bootloader 37C5:9204", WAIT_MS) == 0,
	   "with no camera the run asks for a replug and waits for the bootloader");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(shows(v, "Stop the run?"), "Esc at the prompt asks whether to stop");
	vt_type(v, "y");
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "stopping ends on the result screen");
	ok(shows(v, "Cancelled: stopped while waiting") && shows(v, "Nothing more is written"),
	   "the result says the run was stopped while waiting, before writing");
	vt_type(v, "s");
	/* the path is shown whole, wrapped on the rows after the words */
	ok(shows(v, "Log saved to") && shows(v, " /"), "s saves the session log and shows its absolute path");
	char cmd[2600];
	snprintf(cmd, sizeof cmd, "grep -q 'action: erase-fs on OPENMV4' %s/openmv-rescue-*.log && "
	         "grep -q 'run ended: stopped while waiting.*(cancelled)' %s/openmv-rescue-*.log", home, home);
	ok(system(cmd) == 0, "the log holds the choices and the outcome");
	snprintf(cmd, sizeof cmd, "grep -Eq 'session log, [0-9]{4}-[0-9]{2}-[0-9]{2} .*wizard' %s/openmv-rescue-*.log && "
	         "grep -q '] libusb 1' %s/openmv-rescue-*.log && "
	         "grep -q 'classic: # ' %s/openmv-rescue-*.log && "
	         "test \"$(stat -c %%a %s/openmv-rescue-*.log)\" = 600", home, home, home, home);
	ok(system(cmd) == 0, "the wizard's log is the same as --log's: date, versions, classic commands, mode 0600");
	vt_type(v, "r");
	ok(vt_wait_text(v, "Recording saved: its path is at the end", WAIT_MS) == 0,
	   "r saves a recording of the run for support");
	snprintf(cmd, sizeof cmd, "grep -q '\"format\":\"openmv-rescue-recording\"' %s/openmv-rescue-*.jsonl && "
	         "grep -q '\"action\":\"erase-fs\"' %s/openmv-rescue-*.jsonl && "
	         "grep -q '\"kind\":\"end\",\"exit_status\":3' %s/openmv-rescue-*.jsonl && "
	         "test \"$(stat -c %%a %s/openmv-rescue-*.jsonl)\" = 600", home, home, home, home);
	ok(system(cmd) == 0, "the recording has its header, the action, how the run ended, mode 0600");
	vt_type(v, "q");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	   "a run stopped by the person exits with 3");
	vt_free(v);
}

void flow_resize(void)
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

void flow_c_locale(void)
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

void flow_colour(void)
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

void flow_cancel(void)
{
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	vt_ctrl(v, 'c');
	ok(shows(v, "Quit openmv-rescue?"), "Ctrl-C asks before quitting");
	vt_type(v, "n");
	ok(shows(v, "openmv-rescue - Confirm") && !vt_contains(v, "Quit openmv-rescue?"), "n keeps going");
	vt_kill(v, SIGTERM);
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	   "SIGTERM ends the wizard with exit status 3 (cancelled)");
	ok(terminal_restored(v), "the terminal is restored after SIGTERM");
	ok(vt_contains(v, "stopped by SIGTERM; what happened is in"), "SIGTERM: the session log's path is printed");
	vt_free(v);
	/* an SSH session dropping: the same, and the log is a new file only its owner reads */
	v = start();
	vt_kill(v, SIGHUP);
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	   "SIGHUP ends the wizard with exit status 3");
	ok(vt_contains(v, "stopped by SIGHUP; what happened is in"), "SIGHUP: the session log's path is printed");
	char pattern[600];
	glob_t g = {0};
	snprintf(pattern, sizeof pattern, "%s/openmv-rescue-*.log", home);
	struct stat st;
	bool private = glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc >= 2;
	for (size_t i = 0; private && i < g.gl_pathc; i++)
		private = stat(g.gl_pathv[i], &st) == 0 && (st.st_mode & 0777) == 0600;
	ok(private, "the session logs left by the signals have mode 0600");
	globfree(&g);
	vt_free(v);
}

void flow_crash(void)
{
	struct vt *v = start();
	vt_kill(v, SIGSEGV);
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFSIGNALED(status), "a crash ends the wizard");
	ok(terminal_restored(v), "the terminal is restored after a crash");
	vt_free(v);
}

/* The files screen takes a release zip as it takes a folder (src/plan/release_src.h): this
 * board's images are copied out of it and picked by name; a zip without the board is
 * refused with the boards it has. */
void flow_release_zip(void)
{
	mkdirs("zips/OPENMV4");
	write_h7_firmware("zips/OPENMV4/firmware.bin");
	char cmd[2600];
	snprintf(cmd, sizeof cmd, "cd '%s/zips' && python3 -c \"import zipfile; z = zipfile.ZipFile('../fw.zip', 'w'); "
	         "z.write('OPENMV4/firmware.bin'); z.close(); z = zipfile.ZipFile('../m7.zip', 'w'); "
	         "z.writestr('OPENMV3/firmware.bin', b'x' * 64); z.close()\"", home);
	if (system(cmd) != 0) {
		flows_skip("python3 cannot write the test's zips");
		return;
	}
	struct vt *v = start();
	to_action(v, "OPENMV4 ", "Flash firmware");
	vt_select(v, "Look in a folder or a release zip...");
	enter(v);
	vt_type(v, "m7.zip\n");
	ok(shows(v, "Refused:") && shows(v, "no folder for OPENMV4; it has: OPENMV3"),
	   "a zip without the board is refused, naming the boards it has");
	vt_select(v, "Look in a folder or a release zip...");
	enter(v);
	vt_type(v, "fw.zip\n");
	ok(shows(v, "Looked for the images in the zip fw.zip (its folder OPENMV4).") &&
	   shows(v, "from your folder"), "a release zip: the board's firmware.bin is picked from its folder");
	vt_free(v);
}
