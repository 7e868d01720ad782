/* The cross-check cases.  Commands are the seeds' (002 §10.7.5-8, 000, 001, 003),
 * verbatim apart from file names; expected addresses are typed here from the seeds
 * and references, independently of the models' tables.
 *
 * Exit statuses: after `--reset`, dfu-util 0.11 returns libusb's NOT_FOUND (-5, i.e.
 * 251) from main when the camera has already left (DETACH makes the bootloader jump
 * away before the reset); 0 when the reset still found it.  Both are real outcomes. */
#include "xval.h"

#define KiB 1024u
#define OK_RESET .ok = {0, 251}, .n_ok = 2
#define IMAGE(DUMP, OFF, FILE) {.kind = XC_IMAGE, .dump = DUMP, .offset = OFF, .what = FILE}
#define FILL(DUMP, OFF, LEN, BYTE) {.kind = XC_FILL, .dump = DUMP, .offset = OFF, .len = LEN, .byte = BYTE}
#define ZEROS_4K {"erase.bin", 4096, 0}

/* An OpenMV camera with the openmv_dfu bootloader: firmware, ROMFS, filesystem erase.
 * After `--reset` the camera reboots into the bootloader's power-up window, which is
 * what `-w` waits for on a real camera (seed 001: "it listens briefly at power-up"). */
#define OPENMV_FLASH(T, VIDPID, FW_ALT, ROMFS_ALT, ERASE_ALT, FW_MEM, FW_OFF, FW_SIZE, RO_MEM,   \
		     RO_OFF, RO_SIZE, ER_MEM, ER_OFF, BOOT_MEM)                                     \
	{"openmv-" T, T ": firmware, ROMFS and filesystem erase (seed 002 §10.7.5, seed 000)",         \
	 {{"boot.bin", 20000, -1}, {"firmware.bin", FW_SIZE, -1}, {"romfs0.img", RO_SIZE, -1},         \
	  ZEROS_4K},                                                                                   \
	 {"--camera", T ":bootloader,after-leave=power-up", "--load", "alt0=boot.bin"},                \
	 {{.line = "dfu-util -w -d ," VIDPID " -a " FW_ALT " -D firmware.bin"},                        \
	  {.line = "dfu-util -w -d ," VIDPID " -a " ROMFS_ALT " --reset -D romfs0.img", OK_RESET},      \
	  {.line = "dfu-util -w -d ," VIDPID " -a " ERASE_ALT " --reset -D erase.bin", OK_RESET}},      \
	 {"Download done.", "Done!"},                                                                  \
	 NULL,                                                                                         \
	 {IMAGE(T "." FW_MEM, FW_OFF, "firmware.bin"), IMAGE(T "." RO_MEM, RO_OFF, "romfs0.img"),     \
	  IMAGE(T "." ER_MEM, ER_OFF, "erase.bin"), IMAGE(T "." BOOT_MEM, 0, "boot.bin")},             \
	 0}

const struct xval_case xval_cases[] = {
	/* Partition starts: board facts (boot_config.h); alts: seed 002 §10.7.5, seed 000. */
	OPENMV_FLASH("OPENMV2", "37C5:9202", "2", "3", "1", "flash", 0x10000, 800001, "flash", 0xE0000,
		     100003, "flash", 0x8000, "flash"),
	OPENMV_FLASH("OPENMV3", "37C5:9203", "2", "3", "1", "flash", 0x20000, 1500001, "flash",
		     0x1C0000, 200003, "flash", 0x8000, "flash"),
	OPENMV_FLASH("OPENMV4", "37C5:9204", "2", "3", "1", "flash", 0x40000, 1500001, "flash",
		     0x1E0000, 100003, "flash", 0x20000, "flash"),
	OPENMV_FLASH("OPENMV4P", "37C5:924A", "2", "4", "3", "flash", 0x40000, 1500001, "qspi",
		     0x1800000, 1000003, "qspi", 0, "flash"),
	OPENMV_FLASH("OPENMVPT", "37C5:9205", "2", "4", "3", "flash", 0x40000, 1500001, "qspi",
		     0x1800000, 1000003, "qspi", 0, "flash"),
	OPENMV_FLASH("OPENMV_N6", "37C5:9206", "1", "3", "2", "xspi", 0x80000, 2000001, "xspi",
		     0x800000, 1000003, "xspi", 0x400000, "xspi"),
};
const int xval_case_count = sizeof xval_cases / sizeof xval_cases[0];
