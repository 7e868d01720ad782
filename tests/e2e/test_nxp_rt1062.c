/* The RT1062 actions end to end in one process: the product's runner, executors, SDP and
 * mboot code on the real libusb, against the virtual ROM, flashloader and secure bootloader
 * (model_nxp_*.c).  Memories are compared byte for byte afterwards; faults (vanishing
 * device, wrong status, short report) must end with one line a person can act on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boarddb.h"
#include "camera.h"
#include "images.h"
#include "plan.h"
#include "runner.h"
#include "../common/tap.h"
#include "testdev.h"

static struct usbsim *sim;
static struct camera *cams[32];
static int n_cams, next_port = 1;
static const struct board *rt;
static char dir[512];
static uint8_t *firmware, *romfs, *sbl, *loader;
static const size_t fw_len = 200001, romfs_len = 70000, sbl_len = 60000, loader_len = 20000;

struct seen {
	char log[2000];
};

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	struct seen *s = ctx;
	(void)level;
	snprintf(s->log + strlen(s->log), sizeof s->log - strlen(s->log), "%s|", msg);
}

static enum prompt_answer ev_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	(void)ctx, (void)present, (void)other;
	return PROMPT_DONE;
}

static bool ev_confirm(void *ctx, const char *q, const char *word)
{
	(void)ctx, (void)q, (void)word;
	return true;
}

static uint8_t *make(const char *name, size_t n, unsigned seed, bool ivt)
{
	uint8_t *b = malloc(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)((i * 131 + seed * 7 + (i >> 9)) ^ seed);
	if (ivt) { /* reference nxp-sdp-mboot.md §4: IVT header D1 00 20 41 */
		b[0] = 0xD1, b[1] = 0x00, b[2] = 0x20, b[3] = 0x41;
	}
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	fwrite(b, 1, n, f);
	fclose(f);
	return b;
}

static struct camera *new_camera(enum camera_mode mode, unsigned max_packet, const char *fault)
{
	char err[256];
	struct camera_options o = {.max_packet = max_packet};
	for (int i = 0; i < n_cams; i++) /* one camera on the bus at a time */
		camera_switch(cams[i], CAMERA_OFF, 0);
	usbsim_sync(sim);
	struct camera *cam = camera_new(sim, camera_type_find("OPENMV_RT1060"), next_port++, NULL, &o);
	cams[n_cams++] = cam;
	if (fault && camera_add_fault(cam, fault, err, sizeof err))
		printf("# fault: %s\n", err);
	camera_plug(cam, mode, err, sizeof err);
	return cam;
}

enum files { NO_FILES, ALL_FILES, FIRMWARE_ONLY };

/* --full for the next run: the fault cases that count the erase and write-memory commands
 * from the start need the sequence without delta mode's read-back before them. */
static bool run_full;

static int run(enum action a, enum files which, struct seen *seen, struct run_result *res, struct rs_error *err)
{
	static struct plan p;
	struct plan_files files = {.dir = which == ALL_FILES ? dir : NULL};
	if (which == FIRMWARE_ONLY) {
		snprintf(files.given[0].name, sizeof files.given[0].name, "firmware");
		static char fw_path[700];
		snprintf(fw_path, sizeof fw_path, "%s/firmware.bin", dir);
		files.given[0].path = fw_path;
		files.ngiven = 1;
	}
	memset(seen, 0, sizeof *seen);
	if (plan_build(rt, a, &files, &p, err))
		return -100;
	struct image_problems probs;
	if (images_check(&p, false, &probs)) {
		snprintf(err->msg, sizeof err->msg, "%s", probs.line[0]);
		return -101;
	}
	struct run_events ev = {.ctx = seen, .log = ev_log, .prompt_poll = ev_poll, .confirm = ev_confirm};
	struct run_options o = {.assume_yes = true, .allow_irreversible = true, .device_timeout_ms = 3000,
	                        .full = run_full};
	return runner_run(&p, &o, &ev, res, err);
}

/* Does memory at addr hold data[0..n)? */
static bool holds(struct camera *cam, uint32_t addr, const uint8_t *data, size_t n)
{
	uint8_t *b = malloc(n);
	usbsim_lock(sim);
	struct simmem *m = camera_memory_at(cam, addr, (uint32_t)n);
	if (m)
		simmem_read(m, addr, b, (uint32_t)n);
	usbsim_unlock(sim);
	bool same = m && !memcmp(b, data, n);
	free(b);
	return same;
}

static bool all_ff(struct camera *cam, uint32_t addr, size_t n)
{
	uint8_t *ff = malloc(n);
	memset(ff, 0xFF, n);
	bool r = holds(cam, addr, ff, n);
	free(ff);
	return r;
}

static bool one_line(const struct rs_error *e)
{
	return e->msg[0] && !strchr(e->msg, '\n');
}

static void flash_tests(void)
{
	struct seen seen;
	struct run_result res;
	struct rs_error err = {0};
	struct camera *cam = new_camera(CAMERA_SBL, 0, NULL);
	int rc = run(ACTION_FLASH, ALL_FILES, &seen, &res, &err);
	tap_check(rc == 0, "flash: firmware and ROMFS through the secure bootloader", "rc %d: %s", rc, err.msg);
	tap_check(holds(cam, 0x60040000, firmware, fw_len), "flash: firmware.bin is at 0x60040000 byte for byte", "%s", "");
	tap_check(holds(cam, 0x60800000, romfs, romfs_len), "flash: romfs0.img is at 0x60800000 byte for byte", "%s", "");
	tap_check((res.verified_writes > 0 && !res.unverified_writes) && !res.unverified_writes, "flash: every write was read back", "%s", res.summary);
	tap_check(all_ff(cam, 0x60040000 + fw_len, 4096 - fw_len % 4096),
	       "flash: the erase covered <firmware_size> up to its sector end", "%s", "");
	usbsim_sync(sim);
	usleep(100 * 1000);
	tap_check(camera_mode(cam) == CAMERA_OFF, "flash: reset took the bootloader off the bus", "mode %s",
	       camera_mode_name(camera_mode(cam)));
	tap_check(strstr(seen.log, "version K2.8.0") != NULL, "flash: the bootloader's version is logged", "%s", seen.log);

	/* the full-speed MaxPacketSize (reference §2.7: 56) */
	cam = new_camera(CAMERA_SBL, 56, NULL);
	rc = run(ACTION_FLASH, FIRMWARE_ONLY, &seen, &res, &err);
	tap_check(rc == 0 && holds(cam, 0x60040000, firmware, fw_len) && all_ff(cam, 0x60800000, 4096),
	       "flash with 56-byte packets: firmware only, the ROMFS left alone", "rc %d: %s", rc, err.msg);

	/* erase-fs: the FAT disk's first 4 KiB (seed 000), nothing beyond */
	cam = new_camera(CAMERA_SBL, 0, NULL);
	char e[256];
	camera_load(cam, "0x60400000", firmware, 8192, e, sizeof e);
	rc = run(ACTION_ERASE_FS, NO_FILES, &seen, &res, &err);
	tap_check(rc == 0 && all_ff(cam, 0x60400000, 4096) && holds(cam, 0x60401000, firmware + 4096, 4096),
	       "erase-fs: 0x60400000..0x60400FFF erased, the next sector kept", "rc %d: %s", rc, err.msg);
}

static void restore_tests(void)
{
	struct seen seen;
	struct run_result res;
	struct rs_error err = {0};
	struct camera *cam = new_camera(CAMERA_SDP, 0, NULL);
	int rc = run(ACTION_RESTORE, ALL_FILES, &seen, &res, &err);
	tap_check(rc == 0, "restore-bootloader: ROM, flashloader, FCB, SBL, firmware, eFuse, reset", "rc %d: %s", rc, err.msg);
	tap_check(holds(cam, 0x20001C00, loader, loader_len), "restore: the flashloader was loaded at 0x20001C00", "%s", "");
	tap_check(holds(cam, 0x60000000, (const uint8_t *)"FCB stand-in", 12),
	       "restore: configure-memory 0xF000000F programmed the FCB after its erase [I: a stand-in FCB]", "%s", "");
	tap_check(holds(cam, 0x60001000, sbl, sbl_len), "restore: the SBL is at 0x60001000 byte for byte", "%s", "");
	tap_check(holds(cam, 0x60040000, firmware, fw_len), "restore: the firmware is at 0x60040000 byte for byte", "%s", "");
	const uint8_t fuse6[4] = {0x10, 0, 0, 0};
	tap_check(holds(cam, 0xFFFFFE00 + 6 * 4, fuse6, 4), "restore: eFuse 6 holds 0x00000010 (seed 003)", "%s", "");
	tap_check((res.verified_writes > 0 && !res.unverified_writes), "restore: every write was verified", "%s", res.summary);

	/* the flashloader without configure-memory: the FlexSPI model refuses (reference §4.6) */
	new_camera(CAMERA_FLASHLOADER, 0, NULL);
	rc = run(ACTION_ERASE_FS, NO_FILES, &seen, &res, &err);
	tap_check(rc == RS_E_DEVICE && strstr(err.msg, "10205") && strstr(err.msg, "configure-memory") && one_line(&err),
	       "a flashloader whose flash is not configured: status 10205, said plainly", "%d: %s", rc, err.msg);
}

struct fault_case {
	enum camera_mode mode;
	enum action action;
	const char *fault;
	int rc;
	const char *says;
	const char *name;
	bool full; /* with --full: the commands counted as without delta mode */
};

static void fault_tests(void)
{
	static const struct fault_case cases[] = {
		{CAMERA_SBL, ACTION_FLASH, "vanish@report=6", RS_E_GONE, "disconnected",
		 "flash: the camera vanishes during write-memory", true},
		{CAMERA_SBL, ACTION_FLASH, "status=10202@data=3", RS_E_DEVICE, "10202",
		 "flash: a data report fails: the device's abort and its status", false},
		{CAMERA_SBL, ACTION_FLASH, "status=10200@cmd=3", RS_E_DEVICE, "MemoryRangeInvalid",
		 "flash: erase answered with a wrong status", true},
		{CAMERA_SBL, ACTION_FLASH, "short-report@4", RS_E_PROTOCOL, "shorter than its length field",
		 "flash: a response report cut short", false},
		{CAMERA_SDP, ACTION_RESTORE, "vanish@report=3", RS_E_GONE, "disconnected",
		 "restore: the ROM vanishes during write-file", false},
		{CAMERA_SDP, ACTION_RESTORE, "status=0x89232389@cmd=1", RS_E_DEVICE, "different number of bytes",
		 "restore: the ROM answers write-file with a wrong status", false},
		{CAMERA_SDP, ACTION_RESTORE, "status=0x33333333@cmd=2", RS_E_DEVICE, "refused to start",
		 "restore: the ROM refuses the jump [I: the failure word is undocumented]", false},
		{CAMERA_SDP, ACTION_RESTORE, "short-report@1", RS_E_PROTOCOL, "2-byte",
		 "restore: the HAB report cut short", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct fault_case *c = &cases[i];
		struct seen seen;
		struct run_result res;
		struct rs_error err = {0};
		new_camera(c->mode, 0, c->fault);
		run_full = c->full;
		int rc = run(c->action, c->action == ACTION_RESTORE ? ALL_FILES : FIRMWARE_ONLY, &seen, &res, &err);
		tap_check(rc == c->rc && strstr(err.msg, c->says) && one_line(&err) &&
		       (strstr(err.msg, "run the same action again") || strstr(err.msg, "run restore-bootloader again")),
		       c->name, "%s: rc %d (want %d): %s", c->fault, rc, c->rc, err.msg);
	}
	run_full = false;
}

static void reboot_job(void *arg)
{
	camera_reboot(arg);
}

static void window_tests(void)
{
	struct seen seen;
	struct run_result res;
	struct rs_error err = {0};
	/* the camera runs its firmware; "the person presses RESET" 300 ms into the wait */
	struct camera *cam = new_camera(CAMERA_FIRMWARE, 0, NULL);
	usbsim_schedule(sim, 300, reboot_job, cam);
	int rc = run(ACTION_ERASE_FS, NO_FILES, &seen, &res, &err);
	tap_check(rc == 0 && strstr(seen.log, "Press the RESET button"),
	       "erase-fs from running firmware: the secure bootloader is caught within its window [I: a command holds it]",
	       "rc %d: %s / %s", rc, err.msg, seen.log);

	/* untouched, the secure bootloader boots the firmware after about a second */
	libusb_context *ctx;
	libusb_init(&ctx);
	cam = new_camera(CAMERA_FIRMWARE, 0, NULL);
	camera_reboot(cam);
	testdev_wait(ctx, 0x15A2, 0x0073, true, 2000);
	bool there = testdev_present(ctx, 0x15A2, 0x0073);
	bool gone = testdev_wait(ctx, 0x15A2, 0x0073, false, 2500);
	tap_check(there && gone, "sbl-power-up: 15A2:0073 leaves after its window when nobody claims it",
	       "there %d gone %d", there, gone);
	usbsim_sync(sim);
	usleep(100 * 1000);
	tap_check(camera_mode(cam) == CAMERA_FIRMWARE, "sbl-power-up: then the firmware runs", "mode %s",
	       camera_mode_name(camera_mode(cam)));
	libusb_exit(ctx);
}

int main(void)
{
	sim = testdev_sim_or_skip();
	struct boarddb *db = calloc(1, sizeof *db);
	struct rs_error err;
	char path[1024];
	if (boarddb_default_path(path, sizeof path, &err) || boarddb_load(db, path, &err) ||
	    !(rt = boarddb_find(db, "OPENMV_RT1060"))) {
		tap_skip_plan("no boards.ini with OPENMV_RT1060");
		usbsim_free(sim);
		free(db);
		return 77;
	}
	snprintf(dir, sizeof dir, "%s/nxp_e2e.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 99;
	firmware = make("firmware.bin", fw_len, 1, false);
	romfs = make("romfs0.img", romfs_len, 2, false);
	sbl = make("blhost_flash_loader.bin", sbl_len, 3, false);
	loader = make("sdphost_flash_loader.bin", loader_len, 4, true);

	flash_tests();
	restore_tests();
	fault_tests();
	window_tests();

	for (int i = 0; i < n_cams; i++)
		camera_switch(cams[i], CAMERA_OFF, 0);
	usbsim_sync(sim);
	usbsim_free(sim);
	for (int i = 0; i < n_cams; i++)
		camera_free(cams[i]);
	const char *names[] = {"firmware.bin", "romfs0.img", "blhost_flash_loader.bin", "sdphost_flash_loader.bin"};
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(firmware), free(romfs), free(sbl), free(loader), free(db);
	tap_plan(tap_count);
	return tap_exit();
}
