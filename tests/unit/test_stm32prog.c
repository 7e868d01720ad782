/* test_stm32prog.c — the STM32 DFU phase protocol without a device (src/proto/stm32prog*.c):
 * alt ids, GetPhase answers, the set-phase command, the layout download and the checks of
 * what the N6 path can run; and the STM32_Programmer_CLI path (src/family/n6/exec_cube.c) against
 * a stand-in program on PATH.  Byte vectors follow reference alif-isp-openmv-ide-n6.md §4.2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/tap.h"
#include "exec_n6.h"
#include "stm32prog.h"

static void test_alt_ids(void)
{
	ok(stm32prog_alt_id("@FSBL /0x01/1*1Me") == 0x01, "TF-A FSBL alt: id 0x01");
	ok(stm32prog_alt_id("@Partition3 /0x03/1*16Me") == 0x03, "Partition3 alt: id 0x03");
	ok(stm32prog_alt_id("@virtual /0xF1/1*512Ba") == 0xF1, "virtual alt: id 0xF1");
	ok(stm32prog_alt_id("@RSSE_FW /0xF3/1*512Ka") == 0xF3, "N6 ROM RSSE_FW alt: id 0xF3");
	/* reference §4.2 [S]: the N6 ROM's FSBL alt carries its load address, not an id */
	ok(stm32prog_alt_id("@FSBL /0x34180400/01*512Kg") == 0x01, "N6 ROM FSBL alt with a load address: by name, 0x01");
	ok(stm32prog_alt_id("@Internal Flash  /0x08000000/04*016Kg") == -1, "a DfuSe memory alt has no phase id");
	ok(stm32prog_alt_id("UNKNOWN") == -1 && stm32prog_alt_id("") == -1, "no name, no id");
	ok(stm32prog_alt_id("@x /0x/1") == -1 && stm32prog_alt_id("@x /0x123456789/1") == -1, "malformed numbers give no id");
}

/* OpenBootloader alts found by id, or, when the names carry none, by the middleware's fixed
 * order (openbl_usb_cmd.c: alt 0 = 0x00, 1 = 0x03, 2 = 0x04, 3 = 0xF1, 4 = 0xF2, 5 = 0x05). */
static void test_find_alt(void)
{
	static struct stm32prog_dev named, bare, rom;
	const char *names[] = {"@FlashLayout /0x00/1*1Ke", "@Loader /0x03/1*1Me", "@Partition4 /0x04/1*128Me",
	                       "@virtual /0xF1/1*512Ba"};
	named.nalts = bare.nalts = 4;
	for (int i = 0; i < 4; i++) {
		named.alts[i] = (struct stm32prog_alt){.alt = (uint8_t)i, .id = stm32prog_alt_id(names[i])};
		snprintf(named.alts[i].name, sizeof named.alts[i].name, "%s", names[i]);
		bare.alts[i] = (struct stm32prog_alt){.alt = (uint8_t)i, .id = -1};
		snprintf(bare.alts[i].name, sizeof bare.alts[i].name, "Partition %d", i);
	}
	ok(stm32prog_find_alt(&named, 0x04, true) == 2 && stm32prog_find_alt(&named, 0xF1, false) == 3,
	   "alts found by the ids in their names");
	ok(stm32prog_find_alt(&named, 0x05, true) == -1, "no alt for a phase the device does not list");
	ok(stm32prog_find_alt(&bare, 0x03, true) == 1 && stm32prog_find_alt(&bare, 0xF1, true) == 3,
	   "names without ids: OpenBootloader's fixed alt order");
	ok(stm32prog_find_alt(&bare, 0x03, false) == -1, "the fixed order is only used for OpenBootloader");
	const char *rom_names[] = {"@FSBL /0x34180400/01*512Kg", "@RSSE_FW /0xF3/01*128Ka", "@virtual /0xF1/1*512Ba"};
	rom.nalts = 3;
	for (int i = 0; i < 3; i++) {
		rom.alts[i] = (struct stm32prog_alt){.alt = (uint8_t)i, .id = stm32prog_alt_id(rom_names[i])};
		snprintf(rom.alts[i].name, sizeof rom.alts[i].name, "%s", rom_names[i]);
	}
	ok(stm32prog_find_alt(&rom, 0x01, false) == 0 && stm32prog_find_alt(&rom, 0xF1, false) == 2,
	   "the N6 ROM's FSBL and command alts");
	ok(!stm32prog_same_alts(&rom, &named) && stm32prog_same_alts(&named, &named),
	   "a re-enumerated device is told apart by its alt list");
}

static void test_phase_answers(void)
{
	struct stm32prog_phase ph;
	struct rs_error err = {0};
	const uint8_t fsbl[9] = {0x01, 0x00, 0x04, 0x18, 0x34, 0, 0, 0, 0};
	ok(stm32prog_parse_phase(fsbl, sizeof fsbl, &ph, &err) == 0 && ph.id == 0x01 && ph.address == 0x34180400 &&
	   !ph.detach, "phase 0x01 at 0x34180400 (address little-endian)");
	ok(stm32prog_parse_phase(fsbl, 8, &ph, &err) == RS_E_PROTOCOL && strstr(err.msg, "garbage"),
	   "an 8-byte answer is garbage");
	ok(stm32prog_parse_phase(fsbl, 0, &ph, &err) == RS_E_PROTOCOL, "an empty answer is garbage");
	const uint8_t detach[10] = {0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0x01};
	ok(stm32prog_parse_phase(detach, sizeof detach, &ph, &err) == 0 && ph.detach,
	   "layout phase, no address, byte 9 = 1: detach");
	ok(stm32prog_parse_phase(detach, 9, &ph, &err) == 0 && !ph.detach, "without byte 9 there is no detach request");
	const uint8_t layout[10] = {0x00, 0x00, 0x00, 0x10, 0x34, 0, 0, 0, 0, 0x01};
	ok(stm32prog_parse_phase(layout, sizeof layout, &ph, &err) == 0 && !ph.detach && ph.address == 0x34100000,
	   "layout phase with an address: not a detach, whatever follows");
	const uint8_t error[16] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 'b', 'a', 'd', '\x01', 0, 'x'};
	ok(stm32prog_parse_phase(error, sizeof error, &ph, &err) == RS_E_DEVICE && strstr(err.msg, "bad?") &&
	   !strstr(err.msg, "x"), "error phase 0xFF: its text, up to the NUL");
	uint8_t cmd[5];
	stm32prog_encode_set_phase(0x04, 0x70000000, cmd);
	ok(!memcmp(cmd, "\x04\x70\x00\x00\x00", 5), "set phase 0x04 at 0x70000000: address big-endian");
	stm32prog_encode_set_phase(0x03, 0x12345678, cmd);
	ok(!memcmp(cmd, "\x03\x12\x34\x56\x78", 5), "set phase 0x03 at 0x12345678");
	ok(!strcmp(stm32prog_nor_addressing_name(STM32PROG_NOR_ADDRESSING_DEFAULT), "layout") &&
	   stm32prog_nor_addressing_from_name("set-phase") == STM32PROG_NOR_BY_SET_PHASE &&
	   stm32prog_nor_addressing_from_name("nope") == -1, "nor0 addressing names; the default is the layout");
}

#define PART(i, o, n, ipv, off) {.id = (i), .opt = (o), .name = (n), .type = "Binary", .ip = (ipv), .offset = (off)}

static const struct stm32prog_part openmv[] = {
	PART(0x01, "P", "fsbl-openbl", "none", 0),
	PART(0x03, "P", "fsbl-extfl", "none", 0),
	PART(0x04, "P", "fsbl-app", "nor0", 0),
};

static void expect_refused(const struct stm32prog_part *parts, int n, const char *what, const char *name)
{
	struct rs_error err = {0};
	int rc = stm32prog_check_parts(parts, n, &err);
	ok(rc == RS_E_INPUT && strstr(err.msg, what), "%s", name);
	if (rc != RS_E_INPUT || !strstr(err.msg, what))
		tap_diag("message: %s", err.msg);
}

static void test_check_parts(void)
{
	struct rs_error err = {0};
	ok(stm32prog_check_parts(openmv, 3, &err) == 0, "OpenMV's layout can run on the N6 path");
	expect_refused(openmv, 1, "at least one image", "OpenBootloader alone is not a restore");
	const struct stm32prog_part no_fsbl[] = {PART(0x03, "P", "l", "none", 0), PART(0x04, "P", "a", "nor0", 0)};
	expect_refused(no_fsbl, 2, "must be Id 0x01", "the first row must be the FSBL for the ROM");
	const struct stm32prog_part p6[] = {openmv[0], openmv[1], PART(0x06, "P", "x", "nor0", 0)};
	expect_refused(p6, 3, "0x04 and 0x05", "partition 0x06 is refused (OpenBootloader writes 4 and 5 only)");
	const struct stm32prog_part early[] = {openmv[0], openmv[2], openmv[1]};
	expect_refused(early, 3, "before any external-memory loader", "nor0 before the loader is refused");
	const struct stm32prog_part badloader[] = {openmv[0], PART(0x03, "P", "l", "nor0", 0), openmv[2]};
	expect_refused(badloader, 3, "must be none", "the loader row must go to RAM");
	const struct stm32prog_part notnor[] = {openmv[0], openmv[1], PART(0x04, "P", "a", "mmc0", 0)};
	expect_refused(notnor, 3, "not a NOR", "an eMMC target is refused");
	const struct stm32prog_part longname[] = {openmv[0], openmv[1],
	                                          PART(0x04, "P", "a-name-longer-than-thirty-two-chars", "nor0", 0)};
	expect_refused(longname, 3, "32 characters", "columns longer than OpenBootloader reads are refused");
	struct stm32prog_part many[16];
	for (int i = 0; i < 16; i++)
		many[i] = i < 2 ? openmv[i] : (struct stm32prog_part)PART(0x04, "P", "a", "nor0", 0);
	expect_refused(many, 16, "at most 15", "more than 15 rows are refused");
}

static void test_layout_blob(void)
{
	uint8_t blob[1024];
	size_t len = 0;
	struct rs_error err = {0};
	ok(stm32prog_layout_blob(openmv, 3, blob, sizeof blob, &len, &err) == 0, "layout download built");
	const char *text = "P\t0x01\tfsbl-openbl\tBinary\tnone\t0x00000000\n"
	                   "P\t0x03\tfsbl-extfl\tBinary\tnone\t0x00000000\n"
	                   "P\t0x04\tfsbl-app\tBinary\tnor0\t0x00000000\n";
	uint8_t zeros[256] = {0};
	ok(len == 256 + strlen(text) && !memcmp(blob, zeros, 256), "256 header bytes, then the rows");
	ok(len >= 256 && !memcmp(blob + 256, text, strlen(text)), "six tab-separated columns, one row per line, no header");
	ok(stm32prog_layout_blob(openmv, 3, blob, 300, &len, &err) == RS_E_INPUT && strstr(err.msg, "one DFU block"),
	   "a layout bigger than one block is refused");
}

static void test_percent(void)
{
	ok(n6_cubeprogrammer_percent("[==========>       ]  45%") == 45, "progress bar line: 45");
	ok(n6_cubeprogrammer_percent("[==================] 100%") == 100, "100 percent");
	ok(n6_cubeprogrammer_percent("  Download in Progress: 45%") == -1, "only lines starting with '['");
	ok(n6_cubeprogrammer_percent("[====] 1234%") == -1, "not a percentage");
	ok(n6_cubeprogrammer_percent("[=====]") == -1 && n6_cubeprogrammer_percent("[%]") == -1, "no number, no progress");
}

/* --- the STM32_Programmer_CLI path against a stand-in on PATH ---------------------------- */

struct seen {
	uint64_t last_done, last_total;
	int nprogress;
	bool saw_half;
	char log[4096];
};

static void ev_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct seen *s = ctx;
	s->last_done = done;
	s->last_total = total;
	s->nprogress++;
	s->saw_half |= total == 10 && done == 5;
}

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	(void)level;
	struct seen *s = ctx;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof s->log - n, "%s|", msg);
}

static char dir[256];

static void put(const char *name, const char *text, int mode)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int run_cube(const char *script, struct seen *s, struct rs_error *err)
{
	put("STM32_Programmer_CLI", script, 0755);
	static struct plan p;
	memset(&p, 0, sizeof p);
	p.nimages = 1;
	snprintf(p.images[0].path, sizeof p.images[0].path, "%s/FlashLayout.tsv", dir);
	struct step st = {.kind = STEP_STM32PROG_LAYOUT, .image = 0, .alt = -1};
	struct run_options opts = {.assume_yes = true, .use_cubeprogrammer = true};
	struct run_events ev = {.ctx = s, .progress = ev_progress, .log = ev_log};
	struct run_result res = {0};
	struct run_ctx rc = {.plan = &p, .opts = &opts, .ev = &ev, .res = &res, .device_mode = USB_MODE_COUNT};
	memset(s, 0, sizeof *s);
	rs_clear(err);
	return exec_stm32prog_layout(&rc, &st, err);
}

static void test_cubeprogrammer(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/cube-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		ok(0, "temporary folder");
		return;
	}
	put("FlashLayout.tsv", "#Opt\tId\tName\tType\tIP\tOffset\tBinary\n"
	                       "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tobl.stm32\n"
	                       "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\textfl.bin\n"
	                       "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0\tbootloader.bin\n", 0644);
	put("obl.stm32", "OBL", 0644);
	put("extfl.bin", "EXT", 0644);
	put("bootloader.bin", "BOOT", 0644);
	const char *old_path = getenv("PATH");
	char *saved = strdup(old_path ? old_path : "/usr/bin:/bin");
	char newpath[1200];
	snprintf(newpath, sizeof newpath, "%s:%s", dir, saved);
	setenv("PATH", newpath, 1);

	char found[1024];
	ok(n6_find_cubeprogrammer(found, sizeof found) == false, "nothing found before the stand-in exists");
	/* the stand-in checks how it was called, then prints progress the way the IDE reads it */
	char script[2048];
	snprintf(script, sizeof script,
	         "#!/bin/sh\n"
	         "[ \"$1 $2 $3\" = \"-c port=USB1 -d\" ] || { echo \"bad args: $*\"; exit 9; }\n"
	         "[ \"$4\" = \"%s/FlashLayout.tsv\" ] || { echo \"bad layout: $4\"; exit 9; }\n"
	         "[ \"$STM32_PRG_PATH\" = \"%s\" ] || { echo \"bad STM32_PRG_PATH: $STM32_PRG_PATH\"; exit 9; }\n"
	         "echo '      STM32CubeProgrammer v2.18.0'\n"
	         "printf '[==        ] 20%%%%\\r[=====     ] 50%%%%\\r'\n"
	         "echo '[==========] 100%%'\n"
	         "echo 'Flashing service completed successfully'\n", dir, dir);
	struct seen s;
	struct rs_error err;
	int rc = run_cube(script, &s, &err);
	ok(rc == 0, "the stand-in runs to completion (%s)", err.msg);
	ok(s.nprogress >= 3 && s.saw_half && s.last_done == 10 && s.last_total == 10,
	   "its percentages become progress in bytes of the layout: 50%% of 10 is 5 (%d reports)", s.nprogress);
	ok(strstr(s.log, "Flashing service completed successfully|") && !strstr(s.log, "50%"),
	   "other lines are logged, progress lines are not");
	ok(!strstr(s.log, "bad "), "called with -c port=USB1 -d <layout> and STM32_PRG_PATH set to its folder");
	ok(n6_find_cubeprogrammer(found, sizeof found) && strstr(found, dir) == found, "found on PATH");

	rc = run_cube("#!/bin/sh\necho 'Error: No STM32 target found!'\nexit 1\n", &s, &err);
	ok(rc == RS_E_DEVICE && strstr(err.msg, "exit status 1") && strstr(err.msg, "No STM32 target found"),
	   "a failing run is RS_E_DEVICE with its last line");

	put("STM32_Programmer_CLI", "", 0644); /* not executable: not found */
	ok(n6_find_cubeprogrammer(found, sizeof found) == false, "a file that is not executable is not taken");
	static struct plan p;
	memset(&p, 0, sizeof p);
	p.nimages = 1;
	snprintf(p.images[0].path, sizeof p.images[0].path, "%s/FlashLayout.tsv", dir);
	struct step st = {.kind = STEP_STM32PROG_LAYOUT, .image = 0};
	struct run_options opts = {.use_cubeprogrammer = true};
	struct run_ctx ctx = {.plan = &p, .opts = &opts};
	rs_clear(&err);
	ok(exec_stm32prog_layout(&ctx, &st, &err) == RS_E_UNSUPPORTED && strstr(err.msg, "not on PATH"),
	   "asked for but not installed: a plain message");

	setenv("PATH", saved, 1);
	free(saved);
	const char *files[] = {"STM32_Programmer_CLI", "FlashLayout.tsv", "obl.stm32", "extfl.bin", "bootloader.bin"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[700];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	ok(rmdir(dir) == 0, "temporary folder removed");
}

int main(void)
{
	test_alt_ids();
	test_find_alt();
	test_phase_answers();
	test_check_parts();
	test_layout_blob();
	test_percent();
	test_cubeprogrammer();
	return tap_done();
}
