/* test_facts.c — facts typed by hand from the seeds, checked against the loaded boards.ini.
 * Each row cites the seed it was typed from.  A row is "TARGET, what, expected", where what is
 * one of: name, mcu, port, core, usb.MODE (first ID), alt.N.file, alt.N.size, alt.N.name,
 * flash.alts, erase_fs.alt, image.SLOT.address, image.SLOT.alt, region.NAME.address,
 * region.NAME.size, restore, erase_fs.address, flash.offset, init_mram.alt. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "boarddb.h"

struct fact {
	const char *target, *what, *expected;
};

static const struct fact facts[] = {
	/* seed 002 §10.4.1 Supported boards */
	{"OPENMV1", "name", "OpenMV Cam M4"}, {"OPENMV1", "mcu", "STM32F407"},
	{"OPENMV2", "mcu", "STM32F427"}, {"OPENMV3", "mcu", "STM32F765"},
	{"OPENMV4", "name", "OpenMV Cam H7"}, {"OPENMV4P", "mcu", "STM32H743 + SDRAM"},
	{"OPENMVPT", "name", "OpenMV Pure Thermal"}, {"OPENMV_N6", "mcu", "STM32N657"},
	{"OPENMV_N6", "core", "Cortex-M55"}, {"OPENMV_RT1060", "name", "OpenMV Cam RT1062"},
	{"OPENMV_RT1060", "port", "mimxrt"}, {"OPENMV_AE3", "port", "alif"},
	{"ARDUINO_PORTENTA_H7", "mcu", "STM32H747"}, {"ARDUINO_GIGA", "core", "Cortex-M7"},
	{"ARDUINO_NICLA_VISION", "port", "stm32"}, {"ARDUINO_NANO_33_BLE_SENSE", "mcu", "nRF52840"},
	{"ARDUINO_NANO_33_BLE_SENSE", "port", "nrf"}, {"ARDUINO_NANO_RP2040_CONNECT", "mcu", "RP2040"},
	{"ARDUINO_NANO_RP2040_CONNECT", "core", "Cortex-M0+"},
	/* seed 002 §10.7.5 App and DFU VID:PIDs; seed 000 erase alts */
	{"OPENMV2", "usb.firmware", "37C5:1202"}, {"OPENMV2", "usb.bootloader", "37C5:9202"},
	{"OPENMV3", "usb.firmware", "37C5:1203"}, {"OPENMV3", "usb.bootloader", "37C5:9203"},
	{"OPENMV4", "usb.firmware", "37C5:1204"}, {"OPENMV4", "usb.bootloader", "37C5:9204"},
	{"OPENMV4P", "usb.firmware", "37C5:124A"}, {"OPENMV4P", "usb.bootloader", "37C5:924A"},
	{"OPENMVPT", "usb.firmware", "37C5:1205"}, {"OPENMVPT", "usb.bootloader", "37C5:9205"},
	{"OPENMV_N6", "usb.firmware", "37C5:1206"}, {"OPENMV_N6", "usb.bootloader", "37C5:9206"},
	{"OPENMV2", "erase_fs.alt", "1"}, {"OPENMV3", "erase_fs.alt", "1"}, {"OPENMV4", "erase_fs.alt", "1"},
	{"OPENMV4P", "erase_fs.alt", "3"}, {"OPENMVPT", "erase_fs.alt", "3"}, {"OPENMV_N6", "erase_fs.alt", "2"},
	{"OPENMV_AE3", "erase_fs.alt", "5"},
	/* seed 002 §10.7.5 firmware / ROMFS commands */
	{"OPENMV2", "flash.alts", "2,3"}, {"OPENMV3", "flash.alts", "2,3"}, {"OPENMV4", "flash.alts", "2,3"},
	{"OPENMV4P", "flash.alts", "2,4"}, {"OPENMVPT", "flash.alts", "2,4"}, {"OPENMV_N6", "flash.alts", "1,3"},
	{"OPENMV4", "alt.2.file", "firmware.bin"}, {"OPENMV4", "alt.3.file", "romfs0.img"},
	{"OPENMV_N6", "alt.1.file", "firmware.bin"}, {"OPENMV4P", "alt.4.file", "romfs0.img"},
	/* seed 001 and seed 002 §10.7.6: the AE3 alt table */
	{"OPENMV_AE3", "usb.firmware", "37C5:16E3"}, {"OPENMV_AE3", "usb.bootloader", "37C5:96E3"},
	{"OPENMV_AE3", "alt.1.file", "firmware_M55_HP.bin"}, {"OPENMV_AE3", "alt.1.size", "3145728"},
	{"OPENMV_AE3", "alt.2.file", "firmware_M55_HE.bin"}, {"OPENMV_AE3", "alt.2.size", "1433600"},
	{"OPENMV_AE3", "alt.3.file", "romfs1.img"}, {"OPENMV_AE3", "alt.3.size", "1048576"},
	{"OPENMV_AE3", "alt.6.file", "romfs0.img"}, {"OPENMV_AE3", "alt.6.size", "25165824"},
	{"OPENMV_AE3", "flash.alts", "1,2,3,6"}, {"OPENMV_AE3", "init_mram.alt", "7"},
	{"OPENMV_AE3", "alt.7.file", "key.bin"},
	/* seed 003: AE3 MRAM targets, serial bridges */
	{"OPENMV_AE3", "alt.0.start", "2147483648"}, /* 0x80000000 */
	{"OPENMV_AE3", "alt.4.start", "2153242624"}, /* 0x8057E000 */
	{"OPENMV_AE3", "alt.0.file", "bootloader.bin"}, {"OPENMV_AE3", "alt.4.file", "firmware_pad.toc"},
	{"OPENMV_AE3", "usb.se_bridge", "0403:6015"}, {"OPENMV_AE3", "usb.se_bridge.1", "1A86:55D3"},
	{"OPENMV_AE3", "restore", "alif_isp"},
	/* seed 002 §10.7.7: the RT1062 flash map and IDs */
	{"OPENMV_RT1060", "usb.flashloader", "15A2:0073"}, {"OPENMV_RT1060", "usb.sdp", "1FC9:0135"},
	{"OPENMV_RT1060", "region.fcb.address", "1610612736"}, {"OPENMV_RT1060", "region.fcb.size", "4096"},
	{"OPENMV_RT1060", "region.sbl.address", "1610616832"}, {"OPENMV_RT1060", "region.sbl.size", "258048"},
	{"OPENMV_RT1060", "region.firmware.address", "1610874880"}, {"OPENMV_RT1060", "region.firmware.size", "3932160"},
	{"OPENMV_RT1060", "region.filesystem.address", "1614807040"}, {"OPENMV_RT1060", "region.filesystem.size", "4194304"},
	{"OPENMV_RT1060", "region.romfs.address", "1619001344"}, {"OPENMV_RT1060", "region.romfs.size", "8388608"},
	{"OPENMV_RT1060", "erase_fs.address", "1614807040"}, {"OPENMV_RT1060", "restore", "nxp_sdp"},
	/* seed 002 §10.7.8 and seed 000: Arduino DfuSe */
	{"ARDUINO_PORTENTA_H7", "usb.arduino_dfu", "2341:035b"}, {"ARDUINO_GIGA", "usb.arduino_dfu", "2341:0366"},
	{"ARDUINO_NICLA_VISION", "usb.arduino_dfu", "2341:035f"},
	{"ARDUINO_PORTENTA_H7", "image.firmware.address", "134479872"}, /* 0x08040000 */
	{"ARDUINO_PORTENTA_H7", "image.firmware.alt", "0"},
	{"ARDUINO_GIGA", "image.romfs.address", "2427453440"},          /* 0x90B00000 */
	{"ARDUINO_GIGA", "image.romfs.alt", "1"},
	{"ARDUINO_NICLA_VISION", "image.wifi.address", "2431647744"},   /* 0x90F00000 */
	{"ARDUINO_NICLA_VISION", "image.wifi.file", "cyw4343_7_45_98_102.bin"},
	{"ARDUINO_NICLA_VISION", "image.bluetooth.address", "2432434176"}, /* 0x90FC0000 */
	{"ARDUINO_PORTENTA_H7", "image.bluetooth.file", "cyw4343_btfw.bin"},
	{"ARDUINO_GIGA", "erase_fs.write.0", "0 134348800"},              /* -a 0 -s 0x08020000 */
	{"ARDUINO_GIGA", "erase_fs.write.1", "1 2415919104"},             /* -a 1 -s 0x90000000 */
	{"ARDUINO_PORTENTA_H7", "restore", "none"}, {"ARDUINO_NANO_33_BLE_SENSE", "restore", "none"},
	{"ARDUINO_NANO_33_BLE_SENSE", "flash.offset", "90112"},           /* 0x16000 */
	{"ARDUINO_NANO_33_BLE_SENSE", "usb.samba.1", "2341:805a"},
	/* arduino/ArduinoCore-mbed Nano33_updateBLandSoftDevice.ino (BOOTLOADER_ADDR) and Nordic's
	 * nrf_sdm.h (SoftDevice info at MBR_SIZE + 0x2000, magic 0x51B1E5DB at +4) */
	{"ARDUINO_NANO_33_BLE_SENSE", "flash.layout_word", "12292 1370613211"}, /* 0x3004 0x51B1E5DB */
	{"ARDUINO_NANO_33_BLE_SENSE", "flash.layout_vector", "917504"},        /* 0xE0000 */
	{"ARDUINO_NANO_33_BLE_SENSE", "flash.layout_no_vector", "65536"},      /* 0x10000 */
	{"ARDUINO_NANO_RP2040_CONNECT", "image.firmware.file", "firmware.uf2"},
	/* seed 003: the ST ROM of the STM32 cameras and the N6 layout */
	{"OPENMV1", "usb.st_rom", "0483:df11"}, {"OPENMV4", "usb.st_rom", "0483:df11"},
	{"OPENMV4", "restore", "st_rom"}, {"OPENMV3", "alt.0.start", "134217728"}, /* 0x08000000 */
	{"OPENMV_N6", "restore", "stm32prog"}, {"OPENMV_N6", "restore.layout", "OPENMV_N6/FlashLayout.tsv"},
};

static void render(const struct board *b, const char *what, char *out, size_t n)
{
	int k;
	char slot[32], field[32];
	out[0] = '\0';
	if (!strcmp(what, "name")) snprintf(out, n, "%s", b->name);
	else if (!strcmp(what, "mcu")) snprintf(out, n, "%s", b->mcu);
	else if (!strcmp(what, "port")) snprintf(out, n, "%s", b->port);
	else if (!strcmp(what, "core")) snprintf(out, n, "%s", b->core);
	else if (!strncmp(what, "usb.", 4)) {
		char mode[32];
		int idx = 0;
		snprintf(mode, sizeof mode, "%s", what + 4);
		char *dot = strchr(mode, '.');
		if (dot) {
			idx = atoi(dot + 1);
			*dot = '\0';
		}
		for (int m = 0; m < USB_MODE_COUNT; m++)
			if (!strcmp(usb_mode_name((enum usb_mode)m), mode) && idx < b->usb[m].n)
				snprintf(out, n, "%s", b->usb[m].id[idx].text);
	} else if (sscanf(what, "alt.%d.%31s", &k, field) == 2) {
		const struct board_alt *a = board_alt(b, k);
		if (!a) return;
		if (!strcmp(field, "file")) snprintf(out, n, "%s", a->file);
		if (!strcmp(field, "size")) snprintf(out, n, "%" PRIu64, a->size.value);
		if (!strcmp(field, "start")) snprintf(out, n, "%" PRIu64, a->start.value);
	} else if (sscanf(what, "image.%31[^.].%31s", slot, field) == 2) {
		const struct board_image *im = board_image(b, slot);
		if (!im) return;
		if (!strcmp(field, "address")) snprintf(out, n, "%" PRIu64, im->address.value);
		if (!strcmp(field, "alt")) snprintf(out, n, "%d", im->alt);
		if (!strcmp(field, "file")) snprintf(out, n, "%s", im->file);
	} else if (sscanf(what, "region.%31[^.].%31s", slot, field) == 2) {
		const struct board_region *r = board_region(b, slot);
		if (!r) return;
		if (!strcmp(field, "address")) snprintf(out, n, "%" PRIu64, r->address.value);
		if (!strcmp(field, "size")) snprintf(out, n, "%" PRIu64, r->size.value);
	} else if (!strcmp(what, "flash.alts")) {
		size_t off = 0;
		const struct board_action *a = &b->actions[ACTION_FLASH];
		for (int i = 0; i < a->nalts; i++)
			off += (size_t)snprintf(out + off, n - off, "%s%d", i ? "," : "", a->alts[i]);
	} else if (!strcmp(what, "erase_fs.alt")) snprintf(out, n, "%d", b->actions[ACTION_ERASE_FS].alt);
	else if (!strcmp(what, "init_mram.alt")) snprintf(out, n, "%d", b->actions[ACTION_INIT_MRAM].alt);
	else if (!strcmp(what, "erase_fs.address")) snprintf(out, n, "%" PRIu64, b->actions[ACTION_ERASE_FS].address.value);
	else if (!strcmp(what, "flash.offset")) snprintf(out, n, "%" PRIu64, b->actions[ACTION_FLASH].address.value);
	else if (!strcmp(what, "flash.layout_word"))
		snprintf(out, n, "%" PRIu64 " %" PRIu64, b->actions[ACTION_FLASH].layout_word[0].value,
		         b->actions[ACTION_FLASH].layout_word[1].value);
	else if (!strcmp(what, "flash.layout_vector"))
		snprintf(out, n, "%" PRIu64, b->actions[ACTION_FLASH].layout_vector.value);
	else if (!strcmp(what, "flash.layout_no_vector"))
		snprintf(out, n, "%" PRIu64, b->actions[ACTION_FLASH].layout_no_vector.value);
	else if (!strcmp(what, "restore")) snprintf(out, n, "%s", method_name(b->actions[ACTION_RESTORE].method));
	else if (!strcmp(what, "restore.layout")) snprintf(out, n, "%s", b->actions[ACTION_RESTORE].layout);
	else if (sscanf(what, "erase_fs.write.%d", &k) == 1 && k < b->actions[ACTION_ERASE_FS].nwrites)
		snprintf(out, n, "%d %" PRIu64, b->actions[ACTION_ERASE_FS].writes[k].alt,
		         b->actions[ACTION_ERASE_FS].writes[k].address.value);
}

int main(int argc, char **argv)
{
	static struct boarddb db;
	struct rs_error err = {0};
	const char *path = argc > 1 ? argv[1] : getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("Bail out! cannot load boards.ini: %s\n", err.msg);
		return 1;
	}
	size_t nf = sizeof facts / sizeof facts[0];
	ok(nf >= 60, "at least 60 hand-typed facts (%zu)", nf);
	for (size_t i = 0; i < nf; i++) {
		const struct board *b = boarddb_find(&db, facts[i].target);
		char got[128] = "(no such board)";
		if (b)
			render(b, facts[i].what, got, sizeof got);
		ok(!strcmp(got, facts[i].expected), "%s %s = %s (boards.ini says '%s')", facts[i].target, facts[i].what, facts[i].expected, got);
	}
	return tap_done();
}
