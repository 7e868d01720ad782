/* flows_e2e_nxp.c — the OpenMV Cam RT1062 through the wizard, with the real runner and
 * executors, against the virtual camera (openmv-rescue-sim: its ROM serial downloader, the
 * flashloader and the secure bootloader, tests/sim/models/model_nxp*.c).  Each flow checks the
 * screens, then the camera's memories as the simulator dumps them when the wizard ends.
 *
 * Addresses: boards.ini [OPENMV_RT1060] (seed 002 §10.7.7, seed 003); the dump of the
 * external flash starts at 0x60000000, so its offsets are the addresses less 0x60000000.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flows.h"

#define BIN "build/OPENMV_RT1060/bin/"
#define FLEXSPI "OPENMV_RT1060.flexspi.bin"
#define FUSES "OPENMV_RT1060.fuses.bin"
#define DTCM "OPENMV_RT1060.dtcm.bin"

/* The firmware is 1.5 MiB so that the progress screen stays up long enough to be read. */
static void write_flash_images(void)
{
	mkdirs("build/OPENMV_RT1060/bin");
	write_pattern(BIN "firmware.bin", 1536 * 1024, 1, NULL, 0);
	write_pattern(BIN "romfs0.img", 40000, 2, NULL, 0);
}

void flow_e2e_rt1062_flash(void)
{
	write_flash_images();
	struct vt *v = start_sim_dump("OPENMV_RT1060:sbl", NULL, "NXP flashloader");
	/* the secure bootloader answers with the flashloader's IDs (seed 002 §10.7.7) */
	ok(shows(v, "OpenMV Cam RT1062 - NXP flashloader (15A2:0073)"), "RT1062 flash: the secure bootloader is seen");
	ok(highlighted(v, "OpenMV Cam RT1062 answers as the NXP flashloader - flash firmware?"),
	   "RT1062 flash: flashing it is proposed");
	enter(v);
	ok(shows(v, "Files for flash on the OpenMV Cam RT1062") && shows(v, "from build/OPENMV_RT1060/bin"),
	   "RT1062 flash: the images are found in build/OPENMV_RT1060/bin");
	ok(shows(v, "romfs0.img") && shows(v, "1.5 MiB"), "RT1062 flash: both images, with their sizes");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "flash-erase-region 0x60800000") && shows(v, "write-memory 0x60040000"),
	   "RT1062 flash: the confirm screen lists the ROMFS and firmware writes");
	enter(v); /* Start */
	ok(wait_or_result(v, "Step 5 of 6: blhost -u 0x15A2,0x0073 -- write-memory 0x60040000", 20000),
	   "RT1062 flash: the progress screen names the firmware write");
	ok(wait_or_result(v, "KiB of 1.5 MiB", 20000), "RT1062 flash: and counts its bytes");
	ok(vt_wait_text(v, "openmv-rescue - Result", 60000) == 0, "RT1062 flash: the run ends on the result screen");
	ok(shows(v, "Done: OpenMV Cam RT1062 flash: all 6 steps done, every write verified"),
	   "RT1062 flash: done, every write verified");
	ok(shows(v, "Every write was read back and compared: verified."), "RT1062 flash: the result says verified");
	ok(quit_for_dump(v), "RT1062 flash: q leaves the wizard and the simulator dumps the camera");
	ok(dump_holds(FLEXSPI, 0x40000, BIN "firmware.bin"), "RT1062 flash: firmware.bin at 0x60040000");
	ok(dump_holds(FLEXSPI, 0x800000, BIN "romfs0.img"), "RT1062 flash: romfs0.img at 0x60800000");
	vt_free(v);
}

void flow_e2e_rt1062_erase_fs(void)
{
	/* a FAT disk at 0x60400000: its first sector and the next one (seed 000 erases 4 KiB) */
	write_pattern("fat0.bin", 4096, 3, NULL, 0);
	write_pattern("fat1.bin", 4096, 7, NULL, 0);
	char load0[700], load1[700];
	snprintf(load0, sizeof load0, "0x60400000=%s/fat0.bin", home);
	snprintf(load1, sizeof load1, "0x60401000=%s/fat1.bin", home);
	const char *opts[] = {"--load", load0, "--load", load1, NULL};
	struct vt *v = start_sim_dump("OPENMV_RT1060:sbl", opts, "NXP flashloader");
	to_action(v, "OPENMV_RT1060 ", "Erase the internal filesystem");
	ok(shows(v, "openmv-rescue - Confirm") && shows(v, "erase-fs, 3 steps") &&
	   shows(v, "flash-erase-region 0x60400000"),
	   "RT1062 erase-fs: straight to the confirm screen, an erase at 0x60400000");
	enter(v); /* Start */
	ok(vt_wait_text(v, "openmv-rescue - Result", 30000) == 0, "RT1062 erase-fs: the run ends on the result screen");
	ok(shows(v, "Done: OpenMV Cam RT1062 erase-fs: all 3 steps done"), "RT1062 erase-fs: done");
	ok(quit_for_dump(v), "RT1062 erase-fs: the simulator dumps the camera");
	ok(dump_is(FLEXSPI, 0x400000, 4096, 0xFF), "RT1062 erase-fs: 0x60400000..0x60400FFF reads erased");
	ok(dump_holds(FLEXSPI, 0x401000, "fat1.bin"), "RT1062 erase-fs: 0x60401000.. kept");
	vt_free(v);
}

void flow_e2e_rt1062_restore(void)
{
	/* the ROM loads the flashloader by its IVT header (reference nxp-sdp-mboot.md §4) */
	static const uint8_t ivt[] = {0xD1, 0x00, 0x20, 0x41};
	mkdirs("build/OPENMV_RT1060/bin");
	write_pattern(BIN "sdphost_flash_loader.bin", 10000, 4, ivt, sizeof ivt);
	write_pattern(BIN "blhost_flash_loader.bin", 30000, 5, NULL, 0);
	write_pattern(BIN "firmware.bin", 150001, 6, NULL, 0);
	/* the camera runs its firmware; when the person has put the jumper on and plugs it in
	 * again (SIGUSR1 to the simulator), the ROM's serial downloader answers */
	struct vt *v = start_sim_dump("OPENMV_RT1060:firmware,after-leave=sdp", NULL, "running firmware");
	to_action(v, "OPENMV_RT1060 ", "Restore the bootloader");
	ok(shows(v, "sdphost_flash_loader.bin") && shows(v, "blhost_flash_loader.bin"),
	   "RT1062 restore: the two loaders and the firmware are found");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "One step can never be undone: you will type a word to allow it."),
	   "RT1062 restore: the confirm screen warns of the irreversible step");
	enter(v); /* Start */
	ok(vt_wait_text(v, "openmv-rescue - Your turn", WAIT_MS) == 0 &&
	   shows(v, "Disconnect the camera, jumper the SBL and 3.3V pins, reconnect"),
	   "RT1062 restore: the SBL jumper prompt comes up");
	ok(shows(v, "|  OpenMV Cam RT1062 SBL o------+") && shows(v, "3.3V o------+"),
	   "RT1062 restore: with its drawing");
	ok(shows(v, "2. Jumper the SBL and 3.3V pins."), "RT1062 restore: and its numbered steps");
	ok(shows(v, "Waiting for NXP SDP ROM 1FC9:0135 ... not yet"), "RT1062 restore: it waits for the SDP ROM");
	ok(vt_wait_text(v, "the SBL pin is not jumpered to 3.3V", WAIT_MS) == 0 &&
	   shows(v, "Seen instead: running firmware 37C5:1060"),
	   "RT1062 restore: the running firmware is named as the wrong device");
	/* its last word, on a row of its own at 80 columns, is not cut off */
	ok(shows(v, "Unplug it, check the jumper, plug it in") && shows(v, "again."),
	   "RT1062 restore: what to do about it, in full");
	ok(shows(v, "3. Reconnect. The chip shows up in its ROM serial-download (SDP) mode"),
	   "RT1062 restore: the steps are all still there above it");
	vt_kill(v, SIGUSR1); /* the person replugs the camera with the jumper on */
	ok(wait_or_result(v, "openmv-rescue - A question before going on", 30000),
	   "RT1062 restore: when the SDP ROM appears the run goes on by itself to the eFuse");
	ok(shows(v, "efuse-program-once") && shows(v, "0x06 00000010. Type BURN to go ahead."),
	   "RT1062 restore: the eFuse write asks for the typed word BURN");
	vt_type(v, "burn");
	enter(v);
	ok(wait_or_result(v, "Type BURN exactly (capital letters), or Esc to stop.", WAIT_MS) &&
	   shows(v, "openmv-rescue - A question before going on") && !shows(v, "burn"),
	   "RT1062 restore: a wrong word is refused, the question stays, the field is empty again");
	vt_type(v, "BURN");
	enter(v);
	/* the prompt's own text: the title is also in the list of steps on the progress screen */
	ok(wait_or_result(v, "2. Remove the jumper from the SBL and 3.3V pins.", 60000),
	   "RT1062 restore: BURN goes ahead, then the closing prompt");
	ok(shows(v, "Remove the SBL jumper and power-cycle the camera") && shows(v, "jumper removed"),
	   "RT1062 restore: with its title and drawing");
	ok(shows(v, "Waiting for the camera to start without the NXP"),
	   "RT1062 restore: it waits for the camera without the ROM's loader");
	enter(v); /* the virtual camera is still in the flashloader: Enter twice goes on */
	/* the answer is drawn after the key is read: wait for it, on a loaded machine too */
	ok(wait_or_result(v, "press Enter again to go on anyway", WAIT_MS),
	   "RT1062 restore: Enter while it is still there asks again");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0 &&
	   shows(v, "Done: OpenMV Cam RT1062 restore-bootloader: all 15 steps done"),
	   "RT1062 restore: the run completes");
	ok(quit_for_dump(v), "RT1062 restore: the simulator dumps the camera");
	/* eFuse word 6 = 0x00000010: boot from external flash (seed 003 step 4) */
	write_text("fuse6.bin", "\x10");
	ok(dump_holds(FUSES, 24, "fuse6.bin") && dump_is(FUSES, 25, 3, 0),
	   "RT1062 restore: eFuse 6 holds 0x00000010");
	ok(dump_is(FUSES, 0, 24, 0), "RT1062 restore: eFuses 0 to 5 untouched");
	ok(dump_holds(DTCM, 0x1C00, BIN "sdphost_flash_loader.bin"), "RT1062 restore: the flashloader at 0x20001C00");
	/* the model writes a 512-byte stand-in FCB: its content is not modelled [I] */
	ok(dump_is(FLEXSPI, 0, 512, -1), "RT1062 restore: an FCB written at 0x60000000 [I: stand-in content]");
	ok(dump_holds(FLEXSPI, 0x1000, BIN "blhost_flash_loader.bin"), "RT1062 restore: the SBL at 0x60001000");
	ok(dump_holds(FLEXSPI, 0x40000, BIN "firmware.bin"), "RT1062 restore: the firmware at 0x60040000");
	vt_free(v);
}

void flow_e2e_rt1062_detect(void)
{
	/* the ROM first; replugged (SIGUSR1) the camera answers as the flashloader */
	struct vt *v = start_sim_dump("OPENMV_RT1060:sdp,after-leave=flashloader", NULL, "NXP SDP ROM");
	ok(shows(v, "OpenMV Cam RT1062 - NXP SDP ROM (1FC9:0135)"), "detect: the RT1062's SDP ROM is named");
	ok(highlighted(v, "OpenMV Cam RT1062 is in ROM serial-download mode - restore the bootloader"),
	   "detect: restoring the bootloader is proposed");
	vt_kill(v, SIGUSR1);
	ok(vt_wait_text(v, "OpenMV Cam RT1062 - NXP flashloader (15A2:0073)", WAIT_MS) == 0,
	   "detect: live, the flashloader is named when it appears");
	ok(!vt_contains(v, "NXP SDP ROM"), "detect: and the SDP ROM is gone from the list");
	ok(highlighted(v, "OpenMV Cam RT1062 answers as the NXP flashloader - flash firmware?"),
	   "detect: the proposal follows the device");
	vt_free(v);
}
