/* test_alif_files.c — the AE3 recovery's input files: the firmware_pad.toc check
 * (src/images_alif.c, reference alif-isp-openmv-ide-n6.md §1.10), choosing the system
 * package files (src/alif_package.c, §1.8), and the plan's system-package folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/tap.h"
#include "alif_package.h"
#include "boarddb.h"
#include "images.h"
#include "images_alif.h"
#include "plan.h"

/* A CRC-32 written from the definition; checked against the standard check value first. */
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

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xFFFF); put16(p + 2, v >> 16); }

/* An 8192-byte firmware_pad.toc: zero padding, then header, n entries and the tail (§1.10). */
static void make_toc(uint8_t *buf, size_t len, unsigned entries)
{
	memset(buf, 0, len);
	size_t hdr = len - 16 - 32 * entries - 32;
	uint8_t *h = buf + hdr;
	memcpy(h, "OEMTOC01", 8);
	put16(h + 8, 32);
	put16(h + 10, entries);
	put16(h + 12, 32);
	put16(h + 14, 2);
	memcpy(h + 16, "AE302F80F55D5AE", 15);
	for (unsigned i = 0; i < entries; i++) {
		uint8_t *e = h + 32 + 32 * i;
		put32(e, 0x80000000u + 0x1000 * i);
		put32(e + 8, 4);
		memcpy(e + 20, i ? "HP_APP" : "HP_BOOT", i ? 6 : 7);
	}
	put32(buf + len - 16, crc32_ref(h, 32 + 32 * entries));
	put32(buf + len - 12, 0x8057E000u + (uint32_t)hdr);
}

static void test_atoc(void)
{
	ok(crc32_ref((const uint8_t *)"123456789", 9) == 0xCBF43926u, "reference CRC-32 gives the standard check value");
	static uint8_t toc[8192];
	char why[300];
	make_toc(toc, sizeof toc, 4);
	ok(!images_check_atoc(toc, sizeof toc, why, sizeof why), "a TOC with 4 entries ending the file is accepted");
	make_toc(toc, sizeof toc, 0);
	ok(!images_check_atoc(toc, sizeof toc, why, sizeof why), "a TOC with no entries is accepted");
	make_toc(toc, sizeof toc, 4);
	toc[8192 - 16 - 32 * 4 - 32 + 16] ^= 1; /* the part string is covered by the CRC */
	ok(images_check_atoc(toc, sizeof toc, why, sizeof why) && strstr(why, "checksum"),
	   "a flipped header byte is refused for its CRC-32 (%s)", why);
	make_toc(toc, sizeof toc, 4);
	put16(toc + 8192 - 16 - 32 * 4 - 32 + 10, 3);
	ok(images_check_atoc(toc, sizeof toc, why, sizeof why) == -1, "an entry count that does not reach the tail is refused");
	memset(toc, 0, sizeof toc);
	ok(images_check_atoc(toc, sizeof toc, why, sizeof why) && strstr(why, "OEMTOC01"), "8 KiB of zeros has no TOC");
	ok(images_check_atoc(toc, 40, why, sizeof why) == -1, "40 bytes cannot hold a TOC");
}

static char tmp[512];

static void write_file(const char *dir, const char *name, size_t len, uint8_t fill)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	for (size_t i = 0; f && i < len; i++)
		fputc(fill, f);
	if (f)
		fclose(f);
}

static void test_package(void)
{
	char sub[600];
	snprintf(sub, sizeof sub, "%s/alif", tmp);
	mkdir(sub, 0700);
	struct alif_package p;
	char note[300];
	struct rs_error e = {0};
	ok(!alif_package_present(tmp), "an empty folder holds no package");
	ok(alif_package_find(tmp, "AE302F80F55D5AE", "B4", false, &p, note, sizeof note, &e) == RS_E_NOT_FOUND &&
	   strstr(e.msg, "SP-AE302F80F55D5AE-rev-b4.bin"), "a missing package names the file looked for (%s)", e.msg);
	write_file(sub, "SP-AE302F80F55D5AE-rev-b4.bin", 64, 1);
	write_file(sub, "offset-58-rev-b4.bin", 16, 2);
	write_file(sub, "SP-AE302F80F55D5AE-rev-b4-dev.bin", 64, 3);
	write_file(sub, "offset-58-rev-b4-dev.bin", 16, 4);
	write_file(sub, "SP-AE302F80F55D5AE-rev-b4.bin.sign", 2560, 5);
	write_file(sub, "offset-58-rev-b4.bin.sign", 2560, 6);
	char vpath[600];
	snprintf(vpath, sizeof vpath, "%s/version.json", tmp);
	FILE *f = fopen(vpath, "w");
	if (f)
		fputs("{\n  \"version_major\": 1,\n  \"version_minor\": 104,\n  \"version_patch\": 3\n}\n", f);
	if (f)
		fclose(f);
	ok(alif_package_present(tmp), "a folder whose alif subfolder holds SP and offset files is a package");
	ok(!alif_package_find(tmp, "AE302F80F55D5AE", "B4", false, &p, note, sizeof note, &e) &&
	   strstr(p.sp, "rev-b4.bin") && !strstr(p.sp, "-dev") && strstr(p.offset, "offset-58-rev-b4.bin") &&
	   p.sp_sign[0] && !note[0], "a provisioned B4 takes the production files and their .sign files");
	ok(p.have_version && p.version.major == 1 && p.version.minor == 104 && p.version.patch == 3,
	   "version.json beside the alif folder gives the package version 1.104.3");
	ok(!alif_package_find(tmp, "AE302F80F55D5AE", "B4", true, &p, note, sizeof note, &e) && strstr(p.sp, "-dev.bin") &&
	   strstr(p.offset, "-dev.bin") && !p.sp_sign[0], "a development part (blank HBK0) takes the -dev files, here unsigned");
	ok(alif_package_find(tmp, "AE302F80F55D5LE", "B4", false, &p, note, sizeof note, &e) == RS_E_INPUT,
	   "another part finds its SP missing beside a matching offset file, and says so");
	ok(alif_package_find(tmp, "AE302F80F55D5AE", "B3", false, &p, note, sizeof note, &e) == RS_E_NOT_FOUND,
	   "another revision finds nothing");
	char path[1024];
	snprintf(path, sizeof path, "%s/SP-AE302F80F55D5AE-rev-b4-dev.bin", sub);
	unlink(path);
	snprintf(path, sizeof path, "%s/offset-58-rev-b4-dev.bin", sub);
	unlink(path);
	ok(!alif_package_find(tmp, "AE302F80F55D5AE", "B4", true, &p, note, sizeof note, &e) && !p.dev && note[0],
	   "with only production files a development part takes them with a note [I]");
	ok(!alif_package_find(tmp, "", "", false, &p, note, sizeof note, &e) && strstr(p.sp, "SP-AE302F80F55D5AE"),
	   "an unknown part and revision take the only package there");

	uint8_t *buf;
	size_t len, orig;
	write_file(sub, "odd.bin", 20, 7);
	snprintf(path, sizeof path, "%s/odd.bin", sub);
	ok(!alif_file_read(path, 100, 16, &buf, &len, &orig, &e) && len == 32 && orig == 20 && buf[19] == 7 && buf[20] == 0 &&
	   buf[31] == 0, "a 20-byte file is read zero-padded to 32 bytes");
	free(buf);
	ok(alif_file_read(path, 16, 16, &buf, &len, &orig, &e) == RS_E_INPUT, "a file larger than its place is refused");
}

static void test_plan(void)
{
	struct boarddb *db = calloc(1, sizeof *db);
	struct rs_error e = {0};
	char path[600];
	if (boarddb_default_path(path, sizeof path, &e) || boarddb_load(db, path, &e)) {
		ok(0, "boards.ini loads (%s)", e.msg);
		free(db);
		return;
	}
	const struct board *b = boarddb_find(db, "OPENMV_AE3");
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	ok(a->baud[0].value == 55000 && a->baud[1].value == 921600, "AE3 restore.baud is 55000, 921600 (§1.1)");
	ok(a->sp_address.value == 0x80580000u && a->sp_offset_address.value == 0x805FFFF0u &&
	   a->mram_base.value == 0x80000000u, "AE3 system package at 0x80580000, offset file at 0x805FFFF0, MRAM at 0x80000000 (§1.8)");
	static struct plan p;
	struct plan_files f = {.ngiven = 1};
	snprintf(f.given[0].name, sizeof f.given[0].name, "system-package");
	f.given[0].path = tmp;
	ok(!plan_build(b, ACTION_RESTORE, &f, &p, &e), "restore-bootloader accepts --image system-package=DIR (%s)", e.msg);
	int sp = -1;
	for (int i = 0; i < p.nsteps; i++)
		if (p.steps[i].kind == STEP_ISP_UPDATE_SP)
			sp = p.steps[i].image;
	ok(sp >= 0 && !strcmp(p.images[sp].path, tmp) && p.images[sp].given, "the update step reads the named folder");
	struct image_problems probs;
	images_check(&p, false, &probs);
	int folder_problems = 0;
	for (int i = 0; i < probs.n; i++)
		folder_problems += strstr(probs.line[i], tmp) && strstr(probs.line[i], "package");
	ok(folder_problems == 0, "a folder holding a package passes the input checks");
	f.given[0].path = "/nonexistent-folder";
	plan_build(b, ACTION_RESTORE, &f, &p, &e);
	images_check(&p, false, &probs);
	folder_problems = 0;
	for (int i = 0; i < probs.n; i++)
		folder_problems += strstr(probs.line[i], "/nonexistent-folder: it is not a folder") != NULL;
	ok(folder_problems == 1, "a named folder that does not exist is refused before anything runs");
	free(db);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "%s/alif-files-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp)) {
		printf("1..0 # SKIP no temporary folder\n");
		return 77;
	}
	test_atoc();
	test_package();
	test_plan();
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmp);
	return tap_done();
}
