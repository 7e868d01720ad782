/* The openmv_dfu bootloader caught in its 1.5 s power-up window is held by the product
 * itself, however long the front end takes before the first write: only an UPLOAD, or a
 * DNLOAD with its GETSTATUS, holds the real bootloader (openmv/openmv:boot/src/common/dfu.c,
 * main.c; model_openmv_dfu.c).  In one process: the product's runner and DFU executors on
 * the real libusb, a front end that dawdles 3 s after the catch, the virtual H7. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boarddb.h"
#include "camera.h"
#include "images.h"
#include "plan.h"
#include "runner.h"
#include "simmem.h"
#include "../common/tap.h"
#include "testdev.h"

#define FS_ADDR 0x08020000u   /* OPENMV4 alt 1, boards.ini */
#define DAWDLE_MS 3000        /* twice the window (OMV_BOOT_DFU_TIMEOUT 1500) */

struct front {
	char log[2000];
	bool dawdled;
};

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	struct front *f = ctx;
	(void)level;
	snprintf(f->log + strlen(f->log), sizeof f->log - strlen(f->log), "%s|", msg);
}

/* After the step that caught the bootloader, the front end is slow to go on. */
static void ev_step_end(void *ctx, const struct plan *p, int i, int rc, const char *msg)
{
	struct front *f = ctx;
	(void)msg;
	if (!rc && p->steps[i].kind == STEP_ENTER_BOOTLOADER) {
		usleep(DAWDLE_MS * 1000);
		f->dawdled = true;
	}
}

static enum prompt_answer ev_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	(void)ctx, (void)other;
	return present ? PROMPT_DONE : PROMPT_WAIT;
}

static bool ev_confirm(void *ctx, const char *q, const char *word)
{
	(void)ctx, (void)q, (void)word;
	return true;
}

int main(void)
{
	struct usbsim *sim = testdev_sim_or_skip();
	struct boarddb *db = calloc(1, sizeof *db);
	const struct board *h7;
	struct rs_error err = {0};
	char path[1024];
	if (boarddb_default_path(path, sizeof path, &err) || boarddb_load(db, path, &err) ||
	    !(h7 = boarddb_find(db, "OPENMV4"))) {
		tap_skip_plan("no boards.ini with OPENMV4");
		usbsim_free(sim);
		free(db);
		return 77;
	}
	struct camera_options o = {0};
	struct camera *cam = camera_new(sim, camera_type_find("OPENMV4"), 1, NULL, &o);
	uint8_t fs[8192];
	for (size_t i = 0; i < sizeof fs; i++)
		fs[i] = (uint8_t)(i * 37 + 11);
	char why[256];
	camera_load(cam, "alt1", fs, sizeof fs, why, sizeof why);
	camera_plug(cam, CAMERA_POWER_UP, why, sizeof why);

	static struct plan p;
	struct plan_files files = {0};
	struct front f = {0};
	struct run_events ev = {.ctx = &f, .log = ev_log, .step_end = ev_step_end, .prompt_poll = ev_poll,
	                        .confirm = ev_confirm};
	struct run_options opts = {.device_timeout_ms = 3000};
	struct run_result res;
	int rc = plan_build(h7, ACTION_ERASE_FS, &files, &p, &err);
	if (!rc)
		rc = runner_run(&p, &opts, &ev, &res, &err);
	tap_check(rc == 0 && f.dawdled, "erase-fs caught at power-up, 3 s before the write: done",
	       "rc %d: %s / %s", rc, err.msg, f.log);
	uint8_t back[4096], zeros[4096] = {0};
	struct simmem *m = camera_memory_at(cam, FS_ADDR, sizeof back);
	if (m)
		simmem_read(m, FS_ADDR, back, sizeof back);
	tap_check(m && !memcmp(back, zeros, sizeof back), "... the filesystem starts with 4 KiB of zeros", "%s", "");

	camera_switch(cam, CAMERA_OFF, 0);
	usbsim_sync(sim);
	usbsim_free(sim);
	camera_free(cam);
	free(db);
	tap_plan(tap_count);
	return tap_exit();
}
