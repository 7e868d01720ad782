/* test_images_nano.c — the input checks of the Nano boards (src/family/samba/images.c,
 * src/family/picoboot/images.c through
 * images_check): UF2 validity and fit in flash.max_size for the Nano RP2040 Connect, size and
 * format of firmware.bin for the Nano 33 BLE Sense, and the plans' step order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/tap.h"
#include "images.h"
#include "plan.h"
#include "runner.h"
#include "uf2.h"

static char dir[300];
static struct boarddb db;

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A UF2 file of n RP2040 blocks from addr on; returns its path. */
static const char *make_uf2(const char *name, uint32_t addr, uint32_t n)
{
	static char path[400];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	uint8_t b[512];
	for (uint32_t i = 0; i < n; i++) {
		memset(b, 0, sizeof b);
		put32(b, 0x0A324655);
		put32(b + 4, 0x9E5D5157);
		put32(b + 8, 0x2000);
		put32(b + 12, addr + 256 * i);
		put32(b + 16, 256);
		put32(b + 20, i);
		put32(b + 24, n);
		put32(b + 28, 0xE48BFF56);
		memset(b + 32, (int)(i & 0xFF), 256);
		put32(b + 508, 0x0AB16F30);
		fwrite(b, 1, sizeof b, f);
	}
	fclose(f);
	return path;
}

static const char *make_bin(const char *name, size_t len, int fill)
{
	static char path[400];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	for (size_t i = 0; i < len; i++)
		fputc(fill, f);
	fclose(f);
	return path;
}

/* Plan TARGET flash with firmware = path, check it; returns the number of problems. */
static int check(const char *target, const char *path, char *first, size_t n)
{
	static struct plan p;
	struct plan_files files = {.ngiven = 1};
	snprintf(files.given[0].name, sizeof files.given[0].name, "firmware");
	files.given[0].path = path;
	struct rs_error err = {0};
	if (plan_build(boarddb_find(&db, target), ACTION_FLASH, &files, &p, &err)) {
		snprintf(first, n, "plan: %.300s", err.msg);
		return -1;
	}
	struct image_problems probs;
	int k = images_check(&p, false, &probs);
	snprintf(first, n, "%s", k ? probs.line[0] : "");
	return k;
}

static void test_rp2040(void)
{
	const char *t = "ARDUINO_NANO_RP2040_CONNECT";
	char why[400];
	ok(check(t, make_uf2("ok.uf2", 0x10000000, 8), why, sizeof why) == 0, "a 2 KiB UF2 at 0x10000000 passes (%s)", why);
	/* 1.5 MiB of payload is a 3 MiB file: the fit is the payload's, not the file's size */
	ok(check(t, make_uf2("big.uf2", 0x10000000, 6144), why, sizeof why) == 0,
	   "a UF2 holding 1.5 MiB (a 3 MiB file) fits the 2 MiB area (%s)", why);
	ok(check(t, make_uf2("fs.uf2", 0x10200000, 1), why, sizeof why) == 1 && strstr(why, "outside the firmware area"),
	   "a UF2 writing the filesystem at 0x10200000 is refused: %s", why);
	ok(check(t, make_uf2("edge.uf2", 0x101FFF00, 1), why, sizeof why) == 0,
	   "the last page below 0x10200000 is inside (%s)", why);
	ok(check(t, make_bin("fw.uf2", 700, 0x55), why, sizeof why) == 1 && strstr(why, "not a UF2 file"),
	   "a .uf2 without UF2 blocks is refused: %s", why);
	const char *cut = make_uf2("cut.uf2", 0x10000000, 3);
	if (truncate(cut, 1000)) /* not a whole number of blocks */
		perror("truncate");
	ok(check(t, cut, why, sizeof why) == 1 && strstr(why, "not a whole number of 512-byte blocks"),
	   "a truncated UF2 is refused with the reason: %s", why);
	ok(check(t, make_bin("fw.bin", 4096, 0x11), why, sizeof why) == 0, "a plain .bin loads at 0x10000000 (%s)", why);
	ok(check(t, make_bin("huge.bin", 0x200001, 0), why, sizeof why) == 1 && strstr(why, "0x10000000-0x10200000"),
	   "a .bin one byte over 2 MiB is refused: %s", why);
}

static void test_nano33(void)
{
	const char *t = "ARDUINO_NANO_33_BLE_SENSE";
	char why[400];
	ok(check(t, make_bin("n33.bin", 0xAA000, 0x22), why, sizeof why) == 0, "a firmware.bin of exactly 0xAA000 bytes fits (%s)", why);
	ok(check(t, make_bin("n33big.bin", 0xAA001, 0x22), why, sizeof why) == 1 && strstr(why, "0xAA000"),
	   "one byte more is refused: %s", why);
	ok(check(t, make_uf2("n33.uf2", 0x10000000, 2), why, sizeof why) == 1 && strstr(why, "UF2 file"),
	   "a UF2 file is refused for the SAM-BA bootloader: %s", why);
}

static void test_plans(void)
{
	static struct plan p;
	struct rs_error err = {0};
	const struct board *b = boarddb_find(&db, "ARDUINO_NANO_33_BLE_SENSE");
	plan_build(b, ACTION_FLASH, NULL, &p, &err);
	ok(p.nsteps == 3 && p.steps[0].kind == STEP_ENTER_BOOTLOADER && p.steps[0].mode == USB_SAMBA &&
	   p.steps[1].kind == STEP_PROMPT && p.steps[2].kind == STEP_SAMBA_FLASH &&
	   p.steps[2].address.value == 0x16000, "Nano 33: touch, then the double-tap prompt, then SAM-BA at 0x16000");
	b = boarddb_find(&db, "ARDUINO_NANO_RP2040_CONNECT");
	plan_build(b, ACTION_ERASE_FS, NULL, &p, &err);
	ok(p.nsteps == 4 && p.steps[0].kind == STEP_MAKE_ZEROS && p.steps[1].kind == STEP_ENTER_BOOTLOADER &&
	   p.steps[1].mode == USB_BOOTSEL && p.steps[3].kind == STEP_PICOBOOT_WRITE &&
	   p.steps[3].address.value == 0x10200000, "RP2040 erase-fs: zeros, touch, prompt, write at 0x10200000");
	for (int k = STEP_SAMBA_FLASH; k <= STEP_PICOBOOT_WRITE; k++) {
		struct step st = {.kind = (enum step_kind)k, .mode = USB_BOOTSEL};
		ok(exec_for_step(&st) != NULL, "step kind %s has an executor", step_kind_info((enum step_kind)k)->name);
	}
	for (int m = USB_SAMBA; m <= USB_BOOTSEL; m++) {
		struct step st = {.kind = STEP_ENTER_BOOTLOADER, .mode = (enum usb_mode)m};
		ok(exec_for_step(&st) != NULL, "entering the %s has an executor", usb_mode_label((enum usb_mode)m));
	}
}

int main(void)
{
	struct rs_error err = {0};
	const char *path = getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("Bail out! cannot load boards.ini: %s\n", err.msg);
		return 1;
	}
	snprintf(dir, sizeof dir, "%s/imgnano.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! no temporary directory\n");
		return 1;
	}
	test_rp2040();
	test_nano33();
	test_plans();
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
	return tap_done();
}
