/* flows_sim.c — the wizard with a virtual camera (openmv-rescue-sim): detection,
 * proposals, plug and unplug, practice mode. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

void flow_sim_bootloader(void)
{
	struct vt *v = start_sim("OPENMV4:bootloader", "OpenMV DFU bootloader");
	ok(shows(v, "OpenMV Cam H7 - OpenMV DFU bootloader 1.0.2 (37C5:9204)"),
	   "the virtual H7's bootloader is named, with its version (bcdDevice 0x0102)");
	ok(shows(v, "serial 003300293532511038373636"), "and its serial number, the chip's unique ID");
	ok(highlighted(v, "OpenMV Cam H7 is in its bootloader - flash firmware?"), "and flashing it is proposed first");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose the files") && shows(v, "Files for flash on the OpenMV Cam H7"),
	   "accepting the proposal goes straight to the files");
	vt_key(v, VTERM_KEY_ESCAPE);
	ok(highlighted(v, "Flash firmware"), "back on the action screen, the proposed action is chosen");
	vt_free(v);
}

/* The confirm screen says what the identity check finds on the connected camera. */
void flow_sim_identity(void)
{
	struct vt *v = start_sim("OPENMV4:bootloader,impostor", "OpenMV DFU bootloader");
	to_action(v, "OpenMV Cam H7", "Erase the internal filesystem");
	ok(shows(v, "openmv-rescue - Confirm"), "erase-fs reaches the confirm screen");
	ok(shows(v, "Device: this device's alt 2 is named 'Flash', not FIRMWARE"),
	   "the impostor's alt 2 is named before anything starts");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", 20000) == 0 && shows(v, "Nothing was written. Do what the message above says"),
	   "starting anyway fails at the identity check with nothing written, and says what to check");
	vt_free(v);
	v = start_sim("OPENMV4:bootloader", "OpenMV DFU bootloader");
	to_action(v, "OpenMV Cam H7", "Erase the internal filesystem");
	ok(shows(v, "Device: it is what boards.ini expects") && shows(v, "FILESYSTEM, FIRMWARE, ROMFS0"),
	   "the genuine bootloader is confirmed, with its alts");
	vt_free(v);
}

void flow_sim_st_rom(void)
{
	struct vt *v = start_sim("OPENMV4:st-rom", "ST ROM DFU");
	/* boards.ini gives 0483:DF11 to seven boards: OPENMV1 to OPENMVPT and OPENMV_N6 */
	ok(shows(v, "OpenMV Cam M4 or 6 other boards - ST ROM DFU (0483:DF11)"),
	   "the ST ROM is named, shared by all seven boards that have it");
	ok(highlighted(v, "One of 7 boards is in the ST ROM bootloader - restore the bootloader?"),
	   "restoring the bootloader is proposed, with the true count of boards");
	enter(v);
	ok(shows(v, "openmv-rescue - Choose the camera"), "the person says which camera it is");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(highlighted(v, "Restore the bootloader"), "with the proposed action preselected");
	vt_free(v);
}

void flow_sim_plug_unplug(void)
{
	/* the bootloader after power-up jumps to the firmware after 1.5 s without a DFU request
	 * (tests/sim/host/camera.h "power-up") */
	struct vt *v = start_sim("OPENMV4:power-up,after-leave=firmware", "OpenMV DFU bootloader");
	ok(shows(v, "OpenMV Cam H7 - OpenMV DFU bootloader"), "the bootloader appears");
	ok(vt_wait_text(v, "OpenMV Cam H7 - running firmware (37C5:1204)", WAIT_MS) == 0,
	   "when it leaves, the running firmware appears by itself");
	ok(!vt_contains(v, "OpenMV DFU bootloader"), "and the bootloader is gone from the list");
	ok(highlighted(v, "OpenMV Cam H7 is running its firmware - update the firmware?"),
	   "the proposal follows the device");
	vt_free(v);
}

void flow_practice(void)
{
	struct vt *v = start();
	vt_select(v, "Practise on a virtual camera");
	enter(v);
	ok(shows(v, "Which camera should the virtual camera be?"), "practice asks which camera to simulate");
	ok(shows(v, "(no model yet)"), "boards the simulator cannot model are greyed");
	char row[400] = "";
	int r = vt_highlighted_row(v);
	if (r >= 0)
		vt_row(v, r, row, sizeof row);
	ok(r >= 0 && !strstr(row, "(no model yet)"), "the list starts on a camera that has a virtual model");
	vt_select(v, "OPENMV4 ");
	enter(v);
	ok(vt_wait_text(v, "PRACTICE (virtual camera)", WAIT_MS) == 0, "the wizard re-runs itself in practice mode");
	ok(vt_wait_text(v, "OpenMV Cam H7 - OpenMV DFU bootloader", WAIT_MS) == 0, "and sees the virtual camera");
	ok(!vt_contains(v, "Practise on a virtual camera"), "practice is not offered again inside practice");
	vt_free(v);
}

void flow_practice_missing(void)
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
