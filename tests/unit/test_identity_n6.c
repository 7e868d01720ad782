/* test_identity_n6.c — the N6 boot ROM and OpenBootloader identity checks (src/plan/identity_n6.c)
 * against the shipped boards.ini: the alts the virtual N6 shows pass (tests/sim/models/model_n6.c);
 * an H7's ST ROM (the same 0483:DF11), another STM32's FSBL alt, a wrong alt count or phase
 * id and another wTransferSize are each named in one sentence. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "identity.h"
#include "identity_n6.h"

static struct stm32prog_dev dev_of(const char *const *names, int n, uint16_t transfer_size)
{
	struct stm32prog_dev d = {.nalts = n, .transfer_size = transfer_size};
	for (int i = 0; i < n; i++) {
		d.alts[i].alt = (uint8_t)i;
		snprintf(d.alts[i].name, sizeof d.alts[i].name, "%s", names[i]);
		d.alts[i].id = stm32prog_alt_id(names[i]);
	}
	return d;
}

static const char *const rom[] = {"@FSBL /0x34180400/01*512Kg", "@RSSE_FW /0xF3/01*128Ka", "@RSSE_BLOB /0xF5/01*4Ka",
				  "@RSSE_PLUGIN /0xF6/01*128Ka", "@virtual /0xF1/1*512Ba", "@OTP /0xF2/1*1Ke"};
static const char *const obl[] = {"@FlashLayout /0x00/1*1Ke", "@ExtMemLoader /0x03/1*1Me", "@Partition4 /0x04/1*128Me",
				  "@virtual /0xF1/1*512Ba", "@OTP /0xF2/1*1Ke", "@Partition5 /0x05/1*128Me"};

static void rom_cases(const struct board *n6)
{
	char why[400] = "";
	struct stm32prog_dev d = dev_of(rom, 5, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) == 0, "the N6 boot ROM's alts pass (%s)", why);
	d.transfer_size = 2048;
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) == 0, "[I] the ROM's wTransferSize is not checked: no source gives it");
	/* an H7's ST ROM (tests/sim/models/model_dfuse.c, STM32H743 layout) */
	const char *const h7[] = {"@Internal Flash   /0x08000000/16*128Kg", "@Option Bytes   /0x5200201C/01*128 e"};
	d = dev_of(h7, 2, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) < 0 &&
	   strstr(why, "has no FSBL alt (its alt 0 is '@Internal Flash   /0x08000000/16*128Kg'): it is not the OpenMV Cam N6's boot ROM"),
	   "an H7's ST ROM is not the N6's (%s)", why);
	const char *const mp1[] = {"@FSBL /0x01/1*1Me", rom[1], rom[2], rom[3], rom[4]};
	d = dev_of(mp1, 5, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) < 0 &&
	   !strcmp(why, "this device's alt 0 is '@FSBL /0x01/1*1Me', not FSBL /0x34180400: it is not the OpenMV Cam N6's boot ROM"),
	   "an FSBL alt without the N6's load address (%s)", why);
	const char *const no_rsse[] = {rom[0], rom[1], rom[3], rom[4]};
	d = dev_of(no_rsse, 4, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) < 0 && strstr(why, "has no RSSE_BLOB alt"),
	   "a missing RSSE_BLOB alt is named (%s)", why);
	d = dev_of(rom, 6, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) < 0 && strstr(why, "has 6 DFU alts, not the 5 of the OpenMV Cam N6's boot ROM"),
	   "one alt more than the ROM's (%s)", why);
	const char *const reordered[] = {rom[4], rom[1], rom[2], rom[3], rom[0]};
	d = dev_of(reordered, 5, 1024);
	ok(identity_check_n6_rom(n6, &d, why, sizeof why) == 0, "[I] the ROM's alt order is not checked");
}

static void obl_cases(const struct board *n6)
{
	char why[400] = "";
	struct stm32prog_dev d = dev_of(obl, 6, 1024);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) == 0, "OpenBootloader's alts pass (%s)", why);
	const char *const plain[] = {"FlashLayout", "ExtMemLoader", "Partition4", "virtual", "OTP", "Partition5"};
	d = dev_of(plain, 6, 1024);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) == 0, "[I] names without ids are taken by alt number (%s)", why);
	const char *const user[] = {obl[0], obl[1], "@ssbl /0x10/1*2Me", obl[3], obl[4], obl[5]};
	d = dev_of(user, 6, 1024);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) < 0 &&
	   !strcmp(why, "this device's alt 2 is '@ssbl /0x10/1*2Me', not phase 0x04: it is not the OpenMV Cam N6's OpenBootloader"),
	   "an alt with another phase id (%s)", why);
	const char *const dfuse[] = {"@Internal Flash /0x08000000/16*128Kg", obl[1], obl[2], obl[3], obl[4], obl[5]};
	d = dev_of(dfuse, 6, 1024);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) < 0 && strstr(why, "alt 0 is '@Internal Flash"),
	   "a DfuSe memory alt is not phase 0x00 (%s)", why);
	d = dev_of(obl, 5, 1024);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) < 0 && strstr(why, "has 5 DFU alts, not the 6 of the OpenMV Cam N6's OpenBootloader"),
	   "one alt fewer (%s)", why);
	d = dev_of(obl, 6, 2048);
	ok(identity_check_n6_obl(n6, &d, why, sizeof why) < 0 && strstr(why, "transfer size is 2048 bytes, not the 1024"),
	   "another wTransferSize (%s)", why);
}

int main(int argc, char **argv)
{
	static struct boarddb db;
	struct rs_error err = {0};
	const char *path = argc > 1 ? argv[1] : getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("1..0 # SKIP no boards.ini (%s)\n", err.msg);
		return 77;
	}
	const struct board *n6 = boarddb_find(&db, "OPENMV_N6");
	const struct board_ident *id = n6 ? &n6->ident : NULL;
	ok(id && id->nrom_alts == 5 && !strcmp(id->rom_alts[0].label, "FSBL") && id->rom_alts[0].number == 0x34180400 &&
	   !strcmp(id->rom_alts[4].label, "virtual") && id->rom_alts[4].number == 0xF1,
	   "boards.ini: id.rom_alts loads as labels and numbers");
	ok(id && id->nobl_ids == 6 && id->obl_ids[0] == 0x00 && id->obl_ids[2] == 0x04 && id->obl_ids[5] == 0x05 &&
	   id->obl_transfer_size == 1024, "boards.ini: id.obl_alts and id.obl_transfer_size load");
	if (!n6)
		return tap_done();
	char label[64];
	uint32_t number;
	ok(stm32prog_alt_head("@FSBL /0x34180400/01*512Kg", label, sizeof label, &number) && !strcmp(label, "FSBL") &&
	   number == 0x34180400, "the head of an alt name: label and number");
	ok(!stm32prog_alt_head("FIRMWARE", label, sizeof label, &number) && !strcmp(label, "FIRMWARE"),
	   "a name without a number has only a label");
	rom_cases(n6);
	obl_cases(n6);
	char buf[400];
	struct stm32prog_dev d = dev_of(rom, 5, 1024);
	identity_describe_n6(&d, buf, sizeof buf);
	ok(!strcmp(buf, "5 alts FSBL /0x34180400, RSSE_FW /0xF3, RSSE_BLOB /0xF5, RSSE_PLUGIN /0xF6, virtual /0xF1; transfer size 1024"),
	   "what the ROM says, in one line (%s)", buf);
	ok(identity_describe_expected(n6, buf, sizeof buf) && strstr(buf, "N6 boot ROM alts FSBL /0x34180400") &&
	   strstr(buf, "OpenBootloader phases 0x00, 0x03, 0x04, 0xF1, 0xF2, 0x05, transfer size 1024"),
	   "boards OPENMV_N6 shows what the ROM and OpenBootloader must say (%s)", buf);
	return tap_done();
}
