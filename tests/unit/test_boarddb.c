/* test_boarddb.c — the board database loader: the shipped boards.ini loads, and every kind
 * of bad file fails with exit-2 class error naming the right file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/tap.h"
#include "boarddb.h"

/* A small, valid database: one openmv_dfu camera and one DfuSe Arduino board. */
static const char *good =
	"[CAM]\n"                                                   /* 1 */
	"name = Test Cam\n"                                         /* 2 */
	"mcu = STM32H743\n"                                         /* 3 */
	"port = stm32\n"                                            /* 4 */
	"core = Cortex-M7\n"                                        /* 5 */
	"family = OpenMV STM32\n"                                   /* 6 */
	"usb.bootloader = 37C5:9204\n"                              /* 7 */
	"usb.st_rom = 0483:df11\n"                                  /* 8 */
	"alt.0 = BOOTLOADER, flash:0x08000000, 0x20000, ro, bootloader.bin\n" /* 9 */
	"alt.1 = FILESYSTEM, flash:0x08020000, 0x20000, rw\n"       /* 10 */
	"alt.2 = FIRMWARE, flash:0x08040000, 0x1A0000, rw, firmware.bin\n"    /* 11 */
	"flash = openmv_dfu\n"                                      /* 12 */
	"flash.alts = 2\n"                                          /* 13 */
	"erase_fs = openmv_dfu\n"                                   /* 14 */
	"erase_fs.alt = 1\n"                                        /* 15 */
	"restore = st_rom\n"                                        /* 16 */
	"restore.prompt = boot_rst_jumper\n"                        /* 17 */
	"restore.alt = 0\n"                                         /* 18 */
	"[ARD]\n"                                                   /* 19 */
	"name = Test Arduino\n"                                     /* 20 */
	"mcu = STM32H747\n"                                         /* 21 */
	"port = stm32\n"                                            /* 22 */
	"core = Cortex-M7\n"                                        /* 23 */
	"family = Arduino STM32\n"                                  /* 24 */
	"usb.arduino_dfu = 2341:035b\n"                             /* 25 */
	"image.firmware = 0, 0x08040000, 0x1C0000, firmware.bin\n"  /* 26 */
	"image.romfs = 1, 0x90B00000, 0x400000, romfs0.img\n"       /* 27 */
	"flash = dfuse\n"                                           /* 28 */
	"flash.images = firmware, romfs\n"                          /* 29 */
	"erase_fs = dfuse\n"                                        /* 30 */
	"erase_fs.writes = 0 0x08020000, 1 0x90000000\n"            /* 31 */
	"restore = none\n"                                          /* 32 */
	"restore.why = Factory-locked.\n"                           /* 33 */
	"protect = 0x08000000-0x08020000\n";                        /* 34 */

static char dir[256];

static int load_text(const char *text, struct boarddb *db, struct rs_error *err)
{
	char path[300];
	snprintf(path, sizeof path, "%s/boards.ini", dir);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return boarddb_load(db, path, err);
}

/* Replace line n (1-based) of good with repl (which may hold several lines or be ""). */
static char *with_line(int n, const char *repl)
{
	static char out[8192];
	const char *p = good;
	size_t off = 0;
	for (int line = 1; *p; line++) {
		const char *e = strchr(p, '\n');
		size_t len = (size_t)(e - p) + 1;
		if (line == n)
			off += (size_t)snprintf(out + off, sizeof out - off, "%s", repl);
		else
			off += (size_t)snprintf(out + off, sizeof out - off, "%.*s", (int)len, p);
		p += len;
	}
	return out;
}

static void expect_bad(const char *name, const char *text, int line, const char *words)
{
	static struct boarddb db;
	struct rs_error err = {0};
	int rc = load_text(text, &db, &err);
	char at[32];
	snprintf(at, sizeof at, "boards.ini:%d:", line);
	ok(rc == RS_E_INPUT && strstr(err.msg, at) && strstr(err.msg, words) && !strchr(err.msg, '\n'),
	   "%s -> one line naming %s (%s)", name, at, err.msg);
}

int main(int argc, char **argv)
{
	static struct boarddb db;
	struct rs_error err = {0};
	const char *shipped = argc > 1 ? argv[1] : getenv("OPENMV_RESCUE_BOARDS");
	snprintf(dir, sizeof dir, "%s/boarddb-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 99;

	ok(shipped && boarddb_load(&db, shipped, &err) == 0, "the shipped boards.ini loads (%s)", err.msg);
	ok(db.n == 14, "it has the 14 boards of the supported-boards table (got %d)", db.n);
	ok(boarddb_find(&db, "openmv4") && boarddb_find(&db, "OPENMV4"), "TARGET lookup ignores case");
	{ /* OpenMV IDE's settings.json lists 2341:005b as a Portenta application (appvidpid) */
		struct board_match m[4];
		int n = boarddb_match_usb(&db, 0x2341, 0x005b, m, 4);
		ok(n == 1 && !strcmp(m[0].board->target, "ARDUINO_PORTENTA_H7") && m[0].mode == USB_FIRMWARE,
		   "2341:005b is a Portenta H7 running OpenMV firmware (%d matches)", n);
	}
	/* a ';' inside a value starts an iniparser comment and silently cuts the sentence */
	for (int i = 0; i < db.n; i++)
		for (int a = 0; a < ACTION_COUNT; a++) {
			const char *why = db.boards[i].actions[a].why;
			size_t len = strlen(why);
			if (len)
				ok(why[len - 1] == '.', "%s %s: the reason is a whole sentence (%s)",
				   db.boards[i].target, action_name((enum action)a), why);
		}

	ok(load_text(good, &db, &err) == 0 && db.n == 2, "the small valid database loads (%s)", err.msg);
	ok(!strcmp(db.boards[0].target, "CAM"), "TARGETs are kept upper-case");

	expect_bad("unknown key", with_line(5, "core = Cortex-M7\ncolour = blue\n"), 6, "unknown key");
	expect_bad("missing required key", with_line(2, ""), 1, "missing key name");
	expect_bad("missing action", with_line(14, "\n"), 1, "missing key erase_fs");
	expect_bad("malformed VID:PID", with_line(7, "usb.bootloader = 37C5-9204\n"), 7, "VID:PID");
	expect_bad("short VID:PID", with_line(7, "usb.bootloader = 37C5:924\n"), 7, "VID:PID");
	expect_bad("malformed number", with_line(11, "alt.2 = FIRMWARE, flash:0x0804G000, 0x1A0000, rw, firmware.bin\n"), 11, "not a number");
	expect_bad("overlapping alts", with_line(10, "alt.1 = FILESYSTEM, flash:0x08020000, 0x30000, rw\n"), 11, "overlaps");
	expect_bad("layout word without its value", with_line(13, "flash.alts = 2\nflash.layout_word = 0x3004\n"), 14,
	           "ADDRESS, VALUE");
	expect_bad("layout check address not a number", with_line(13, "flash.alts = 2\nflash.layout_vector = E0000h\n"),
	           14, "not a number");
	expect_bad("overlapping images", with_line(27, "image.romfs = 0, 0x08100000, 0x400000, romfs0.img\n"), 27, "overlaps");
	expect_bad("alt used twice", with_line(13, "flash.alts = 2, 2\n"), 13, "used twice");
	expect_bad("alt defined twice", with_line(11, "alt.2 = FIRMWARE, flash:0x08040000, 0x1A0000, rw, firmware.bin\nalt.02 = X, flash:0x09000000, 0x100, rw\n"), 12, "defined twice");
	expect_bad("duplicate key", with_line(4, "port = stm32\nport = nrf\n"), 5, "given twice");
	expect_bad("duplicate section", with_line(19, "[cam]\n"), 19, "appears twice");
	expect_bad("unknown method", with_line(12, "flash = magic\n"), 12, "unknown");
	expect_bad("unknown prompt", with_line(17, "restore.prompt = wave_hands\n"), 17, "not a known hardware prompt");
	expect_bad("garbage line", with_line(3, "this is not ini\n"), 3, "expected KEY = VALUE");
	expect_bad("none without why", with_line(33, "\n"), 32, "needs restore.why");
	expect_bad("flashing a read-only alt", with_line(13, "flash.alts = 0\n"), 9, "read-only");
	expect_bad("erase in the protected bootloader", with_line(31, "erase_fs.writes = 0 0x08000000\n"), 31, "protected");
	expect_bad("image in the protected bootloader", with_line(26, "image.firmware = 0, 0x08010000, 0x1C0000, firmware.bin\n"), 26, "protected");
	expect_bad("key before any section", "name = x\n[A]\n", 1, "before the first");
	expect_bad("bad access word", with_line(10, "alt.1 = FILESYSTEM, flash:0x08020000, 0x20000, rx\n"), 10, "access");
	expect_bad("missing method parameter", with_line(15, "\n"), 14, "erase_fs.alt");
	expect_bad("range ending before it starts", with_line(34, "protect = 0x08020000-0x08000000\n"), 34, "ends before");

	/* id.*: what a device must say about itself before a write (src/board/boarddb_ident.c) */
	expect_bad("id: transfer size too small", with_line(12, "id.transfer_size = 4\nflash = openmv_dfu\n"), 12, "transfer_size");
	expect_bad("id: versions the wrong way round", with_line(12, "id.bootloader_versions = 1.2.0-1.0.0\nflash = openmv_dfu\n"), 12, "MIN-MAX");
	expect_bad("id: a version part above 15", with_line(12, "id.bootloader_versions = 1.0.0-1.16.0\nflash = openmv_dfu\n"), 12, "0 to 15");
	expect_bad("id: unknown id key", with_line(12, "id.colour = red\nflash = openmv_dfu\n"), 12, "unknown key");
	expect_bad("id: openmv_dfu keys on a DfuSe board", with_line(28, "id.transfer_size = 4096\nflash = dfuse\n"), 19, "openmv_dfu");
	expect_bad("id: SAM-BA version on a DfuSe board", with_line(28, "id.samba_version = Arduino\nflash = dfuse\n"), 19, "SAM-BA");
	expect_bad("id: mboot family on a DfuSe board", with_line(28, "id.mboot_family = K\nflash = dfuse\n"), 19, "NXP");
	expect_bad("id: mboot family not a letter", with_line(28, "id.mboot_family = k1\nflash = dfuse\n"), 28, "capital letter");
	expect_bad("id: ROM version 0", with_line(28, "id.rom_versions = 0-3\nflash = dfuse\n"), 28, "MIN-MAX");
	/* the N6 boot ROM and OpenBootloader (src/plan/identity_n6.c) */
	expect_bad("id: an N6 ROM alt without its number", with_line(12, "id.rom_alts = FSBL 0x34180400\nflash = openmv_dfu\n"), 12, "LABEL /0xNUMBER");
	expect_bad("id: an N6 ROM alt with '@'", with_line(12, "id.rom_alts = @FSBL /0x1\nflash = openmv_dfu\n"), 12, "LABEL /0xNUMBER");
	expect_bad("id: an OpenBootloader phase above 0xFF", with_line(12, "id.obl_alts = 0x00, 0x100\nflash = openmv_dfu\n"), 12, "0x00 to 0xFF");
	expect_bad("id: OpenBootloader transfer size 0", with_line(12, "id.obl_transfer_size = 0\nflash = openmv_dfu\n"), 12, "obl_transfer_size");
	expect_bad("id: N6 keys on a board without stm32prog", with_line(12, "id.obl_alts = 0x00, 0x03\nflash = openmv_dfu\n"), 1, "stm32prog");
	ok(load_text(with_line(12, "id.transfer_size = 4096\nid.bootloader_versions = 1.0.0-1.0.15\nflash = openmv_dfu\n"), &db, &err) == 0 &&
	   db.boards[0].ident.transfer_size == 4096 && db.boards[0].ident.version_min == 0x100 &&
	   db.boards[0].ident.version_max == 0x10F, "id.transfer_size and id.bootloader_versions load as numbers (%s)", err.msg);
	{ /* the shipped file: every board says what its device must report */
		static struct boarddb s;
		if (shipped && !boarddb_load(&s, shipped, &err))
			for (int i = 0; i < s.n; i++) {
				const struct board *b = &s.boards[i];
				bool dfu = board_supports(b, ACTION_FLASH) && b->actions[ACTION_FLASH].method == METHOD_OPENMV_DFU;
				if (dfu)
					ok(b->ident.transfer_size && b->ident.version_max, "%s: id.transfer_size and id.bootloader_versions", b->target);
				if (b->actions[ACTION_FLASH].method == METHOD_SAMBA)
					ok(b->ident.samba_version[0], "%s: id.samba_version", b->target);
				if (b->actions[ACTION_FLASH].method == METHOD_PICOBOOT)
					ok(b->ident.rom_max, "%s: id.rom_versions", b->target);
				if (b->actions[ACTION_RESTORE].method == METHOD_STM32PROG)
					ok(b->ident.nrom_alts && b->ident.nobl_ids && b->ident.obl_transfer_size,
					   "%s: id.rom_alts, id.obl_alts and id.obl_transfer_size", b->target);
			}
	}

	{ /* database-wide, before the first board: the reason for an action a board leaves out */
		static struct boarddb d3;
		static char text[4096];
		snprintf(text, sizeof text, "init_mram.why = No MRAM here. ; a comment\n%s", good);
		ok(load_text(text, &d3, &err) == 0 && d3.n == 2 &&
		   !strcmp(d3.boards[0].actions[ACTION_INIT_MRAM].why, "No MRAM here.") &&
		   !strcmp(d3.boards[1].actions[ACTION_RESTORE].why, "Factory-locked."),
		   "ACTION.why before the boards is the reason of every board that leaves ACTION out (%s)", err.msg);
		expect_bad("database-wide key that is no reason", "init_mram.alt = 7\n[A]\n", 1, "only ACTION.why");
	}
	{ /* an empty file and a missing file */
		struct boarddb d2;
		ok(load_text("; nothing\n", &d2, &err) == RS_E_INPUT && strstr(err.msg, "no [TARGET]"),
		   "a file with no sections is refused (%s)", err.msg);
		ok(boarddb_load(&d2, "/nonexistent/boards.ini", &err) == RS_E_INPUT && strstr(err.msg, "cannot open"),
		   "a missing file is refused (%s)", err.msg);
	}
	char path[300];
	snprintf(path, sizeof path, "%s/boards.ini", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
