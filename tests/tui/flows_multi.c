/* flows_multi.c — several cameras of one board at once through the wizard ("All N" on the
 * detect screen), with the real runner against three virtual H7s, the third unplugged
 * mid-write (openmv-rescue-sim's unplug@byte=N): a row per camera on the progress and result
 * screens, one section per camera in the saved log, and the memories from --dump. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "flows.h"

#define FW "build/OPENMV4/bin/firmware.bin"

/* The saved log in HOME (openmv-rescue-*.log), read whole; NULL when there is none. */
static char *saved_log(void)
{
	DIR *dir = opendir(home);
	struct dirent *e;
	char path[1024] = "";
	while (dir && (e = readdir(dir)))
		if (!strncmp(e->d_name, "openmv-rescue-", 14) && strstr(e->d_name, ".log"))
			snprintf(path, sizeof path, "%s/%s", home, e->d_name);
	if (dir)
		closedir(dir);
	FILE *f = path[0] ? fopen(path, "r") : NULL;
	if (!f)
		return NULL;
	static char text[256 * 1024];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static int count(const char *text, const char *what)
{
	int n = 0;
	for (const char *s = text; s && (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

void flow_e2e_h7_all(void)
{
	mkdirs("build/OPENMV4/bin");
	/* 400 KB so that the progress screen is up long enough to be read */
	write_image(FW, 0x20020000u, 0x08040201u, 400000);
	const char *opts[] = {"--camera", "OPENMV4:bootloader,serial=TUICAM2", "--camera",
	                      "OPENMV4:bootloader,serial=TUICAM3", "--fault", "OPENMV4-3:unplug@byte=200000",
	                      NULL};
	struct vt *v = start_sim_dump("OPENMV4:bootloader,serial=TUICAM1", opts, "OpenMV DFU bootloader");
	ok(wait_or_result(v, "All 3 OpenMV Cam H7 cameras at once - flash firmware", WAIT_MS),
	   "all: the detect screen offers the three H7s at once");
	ok(vt_select(v, "All 3 OpenMV Cam H7") == 0, "all: the item can be chosen");
	enter(v);
	ok(shows(v, "Files for flash on the OpenMV Cam H7"), "all: accepting goes to the files");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "openmv-rescue - Confirm"), "all: then to the confirm screen");
	ok(shows(v, "On 3 cameras at once, each on its own:") && shows(v, "serial TUICAM3"),
	   "all: ... which names the three cameras");
	enter(v); /* Start */
	ok(wait_or_result(v, "flash on 3 OpenMV Cam H7 cameras at once", WAIT_MS),
	   "all: the progress screen is about the three cameras");
	ok(wait_or_result(v, "TUICAM2", WAIT_MS) && vt_contains(v, "TUICAM1") && vt_contains(v, "TUICAM3"),
	   "all: ... with a row for each camera");
	ok(vt_wait_text(v, "openmv-rescue - Result", 60000) == 0, "all: the runs end on the result screen");
	ok(shows(v, "Done on 2 of 3 cameras."), "all: the result counts the cameras done");
	ok(shows(v, "TUICAM1                    ok") && shows(v, "TUICAM2                    ok"),
	   "all: a row per camera: the first two ok");
	ok(shows(v, "TUICAM3                    FAILED"), "all: ... the unplugged one failed");
	ok(vt_contains(v, "verified"), "all: ... and the rows say verified");
	vt_type(v, "s");
	ok(wait_or_result(v, "Log saved to", WAIT_MS), "all: the log is saved");
	char *log = saved_log();
	ok(log && count(log, "---- camera TUICAM") == 3, "all: the log has one section per camera");
	ok(log && strstr(log, "---- camera TUICAM3: failed") && strstr(log, "disconnected"),
	   "all: ... the third says it failed and why");
	vt_type(v, "q");
	int status = -1;
	ok(vt_wait_exit(v, WAIT_MS, &status) == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	   "all: the wizard ends with status 1 (one camera failed)");
	vt_free(v);
	ok(dump_holds("OPENMV4.flash.bin", 0x40000, FW), "all: the first camera holds firmware.bin");
	ok(dump_holds("OPENMV4-2.flash.bin", 0x40000, FW), "all: the second camera holds firmware.bin");
	ok(!dump_holds("OPENMV4-3.flash.bin", 0x40000, FW), "all: the unplugged camera does not");
}
