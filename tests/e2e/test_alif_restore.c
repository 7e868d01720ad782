/*
 * The OpenMV AE3 bootloader recovery end to end: the real runner, executors, Alif ISP module
 * and libserialport against the Secure Enclave model (model_alif_se.h) on a virtual FTDI
 * port. Every branch of the procedure, with the MRAM compared byte for byte afterwards:
 * normal write, system package update (signed) or not, hard maintenance, ROM recovery,
 * NAKs of each class, a reset in the middle of a burn. Facts: alif-isp-openmv-ide-n6.md §1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alif_isp.h"
#include "boarddb.h"
#include "images.h"
#include "model_alif_se.h"
#include "plan.h"
#include "runner.h"
#include "tty_testlib.h"

#define BOOT_LEN 5000        /* not a multiple of 16: the executor pads it */
#define TOC_LEN 8192
#define SP_LEN 3000
#define TOC_AT 0x57E000u     /* alt 4 (boards.ini), relative to the MRAM */
#define OFFSET_AT 0x5FFFF0u

static UMockdevTestbed *tb;
static const struct board *ae3;
static char dir[512], boot_path[600], toc_path[600], pkg_dir[600], pkg_nover[600], pkg_both[600];
static uint8_t boot_img[BOOT_LEN], toc_img[TOC_LEN], sp_img[SP_LEN], sp_dev_img[SP_LEN], offset_img[16];
static uint8_t *mram, *expect;

/* ---- the person at the keyboard: run_events --------------------------------------------- */

struct ui {
	struct alif_se *se;
	char prompts[16][32];
	int nprompts;
	char log[4096];
	int polls;
	int hard_prompts;
	bool cancel_button;
};

static void ui_show(void *ctx, const char *id, const char *waiting)
{
	(void)waiting;
	struct ui *u = ctx;
	if (u->nprompts < 16)
		snprintf(u->prompts[u->nprompts++], 32, "%s", id);
	u->polls = 0;
}

static enum prompt_answer ui_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	(void)other;
	struct ui *u = ctx;
	const char *id = u->nprompts ? u->prompts[u->nprompts - 1] : "";
	int n = ++u->polls;
	if (n > 400)
		return PROMPT_CANCEL; /* never hang a test */
	if (!strcmp(id, "hard_maintenance")) {
		/* the plan's prompt comes first; the second one is the executor asking for the switch */
		if (n == 1 && ++u->hard_prompts == 2)
			alif_se_set_switch(u->se, true);
		return PROMPT_DONE;
	}
	if (!strcmp(id, "press_user_button")) {
		if (u->cancel_button)
			return PROMPT_CANCEL;
		if (n == 1)
			alif_se_press_button(u->se);
		return PROMPT_WAIT;
	}
	if (!strcmp(id, "power_cycle")) {
		if (n == 1)
			alif_se_power(u->se, false);
		else if (n == 2)
			alif_se_power(u->se, true);
		return present && n > 2 ? PROMPT_DONE : PROMPT_WAIT;
	}
	return PROMPT_DONE;
}

static void ui_log(void *ctx, enum run_log level, const char *msg)
{
	(void)level;
	struct ui *u = ctx;
	size_t l = strlen(u->log);
	snprintf(u->log + l, sizeof u->log - l, "%s\n", msg);
}

static bool ui_confirm(void *ctx, const char *q, const char *word)
{
	(void)ctx, (void)q, (void)word;
	return true;
}

static bool prompts_are(const struct ui *u, const char *const *ids, int n)
{
	if (u->nprompts != n)
		return false;
	for (int i = 0; i < n; i++)
		if (strcmp(u->prompts[i], ids[i]))
			return false;
	return true;
}

/* ---- files ---------------------------------------------------------------------------- */

static uint32_t crc32_ref(const uint8_t *p, size_t n)
{
	uint32_t c = ~0u;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
	}
	return ~c;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void save(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static void make_files(void)
{
	uint32_t x = 12345;
	for (size_t i = 0; i < BOOT_LEN; i++)
		boot_img[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
	for (size_t i = 0; i < SP_LEN; i++)
		sp_img[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
	/* firmware_pad.toc: zeros, then an ATOC with one entry ending the file (§1.10) */
	uint8_t *h = toc_img + TOC_LEN - 16 - 32 - 32;
	memcpy(h, "OEMTOC01", 8);
	h[8] = 32, h[10] = 1, h[12] = 32, h[14] = 2;
	memcpy(h + 32 + 20, "HP_BOOT", 7);
	put32(toc_img + TOC_LEN - 16, crc32_ref(h, 64));
	put32(offset_img + 12, 0x00580000u); /* §1.8: where the package starts */
	snprintf(boot_path, sizeof boot_path, "%s/bootloader.bin", dir);
	snprintf(toc_path, sizeof toc_path, "%s/firmware_pad.toc", dir);
	save(boot_path, boot_img, BOOT_LEN);
	save(toc_path, toc_img, TOC_LEN);
	uint8_t sign[2560];
	memset(sign, 0x5C, sizeof sign);
	char p[700];
	snprintf(pkg_dir, sizeof pkg_dir, "%s/package", dir);
	snprintf(pkg_nover, sizeof pkg_nover, "%s/package-nover", dir);
	const char *dirs[2] = {pkg_dir, pkg_nover};
	for (int i = 0; i < 2; i++) {
		mkdir(dirs[i], 0700);
		snprintf(p, sizeof p, "%s/SP-AE302F80F55D5AE-rev-b4.bin", dirs[i]);
		save(p, sp_img, SP_LEN);
		snprintf(p, sizeof p, "%s/offset-58-rev-b4.bin", dirs[i]);
		save(p, offset_img, 16);
	}
	snprintf(p, sizeof p, "%s/SP-AE302F80F55D5AE-rev-b4.bin.sign", pkg_dir);
	save(p, sign, sizeof sign);
	snprintf(p, sizeof p, "%s/offset-58-rev-b4.bin.sign", pkg_dir);
	save(p, sign, sizeof sign);
	snprintf(p, sizeof p, "%s/version.json", pkg_dir);
	const char *v = "{\"version_major\": 1, \"version_minor\": 110, \"version_patch\": 0}\n";
	save(p, v, strlen(v));
	/* a folder with both kinds, as the toolkit's alif/ has: SP-*-rev-b4.bin and SP-*-rev-b4-dev.bin */
	for (size_t i = 0; i < SP_LEN; i++)
		sp_dev_img[i] = (uint8_t)~sp_img[i];
	snprintf(pkg_both, sizeof pkg_both, "%s/package-both", dir);
	mkdir(pkg_both, 0700);
	static const char *const names[] = {"SP-AE302F80F55D5AE-rev-b4", "SP-AE302F80F55D5AE-rev-b4-dev",
	                                    "offset-58-rev-b4", "offset-58-rev-b4-dev"};
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s.bin", pkg_both, names[i]);
		save(p, i == 0 ? sp_img : i == 1 ? sp_dev_img : offset_img, i < 2 ? SP_LEN : 16);
		snprintf(p, sizeof p, "%s/%s.bin.sign", pkg_both, names[i]);
		save(p, sign, sizeof sign);
	}
	snprintf(p, sizeof p, "%s/version.json", pkg_both);
	save(p, v, strlen(v));
}

/* ---- one run of restore-bootloader -------------------------------------------------------- */

static struct alif_se *se_new(struct alif_se_config *cfg)
{
	cfg->port.index = -1;
	if (!cfg->package_version[0])
		cfg->package_version[0] = 1, cfg->package_version[1] = 110;
	struct alif_se *se = alif_se_add(tb, cfg);
	if (se)
		alif_se_read_mram(se, expect); /* what the MRAM held before */
	return se;
}

static int run(struct ui *u, const char *package, struct rs_error *err)
{
	static struct plan p;
	struct plan_files f = {.ngiven = 2};
	snprintf(f.given[0].name, sizeof f.given[0].name, "bootloader.bin");
	f.given[0].path = boot_path;
	snprintf(f.given[1].name, sizeof f.given[1].name, "firmware_pad.toc");
	f.given[1].path = toc_path;
	if (package) {
		snprintf(f.given[2].name, sizeof f.given[2].name, "system-package");
		f.given[2].path = package;
		f.ngiven = 3;
	}
	int rv = plan_build(ae3, ACTION_RESTORE, &f, &p, err);
	struct image_problems probs;
	if (rv || images_check(&p, false, &probs))
		return rs_fail(err, RS_E_INPUT, "the plan or its inputs were refused: %s", rv ? err->msg : probs.line[0]);
	struct run_events ev = {.ctx = u, .prompt_show = ui_show, .prompt_poll = ui_poll, .confirm = ui_confirm,
	                        .log = ui_log};
	struct run_options o = {.assume_yes = true, .device_timeout_ms = 3000};
	struct run_result res;
	return runner_run(&p, &o, &ev, &res, err);
}

/* The expected MRAM after the bootloader write: the images over what was there. */
static void expect_images(void)
{
	memcpy(expect, boot_img, BOOT_LEN);
	memset(expect + BOOT_LEN, 0, 16 - BOOT_LEN % 16);
	memcpy(expect + TOC_AT, toc_img, TOC_LEN);
}

static void expect_package(void)
{
	memcpy(expect + 0x580000, sp_img, SP_LEN);
	memset(expect + 0x580000 + SP_LEN, 0, (16 - SP_LEN % 16) % 16);
	memcpy(expect + OFFSET_AT, offset_img, 16);
}

static bool mram_is_expected(struct alif_se *se)
{
	alif_se_read_mram(se, mram);
	for (size_t i = 0; i < ALIF_SE_MRAM_SIZE; i++)
		if (mram[i] != expect[i]) {
			tap_diag("MRAM differs first at offset 0x%06zX: 0x%02X, expected 0x%02X", i, mram[i], expect[i]);
			return false;
		}
	return true;
}

static bool alif_area_untouched(struct alif_se *se)
{
	alif_se_read_mram(se, mram);
	return !memcmp(mram + 0x580000, expect + 0x580000, ALIF_SE_MRAM_SIZE - 0x580000);
}

/* ---- the branches -------------------------------------------------------------------------- */

static void test_normal(void)
{
	struct alif_se_config cfg = {.chatty = true};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, NULL, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	tap_ok(rv == 0, "normal SERAM: restore-bootloader succeeds (%s)", e.msg);
	expect_images();
	tap_ok(mram_is_expected(u.se), "bootloader.bin (zero-padded to 16) at 0x80000000 and firmware_pad.toc at "
	       "0x8057E000, every other MRAM byte unchanged");
	tap_ok(st.burns == 2 && st.last_burn_addr == 0x8057E000u && st.last_burn_len == TOC_LEN,
	       "two BURN_MRAM writes, the last one the TOC (%u)", st.burns);
	tap_ok(st.erases == 0 && st.commands[0x15] == 0, "ERASE_MRAM is never sent");
	tap_ok(st.baud_switches == 2 && st.baud == ALIF_SE_BOOT_BAUD && st.garbage_bytes == 0,
	       "921600 baud for the write and back to 55000, no byte lost to a baud mismatch (%u switches, %u garbage)",
	       st.baud_switches, st.garbage_bytes);
	tap_ok(st.prints_sent > 5, "the SE's PRINT_DATA messages (%u) were skipped while waiting for replies", st.prints_sent);
	tap_ok(st.commands[0x16] == 1 && st.resets >= 2, "soft maintenance: SET_MAINTENANCE_FLAG then a reset");
	tap_ok(strstr(u.log, "SES B4 v1.104.0") && strstr(u.log, "part AE302F80F55D5AE, revision B4, life cycle DM"),
	       "the log names the SE firmware and the chip");
	tap_ok(strstr(u.log, "No Alif system package") != NULL, "without a package the update is skipped with a log line");
	static const char *const want[] = {"hard_maintenance", "maintenance_off"};
	tap_ok(prompts_are(&u, want, 2), "prompts: hard_maintenance, maintenance_off");
	alif_se_free(u.se);
}

static void test_update(void)
{
	struct alif_se_config cfg = {.require_auth = true};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, pkg_dir, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	tap_ok(rv == 0, "SE v1.104.0 with package v1.110.0: the run succeeds (%s)", e.msg);
	tap_ok(strstr(u.log, "Updating the Secure Enclave firmware v1.104.0 to the system package v1.110.0") != NULL,
	       "the update is announced with both versions");
	tap_ok(st.auth_burns == 2 && st.commands[0x12] == 2, "SP and offset files written with VERIFY_IMAGE and their "
	       ".sign certificates (%u authenticated burns)", st.auth_burns);
	expect_images();
	expect_package();
	tap_ok(mram_is_expected(u.se), "SP-*.bin at 0x80580000, offset-*.bin at 0x805FFFF0, then the bootloader images");
	static const char *const want[] = {"hard_maintenance", "power_cycle", "maintenance_off"};
	tap_ok(prompts_are(&u, want, 3), "a power cycle is asked for after the update");
	alif_se_free(u.se);
}

/* toolkit isp/device_probe.py: a part whose HBK0 is in utils/hashesDB.db (or blank) is DEV and
 * takes the -dev package; any other HBK0 is production. */
static void test_keys(enum alif_se_keys keys, const char *name)
{
	struct alif_se_config cfg = {.keys = keys};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, pkg_both, &e);
	bool dev = keys != ALIF_SE_KEYS_PROD;
	expect_images();
	memcpy(expect + 0x580000, dev ? sp_dev_img : sp_img, SP_LEN);
	memset(expect + 0x580000 + SP_LEN, 0, (16 - SP_LEN % 16) % 16);
	memcpy(expect + OFFSET_AT, offset_img, 16);
	tap_ok(rv == 0 && mram_is_expected(u.se), "%s: the %s system package is written (%s)", name,
	       dev ? "-dev" : "production", e.msg);
	tap_ok(keys != ALIF_SE_KEYS_DEV || strstr(u.log, "development keys (DEV part)"),
	       "%s: the log says why it is a DEV part", name);
	alif_se_free(u.se);
}

static void test_no_update(int v1, int v2, const char *pkg, const char *log, const char *name)
{
	struct alif_se_config cfg = {.version = {1, v1, v2}};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, pkg, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	expect_images();
	tap_ok(rv == 0 && st.burns == 2 && strstr(u.log, log) && mram_is_expected(u.se),
	       "%s: no system package write, the Alif area untouched (%s)", name, e.msg);
	alif_se_free(u.se);
}

static void test_hard_maintenance(bool cancel)
{
	struct alif_se_config cfg = {.fault = ALIF_SE_NO_ANSWER};
	struct ui u = {.se = se_new(&cfg), .cancel_button = cancel};
	struct rs_error e = {0};
	int rv = run(&u, NULL, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	if (cancel) {
		tap_ok(rv == RS_E_CANCELLED && st.burns == 0 && mram_is_expected(u.se),
		       "cancelling at press_user_button stops with nothing written (%s)", e.msg);
		alif_se_free(u.se);
		return;
	}
	tap_ok(rv == 0, "a silent SE is recovered through hard maintenance (%s)", e.msg);
	static const char *const want[] = {"hard_maintenance", "hard_maintenance", "press_user_button", "maintenance_off"};
	tap_ok(prompts_are(&u, want, 4), "prompts: hard_maintenance (plan), hard_maintenance (switch), press_user_button, "
	       "maintenance_off");
	tap_ok(st.handshakes == 1 && st.commands[0x16] == 0, "the ALIF/SEPCTL handshake put it in maintenance mode; no soft "
	       "maintenance needed");
	expect_images();
	tap_ok(mram_is_expected(u.se), "after hard maintenance the MRAM holds exactly the two images");
	alif_se_free(u.se);
}

static void test_serom(bool with_package)
{
	struct alif_se_config cfg = {.serom = true};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, with_package ? pkg_nover : NULL, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	if (!with_package) {
		tap_ok(rv == RS_E_NOT_FOUND && strstr(e.msg, "--image system-package") && st.rom_writes == 0 &&
		       mram_is_expected(u.se), "SEROM without a package: stops before writing, naming the option (%s)", e.msg);
		alif_se_free(u.se);
		return;
	}
	tap_ok(rv == 0, "SEROM: ROM recovery, power cycle, then the bootloader write succeed (%s)", e.msg);
	tap_ok(st.rom_writes == (SP_LEN + 15) / 16 + 1 && st.seram, "MRAM_WRITE in 16-byte packets (%u) brought SERAM back",
	       st.rom_writes);
	tap_ok(strstr(u.log, "just rewritten from ROM") != NULL, "the update step is skipped after a ROM recovery");
	expect_images();
	expect_package();
	tap_ok(mram_is_expected(u.se), "SEROM recovery: package, offset word and both images are byte-exact");
	static const char *const want[] = {"hard_maintenance", "power_cycle", "maintenance_off"};
	tap_ok(prompts_are(&u, want, 3), "one power cycle after the ROM recovery");
	alif_se_free(u.se);
}

static void test_nak(uint8_t cmd, uint32_t sub, uint8_t code, const char *text)
{
	struct alif_se_config cfg = {.fault = ALIF_SE_NAK, .nak_cmd = cmd, .nak_sub = sub, .nak_code = code};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, NULL, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	tap_ok(rv == RS_E_DEVICE && strstr(e.msg, text) && alif_area_untouched(u.se) && st.baud == ALIF_SE_BOOT_BAUD,
	       "NAK 0x%02X to command 0x%02X: '%s' in the message, the Alif area untouched, the SE back at 55000 (%s)",
	       code, cmd, text, e.msg);
	alif_se_free(u.se);
}

static void test_reset_mid_burn(void)
{
	struct alif_se_config cfg = {.fault = ALIF_SE_RESET_MID_BURN, .reset_after = 5};
	struct ui u = {.se = se_new(&cfg)};
	struct rs_error e = {0};
	int rv = run(&u, NULL, &e);
	struct alif_se_stats st;
	alif_se_get_stats(u.se, &st);
	tap_ok(rv == RS_E_TIMEOUT && strstr(e.msg, "run restore-bootloader again") && alif_area_untouched(u.se),
	       "a reset in the middle of a burn fails plainly, the Alif area untouched (%s)", e.msg);
	tap_ok(st.baud == ALIF_SE_BOOT_BAUD, "after the reset the SE and the host are both back at 55000 baud");
	struct ui again = {.se = u.se};
	rv = run(&again, NULL, &e);
	expect_images();
	tap_ok(rv == 0 && mram_is_expected(u.se), "running restore-bootloader again completes the MRAM (%s)", e.msg);
	alif_se_free(u.se);
}

/* The ISP module straight against the model: line-level behaviour the runs above rely on. */
static void test_session(void)
{
	struct alif_se_config cfg = {.chatty = true};
	struct alif_se *se = se_new(&cfg);
	struct sp_port *port = se ? test_open(ttysim_devnode(alif_se_port(se))) : NULL;
	if (!port) {
		tap_ok(false, "the SE model's port opens");
		alif_se_free(se);
		return;
	}
	struct alif_isp isp;
	struct rs_error e = {0};
	sp_set_baudrate(port, 921600);
	alif_isp_init(&isp, port, 921600);
	struct alif_se_stats st;
	int rv = alif_isp_start(&isp, 1, &e);
	alif_se_get_stats(se, &st);
	tap_ok(rv == RS_E_TIMEOUT && st.garbage_bytes == 3, "START at 921600 to an SE at 55000 is lost on the line");
	sp_set_baudrate(port, ALIF_SE_BOOT_BAUD);
	alif_isp_init(&isp, port, ALIF_SE_BOOT_BAUD);
	rs_clear(&e);
	rv = alif_isp_start(&isp, 1, &e);
	tap_ok(rv == 0, "START at 55000 is acknowledged (%s)", e.msg);
	static const uint8_t corrupt[] = {0x03, 0x0F, 0xEF};
	rv = sp_blocking_write(port, corrupt, sizeof corrupt, 1000) == 3 ? 0 : -1;
	uint8_t nak[4] = {0};
	sp_blocking_read(port, nak, 4, 500);
	tap_ok(!rv && nak[0] == 4 && nak[1] == 0xFF && nak[2] == 0xFA, "a packet with a wrong checksum is answered NAK CHECKSUM_ERROR");
	char banner[100] = "";
	struct alif_isp_revision r = {0};
	bool got = !alif_isp_get_banner(&isp, banner, sizeof banner, &e) && !alif_isp_get_revision(&isp, &r, &e);
	tap_ok(got && !strncmp(banner, "SES B4 v1.104.0", 15) && !strcmp(r.rev_name, "B4") && isp.prints >= 2,
	       "banner and revision read with the SE's PRINT_DATA in between skipped (%u)", isp.prints);
	tap_ok(alif_isp_set_maintenance(&isp, &e) == 0 && alif_isp_burn_mram(&isp, 0x80000000u, boot_img, 16, NULL, 0, 0,
	       NULL, &e) == RS_E_DEVICE && strstr(e.msg, "NOT_ALLOWED") && isp.last_nak == 0xF4,
	       "BURN_MRAM outside maintenance mode is refused with a plain reason (%s)", e.msg);
	test_close(port);
	alif_se_free(se);
}

int main(void)
{
	tb = test_testbed_new();
	static struct boarddb db;
	struct rs_error e = {0};
	char path[600];
	if (boarddb_default_path(path, sizeof path, &e) || boarddb_load(&db, path, &e) ||
	    !(ae3 = boarddb_find(&db, "OPENMV_AE3")))
		tap_skip_all("boards.ini not found");
	snprintf(dir, sizeof dir, "%s/alif-restore-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		tap_skip_all("no temporary folder");
	mram = malloc(ALIF_SE_MRAM_SIZE);
	expect = malloc(ALIF_SE_MRAM_SIZE);
	make_files();

	test_session();
	test_normal();
	test_update();
	test_no_update(110, 0, pkg_dir, "is up to date (package v1.110.0)", "SE v1.110.0, package v1.110.0");
	test_no_update(104, 0, pkg_nover, "has no version.json", "a package without version.json");
	test_keys(ALIF_SE_KEYS_DEV, "HBK0 listed in the toolkit's hashesDB.db");
	test_keys(ALIF_SE_KEYS_BLANK, "blank HBK0");
	test_keys(ALIF_SE_KEYS_PROD, "production HBK0");
	test_hard_maintenance(false);
	test_hard_maintenance(true);
	test_serom(true);
	test_serom(false);
	test_nak(0x08, 0, 0xEF, "the MRAM write failed (MRAM_WRITE_FAILED)");
	test_nak(0x04, 0, 0xFA, "wrong checksum (CHECKSUM_ERROR)");
	test_nak(0x16, 0, 0xF4, "not allowed in its current state (NOT_ALLOWED)");
	test_nak(0x14, 4, 0xEE, "does not know this query (UNKNOWN_GET_OBJECT)");
	test_nak(0x08, 0, 0xF7, "destination address is not allowed (BAD_DESTINATION_ADDR)");
	test_nak(0x08, 0, 0xFC, "does not know this command (UNKNOWN_COMMAND)");
	test_reset_mid_burn();

	free(mram);
	free(expect);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	g_object_unref(tb);
	return tap_done();
}
