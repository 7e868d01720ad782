/* flows_download.c — the files screen's download offer, against a local stand-in for GitHub's
 * releases API (tests/e2e/release_server.py on 127.0.0.1, given to the wizard through
 * OPENMV_RESCUE_MIRROR): from "no files" through the offer to a finished flash of the virtual
 * H7 with the downloaded images; and the offer declined, then no network (the server
 * stopped), the wizard working on offline with a folder of the person's own. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "flows.h"

static pid_t server = -1;
static char mirror[64], cache_env[600], mirror_env[100];

/* The fixture release firmware_v9.9.9.zip (OPENMV4/firmware.bin, OPENMV4/romfs0.img from
 * expect/), made with python3's zipfile; the images keep names the wizard does not look for. */
static bool make_release(void)
{
	mkdirs("expect");
	mkdirs("rel");
	write_pattern("expect/fw.bin", 40000, 7, (const uint8_t *)"\0\0\2\x20\x01\2\4\x08", 8);
	write_pattern("expect/romfs.img", 12000, 8, NULL, 0);
	char cmd[1600];
	snprintf(cmd, sizeof cmd, "cd '%s' && python3 -c \"import zipfile; z = zipfile.ZipFile('rel/firmware_v9.9.9.zip', 'w'); "
	         "z.write('expect/fw.bin', 'OPENMV4/firmware.bin'); z.write('expect/romfs.img', 'OPENMV4/romfs0.img'); "
	         "z.close()\"", home);
	return system(cmd) == 0;
}

/* release_server.py in the background; mirror and the environment the wizard gets */
static bool start_server(const char *mode)
{
	char port_file[600], log[600], zip[600];
	snprintf(port_file, sizeof port_file, "%s/port", home);
	snprintf(log, sizeof log, "%s/requests", home);
	snprintf(zip, sizeof zip, "%s/rel/firmware_v9.9.9.zip", home);
	unlink(port_file);
	server = fork();
	if (server == 0) {
		execlp("python3", "python3", RELEASE_SERVER, "--port-file", port_file, "--log", log,
		       "--mode", mode, "--tag", "v9.9.9", zip, (char *)NULL);
		_exit(127);
	}
	int port = 0;
	for (int i = 0; i < 100 && !port; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			if (fscanf(f, "%d", &port) != 1)
				port = 0;
			fclose(f);
		}
		if (!port)
			usleep(50000);
	}
	snprintf(mirror, sizeof mirror, "http://127.0.0.1:%d", port);
	snprintf(mirror_env, sizeof mirror_env, "OPENMV_RESCUE_MIRROR=%s", mirror);
	snprintf(cache_env, sizeof cache_env, "XDG_CACHE_HOME=%s/cache", home);
	return port > 0;
}

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	server = -1;
}

/* How many requests of the server's log start with prefix. */
static int requests(const char *prefix)
{
	char path[600], line[600];
	snprintf(path, sizeof path, "%s/requests", home);
	FILE *f = fopen(path, "r");
	int n = 0;
	while (f && fgets(line, sizeof line, f))
		n += !strncmp(line, prefix, strlen(prefix));
	if (f)
		fclose(f);
	return n;
}

static bool cached(void)
{
	char path[700];
	struct stat st;
	snprintf(path, sizeof path, "%s/cache/openmv-rescue/v9.9.9/firmware_v9.9.9.zip", home);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static bool prepare(void)
{
	if (system("python3 -c 'import http.server' 2>/dev/null") != 0) {
		flows_skip("python3 is not installed");
		return false;
	}
	if (!make_release() || !start_server("good")) {
		stop_server();
		flows_skip("the local release server did not start");
		return false;
	}
	return true;
}

void flow_download_flash(void)
{
	if (!prepare())
		return;
	char dump[600];
	snprintf(dump, sizeof dump, "%s/dump", home);
	mkdirs("dump");
	char *argv[] = {(char *)sim, "--camera", "OPENMV4:bootloader", "--dump", dump, "--", (char *)program, NULL};
	const char *extra[] = {mirror_env, cache_env, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", extra, 24, 80, "OpenMV DFU bootloader");
	vt_watch(v, " --"); /* no screen of the offer tells the person to pass a flag */
	enter(v); /* the proposal: flash firmware */
	ok(shows(v, "missing") && shows(v, "Download the OpenMV firmware for the OpenMV Cam H7..."),
	   "no images found: the files screen offers the download");
	ok(requests("GET") == 0, "nothing asked on the network before the offer is picked");
	vt_select(v, "Download the OpenMV firmware");
	enter(v);
	ok(vt_wait_text(v, "Download OpenMV firmware v9.9.9 for the OpenMV Cam H7 (", WAIT_MS) == 0,
	   "the offer names the release and the board, with its size");
	ok(requests("GET /storage/") == 0, "... and nothing is downloaded before the yes");
	vt_type(v, "y");
	ok(vt_wait_text(v, "Downloaded: firmware_v9.9.9.zip (its SHA-256 matches", WAIT_MS) == 0,
	   "yes: downloaded, its SHA-256 checked");
	ok(shows(v, "OK") && !vt_contains(v, "missing"), "the board's images are taken from the downloaded zip");
	ok(cached(), "the zip is kept in the cache");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "openmv-rescue - Confirm"), "on to the confirm screen");
	enter(v); /* Start */
	ok(vt_wait_text(v, "openmv-rescue - Result", 30000) == 0 && shows(v, "Done: OpenMV Cam H7 flash"),
	   "the flash with the downloaded images finishes");
	ok(!vt_watch_seen(v), "no screen tells the person to pass a flag");
	ok(quit_for_dump(v), "the wizard ends");
	ok(dump_holds("OPENMV4.flash.bin", 0x40000, "expect/fw.bin"),
	   "the downloaded firmware.bin is in the H7's flash at 0x08040000");
	vt_free(v);
	stop_server();
}

void flow_download_declined(void)
{
	if (!prepare())
		return;
	const char *extra[] = {mirror_env, cache_env, NULL};
	struct vt *v = start_env("C.UTF-8", extra, 24, 80);
	to_action(v, "OPENMV4 ", "Flash firmware");
	ok(shows(v, "Download the OpenMV firmware for the OpenMV Cam H7..."), "the offer is there");
	vt_select(v, "Download the OpenMV firmware");
	enter(v);
	ok(vt_wait_text(v, "Download OpenMV firmware v9.9.9 for the OpenMV Cam H7 (", WAIT_MS) == 0,
	   "the offer names the release");
	vt_type(v, "n");
	ok(vt_wait_text(v, "Not downloaded.", WAIT_MS) == 0, "n: not downloaded, said so");
	ok(requests("GET /storage/") == 0 && requests("GET /openmv/") == 0 && !cached(),
	   "declined: the asset is never asked for, nothing kept");
	/* no network: the offer says so in one line, with what to do instead */
	stop_server();
	vt_select(v, "Download the OpenMV firmware");
	enter(v);
	ok(vt_wait_text(v, "connection now: as the server described it last time", WAIT_MS) == 0,
	   "server gone: the offer comes from what the server said before, and says so");
	vt_type(v, "y");
	ok(wait_or_result(v, "Download failed: could not connect to http://127.0.0.1:", WAIT_MS) &&
	   shows(v, "pick it with \"Look in a folder or a release zip\""),
	   "no network: one line, and the way to use a zip the person has");
	ok(shows(v, "Try the download again (the last try failed)..."),
	   "after a failure the offer's row says so whole within 80 columns");
	/* offline, the screen works as before: a folder of the person's own */
	mkdirs("mine");
	write_h7_firmware("mine/firmware.bin");
	vt_select(v, "Look in a folder or a release zip...");
	enter(v);
	vt_type(v, "mine\n");
	ok(vt_wait_text(v, "Looked for the images in", WAIT_MS) == 0 && shows(v, "from your folder"),
	   "offline: a folder of the person's own still gives the images");
	ok(!vt_contains(v, "Download the OpenMV firmware for"), "with an image found the offer is gone");
	vt_free(v);
}
