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
#define UPLOAD(DUMP, OFF, LEN, FILE, TAIL) \
	{.kind = XC_UPLOAD, .dump = DUMP, .offset = OFF, .len = LEN, .what = FILE, .byte = 0, .tail = TAIL}
#define FAILS(N) .ok = {N}, .n_ok = 1

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
	/* AE3: the four-image flash of seed 001 / seed 002 §10.7.6; addresses ref-alif §1.9. */
	{"ae3-flash", "OPENMV_AE3: four-image flash, --reset on the last (seed 001)",
	 {{"boot.bin", 30000, -1}, {"firmware_M55_HP.bin", 1500001, -1}, {"firmware_M55_HE.bin", 700001, -1},
	  {"romfs1.img", 400001, -1}, {"romfs0.img", 2000001, -1}},
	 {"--camera", "OPENMV_AE3:bootloader,after-leave=power-up", "--load", "alt0=boot.bin"},
	 {{.line = "dfu-util -w -d ,37C5:96E3 -a 1 -D firmware_M55_HP.bin"},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 2 -D firmware_M55_HE.bin"},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 3 -D romfs1.img"},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 6 --reset -D romfs0.img", OK_RESET}},
	 {"Done!"}, NULL,
	 {IMAGE("OPENMV_AE3.mram", 0x20000, "firmware_M55_HP.bin"),
	  IMAGE("OPENMV_AE3.mram", 0x320000, "firmware_M55_HE.bin"),
	  IMAGE("OPENMV_AE3.mram", 0x47E000, "romfs1.img"), IMAGE("OPENMV_AE3.ospi", 0x800000, "romfs0.img"),
	  IMAGE("OPENMV_AE3.mram", 0, "boot.bin")},
	 0},
	{"ae3-erase-key", "OPENMV_AE3: -a 5 erase, then the -a 7 key once per session (seeds 000, 001)",
	 {ZEROS_4K, {"old_fs.bin", 65536, -1}, {"key.bin", 4096, XVAL_AE3_KEY}},
	 {"--camera", "OPENMV_AE3:bootloader,after-leave=power-up", "--load", "0x0=old_fs.bin", "--load",
	  "0x800000=old_fs.bin"},
	 {{.line = "dfu-util -w -d ,37C5:96E3 -a 5 --reset -D erase.bin", OK_RESET},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 5 -U fs.bin"},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 7 -D key.bin"},
	  {.line = "dfu-util -w -d ,37C5:96E3 -a 7 -D key.bin", FAILS(74)}},
	 {"status(3)"}, NULL,
	 /* fs.bin, read back after the erase: 4 KiB of zeros first; then the key blanks the chip */
	 {{.kind = XC_IMAGE, .dump = "fs", .offset = 0, .what = "erase.bin"},
	  FILL("OPENMV_AE3.ospi", 0, 65536, 0xFF), FILL("OPENMV_AE3.ospi", 0x800000, 65536, 0xFF)},
	 0},
	{"ae3-bad-key", "OPENMV_AE3: a wrong key is refused with errWRITE and changes nothing",
	 {{"key.bin", 4096, -1}, {"old_romfs.bin", 65536, -1}},
	 {"--camera", "OPENMV_AE3", "--load", "alt6=old_romfs.bin"},
	 {{.line = "dfu-util -w -d ,37C5:96E3 -a 7 -D key.bin", FAILS(74)}},
	 {"status(3) = Device is unable to write memory"}, NULL,
	 {IMAGE("OPENMV_AE3.ospi", 0x800000, "old_romfs.bin")},
	 0},

	/* Arduino boards: absolute addresses (seed 002 §10.7.8, seed 000). */
	{"arduino", "Portenta H7: firmware with :leave", {{"firmware.bin", 1500001, -1}},
	 {"--camera", "ARDUINO_PORTENTA_H7"},
	 {{.line = "dfu-util -w -d ,2341:035b -a 0 -s 0x08040000:leave -D firmware.bin"}},
	 {"Submitting leave request", "Transitioning to dfuMANIFEST state"}, NULL,
	 {IMAGE("ARDUINO_PORTENTA_H7.flash", 0x40000, "firmware.bin")},
	 0},
	{"arduino", "Giga: ROMFS with :leave", {{"romfs0.img", 1000001, -1}},
	 {"--camera", "ARDUINO_GIGA"},
	 {{.line = "dfu-util -w -d ,2341:0366 -a 1 -s 0x90B00000:leave -D romfs0.img"}},
	 {"Submitting leave request"}, NULL,
	 {IMAGE("ARDUINO_GIGA.qspi", 0xB00000, "romfs0.img")},
	 0},
	{"arduino", "Nicla Vision: Wi-Fi and Bluetooth blobs, then the two erases",
	 {{"cyw4343_7_45_98_102.bin", 400001, -1}, {"cyw4343_btfw.bin", 60001, -1}, ZEROS_4K,
	  {"arduino_boot.bin", 65536, -1}, {"old_fs.bin", 131072, -1}},
	 {"--camera", "ARDUINO_NICLA_VISION", "--load", "0x08000000=arduino_boot.bin", "--load",
	  "0x08020000=old_fs.bin", "--load", "0x90000000=old_fs.bin"},
	 {{.line = "dfu-util -w -d ,2341:035f -a 1 -s 0x90F00000 -D cyw4343_7_45_98_102.bin"},
	  {.line = "dfu-util -w -d ,2341:035f -a 1 -s 0x90FC0000 -D cyw4343_btfw.bin"},
	  {.line = "dfu-util -w -d ,2341:035f -a 0 -s 0x08020000 -D erase.bin"},
	  {.line = "dfu-util -w -d ,2341:035f -a 1 -s 0x90000000 --reset -D erase.bin", OK_RESET}},
	 {"File downloaded successfully"}, NULL,
	 {IMAGE("ARDUINO_NICLA_VISION.qspi", 0xF00000, "cyw4343_7_45_98_102.bin"),
	  IMAGE("ARDUINO_NICLA_VISION.qspi", 0xFC0000, "cyw4343_btfw.bin"),
	  IMAGE("ARDUINO_NICLA_VISION.flash", 0x20000, "erase.bin"),
	  /* DfuSe erases the whole page holding the address (ref-dfu §1.5) */
	  FILL("ARDUINO_NICLA_VISION.flash", 0x21000, 0x1F000, 0xFF),
	  IMAGE("ARDUINO_NICLA_VISION.qspi", 0, "erase.bin"),
	  IMAGE("ARDUINO_NICLA_VISION.flash", 0, "arduino_boot.bin")},
	 0},

	/* ST system bootloader, BOOT-RST jumper (seed 003): starts in errFIRMWARE (no app). */
	{"st-rom", "OPENMV2 (STM32F427 ROM): bootloader.bin at 0x08000000",
	 {{"bootloader.bin", 30001, -1}, {"old_fw.bin", 100000, -1}},
	 {"--camera", "OPENMV2:st-rom", "--load", "0x08010000=old_fw.bin"},
	 {{.line = "dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000 -D bootloader.bin"}},
	 {"status(10)", "File downloaded successfully"}, NULL,
	 {IMAGE("OPENMV2.flash", 0, "bootloader.bin"), IMAGE("OPENMV2.flash", 0x10000, "old_fw.bin")},
	 0},
	{"st-rom", "OPENMV3 (STM32F765 ROM): bootloader.bin at 0x08000000",
	 {{"bootloader.bin", 30001, -1}, {"old_fw.bin", 100000, -1}},
	 {"--camera", "OPENMV3:st-rom", "--load", "0x08020000=old_fw.bin"},
	 {{.line = "dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000 -D bootloader.bin"}},
	 {"status(10)", "File downloaded successfully"}, NULL,
	 {IMAGE("OPENMV3.flash", 0, "bootloader.bin"), IMAGE("OPENMV3.flash", 0x20000, "old_fw.bin")},
	 0},
	{"st-rom", "OPENMV4 (STM32H743 ROM): bootloader.bin at 0x08000000",
	 {{"bootloader.bin", 70001, -1}, {"old_fw.bin", 100000, -1}},
	 {"--camera", "OPENMV4:st-rom", "--load", "0x08040000=old_fw.bin"},
	 {{.line = "dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000 -D bootloader.bin"}},
	 {"status(10)", "File downloaded successfully"}, NULL,
	 {IMAGE("OPENMV4.flash", 0, "bootloader.bin"), IMAGE("OPENMV4.flash", 0x40000, "old_fw.bin")},
	 0},

	/* Uploads read back exactly what the memory holds. */
	{"upload", "openmv_dfu upload of FIRMWARE: the partition, then a 4-byte short frame",
	 {{"firmware.bin", 1500001, -1}},
	 {"--camera", "OPENMV4", "--load", "alt2=firmware.bin"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -U up.bin"}},
	 {"Upload done."}, NULL,
	 {UPLOAD("OPENMV4.flash", 0x40000, 0x1A0000, "up.bin", 4)},
	 0},
	{"upload", "ST ROM upload of 64 KiB at 0x08000000",
	 {{"bootloader.bin", 70001, -1}},
	 {"--camera", "OPENMV4:st-rom", "--load", "0x08000000=bootloader.bin"},
	 {{.line = "dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000:65536 -U up.bin"}},
	 {"Upload done."}, NULL,
	 {UPLOAD("OPENMV4.flash", 0, 65536, "up.bin", 0)},
	 0},
	{"upload", "Arduino upload of 128 KiB at 0x90B00000",
	 {{"romfs0.img", 200001, -1}},
	 {"--camera", "ARDUINO_PORTENTA_H7", "--load", "0x90B00000=romfs0.img"},
	 {{.line = "dfu-util -w -d ,2341:035b -a 1 -s 0x90B00000:131072 -U up.bin"}},
	 {"Upload done."}, NULL,
	 {UPLOAD("ARDUINO_PORTENTA_H7.qspi", 0xB00000, 131072, "up.bin", 0)},
	 0},

	/* Faults: dfu-util must fail as it does on a real device (EX_IOERR 74, its message). */
	{"faults", "STALL of the second DNLOAD: Error during download (LIBUSB_ERROR_PIPE)",
	 {{"firmware.bin", 100001, -1}}, {"--camera", "OPENMV4", "--fault", "stall@5"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin", FAILS(74)}},
	 {"Error during download (LIBUSB_ERROR_PIPE)"}, NULL, {{0}}, 0},
	{"faults", "unplugged at block 3: LIBUSB_ERROR_NO_DEVICE",
	 {{"firmware.bin", 100001, -1}}, {"--camera", "OPENMV4", "--fault", "disconnect@block=3"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin", FAILS(74)}},
	 {"LIBUSB_ERROR_NO_DEVICE"}, NULL, {{0}}, 0},
	{"faults", "errWRITE at block 2: DFU state(10) = dfuERROR, status(3)",
	 {{"firmware.bin", 100001, -1}}, {"--camera", "OPENMV4", "--fault", "status=errWRITE@block=2"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin", FAILS(74)}},
	 {"DFU state(10) = dfuERROR, status(3)"}, NULL, {{0}}, 0},
	{"faults", "a 3-byte GETSTATUS: dfu-util's defaults, dfuERROR / errUNKNOWN",
	 {{"firmware.bin", 100001, -1}}, {"--camera", "OPENMV4", "--fault", "short-status@3"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin", FAILS(74)}},
	 {"DFU state(10) = dfuERROR, status(14)"}, NULL, {{0}}, 0},
	{"faults", "ST ROM errPROG at chunk 4: status(6)",
	 {{"bootloader.bin", 70001, -1}}, {"--camera", "OPENMV4:st-rom", "--fault", "status=errPROG@block=4"},
	 {{.line = "dfu-util -w -d ,0483:df11 -a 0 -s 0x08000000 -D bootloader.bin", FAILS(74)}},
	 {"status(6)"}, NULL, {{0}}, 0},
	{"faults-slow", "a GETSTATUS that never completes: LIBUSB_ERROR_TIMEOUT after 5 s",
	 {{"firmware.bin", 100001, -1}}, {"--camera", "OPENMV4", "--fault", "timeout@4"},
	 {{.line = "dfu-util -w -d ,37C5:9204 -a 2 -D firmware.bin", FAILS(74)}},
	 {"LIBUSB_ERROR_TIMEOUT"}, NULL, {{0}}, 0},
	/* Seed 004 / ref-dfu §1.14.10: dfu-util loops on "Poll timeout 1000 ms" forever;
	 * timeout(1) ends it (124) while it is still looping, and the sector is erased. */
	{"faults-slow", "STM32H7 rev V: erase at 0x08100000 never leaves dfuDNBUSY",
	 {{"firmware.bin", 100001, -1}, {"old.bin", 131072, -1}},
	 {"--camera", "OPENMV4:st-rom", "--fault", "h7-rev-v", "--load", "0x08100000=old.bin"},
	 {{.line = "timeout 3 dfu-util -v -v -w -d ,0483:df11 -a 0 -s 0x08100000 -D firmware.bin",
	   FAILS(124)}},
	 {"Erasing page size 131072 at address 0x08100000"}, "Poll timeout 1000 ms",
	 {FILL("OPENMV4.flash", 0x100000, 131072, 0xFF)},
	 0},
};
const int xval_case_count = sizeof xval_cases / sizeof xval_cases[0];
