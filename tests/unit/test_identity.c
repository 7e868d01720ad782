/* test_identity.c — the identity checks (src/plan/identity.c) against the shipped boards.ini: the
 * genuine devices pass; each kind of impostor is named in one sentence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "identity.h"

static struct ident_dfu genuine_h7(void)
{
	struct ident_dfu d = {.nalts = 4, .transfer_size = 4096, .bcd_device = 0x0101};
	const char *names[] = {"BOOTLOADER", "FILESYSTEM", "FIRMWARE", "ROMFS0"}; /* boot_config.h */
	for (int i = 0; i < 4; i++)
		snprintf(d.names[i], sizeof d.names[i], "%s", names[i]);
	return d;
}

int main(int argc, char **argv)
{
	static struct boarddb db;
	struct rs_error err = {0};
	char why[400];
	const char *path = argc > 1 ? argv[1] : getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("1..0 # SKIP no boards.ini (%s)\n", err.msg);
		return 77;
	}
	const struct board *h7 = boarddb_find(&db, "OPENMV4");
	struct ident_dfu d = genuine_h7();
	ok(identity_check_openmv_dfu(h7, &d, why, sizeof why) == 0, "a genuine H7 bootloader passes");
	snprintf(d.names[2], sizeof d.names[2], "Flash");
	ok(identity_check_openmv_dfu(h7, &d, why, sizeof why) < 0 &&
	   !strcmp(why, "this device's alt 2 is named 'Flash', not FIRMWARE: it is not an OpenMV Cam H7 bootloader"),
	   "a renamed alt is named in one sentence (%s)", why);
	d = genuine_h7();
	d.nalts = 1;
	ok(identity_check_openmv_dfu(h7, &d, why, sizeof why) < 0 && strstr(why, "has 1 DFU alt, not the 4"),
	   "one alt instead of four (%s)", why);
	d = genuine_h7();
	d.transfer_size = 2048;
	ok(identity_check_openmv_dfu(h7, &d, why, sizeof why) < 0 && strstr(why, "transfer size is 2048"),
	   "another wTransferSize (%s)", why);
	d = genuine_h7();
	d.bcd_device = 0x0200;
	ok(identity_check_openmv_dfu(h7, &d, why, sizeof why) < 0 && strstr(why, "version 2.0.0"),
	   "a bootloader version outside boards.ini's range (%s)", why);
	char v[16];
	identity_version_text(0x0102, v, sizeof v);
	ok(!strcmp(v, "1.0.2"), "bcdDevice 0x0102 is bootloader 1.0.2 (%s)", v);
	uint16_t bcd = 0;
	ok(identity_version_parse("1.15.3", &bcd) == 0 && bcd == 0x01F3 && identity_version_parse("1.16.0", &bcd) < 0 &&
	   identity_version_parse("1.0", &bcd) < 0 && identity_version_parse("1.0.0x", &bcd) < 0,
	   "versions parse as M.m.p with minor and patch 0 to 15");

	/* DfuSe: the plan's writes against the alts' layout strings */
	struct plan p;
	struct plan_files files = {.given = {{"firmware", "fw.bin"}, {"romfs", "romfs0.img"}}, .ngiven = 2};
	const struct board *ph7 = boarddb_find(&db, "ARDUINO_PORTENTA_H7");
	ok(plan_build(ph7, ACTION_FLASH, &files, &p, &err) == 0, "a Portenta flash plan (%s)", err.msg);
	p.images[0].size = 100000;
	struct ident_dfu a = {.nalts = 2, .transfer_size = 4096};
	snprintf(a.names[0], sizeof a.names[0], "@Internal Flash   /0x08000000/8*128Kg,8*128Kg");
	snprintf(a.names[1], sizeof a.names[1], "@External Flash   /0x90000000/4096*4Kg");
	ok(identity_check_dfuse(&p, USB_ARDUINO_DFU, &a, why, sizeof why) == 0, "the Portenta's layouts hold every write (%s)", why);
	snprintf(a.names[0], sizeof a.names[0], "@Internal Flash   /0x08000000/2*128Kg");
	ok(identity_check_dfuse(&p, USB_ARDUINO_DFU, &a, why, sizeof why) < 0 && strstr(why, "alt 0") &&
	   strstr(why, "does not hold 0x08040000-0x0805869F"), "a layout too small for the firmware is named (%s)", why);
	snprintf(a.names[0], sizeof a.names[0], "@Internal Flash   /0x08000000/8*128Kg,8*128Kg");
	a.nalts = 1;
	ok(identity_check_dfuse(&p, USB_ARDUINO_DFU, &a, why, sizeof why) < 0 && strstr(why, "no DFU alt 1"),
	   "a missing alt is named (%s)", why);

	/* SAM-BA and PICOBOOT */
	const struct board *n33 = boarddb_find(&db, "ARDUINO_NANO_33_BLE_SENSE");
	ok(identity_check_samba(n33, "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]", "nRF52840-QIAA", why, sizeof why) == 0,
	   "the Nano 33 BLE's bootloader passes");
	ok(identity_check_samba(n33, "v1.1 Nov 1 2010", "nRF52840-QIAA", why, sizeof why) < 0 && strstr(why, "'v1.1"),
	   "another SAM-BA version is named (%s)", why);
	ok(identity_check_samba(n33, "Arduino Bootloader (SAM-BA extended) 2.0", "nRF52832-QFAA", why, sizeof why) < 0 &&
	   strstr(why, "nRF52832-QFAA"), "another chip is named (%s)", why);
	const struct board *rp = boarddb_find(&db, "ARDUINO_NANO_RP2040_CONNECT");
	ok(identity_check_picoboot(rp, 3, why, sizeof why) == 0 && identity_check_picoboot(rp, 1, why, sizeof why) == 0,
	   "RP2040 ROMs B0 and B2 pass");
	ok(identity_check_picoboot(rp, 4, why, sizeof why) < 0 && strstr(why, "version 4"), "ROM version 4 is refused (%s)", why);
	const struct board *rt = boarddb_find(&db, "OPENMV_RT1060");
	ok(identity_check_mboot(rt, 0x4B020800, why, sizeof why) == 0, "an MCU bootloader K2.8.0 passes");
	ok(identity_check_mboot(rt, 0x50010000, why, sizeof why) < 0 && strstr(why, "0x50010000, not K"),
	   "a 'P' version is named (%s)", why);
	ok(identity_check_mboot(rt, 0, why, sizeof why) < 0, "no version at all is refused");
	const struct board *ae3 = boarddb_find(&db, "OPENMV_AE3");
	ok(identity_check_se_part(ae3, "AE302F80F55D5AE", why, sizeof why) == 0 &&
	   identity_check_se_part(ae3, "AE302F80F55D5LE", why, sizeof why) == 0, "the AE3's two E3 parts pass");
	ok(identity_check_se_part(ae3, "AE722F80F55D5LS", why, sizeof why) < 0 && strstr(why, "part AE722F80F55D5LS"),
	   "an E7's part is named (%s)", why);
	return tap_done();
}
