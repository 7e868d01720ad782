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
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"

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
	{"release-zip", flow_release_zip, false},
	{"download-declined", flow_download_declined, false},
	{"download-flash", flow_download_flash, true},
	{"run-and-log", flow_run_and_log, false},
	{"resize", flow_resize, false},
	{"c-locale", flow_c_locale, false},
	{"colour", flow_colour, false},
	{"cancel", flow_cancel, false},
	{"crash", flow_crash, false},
	{"practice-missing", flow_practice_missing, false},
	{"sim-bootloader", flow_sim_bootloader, true},
	{"sim-identity", flow_sim_identity, true},
	{"sim-st-rom", flow_sim_st_rom, true},
	{"sim-plug-unplug", flow_sim_plug_unplug, true},
	{"practice", flow_practice, true},
	{"detect-no-permission", flow_detect_no_permission, true},
	{"run-restore-prompt", flow_run_restore_prompt, false},
	{"run-cancel", flow_run_cancel, false},
	{"run-resize", flow_run_resize, false},
	{"run-typed", flow_run_typed, false},
	{"run-fail", flow_run_fail, false},
	{"run-options", flow_run_options, false},
	{"e2e-h7-erase-fs", flow_e2e_h7_erase_fs, true},
	{"e2e-h7-restore", flow_e2e_h7_restore, true},
	{"e2e-ae3-flash", flow_e2e_ae3_flash, true},
	{"e2e-portenta-flash", flow_e2e_portenta_flash, true},
	{"e2e-cancel-mid-flash", flow_e2e_cancel_mid_flash, true},
	{"e2e-resize-progress", flow_e2e_resize_progress, true},
	{"e2e-rt1062-flash", flow_e2e_rt1062_flash, true},
	{"e2e-rt1062-erase-fs", flow_e2e_rt1062_erase_fs, true},
	{"e2e-rt1062-restore", flow_e2e_rt1062_restore, true},
	{"e2e-rt1062-detect", flow_e2e_rt1062_detect, true},
	{"e2e-n6-restore", flow_e2e_n6_restore, true},
	{"e2e-h7-running", flow_e2e_h7_running, true},
	{"e2e-ae3-hard-maintenance", flow_e2e_ae3_hard_maintenance, true},
	{"result-long-note", flow_result_long_note, true},
	{"e2e-nano33", flow_e2e_nano33, true},
	{"e2e-nano33-stock", flow_e2e_nano33_stock, true},
	{"e2e-nano-rp2040", flow_e2e_nano_rp2040, true},
	{"e2e-late-confirm", flow_e2e_late_confirm, true},
	{"e2e-vanish-set-interface", flow_e2e_vanish_set_interface, true},
	{"wrap-confirm", flow_wrap_confirm, false},
	{"wrap-camera", flow_wrap_camera, false},
	{"symptom", flow_symptom, false},
	{"erase-fs-choice", flow_erase_fs_choice, false},
	{"terminals", flow_terminals, false},
	{"practice-walk", flow_practice_walk, true},
	{"practice-rom-sample", flow_practice_rom_sample, true},
	{"practice-replug", flow_practice_replug, true},
	{"practice-typed", flow_practice_typed, true},
	{"practice-soak", flow_practice_soak, true},
	{"waiting-enter", flow_waiting_enter, true},
	{"e2e-h7-deaf-reset", flow_e2e_h7_deaf_reset, true},
	{"e2e-h7-all", flow_e2e_h7_all, true},
	{"e2e-h7-bootloader-stays", flow_e2e_h7_bootloader_stays, true},
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
		printf("Bail out! no temporary directory in %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	int found = 0;
	for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++)
		if (!strcmp(flows[i].name, argv[3])) {
			found = 1;
			if (flows[i].needs_sim && !sim) {
				/* a TAP plan of 0 with SKIP: meson counts the test as skipped */
				printf("1..0 # SKIP openmv-rescue-sim was not built (umockdev missing)\n");
				remove_home();
				return 0;
			}
			flows[i].run();
		}
	remove_home();
	if (!found) {
		fprintf(stderr, "test_wizard: unknown flow %s\n", argv[3]);
		return 2;
	}
	return flows_done();
}
