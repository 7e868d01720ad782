/* test_exec_nxp.c — the RT1062 executors with no camera attached: every action ends cleanly
 * with one line that names the device it waited for and what to do, nothing is counted as
 * done that was not, and the eFuse step refuses --yes without --allow-irreversible before it
 * looks for a device.  Real USB (libusb) runs; the device wait is shortened to 300 ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/tap.h"
#include "boarddb.h"
#include "exec_nxp.h"
#include "images.h"
#include "plan.h"
#include "runner.h"

struct seen {
	int logs, prompts, begun;
	char last_log[600];
};

static void ev_begin(void *ctx, const struct plan *p, int i)
{
	(void)p, (void)i;
	((struct seen *)ctx)->begun++;
}

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	struct seen *s = ctx;
	(void)level;
	s->logs++;
	snprintf(s->last_log, sizeof s->last_log, "%s", msg);
}

static void ev_prompt_show(void *ctx, const char *id, const char *waiting)
{
	(void)id, (void)waiting;
	((struct seen *)ctx)->prompts++;
}

static enum prompt_answer ev_prompt_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	(void)ctx, (void)present, (void)other;
	return PROMPT_DONE; /* the person says the jumper is set */
}

static bool ev_confirm(void *ctx, const char *q, const char *word)
{
	(void)ctx, (void)q, (void)word;
	return true;
}

/* head: the first 4 bytes, or NULL */
static void make_file(const char *dir, const char *name, size_t n, const unsigned char *head)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	for (size_t i = 0; f && i < n; i++)
		fputc(head && i < 4 ? head[i] : (int)(i & 0xFF), f);
	if (f)
		fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

static int run_action(const struct board *b, enum action a, const char *dir, struct run_result *res,
                      struct seen *seen, struct rs_error *err)
{
	static struct plan p;
	struct plan_files files = {.dir = dir};
	memset(seen, 0, sizeof *seen);
	if (plan_build(b, a, &files, &p, err))
		return -100;
	struct image_problems probs;
	if (images_check(&p, false, &probs)) {
		snprintf(err->msg, sizeof err->msg, "%s", probs.line[0]);
		return -101;
	}
	struct run_events ev = {.ctx = seen, .step_begin = ev_begin, .log = ev_log,
	                        .prompt_show = ev_prompt_show, .prompt_poll = ev_prompt_poll,
	                        .confirm = ev_confirm};
	struct run_options o = {.assume_yes = true, .allow_irreversible = false, .device_timeout_ms = 300};
	return runner_run(&p, &o, &ev, res, err);
}

int main(void)
{
	struct boarddb *db = calloc(1, sizeof *db);
	struct rs_error err = {0};
	char path[1024];
	if (boarddb_default_path(path, sizeof path, &err) || boarddb_load(db, path, &err)) {
		printf("1..0 # SKIP boards.ini: %s\n", err.msg);
		free(db);
		return 77;
	}
	const struct board *b = boarddb_find(db, "OPENMV_RT1060");
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[1024];
	snprintf(dir, sizeof dir, "%s/exec_nxp.XXXXXX", tmp);
	if (!b || !mkdtemp(dir)) {
		printf("1..0 # SKIP no RT1062 board or no temporary directory\n");
		free(db);
		return 77;
	}
	static const unsigned char ivt[4] = {0xD1, 0x00, 0x20, 0x41}; /* reference §4 */
	make_file(dir, "firmware.bin", 5000, NULL);
	make_file(dir, "blhost_flash_loader.bin", 3000, NULL);
	make_file(dir, "sdphost_flash_loader.bin", 2500, NULL);
	make_file(dir, "romfs0.img", 4096, NULL);
	struct run_result res;
	struct seen seen;

	int rc = run_action(b, ACTION_FLASH, dir, &res, &seen, &err);
	ok(rc == RS_E_TIMEOUT, "flash with no camera ends with a timeout (%d)", rc);
	ok(!strchr(err.msg, '\n') && strstr(err.msg, "15A2:0073") && strstr(err.msg, "RESET"),
	   "flash: one line naming the secure bootloader and the RESET button: %s", err.msg);
	ok(res.steps_done == 0 && seen.begun == 1, "flash: no step counted as done (%d, %d begun)",
	   res.steps_done, seen.begun);
	ok(seen.logs >= 1 && strstr(seen.last_log, "Press the RESET button"),
	   "flash: the person is told to press RESET: %s", seen.last_log);

	rc = run_action(b, ACTION_ERASE_FS, dir, &res, &seen, &err);
	ok(rc == RS_E_TIMEOUT && !strchr(err.msg, '\n') && strstr(err.msg, "restore-bootloader"),
	   "erase-fs with no camera: one line, and the way out if it never appears: %s", err.msg);
	ok(res.steps_done == 0, "erase-fs: nothing done");

	rc = run_action(b, ACTION_RESTORE, dir, &res, &seen, &err);
	ok(rc == -101 && strstr(err.msg, "sdphost_flash_loader.bin does not start with an i.MX RT image "
	   "vector table"), "restore: a loader without an IVT is refused before anything runs: %s", err.msg);
	make_file(dir, "sdphost_flash_loader.bin", 2500, ivt);
	rc = run_action(b, ACTION_RESTORE, dir, &res, &seen, &err);
	ok(rc == RS_E_TIMEOUT, "restore-bootloader with no camera ends with a timeout (%d)", rc);
	ok(!strchr(err.msg, '\n') && strstr(err.msg, "1FC9:0135") && strstr(err.msg, "SBL jumper"),
	   "restore: one line naming the ROM device and the jumper: %s", err.msg);
	ok(res.steps_done == 1 && seen.prompts == 1, "restore: only the jumper prompt was done (%d)",
	   res.steps_done);

	/* the eFuse step refuses before it looks for a device */
	static struct plan p;
	struct plan_files files = {.dir = dir};
	plan_build(b, ACTION_RESTORE, &files, &p, &err);
	const struct step *efuse = NULL;
	for (int i = 0; i < p.nsteps; i++)
		if (p.steps[i].kind == STEP_BLHOST_EFUSE)
			efuse = &p.steps[i];
	struct run_options yes = {.assume_yes = true};
	struct run_ctx ctx = {.plan = &p, .opts = &yes, .res = &res, .device_mode = USB_MODE_COUNT};
	rc = efuse ? exec_blhost_efuse(&ctx, efuse, &err) : -1;
	ok(rc == RS_E_INPUT && strstr(err.msg, "--allow-irreversible") && strstr(err.msg, "Nothing was burned"),
	   "efuse with --yes alone is refused: %s", err.msg);
	ok(ctx.device == NULL, "efuse: no device was opened");

	remove_file(dir, "firmware.bin");
	remove_file(dir, "blhost_flash_loader.bin");
	remove_file(dir, "sdphost_flash_loader.bin");
	remove_file(dir, "romfs0.img");
	ok(rmdir(dir) == 0, "the temporary directory is removed");
	free(db);
	return tap_done();
}
