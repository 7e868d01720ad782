/* flows_e2e_n6.c — the OpenMV Cam N6's bootloader restore through the wizard, with the
 * real runner and executors, against the virtual N6 (openmv-rescue-sim: its boot ROM's DFU,
 * then the OpenBootloader the ROM loads, tests/sim/models/model_n6*.c).  The screens are checked,
 * then the memories as the simulator dumps them when the wizard ends. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flows.h"

#define XSPI "OPENMV_N6.xspi.bin"       /* nor0 from offset 0 */
#define AXISRAM "OPENMV_N6.axisram.bin" /* from 0x34000000 */

/* OpenMV's layout (reference alif-isp-openmv-ide-n6.md §4.1); the images are beside it. */
static void write_layout(void)
{
	mkdirs("n6");
	write_text("n6/FlashLayout.tsv",
	           "#Opt\tId\tName\tType\tIP\tOffset\tBinary\n"
	           "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n"
	           "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n"
	           "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin\n");
	write_pattern("n6/OpenBootloader_STM32N6570-DK-trusted.stm32", 70000, 11, NULL, 0);
	write_pattern("n6/MX66UW1G45G_STM32N6570-DK-OBL.bin", 9000, 12, NULL, 0);
	write_pattern("n6/bootloader.bin", 200000, 13, NULL, 0);
	/* an offset that is not a number, on line 2 */
	write_text("n6/Bad.tsv",
	           "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n"
	           "P\t0x4\tfsbl-app\tBinary\tnor0\tboot1\tbootloader.bin\n");
}

/* On the files screen: Enter on the layout's slot, type the path, Enter. */
static void give_layout(struct vt *v, const char *path)
{
	vt_select(v, "OPENMV_N6/FlashLayout.tsv");
	enter(v);
	vt_type(v, path);
	enter(v);
}

void flow_e2e_n6_restore(void)
{
	write_layout();
	/* the camera runs its firmware; when the person has put the BOOT jumper on and plugs it
	 * in again (SIGUSR1 to the simulator), the N6 boot ROM's DFU answers */
	struct vt *v = start_sim_dump("OPENMV_N6:firmware,after-leave=st-rom", NULL, "running firmware");
	to_action(v, "OPENMV_N6 ", "Restore the bootloader");
	ok(shows(v, "OPENMV_N6/FlashLayout.tsv") && shows(v, "missing"),
	   "N6 restore: the files screen asks for FlashLayout.tsv");
	give_layout(v, "n6/Bad.tsv");
	ok(shows(v, "Refused: n6/Bad.tsv:2: Offset 'boot1' is not a number"),
	   "N6 restore: a bad layout is refused right there, with file:line and why");
	ok(shows(v, "missing"), "N6 restore: and not taken");
	give_layout(v, "n6/FlashLayout.tsv");
	ok(shows(v, "OPENMV_N6/FlashLayout.tsv: taken.") && shows(v, "from you"),
	   "N6 restore: the good layout is taken");
	vt_select(v, "Continue");
	enter(v);
	ok(shows(v, "openmv-rescue - Confirm") && shows(v, "Write what n6/FlashLayout.tsv lists"),
	   "N6 restore: the confirm screen names the layout");
	enter(v); /* Start */
	ok(vt_wait_text(v, "openmv-rescue - Your turn", WAIT_MS) == 0 &&
	   shows(v, "connect a jumper wire between BOOT and VCC"), "N6 restore: the BOOT jumper prompt comes up");
	ok(shows(v, "|  OpenMV Cam N6    BOOT o------+") && shows(v, "VCC o------+"),
	   "N6 restore: with its drawing");
	ok(shows(v, "2. Connect a jumper wire between the BOOT and VCC pins."), "N6 restore: and its numbered steps");
	ok(shows(v, "Waiting for ST ROM DFU 0483:df11 ... not yet"), "N6 restore: it waits for the N6 ROM");
	ok(vt_wait_text(v, "the jumper is not on BOOT-VCC", WAIT_MS) == 0 &&
	   shows(v, "Seen instead: running firmware 37C5:1206"),
	   "N6 restore: the running firmware is named as the wrong device");
	/* its last word, on a row of its own at 80 columns, is not cut off */
	ok(shows(v, "Unplug it, check the jumper wire, plug it in") && shows(v, "again."),
	   "N6 restore: what to do about it, in full");
	ok(shows(v, "3. Reconnect. The N6 boot ROM shows up as the ST DFU device (0483:df11)."),
	   "N6 restore: the steps are all still there above it");
	vt_kill(v, SIGUSR1); /* the person replugs the camera with the jumper on */
	ok(wait_or_result(v, "Step 2 of 3: Write what n6/FlashLayout.tsv lists", WAIT_MS),
	   "N6 restore: when the ROM appears the run goes on by itself");
	/* the prompt's own text: the title is also in the list of steps on the progress screen */
	ok(wait_or_result(v, "2. Remove the jumper wire between BOOT and VCC.", 60000),
	   "N6 restore: through the ROM and OpenBootloader to the closing prompt");
	ok(shows(v, "Remove the BOOT jumper and reconnect the camera") && shows(v, "jumper wire removed"),
	   "N6 restore: the closing prompt with its title and drawing");
	ok(shows(v, "Waiting for the camera to start without the ST ROM DFU ... not yet"),
	   "N6 restore: the closing prompt waits for the camera without the ST ROM");
	enter(v); /* the virtual camera stays in the ROM (after-leave=st-rom): Enter twice goes on */
	ok(shows(v, "press Enter again to go on anyway"), "N6 restore: Enter while still in the ROM asks again");
	enter(v);
	ok(vt_wait_text(v, "openmv-rescue - Result", WAIT_MS) == 0 &&
	   shows(v, "Done: OpenMV Cam N6 restore-bootloader: all 3 steps done"), "N6 restore: the run completes");
	ok(quit_for_dump(v), "N6 restore: the simulator dumps the camera");
	ok(dump_holds(XSPI, 0, "n6/bootloader.bin"), "N6 restore: nor0 holds bootloader.bin from offset 0");
	ok(dump_is(XSPI, 200000, 4 * 65536 - 200000, 0xFF),
	   "N6 restore: the rest of the last 64 KiB sector written reads erased");
	/* the FSBL load address and the loader's (tests/sim/models/model_n6.h) */
	ok(dump_holds(AXISRAM, 0x180400, "n6/OpenBootloader_STM32N6570-DK-trusted.stm32"),
	   "N6 restore: the ROM took OpenBootloader into RAM");
	ok(dump_holds(AXISRAM, 0x300000, "n6/MX66UW1G45G_STM32N6570-DK-OBL.bin"),
	   "N6 restore: OpenBootloader took the external-flash loader into RAM");
	vt_free(v);
}
