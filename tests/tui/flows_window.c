/* flows_window.c — the wizard when a person is slow and a camera leaves: the openmv_dfu
 * bootloader's 1.5 s power-up window closes while the confirm screen waits (only a download
 * or an upload holds it: openmv/openmv:boot/src/common/main.c, dfu.c), and a camera that
 * vanishes just before SET_INTERFACE (libusb 1.0.26 aborts on the close that follows,
 * libusb/libusb issue #1199).  Memories are checked from the simulator's --dump. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flows.h"

#define PERSON_READS_MS 3000 /* twice the bootloader's window */

/* The result screen, then its text (the screen's title may be drawn before its body). */
static bool result_says(struct vt *v, const char *text)
{
	bool yes = vt_wait_text(v, "openmv-rescue - Result", 30000) == 0 && vt_wait_text(v, text, WAIT_MS) == 0;
	if (!yes) {
		printf("# expected on the result screen: \"%s\"\n", text);
		vt_dump(v, stdout);
	}
	return yes;
}

void flow_e2e_late_confirm(void)
{
	char load[700];
	write_pattern("fs.img", 8192, 7, NULL, 0);
	snprintf(load, sizeof load, "alt1=%s/fs.img", home);
	const char *const opts[] = {"--load", load, NULL};
	struct vt *v = start_sim_dump("OPENMV4:power-up,after-leave=firmware", opts, "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	ok(shows(v, "openmv-rescue - Confirm"), "late confirm: the confirm screen waits for the person");
	usleep(PERSON_READS_MS * 1000); /* meanwhile the window closes and the firmware starts */
	enter(v); /* Start */
	ok(result_says(v, "Done: OpenMV Cam H7 erase-fs"), "late confirm: the erase still runs to the end");
	ok(quit_for_dump(v), "late confirm: the wizard ends normally");
	vt_free(v);
	ok(dump_is("OPENMV4.flash.bin", 0x20000, 4096, 0), "late confirm: the filesystem starts with 4 KiB of zeros");
}

void flow_e2e_vanish_set_interface(void)
{
	char load[700];
	write_pattern("fs.img", 8192, 9, NULL, 0);
	snprintf(load, sizeof load, "alt1=%s/fs.img", home);
	const char *const opts[] = {"--load", load, "--fault", "vanish@claim=1", NULL};
	struct vt *v = start_sim_dump("OPENMV4:bootloader", opts, "OpenMV DFU bootloader");
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	ok(result_says(v, "left USB before alt 1"), "vanished: the result names what happened");
	ok(vt_contains(v, "plug it in again"), "vanished: and what to do");
	vt_type(v, "q");
	int status = -1;
	bool ended = vt_wait_exit(v, WAIT_MS, &status) == 0;
	ok(ended && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	   "vanished: the wizard was still alive and ends with status 1, the run's (wait status %d)", status);
	vt_free(v);
	ok(dump_holds("OPENMV4.flash.bin", 0x20000, "fs.img"), "vanished: the filesystem is untouched");
}
