/* flows_run.c — the run screens against the scripted runner (fake_runner.c,
 * $FAKE_RUN): hardware prompts, progress, typed confirmation, cancel, resize, failure. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

static struct vt *start_fake(const char *script)
{
	char env[200];
	snprintf(env, sizeof env, "FAKE_RUN=%s", script);
	const char *extra[] = {env, NULL};
	return start_env("C.UTF-8", extra, 24, 80);
}

void flow_run_restore_prompt(void)
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
	ok(shows(v, "This step cannot see it happen from here"), "and says it cannot check");
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

void flow_run_cancel(void)
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

void flow_run_resize(void)
{
	struct vt *v = start_long_flash();
	vt_resize(v, 30, 100);
	ok(box_corner(v, 29, 99, 0x2518), "during progress, a larger terminal is filled");
	ok(vt_wait_text(v, "Step 2 of 2", WAIT_MS) == 0 && shows(v, "KiB of 7.8 MiB"), "progress is still shown");
	vt_resize(v, 24, 80);
	ok(box_corner(v, 23, 79, 0x2518) && shows(v, "Step 2 of 2"), "and at 80x24 again");
	vt_free(v);
}

void flow_run_typed(void)
{
	mkdirs("build/OPENMV_RT1060/bin");
	/* the RAM flashloader starts with an i.MX RT IVT header, D1 00 20 41 (reference §4) */
	write_image("build/OPENMV_RT1060/bin/sdphost_flash_loader.bin", 0x412000D1u, 0, 4096);
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
	vt_type(v, "BURN"); /* the field was emptied after the wrong word */
	enter(v);
	ok(vt_wait_text(v, "Remove the jumper from the SBL and 3.3V pins.", WAIT_MS) == 0,
	   "the word lets the run go on to the last prompt");
	enter(v);
	ok(vt_wait_text(v, "all 15 steps done", WAIT_MS) == 0, "and to the end");
	vt_free(v);
}

void flow_run_fail(void)
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
	v = start_fake("fail=2");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0 && shows(v, "1 of 3 steps was done."),
	   "one step done: the singular");
	vt_free(v);
}

/* The wizard runs on the options the command line parsed: --serial, --timeout and
 * --no-verify reach the runner (the scripted runner logs what it got). */
void flow_run_options(void)
{
	char env[] = "FAKE_RUN=present=2";
	const char *extra[] = {env, NULL};
	char *argv[] = {(char *)program, "--serial", "SN0123", "--timeout", "7", "--no-verify", NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", extra, 24, 80, "Find the camera");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0, "the run with command-line options ends");
	vt_type(v, "s");
	ok(vt_wait_text(v, "Log saved to", WAIT_MS) == 0, "its log is saved");
	char cmd[1400];
	snprintf(cmd, sizeof cmd, "grep -q 'run options: --serial SN0123 --timeout 7 --no-verify' "
	         "%s/openmv-rescue-*.log", home);
	ok(system(cmd) == 0, "the session log lists the run's options");
	snprintf(cmd, sizeof cmd, "grep -q 'fake runner got serial=SN0123 device_timeout_ms=7000 "
	         "no_verify=1' %s/openmv-rescue-*.log", home);
	ok(system(cmd) == 0, "the runner got --serial, --timeout (in ms) and --no-verify");
	vt_free(v);
}
