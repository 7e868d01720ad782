/* test_plan.c — every family's recipe, pinned through the C API (plan_build), not through
 * the dry-run text: for each board of a family and each action, the steps' kinds and order,
 * the device each talks to, and the arguments that matter (alt, address, length, image,
 * flags).  The expected values are typed from the seeds and boards.ini, not computed by the
 * code under test; the family and step-kind tables are checked for completeness. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "family.h"
#include "plan.h"
#include "runner.h"

static struct boarddb db;

/* One expected step: kind, device mode, alt (-2: not checked), address (0: not checked),
 * flags that must be set, and flags that must not be. */
struct want {
	enum step_kind kind;
	enum usb_mode mode;
	int alt;
	uint64_t address;
	unsigned set, unset;
};

#define M_NONE USB_MODE_COUNT
#define ANY (-2)

static const char *kname(enum step_kind k)
{
	const struct step_kind_info *i = step_kind_info(k);
	return i ? i->name : "?";
}

/* Build TARGET ACTION with the given files; the plan, or NULL with a failed check. */
static struct plan *build(const char *target, enum action a, const struct plan_files *f)
{
	static struct plan p;
	struct rs_error err = {0};
	const struct board *b = boarddb_find(&db, target);
	if (!ok(b != NULL, "%s is in boards.ini", target))
		return NULL;
	if (!ok(plan_build(b, a, f, &p, &err) == 0, "%s %s builds (%s)", target, action_name(a), err.msg))
		return NULL;
	return &p;
}

static void expect(const char *what, const struct plan *p, const struct want *w, int n)
{
	if (!p)
		return;
	bool same = p->nsteps == n;
	char diff[300] = "";
	for (int i = 0; same && i < n; i++) {
		const struct step *s = &p->steps[i];
		bool good = s->kind == w[i].kind && s->mode == w[i].mode && (w[i].alt == ANY || s->alt == w[i].alt) &&
		            (!w[i].address || s->address.value == w[i].address) && (s->flags & w[i].set) == w[i].set &&
		            !(s->flags & w[i].unset);
		if (!good) {
			snprintf(diff, sizeof diff, "step %d is %s mode %d alt %d at 0x%llx flags 0x%x, not %s", i + 1,
			         kname(s->kind), (int)s->mode, s->alt, (unsigned long long)s->address.value, s->flags,
			         kname(w[i].kind));
			same = false;
		}
	}
	if (p->nsteps != n)
		snprintf(diff, sizeof diff, "%d steps, not %d", p->nsteps, n);
	ok(same, "%s: %d steps in the seeds' order%s%s", what, n, diff[0] ? ": " : "", diff);
}

/* The slot of step i's image ("" for none). */
static const char *slot_of(const struct plan *p, int i, bool second)
{
	int im = second ? p->steps[i].image2 : p->steps[i].image;
	return im >= 0 && im < p->nimages ? p->images[im].slot : "";
}

static const char *family_of(const struct plan *p, const char *slot)
{
	for (int i = 0; i < p->nimages; i++)
		if (!strcmp(p->images[i].slot, slot))
			return p->images[i].family ? p->images[i].family->name : "(none)";
	return "(no such image)";
}

static void test_openmv_dfu(void)
{
	struct plan *p = build("OPENMV4", ACTION_FLASH, NULL); /* seed 002 §10.7.5: -a 2, then -a 3 --reset */
	static const struct want flash[] = {
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 2, 0, STEP_DESTRUCTIVE, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 3, 0, STEP_DESTRUCTIVE | STEP_RESET, 0},
	};
	expect("openmv_dfu flash (OPENMV4)", p, flash, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(slot_of(p, 1, false), "firmware.bin") && !strcmp(slot_of(p, 2, false), "romfs0.img") &&
		   p->images[p->steps[1].image].max_size == 0x1A0000,
		   "openmv_dfu flash: firmware.bin (fits 0x1A0000) then romfs0.img");

	p = build("OPENMV4", ACTION_ERASE_FS, NULL); /* seed 000: 4 KiB of zeros to alt 1, --reset */
	static const struct want erase[] = {
		{STEP_MAKE_ZEROS, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 1, 0, STEP_DESTRUCTIVE | STEP_RESET, 0},
	};
	expect("openmv_dfu erase-fs (OPENMV4)", p, erase, 3);
	if (p && p->nsteps == 3)
		ok(p->steps[0].image == p->steps[2].image && p->images[p->steps[0].image].generated &&
		   p->images[p->steps[0].image].size == 4096 && !strcmp(slot_of(p, 2, false), "erase.bin"),
		   "openmv_dfu erase-fs: the generated 4096-byte erase.bin is what alt 1 gets");

	p = build("OPENMV_AE3", ACTION_FLASH, NULL); /* seed 002 §10.7.6: four images, --reset last */
	static const struct want ae3[] = {
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 1, 0, STEP_DESTRUCTIVE, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 2, 0, STEP_DESTRUCTIVE, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 3, 0, STEP_DESTRUCTIVE, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 6, 0, STEP_DESTRUCTIVE | STEP_RESET, 0},
	};
	expect("openmv_dfu flash (OPENMV_AE3)", p, ae3, 5);

	p = build("OPENMV_AE3", ACTION_INIT_MRAM, NULL); /* seed 001: the key file to alt 7, no reset */
	static const struct want mram[] = {
		{STEP_MAKE_KEY, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 7, 0, STEP_DESTRUCTIVE, STEP_RESET},
	};
	expect("openmv_dfu init-mram (OPENMV_AE3)", p, mram, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(slot_of(p, 2, false), "key.bin") && p->images[p->steps[2].image].size == 4096 &&
		   p->nnotes == 1, "openmv_dfu init-mram: the 4096-byte key.bin, and a note on the ROMFS");
	if (p && p->nnotes == 1) /* boards.ini init_mram.note, whole (a ';' in it would end it) */
		ok(strstr(p->notes[0], "re-flash the HP core's ROMFS (romfs0.img)") &&
		   strstr(p->notes[0], "reformats itself on the next boot."),
		   "the note is boards.ini's init_mram.note, whole: %s", p->notes[0]);
}

static void test_st_rom(void)
{
	struct plan *p = build("OPENMV4", ACTION_RESTORE, NULL); /* seed 003: jumper, write, jumper off */
	static const struct want bin[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_DFUSE_WRITE, USB_ST_ROM, 0, 0x08000000, STEP_BOOTLOADER | STEP_DESTRUCTIVE, STEP_LEAVE},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
	};
	expect("st_rom restore (OPENMV4, bootloader.bin)", p, bin, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(p->steps[0].prompt, "boot_rst_jumper") && !strcmp(p->steps[2].prompt, "remove_jumper") &&
		   !strcmp(slot_of(p, 1, false), "bootloader.bin") && p->nnotes == 1 &&
		   p->note_hint[0] == PLAN_HINT_FIRMWARE_SAME_RUN,
		   "st_rom restore: BOOT-RST prompts around bootloader.bin, and the note that firmware may follow");

	struct plan_files f = {.ngiven = 1};
	snprintf(f.given[0].name, sizeof f.given[0].name, "file");
	f.given[0].path = "some/where/bootloader.dfu";
	p = build("OPENMV4", ACTION_RESTORE, &f);
	static const struct want dfu[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_DFUSE_FILE, USB_ST_ROM, 0, 0, STEP_BOOTLOADER | STEP_LEAVE, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
	};
	expect("st_rom restore (OPENMV4, a .dfu file)", p, dfu, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(p->images[p->steps[1].image].path, "some/where/bootloader.dfu"),
		   "st_rom restore: the .dfu is read from where it was given");

	struct plan_files g = {.ngiven = 1};
	snprintf(g.given[0].name, sizeof g.given[0].name, "firmware");
	g.given[0].path = "firmware.bin";
	p = build("OPENMV4", ACTION_RESTORE, &g); /* seed 003 last step: then flash normally */
	static const struct want then[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_DFUSE_WRITE, USB_ST_ROM, 0, 0x08000000, STEP_BOOTLOADER, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 2, 0, STEP_RESET, STEP_BOOTLOADER},
	};
	expect("st_rom restore then the openmv_dfu flash (OPENMV4, firmware given)", p, then, 5);
	if (p && p->nsteps == 5)
		ok(!strcmp(family_of(p, "bootloader.bin"), "st_rom") && !strcmp(family_of(p, "firmware.bin"), "openmv_dfu"),
		   "each image belongs to the family whose recipe added it (%s, %s)", family_of(p, "bootloader.bin"),
		   family_of(p, "firmware.bin"));
}

static void test_arduino_dfuse(void)
{
	struct plan *p = build("ARDUINO_PORTENTA_H7", ACTION_FLASH, NULL); /* seed 002 §10.7.8 */
	static const struct want flash[] = {
		{STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU, -1, 0, 0, 0},
		{STEP_DFUSE_WRITE, USB_ARDUINO_DFU, 0, 0x08040000, STEP_DESTRUCTIVE, STEP_LEAVE},
		{STEP_DFUSE_WRITE, USB_ARDUINO_DFU, 1, 0x90B00000, STEP_DESTRUCTIVE | STEP_LEAVE, 0},
	};
	expect("arduino_dfuse flash (ARDUINO_PORTENTA_H7, no blobs given)", p, flash, 3);

	p = build("ARDUINO_PORTENTA_H7", ACTION_ERASE_FS, NULL); /* seed 000, seed 002 §10.7.9 */
	static const struct want erase[] = {
		{STEP_MAKE_ZEROS, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU, -1, 0, 0, 0},
		{STEP_DFUSE_WRITE, USB_ARDUINO_DFU, 0, 0x08020000, STEP_DESTRUCTIVE, STEP_RESET},
		{STEP_DFUSE_WRITE, USB_ARDUINO_DFU, 1, 0x90000000, STEP_DESTRUCTIVE | STEP_RESET, 0},
	};
	expect("arduino_dfuse erase-fs (ARDUINO_PORTENTA_H7)", p, erase, 4);
}

static void test_nxp(void)
{
	struct plan *p = build("OPENMV_RT1060", ACTION_FLASH, NULL); /* seed 002 §10.7.7: ROMFS, then firmware */
	static const struct want flash[] = {
		{STEP_ENTER_BOOTLOADER, USB_FLASHLOADER, -1, 0, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60800000, STEP_DESTRUCTIVE, 0},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60800000, STEP_DESTRUCTIVE, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60040000, STEP_DESTRUCTIVE, 0},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60040000, STEP_DESTRUCTIVE, 0},
		{STEP_BLHOST_RESET, USB_FLASHLOADER, -1, 0, 0, 0},
	};
	expect("nxp flash (OPENMV_RT1060)", p, flash, 6);
	if (p && p->nsteps == 6)
		ok(p->steps[1].length.value == 0x800000 && !strcmp(p->steps[3].text, "<firmware_size>") &&
		   p->steps[3].value.value == 120000 && !strcmp(slot_of(p, 4, false), "firmware.bin"),
		   "nxp flash: the ROMFS region erased whole, the firmware by its size, -t 120000");

	p = build("OPENMV_RT1060", ACTION_ERASE_FS, NULL); /* seed 000: the FAT disk's MBR */
	static const struct want erase[] = {
		{STEP_ENTER_BOOTLOADER, USB_FLASHLOADER, -1, 0, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60400000, STEP_DESTRUCTIVE, 0},
		{STEP_BLHOST_RESET, USB_FLASHLOADER, -1, 0, 0, 0},
	};
	expect("nxp erase-fs (OPENMV_RT1060)", p, erase, 3);
	if (p && p->nsteps == 3)
		ok(p->steps[1].length.value == 0x1000, "nxp erase-fs: 0x1000 bytes");

	p = build("OPENMV_RT1060", ACTION_RESTORE, NULL); /* seed 003 "OpenMV Cam RT1062", steps 1-5 */
	static const struct want restore[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_SDP_WRITE_FILE, USB_SDP, -1, 0x20001C00, 0, 0},
		{STEP_SDP_JUMP, USB_SDP, -1, 0x20001C00, 0, 0},
		{STEP_BLHOST_FILL, USB_FLASHLOADER, -1, 0x2000, 0, 0},
		{STEP_BLHOST_CONFIGURE, USB_FLASHLOADER, -1, 0x2000, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60000000, STEP_BOOTLOADER, 0},
		{STEP_BLHOST_FILL, USB_FLASHLOADER, -1, 0x2000, 0, 0},
		{STEP_BLHOST_CONFIGURE, USB_FLASHLOADER, -1, 0x2000, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60001000, STEP_BOOTLOADER, 0},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60001000, STEP_BOOTLOADER, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60040000, 0, STEP_BOOTLOADER},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60040000, 0, STEP_BOOTLOADER},
		{STEP_BLHOST_EFUSE, USB_FLASHLOADER, -1, 0, STEP_IRREVERSIBLE, 0},
		{STEP_BLHOST_RESET, USB_FLASHLOADER, -1, 0, 0, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
	};
	expect("nxp restore (OPENMV_RT1060)", p, restore, 15);
	if (p && p->nsteps == 15)
		ok(p->steps[3].value.value == 0xC0000008 && p->steps[6].value.value == 0xF000000F &&
		   p->steps[4].value.value == 9 && p->steps[12].value.value == 0x06 && !strcmp(p->steps[12].text, "00000010") &&
		   !strcmp(slot_of(p, 1, false), "sdphost_flash_loader.bin") && !strcmp(p->steps[0].prompt, "sbl_jumper") &&
		   !strcmp(p->steps[14].prompt, "remove_sbl_jumper"),
		   "nxp restore: FlexSPI then FCB config words, memory id 9, eFuse 0x06 = 00000010, the SBL jumper");
}

static void test_alif(void)
{
	struct plan *p = build("OPENMV_AE3", ACTION_RESTORE, NULL); /* seed 003 "OpenMV AE3", steps 1-7 */
	static const struct want restore[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_ISP_BANNER, USB_SE_BRIDGE, -1, 0, 0, 0},
		{STEP_ISP_MAINTENANCE, USB_SE_BRIDGE, -1, 0, 0, 0},
		{STEP_ISP_UPDATE_SP, USB_SE_BRIDGE, -1, 0, STEP_OPTIONAL, 0},
		{STEP_ISP_WRITE_MRAM, USB_SE_BRIDGE, -1, 0, STEP_BOOTLOADER | STEP_DESTRUCTIVE, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
	};
	expect("alif restore (OPENMV_AE3)", p, restore, 6);
	if (p && p->nsteps == 6)
		ok(!strcmp(p->steps[0].prompt, "hard_maintenance") && !strcmp(p->steps[5].prompt, "maintenance_off") &&
		   p->steps[3].image == -1 && !strcmp(slot_of(p, 4, false), "bootloader.bin") &&
		   !strcmp(slot_of(p, 4, true), "firmware_pad.toc") && p->nnotes == 3,
		   "alif restore: bootloader.bin and firmware_pad.toc into MRAM, no system package named (a note says so)");
	if (p && p->nnotes == 3)
		ok(strstr(p->notes[1], "written into MRAM in full") != NULL,
		   "alif restore: a note says the MRAM images are written in full, and why");

	struct plan_files f = {.dir = "rel"};
	p = build("OPENMV_AE3", ACTION_RESTORE, &f);
	if (p) {
		ok(p->nsteps == 11 && p->steps[6].kind == STEP_ENTER_BOOTLOADER && p->steps[10].kind == STEP_DFU_DOWNLOAD &&
		   (p->steps[10].flags & STEP_RESET), "alif restore with a folder: the four-image flash follows (%d steps)",
		   p->nsteps);
		const struct plan_image *sp = plan_image(p, PLAN_SLOT_SYSTEM_PACKAGE);
		ok(sp && sp->folder && !strcmp(sp->path, "rel") && p->steps[3].image == sp - p->images &&
		   !strcmp(family_of(p, "firmware_pad.toc"), "alif") && !strcmp(family_of(p, "romfs0.img"), "openmv_dfu"),
		   "alif restore with a folder: the system package is that folder; the restore's images are alif's");
	}
}

static void test_nano(void)
{
	struct plan *p = build("ARDUINO_NANO_33_BLE_SENSE", ACTION_FLASH, NULL); /* seed 002 §10.7.8: bossac */
	static const struct want samba[] = {
		{STEP_ENTER_BOOTLOADER, USB_SAMBA, -1, 0, 0, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_SAMBA_FLASH, USB_SAMBA, -1, 0x16000, STEP_DESTRUCTIVE, 0},
	};
	expect("samba flash (ARDUINO_NANO_33_BLE_SENSE)", p, samba, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(p->steps[1].prompt, "double_tap_reset") && p->images[p->steps[2].image].max_size == 0xAA000 &&
		   !strcmp(family_of(p, "firmware.bin"), "samba"),
		   "samba flash: the double-tap prompt, firmware.bin of at most 0xAA000 bytes");

	p = build("ARDUINO_NANO_RP2040_CONNECT", ACTION_FLASH, NULL); /* seed 002 §10.7.8: picotool load -x */
	static const struct want load[] = {
		{STEP_ENTER_BOOTLOADER, USB_BOOTSEL, -1, 0, 0, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_PICOBOOT_LOAD, USB_BOOTSEL, -1, 0, STEP_DESTRUCTIVE, 0},
	};
	expect("picoboot flash (ARDUINO_NANO_RP2040_CONNECT)", p, load, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(p->steps[1].prompt, "bootsel") && !strcmp(slot_of(p, 2, false), "firmware.uf2") &&
		   p->images[p->steps[2].image].max_size == 0x200000,
		   "picoboot flash: the BOOTSEL prompt, firmware.uf2 within 0x200000 bytes");

	p = build("ARDUINO_NANO_RP2040_CONNECT", ACTION_ERASE_FS, NULL); /* the IDE's -o 0x10200000 -t bin */
	static const struct want erase[] = {
		{STEP_MAKE_ZEROS, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTSEL, -1, 0, 0, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_PICOBOOT_WRITE, USB_BOOTSEL, -1, 0x10200000, STEP_DESTRUCTIVE, 0},
	};
	expect("picoboot erase-fs (ARDUINO_NANO_RP2040_CONNECT)", p, erase, 4);

	const struct board *b = boarddb_find(&db, "ARDUINO_NANO_33_BLE_SENSE");
	struct plan q;
	struct rs_error err = {0};
	ok(b && plan_build(b, ACTION_ERASE_FS, NULL, &q, &err) == RS_E_UNSUPPORTED && err.msg[0],
	   "samba has no erase-fs: refused with the board's reason (%s)", err.msg);
}

static void test_n6(void)
{
	struct plan *p = build("OPENMV_N6", ACTION_RESTORE, NULL); /* seed 003 "OpenMV Cam N6" */
	static const struct want restore[] = {
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_STM32PROG_LAYOUT, USB_ST_ROM, -1, 0, STEP_BOOTLOADER | STEP_DESTRUCTIVE, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
	};
	expect("n6 restore (OPENMV_N6)", p, restore, 3);
	if (p && p->nsteps == 3)
		ok(!strcmp(p->steps[0].prompt, "n6_boot_jumper") && !strcmp(p->steps[2].prompt, "n6_remove_jumper") &&
		   !strcmp(slot_of(p, 1, false), "OPENMV_N6/FlashLayout.tsv") &&
		   !strcmp(family_of(p, "OPENMV_N6/FlashLayout.tsv"), "n6"),
		   "n6 restore: the BOOT jumper prompts around the FlashLayout.tsv");

	/* verify: no ROM step; the bootloader read back through itself (boards.ini restore.readback_alt) */
	struct plan_files vf = {.verify = true};
	p = build("OPENMV_N6", ACTION_RESTORE, &vf);
	static const struct want verify[] = {
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_COMPARE, USB_BOOTLOADER, 0, 0, STEP_RESET, STEP_DESTRUCTIVE},
	};
	expect("n6 verify restore-bootloader (OPENMV_N6)", p, verify, 2);
}

/* flash --erase-fs: one session, the erase first (seed 002 §10.7.9). */
static void test_erase_then_flash(void)
{
	struct plan_files f = {.erase_fs = true};
	struct plan *p = build("OPENMV4", ACTION_FLASH, &f);
	static const struct want dfu[] = {
		{STEP_MAKE_ZEROS, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTLOADER, -1, 0, 0, 0},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 1, 0, 0, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 2, 0, 0, STEP_RESET},
		{STEP_DFU_DOWNLOAD, USB_BOOTLOADER, 3, 0, STEP_RESET, 0},
	};
	expect("flash --erase-fs (OPENMV4): one bootloader session, --reset only last", p, dfu, 5);

	p = build("OPENMV_RT1060", ACTION_FLASH, &f);
	static const struct want nxp[] = {
		{STEP_ENTER_BOOTLOADER, USB_FLASHLOADER, -1, 0, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60400000, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60800000, 0, 0},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60800000, 0, 0},
		{STEP_BLHOST_ERASE, USB_FLASHLOADER, -1, 0x60040000, 0, 0},
		{STEP_BLHOST_WRITE, USB_FLASHLOADER, -1, 0x60040000, 0, 0},
		{STEP_BLHOST_RESET, USB_FLASHLOADER, -1, 0, 0, 0},
	};
	expect("flash --erase-fs (OPENMV_RT1060): the erase's reset and second entry go", p, nxp, 7);

	p = build("ARDUINO_NANO_RP2040_CONNECT", ACTION_FLASH, &f);
	static const struct want pico[] = {
		{STEP_MAKE_ZEROS, M_NONE, -1, 0, 0, 0},
		{STEP_ENTER_BOOTLOADER, USB_BOOTSEL, -1, 0, 0, 0},
		{STEP_PROMPT, M_NONE, -1, 0, 0, 0},
		{STEP_PICOBOOT_WRITE, USB_BOOTSEL, -1, 0x10200000, 0, 0},
		{STEP_PICOBOOT_LOAD, USB_BOOTSEL, -1, 0, 0, 0},
	};
	expect("flash --erase-fs (ARDUINO_NANO_RP2040_CONNECT): BOOTSEL asked once", p, pico, 5);
}

/* The tables: every method of boards.ini has its family, every step kind all it needs. */
static void test_tables(void)
{
	static const struct {
		enum method m;
		const char *family;
	} methods[] = {
		{METHOD_OPENMV_DFU, "openmv_dfu"}, {METHOD_DFUSE, "arduino_dfuse"}, {METHOD_BLHOST, "nxp"},
		{METHOD_SAMBA, "samba"}, {METHOD_PICOBOOT, "picoboot"}, {METHOD_ST_ROM, "st_rom"},
		{METHOD_STM32PROG, "n6"}, {METHOD_NXP_SDP, "nxp"}, {METHOD_ALIF_ISP, "alif"},
	};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		const struct family *f = family_for_method(methods[i].m);
		ok(f && !strcmp(f->name, methods[i].family), "method %s is carried out by family %s (%s)",
		   method_name(methods[i].m), methods[i].family, f ? f->name : "none");
	}
	ok(family_for_method(METHOD_NONE) == NULL, "METHOD_NONE has no family");
	int n = 0;
	while (family_at(n))
		n++;
	ok(n == 8, "eight families are registered (%d)", n);
	bool complete = true, unique = true;
	for (int k = 0; k < STEP_KIND_COUNT; k++) {
		const struct step_kind_info *i = step_kind_info((enum step_kind)k);
		if (!i || !i->name || !i->classic || !i->describe || !i->execute)
			complete = false;
		for (int j = 0; i && j < k; j++)
			if (!strcmp(step_kind_info((enum step_kind)j)->name, i->name))
				unique = false;
	}
	ok(complete, "every step kind has a name, a classic command, a description and an executor");
	ok(unique, "step kind names are unique");
	ok(step_kind_info(STEP_KIND_COUNT) == NULL, "no descriptor past the last kind");
	static const enum usb_mode entered[] = {USB_BOOTLOADER, USB_ST_ROM, USB_ARDUINO_DFU, USB_FLASHLOADER,
	                                        USB_SAMBA, USB_BOOTSEL};
	for (size_t i = 0; i < sizeof entered / sizeof entered[0]; i++) {
		struct step s = {.kind = STEP_ENTER_BOOTLOADER, .mode = entered[i]};
		ok(exec_for_step(&s) != NULL, "a family enters the %s bootloader", usb_mode_name(entered[i]));
	}
	struct step s = {.kind = STEP_ENTER_BOOTLOADER, .mode = USB_SE_BRIDGE};
	ok(exec_for_step(&s) == NULL, "no family enters the SE bridge by a reset: the runner refuses such a step");
}

/* What an executor needs travels in its step: change the board's value and the plan (and
 * so the dry run's description) changes with it. */
static void test_facts_in_steps(void)
{
	static struct board b;
	struct plan q;
	struct rs_error err = {0};
	char d[300];
	const struct board *ae3 = boarddb_find(&db, "OPENMV_AE3");
	if (!ok(ae3 != NULL, "OPENMV_AE3 is in boards.ini"))
		return;
	b = *ae3;
	b.actions[ACTION_RESTORE].baud[0].value = 38400;
	b.actions[ACTION_RESTORE].baud[1].value = 460800;
	if (ok(plan_build(&b, ACTION_RESTORE, NULL, &q, &err) == 0 && q.nsteps > 2, "AE3 restore builds (%s)", err.msg)) {
		step_describe(&q, &q.steps[2], d, sizeof d);
		ok(q.steps[1].value.value == 38400 && q.steps[4].fast.value == 460800 && strstr(d, "38400") &&
		   strstr(d, "460800"), "the SE steps carry restore.baud, and the description shows it: %s", d);
	}
	snprintf(b.actions[ACTION_INIT_MRAM].key_hex, sizeof b.actions[0].key_hex, "00112233445566778899AABBCCDDEEFF");
	if (ok(plan_build(&b, ACTION_INIT_MRAM, NULL, &q, &err) == 0 && q.nsteps > 0, "AE3 init-mram builds (%s)", err.msg)) {
		step_describe(&q, &q.steps[0], d, sizeof d);
		ok(q.steps[0].kind == STEP_MAKE_KEY && !strcmp(q.steps[0].text, "00112233445566778899AABBCCDDEEFF") &&
		   strstr(d, "00112233445566778899AABBCCDDEEFF"), "make-key carries init_mram.key: %s", d);
	}
	const struct board *rt = boarddb_find(&db, "OPENMV_RT1060");
	if (ok(rt != NULL, "OPENMV_RT1060 is in boards.ini")) {
		b = *rt;
		snprintf(b.actions[ACTION_RESTORE].loader_file, sizeof b.actions[0].loader_file, "other_loader.bin");
		int jump = -1;
		if (!plan_build(&b, ACTION_RESTORE, NULL, &q, &err))
			for (int i = 0; i < q.nsteps && jump < 0; i++)
				jump = q.steps[i].kind == STEP_SDP_JUMP ? i : -1;
		if (ok(jump >= 0, "RT1062 restore has an sdp-jump (%s)", err.msg)) {
			step_describe(&q, &q.steps[jump], d, sizeof d);
			ok(strstr(d, "other_loader.bin") != NULL, "sdp-jump names the loader it starts: %s", d);
		}
	}
	const struct board *rp = boarddb_find(&db, "ARDUINO_NANO_RP2040_CONNECT");
	if (ok(rp != NULL, "ARDUINO_NANO_RP2040_CONNECT is in boards.ini")) {
		b = *rp;
		b.actions[ACTION_ERASE_FS].flash_end.value = 0x10300000;
		ok(!plan_build(&b, ACTION_ERASE_FS, NULL, &q, &err) && q.nsteps == 4 &&
		   q.steps[3].length.value == 0x10300000, "the picoboot write carries erase_fs.flash_end");
	}
}

int main(int argc, char **argv)
{
	struct rs_error err = {0};
	const char *path = argc > 1 ? argv[1] : getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("Bail out! cannot load boards.ini: %s\n", err.msg);
		return 1;
	}
	test_openmv_dfu();
	test_st_rom();
	test_arduino_dfuse();
	test_nxp();
	test_alif();
	test_nano();
	test_n6();
	test_erase_then_flash();
	test_tables();
	test_facts_in_steps();
	return tap_done();
}
