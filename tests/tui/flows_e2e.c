/* flows_e2e.c — whole recoveries through the wizard against a virtual camera
 * (openmv-rescue-sim) with the real runner and executors.
 *
 * They need the DFU and DfuSe executors in the build.  Until those are there, the runner
 * refuses before touching anything ("... is not available yet in this build") and these
 * flows are skipped: their checks are collected while the flow runs and only reported when
 * the run really happened.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

#define MAX_CHECKS 24

static struct {
	bool pass[MAX_CHECKS];
	char name[MAX_CHECKS][120];
	int n;
} pending;

static void check(bool cond, const char *name)
{
	if (pending.n < MAX_CHECKS) {
		pending.pass[pending.n] = cond;
		snprintf(pending.name[pending.n++], sizeof pending.name[0], "%s", name);
	}
}

/* Report the collected checks, or skip the flow when this build cannot run the steps. */
static void finish(struct vt *v)
{
	if (vt_contains(v, "is not available")) {
		flows_skip("the DFU executors are not in this build yet; the runner refused before "
		           "writing anything");
		return;
	}
	for (int i = 0; i < pending.n; i++)
		ok(pending.pass[i], "%s", pending.name[i]);
}

/* Wait for text; give up early when the run has already ended on the result screen. */
static bool wait_for(struct vt *v, const char *text, int ms)
{
	for (int waited = 0; waited < ms; waited += 100) {
		if (vt_wait_text(v, text, 100) == 0)
			return true;
		if (vt_contains(v, "openmv-rescue - Result"))
			return vt_contains(v, text);
	}
	return false;
}

static bool run_to_result(struct vt *v)
{
	enter(v); /* Start */
	return vt_wait_text(v, "openmv-rescue - Result", 30000) == 0;
}

void flow_e2e_h7_erase_fs(void)
{
	struct vt *v = start_sim("OPENMV4:bootloader", "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	check(vt_contains(v, "openmv-rescue - Confirm"), "H7 erase-fs: straight to the confirm screen");
	check(run_to_result(v), "H7 erase-fs: the run ends on the result screen");
	check(vt_contains(v, "Done: OpenMV Cam H7 erase-fs: all 3 steps done"), "H7 erase-fs: done");
	finish(v);
	vt_free(v);
}

void flow_e2e_h7_restore(void)
{
	mkdirs("build/OPENMV4/bin");
	write_image("build/OPENMV4/bin/bootloader.bin", 0x20020000u, 0x08000201u, 4096);
	/* the bootloader first; when it leaves after its power-up window the ST ROM appears,
	 * as when the BOOT-RST jumper is on at the next reset (tests/sim/host/camera.h) */
	struct vt *v = start_sim("OPENMV4:power-up,after-leave=st-rom", "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Restore the bootloader");
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	check(wait_for(v, "Waiting for ST ROM DFU 0483:df11", 10000),
	      "H7 restore: the BOOT-RST prompt waits for the ST ROM");
	check(wait_for(v, "Step 2 of 3", 15000), "H7 restore: it moves on by itself when the ST ROM appears");
	bool last = wait_for(v, "Remove the jumper wire between BOOT and RST.", 30000);
	check(last, "H7 restore: then asks to remove the jumper");
	/* the virtual camera keeps its jumper on (after-leave=st-rom): the prompt sees the ROM */
	check(wait_for(v, "Waiting for the camera to start without the ST ROM DFU ... not yet", 5000),
	      "H7 restore: the remove-jumper prompt waits for the camera without the ST ROM");
	check(wait_for(v, "Seen instead: ST ROM DFU 0483:df11 - the camera is still in the ST ROM", 5000),
	      "H7 restore: the remove-jumper prompt sees the ST ROM still there and says so");
	if (last)
		enter(v);
	check(vt_contains(v, "openmv-rescue - Your turn") && vt_contains(v, "press Enter again to go on anyway"),
	      "H7 restore: Enter while the ROM is still seen does not go on at once");
	if (last)
		enter(v); /* the person insists */
	check(vt_wait_text(v, "openmv-rescue - Result", 10000) == 0, "H7 restore: the result screen follows");
	check(vt_contains(v, "Done: OpenMV Cam H7 restore-bootloader"), "H7 restore: done");
	finish(v);
	vt_free(v);
}

void flow_e2e_ae3_flash(void)
{
	mkdirs("build/OPENMV_AE3/bin");
	const char *const images[] = {"firmware_M55_HP.bin", "firmware_M55_HE.bin", "romfs0.img", "romfs1.img"};
	for (int i = 0; i < 4; i++) {
		char rel[200];
		snprintf(rel, sizeof rel, "build/OPENMV_AE3/bin/%s", images[i]);
		write_image(rel, 0, 0, 16384);
	}
	struct vt *v = start_sim("OPENMV_AE3:bootloader", "OpenMV DFU bootloader");
	vt_watch(v, " --"); /* every screen of the flash */
	enter(v); /* the proposal: flash firmware */
	check(vt_contains(v, "firmware_M55_HP.bin") && vt_contains(v, "romfs1.img"), "AE3: four images found");
	vt_select(v, "Continue");
	enter(v);
	check(vt_contains(v, "Write build/OPENMV_AE3/bin/romfs0.img to alt 6 (ROMFS0), then restart"),
	      "AE3: --reset only on the last of the four writes");
	check(run_to_result(v), "AE3: the run ends on the result screen");
	check(vt_contains(v, "Done: OpenMV AE3 flash: all 5 steps done"), "AE3: all four images written");
	check(!vt_watch_seen(v), "AE3 flash: no screen tells the person to pass a flag");
	finish(v);
	vt_free(v);
}

void flow_e2e_portenta_flash(void)
{
	mkdirs("build/ARDUINO_PORTENTA_H7/bin");
	/* the Portenta links firmware at 0x08040000 with its stack in DTCM, like the H7 */
	write_h7_firmware("build/ARDUINO_PORTENTA_H7/bin/firmware.bin");
	write_image("build/ARDUINO_PORTENTA_H7/bin/romfs0.img", 0, 0, 8192);
	struct vt *v = start_sim("ARDUINO_PORTENTA_H7:arduino-dfu", "Arduino DFU bootloader");
	vt_watch(v, " --"); /* every screen of the flash */
	enter(v);
	vt_select(v, "Continue");
	enter(v);
	check(vt_contains(v, "at 0x08040000"), "Portenta: firmware written by address");
	check(run_to_result(v), "Portenta: the run ends on the result screen");
	check(vt_contains(v, "Done: Arduino Portenta H7 flash"), "Portenta: done");
	check(!vt_watch_seen(v), "Portenta flash: no screen tells the person to pass a flag");
	finish(v);
	vt_free(v);
}

/* The H7 with a large firmware and realistic timing: long enough to act during the write. */
static struct vt *start_long_sim_flash(void)
{
	mkdirs("build/OPENMV4/bin");
	write_image("build/OPENMV4/bin/firmware.bin", 0x20020000u, 0x08040201u, 1536 * 1024);
	char *argv[] = {(char *)sim, "--timing", "realistic", "--camera", "OPENMV4:bootloader", "--",
	                (char *)program, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "OpenMV DFU bootloader");
	enter(v);
	vt_select(v, "Continue");
	enter(v);
	enter(v); /* Start */
	/* delta mode reads the firmware's sectors back first (its own progress, up to 1.5 MiB),
	 * then says how many it writes: the write is under way once its progress moves */
	wait_for(v, "already held the image", 15000);
	wait_for(v, "KiB of 1.5 MiB", 15000);
	return v;
}

void flow_e2e_cancel_mid_flash(void)
{
	struct vt *v = start_long_sim_flash();
	if (vt_contains(v, "is not available")) { /* refused: Esc would leave the result screen */
		finish(v);
		vt_free(v);
		return;
	}
	check(vt_contains(v, "KiB of 1.5 MiB"), "cancel: the transfer is under way");
	vt_key(v, VTERM_KEY_ESCAPE);
	check(vt_contains(v, "Stop the run?"), "cancel: Esc asks");
	vt_type(v, "y");
	check(vt_wait_text(v, "openmv-rescue - Result", 30000) == 0, "cancel: the run stops");
	check(vt_contains(v, "Cancelled:"), "cancel: at a safe point, and says so");
	finish(v);
	vt_free(v);
}

void flow_e2e_resize_progress(void)
{
	struct vt *v = start_long_sim_flash();
	check(vt_contains(v, "KiB of 1.5 MiB"), "resize: the transfer is under way");
	vt_resize(v, 30, 100);
	check(box_corner(v, 29, 99, 0x2518) && vt_contains(v, "Step 2 of"), "resize: redrawn larger during progress");
	vt_resize(v, 24, 80);
	check(box_corner(v, 23, 79, 0x2518), "resize: and at 80x24 again");
	check(vt_wait_text(v, "openmv-rescue - Result", 60000) == 0, "resize: the run ends on the result screen");
	finish(v);
	vt_free(v);
}
