/* flows_reset.c — entering and leaving the bootloader in the wizard.  A running camera that
 * ignores the reset request (a main.py that never lets go of the USB, firmware that does not
 * answer): after the request and the touch go unheard, the same run shows the replug prompt,
 * and the bootloader that comes up when the person replugs (SIGUSR1 to openmv-rescue-sim) is
 * caught at power-up.  A bootloader that stays after the last write: the result says so. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"

#define RESET_PROMPT_MS 30000 /* the request, the touch and their waits come first */

/* The first 4 KiB of the H7's filesystem (alt 1 at 0x08020000) in the dump are zeros. */
static bool fs_erased(void)
{
	char path[700];
	snprintf(path, sizeof path, "%s/dump/OPENMV4.flash.bin", home);
	FILE *f = fopen(path, "rb");
	uint8_t buf[4096];
	bool zeros = f && !fseek(f, 0x20000, SEEK_SET) && fread(buf, 1, sizeof buf, f) == sizeof buf;
	for (size_t i = 0; zeros && i < sizeof buf; i++)
		zeros = buf[i] == 0;
	if (f)
		fclose(f);
	return zeros;
}

void flow_e2e_h7_deaf_reset(void)
{
	char dump[600];
	snprintf(dump, sizeof dump, "%s/dump", home);
	mkdirs("dump");
	char *argv[] = {(char *)sim, "--camera", "OPENMV4:firmware,reset=none", "--dump", dump, "--",
	                (char *)program, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "running firmware");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	ok(vt_contains(v, "openmv-rescue - Confirm"), "deaf H7: erase-fs goes to the confirm screen");
	enter(v); /* Start */
	bool prompt = vt_wait_text(v, "Unplug the camera", RESET_PROMPT_MS) == 0;
	if (!prompt)
		vt_dump(v, stdout);
	ok(prompt, "deaf H7: the reset went unheard, so the run asks for a replug");
	ok(!vt_contains(v, "run the same action again"), "deaf H7: it does not end the run");
	vt_kill(v, SIGUSR1); /* the person unplugs the camera and plugs it in again */
	bool done = vt_wait_text(v, "openmv-rescue - Result", 30000) == 0 &&
	            vt_contains(v, "Done: OpenMV Cam H7 erase-fs");
	if (!done)
		vt_dump(v, stdout);
	ok(done, "deaf H7: the bootloader caught at power-up, the erase done in the same run");
	vt_type(v, "q");
	int status = -1;
	vt_wait_exit(v, WAIT_MS, &status);
	vt_free(v);
	ok(fs_erased(), "deaf H7: the filesystem's first 4 KiB are zeros");
}

/* A bootloader before 1.0.2 entered on request ignores DETACH (bl=1.0.1, tests/sim/README.md):
 * the result says the camera must be replugged to start its firmware. */
void flow_e2e_h7_bootloader_stays(void)
{
	struct vt *v = start_sim("OPENMV4:bootloader,bl=1.0.1", "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	bool done = vt_wait_text(v, "openmv-rescue - Result", 30000) == 0 &&
	            vt_contains(v, "Done: OpenMV Cam H7 erase-fs");
	ok(done, "bootloader 1.0.1: the erase itself is done");
	bool said = vt_contains(v, "camera stayed in its bootloader: unplug it and plug it back in");
	if (!said)
		vt_dump(v, stdout);
	ok(said, "bootloader 1.0.1: the result says to replug the camera to start its firmware");
	vt_type(v, "q");
	int status = -1;
	vt_wait_exit(v, WAIT_MS, &status);
	vt_free(v);
}
