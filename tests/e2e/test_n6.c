/* The N6 bootloader restore (src/family/n6/exec.c, src/proto/stm32prog*.c) through the real
 * libusb against the virtual N6: its boot ROM, then the OpenBootloader it loads
 * (model_n6*.c).  Each case runs the whole restore-bootloader plan through the runner,
 * with a fresh camera, and looks at what ended up in nor0 and RAM.  Fault cases: the
 * camera vanishes between phases, answers a wrong phase, or sends a garbage answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boarddb.h"
#include "camera.h"
#include "plan.h"
#include "runner.h"
#include "stm32prog.h"
#include "../common/tap.h"

static struct usbsim *sim;
static struct camera *cams[16];
static int n_cams;
static const struct board *n6;
static char dir[256];

/* The three images of OpenMV's FlashLayout.tsv (reference alif-isp §4.1), random bytes;
 * bootloader.bin spans three 64 KiB NOR sectors. */
static uint8_t *obl, *loader, *boot;
static const size_t obl_len = 40000, loader_len = 6000, boot_len = 150000;

struct events {
	char log[16384];
	uint64_t done, total;
	bool prompt_last;
};

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	(void)level;
	struct events *e = ctx;
	size_t n = strlen(e->log);
	snprintf(e->log + n, sizeof e->log - n, "%s\n", msg);
}

static void ev_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct events *e = ctx;
	e->done = done;
	e->total = total;
}

static enum prompt_answer ev_poll(void *ctx, bool expected, const struct prompt_seen *other)
{
	(void)ctx;
	(void)other;
	/* the jumper prompt waits for the ROM; the last one has nothing to wait for */
	static int polls;
	if (expected || ++polls % 4 == 0)
		return PROMPT_DONE;
	return PROMPT_WAIT;
}

static bool ev_confirm(void *ctx, const char *q, const char *word)
{
	(void)ctx;
	(void)q;
	(void)word;
	return true;
}

static uint8_t *random_bytes(size_t n, unsigned seed)
{
	uint8_t *b = malloc(n);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	return b;
}

static void put(const char *name, const void *data, size_t n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

static struct camera *camera_in(enum camera_mode mode, enum camera_n6_nor variant, const char *fault)
{
	char err[256];
	struct camera_options o = {.n6_nor_addressing = variant};
	struct camera *cam = camera_new(sim, camera_type_find("OPENMV_N6"), n_cams + 1, NULL, &o);
	cams[n_cams++] = cam;
	if (fault && camera_add_fault(cam, fault, err, sizeof err) < 0)
		printf("# fault %s: %s\n", fault, err);
	camera_plug(cam, mode, err, sizeof err);
	return cam;
}

/* Run restore-bootloader --board OPENMV_N6 --file FlashLayout.tsv --yes. */
static int restore(enum stm32prog_nor_addressing mode, struct events *e, struct rs_error *err)
{
	static struct plan p;
	char tsv[512];
	snprintf(tsv, sizeof tsv, "%s/FlashLayout.tsv", dir);
	struct plan_files files = {.ngiven = 1};
	snprintf(files.given[0].name, sizeof files.given[0].name, "file");
	files.given[0].path = tsv;
	if (plan_build(n6, ACTION_RESTORE, &files, &p, err))
		return -100;
	memset(e, 0, sizeof *e);
	struct run_events ev = {.ctx = e, .log = ev_log, .progress = ev_progress, .prompt_poll = ev_poll,
	                        .confirm = ev_confirm};
	struct run_options o = {.assume_yes = true, .device_timeout_ms = 3000, .n6_nor_addressing = (int)mode};
	struct run_result res;
	rs_clear(err);
	return runner_run(&p, &o, &ev, &res, err);
}

static bool nor_holds(struct camera *cam, const uint8_t *data, size_t len)
{
	struct simmem *nor = camera_memory(cam, "xspi");
	usbsim_lock(sim);
	bool same = nor && !memcmp(nor->bytes, data, len);
	usbsim_unlock(sim);
	return same;
}

static bool nor_blank(struct camera *cam, size_t len)
{
	struct simmem *nor = camera_memory(cam, "xspi");
	bool blank = nor != NULL;
	usbsim_lock(sim);
	for (size_t i = 0; blank && i < len; i++)
		blank = nor->bytes[i] == 0xFF;
	usbsim_unlock(sim);
	return blank;
}

static bool ram_holds(struct camera *cam, uint32_t addr, const uint8_t *data, size_t len)
{
	struct simmem *ram = camera_memory(cam, "axisram");
	usbsim_lock(sim);
	bool same = ram && !memcmp(ram->bytes + (addr - ram->base), data, len);
	usbsim_unlock(sim);
	return same;
}

static void unplug(struct camera *cam)
{
	camera_switch(cam, CAMERA_OFF, 0);
	usbsim_sync(sim);
}

static void case_layout(void)
{
	struct camera *cam = camera_in(CAMERA_ST_ROM, CAMERA_N6_NOR_LAYOUT, NULL);
	struct events e;
	struct rs_error err;
	int rc = restore(STM32PROG_NOR_BY_LAYOUT, &e, &err);
	tap_check(rc == 0, "restore through the N6 ROM and OpenBootloader completes", "rc %d: %s", rc, err.msg);
	tap_check(nor_holds(cam, boot, boot_len), "nor0 from offset 0 holds bootloader.bin", "nor0 differs");
	struct simmem *nor = camera_memory(cam, "xspi");
	tap_check(nor && nor->unerased_writes == 0 && nor->bytes[boot_len] == 0xFF && nor->bytes[3 * 65536 - 1] == 0xFF,
	       "each NOR sector was erased before it was programmed", "unerased writes %lu",
	       nor ? nor->unerased_writes : 0);
	tap_check(ram_holds(cam, 0x34180400, obl, obl_len), "the ROM put OpenBootloader at its FSBL load address",
	       "RAM differs");
	tap_check(ram_holds(cam, 0x34300000, loader, loader_len), "OpenBootloader put the external-flash loader in RAM",
	       "RAM differs");
	tap_check(e.total == obl_len + loader_len + boot_len && e.done == e.total,
	       "progress counts the three images to the end", "%llu of %llu", (unsigned long long)e.done,
	       (unsigned long long)e.total);
	tap_check(strstr(e.log, "asks for phase 0x04 (fsbl-app) at 0x70000000") != NULL,
	       "OpenBootloader announced nor0 at the row's offset", "log:\n%s", e.log);
	unplug(cam);
}

static void case_set_phase(void)
{
	struct camera *cam = camera_in(CAMERA_ST_ROM, CAMERA_N6_NOR_SET_PHASE, NULL);
	struct events e;
	struct rs_error err;
	int rc = restore(STM32PROG_NOR_BY_SET_PHASE, &e, &err);
	tap_check(rc == 0 && nor_holds(cam, boot, boot_len),
	       "set-phase nor0 addressing [I] against the set-phase variant writes nor0", "rc %d: %s", rc, err.msg);
	unplug(cam);
	cam = camera_in(CAMERA_ST_ROM, CAMERA_N6_NOR_SET_PHASE, NULL);
	rc = restore(STM32PROG_NOR_BY_LAYOUT, &e, &err);
	tap_check(rc == RS_E_PROTOCOL && nor_blank(cam, boot_len),
	       "host and camera disagreeing on nor0 addressing [I] stop before nor0 is touched", "rc %d: %s", rc,
	       err.msg);
	unplug(cam);
}

static void case_already_openbootloader(void)
{
	struct camera *cam = camera_in(CAMERA_N6_OPENBOOTLOADER, CAMERA_N6_NOR_LAYOUT, NULL);
	struct events e;
	struct rs_error err;
	int rc = restore(STM32PROG_NOR_BY_LAYOUT, &e, &err);
	tap_check(rc == 0 && nor_holds(cam, boot, boot_len) && strstr(e.log, "already runs OpenBootloader"),
	       "a camera already running OpenBootloader is taken from there", "rc %d: %s", rc, err.msg);
	unplug(cam);
}

/* A genuine ROM, then not the N6's OpenBootloader (the sim's impostor from the re-plug on):
 * checked before the layout goes, so the loader and nor0 stay untouched. */
static void case_openbootloader_impostor(void)
{
	struct camera *cam = camera_in(CAMERA_ST_ROM, CAMERA_N6_NOR_LAYOUT, NULL);
	usbsim_lock(sim);
	camera_set_impostor(cam, true);
	usbsim_unlock(sim);
	struct events e;
	struct rs_error err;
	int rc = restore(STM32PROG_NOR_BY_LAYOUT, &e, &err);
	tap_check(rc == RS_E_INPUT && strstr(err.msg, "alt 2 is '@ssbl /0x10/1*2Me', not phase 0x04: it is not the OpenMV Cam "
	       "N6's OpenBootloader; nothing was written to its flash"), "an OpenBootloader that is not the N6's is refused "
	       "after the ROM stage", "rc %d: %s", rc, err.msg);
	tap_check(nor_blank(cam, boot_len) && ram_holds(cam, 0x34180400, obl, obl_len) && !ram_holds(cam, 0x34300000, loader, loader_len),
	       "... nor0 blank and no loader in RAM (only the ROM took OpenBootloader)", "memory changed");
	unplug(cam);
}

struct fault_case {
	const char *fault, *name, *says;
	int code;
	bool nor_blank;
};

static void case_faults(void)
{
	/* GetPhase answers: #1 ROM before the FSBL, #2 after; OpenBootloader #3/#4 the layout,
	 * #5/#6 the loader, #7/#8 bootloader.bin into nor0, #9 the end */
	static const struct fault_case faults[] = {
		{"disconnect@phase=7", "the camera vanishes between the loader and nor0",
		 "nothing was written to the camera's flash yet", RS_E_GONE, true},
		{"disconnect@phase=8", "the camera vanishes after nor0 was written",
		 "nor0 may hold part of the new bootloader", RS_E_GONE, false},
		{"phase=0x03@1", "the ROM asks for the wrong phase", "not the first-stage loader", RS_E_PROTOCOL, true},
		{"phase=0x05@7", "OpenBootloader asks for a phase the layout does not have",
		 "0x05, which the layout does not have", RS_E_PROTOCOL, true},
		{"garbage-phase@3", "a garbage GetPhase answer", "garbage phase answer", RS_E_PROTOCOL, true},
	};
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
		const struct fault_case *f = &faults[i];
		struct camera *cam = camera_in(CAMERA_ST_ROM, CAMERA_N6_NOR_LAYOUT, f->fault);
		struct events e;
		struct rs_error err;
		int rc = restore(STM32PROG_NOR_BY_LAYOUT, &e, &err);
		tap_check(rc == f->code && strstr(err.msg, f->says) && (!f->nor_blank || nor_blank(cam, boot_len)),
		       f->name, "rc %d: %s", rc, err.msg);
		unplug(cam);
	}
}

int main(void)
{
	char why[256];
	sim = usbsim_new(why, sizeof why);
	if (!sim) {
		tap_skip_plan(why);
		return 0; /* meson reads a TAP skip plan with status 0 as SKIP */
	}
	static struct boarddb db;
	struct rs_error err = {0};
	const char *ini = getenv("OPENMV_RESCUE_BOARDS");
	if (!ini || boarddb_load(&db, ini, &err) || !(n6 = boarddb_find(&db, "OPENMV_N6"))) {
		tap_skip_plan("no boards.ini (OPENMV_RESCUE_BOARDS)");
		usbsim_free(sim);
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/n6-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 99;
	obl = random_bytes(obl_len, 1);
	loader = random_bytes(loader_len, 2);
	boot = random_bytes(boot_len, 3);
	/* OpenMV's layout as OpenMV IDE ships it (reference alif-isp §4.1) */
	const char *tsv = "#Opt\tId\tName\tType\tIP\tOffset\tBinary\n"
	                  "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n"
	                  "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n"
	                  "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin";
	put("FlashLayout.tsv", tsv, strlen(tsv));
	put("OpenBootloader_STM32N6570-DK-trusted.stm32", obl, obl_len);
	put("MX66UW1G45G_STM32N6570-DK-OBL.bin", loader, loader_len);
	put("bootloader.bin", boot, boot_len);

	case_layout();
	case_set_phase();
	case_already_openbootloader();
	case_openbootloader_impostor();
	case_faults();

	usbsim_free(sim);
	for (int i = 0; i < n_cams; i++)
		camera_free(cams[i]);
	const char *names[] = {"FlashLayout.tsv", "OpenBootloader_STM32N6570-DK-trusted.stm32",
	                       "MX66UW1G45G_STM32N6570-DK-OBL.bin", "bootloader.bin"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	tap_check(rmdir(dir) == 0, "temporary folder removed", "%s", dir);
	free(obl);
	free(loader);
	free(boot);
	tap_plan(tap_count);
	return tap_exit();
}
