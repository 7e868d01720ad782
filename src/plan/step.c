/* step.c — each step kind's classic command line, written exactly as the seeds write it
 * (with the user's file names), and its description for people.  The kinds themselves are
 * the lines of STEP_KIND_TABLE (step_kinds.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "prompts.h"

#define STEP_KIND_DECLARE_(kind, name, classic, describe, execute, flags) \
	void classic(const struct plan *p, const struct step *s, char *buf, size_t n); \
	void describe(const struct plan *p, const struct step *s, char *buf, size_t n);
STEP_KIND_TABLE(STEP_KIND_DECLARE_)
#undef STEP_KIND_DECLARE_

static const char *img_path(const struct plan *p, int i, const char *none)
{
	return i >= 0 ? p->images[i].path : none;
}

static const struct usb_id *id_of(const struct plan *p, enum usb_mode m)
{
	static const struct usb_id none = {0, 0, "????:????"};
	return p->board->usb[m].n ? &p->board->usb[m].id[0] : &none;
}

/* blhost/sdphost write IDs as 0xVVVV,0xPPPP (seed 002 §10.7.7). */
static void nxp_id(const struct plan *p, enum usb_mode m, char *buf, size_t n)
{
	const struct usb_id *id = id_of(p, m);
	snprintf(buf, n, "0x%04X,0x%04X", id->vid, id->pid);
}

void classic_prompt(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	const struct prompt_def *d = prompt_find(s->prompt);
	snprintf(buf, n, "# %s", d ? d->title : s->prompt);
}

void classic_enter(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	const struct usb_id *id = id_of(p, s->mode);
	switch (s->mode) {
	case USB_ARDUINO_DFU: /* seed 002 §10.7.8: a 1200-baud touch enters DFU */
		snprintf(buf, n, "# Reset the board into its DFU bootloader (%s): open its serial port at 1200 baud", id->text);
		break;
	case USB_SAMBA: /* seed 002 §10.7.4: the Arduino touch-reset; reference §3.1 */
	case USB_BOOTSEL: /* reference §2.10: the Arduino RP2040 core reboots to BOOTSEL on it */
		snprintf(buf, n, "# If the board is running, reset it into its bootloader (%s): open its serial port at 1200 baud", id->text);
		break;
	case USB_FLASHLOADER: /* seed 002 §10.7.7: a reset leaves it as the SBL device */
		snprintf(buf, n, "# Reset the camera: its secure bootloader answers as %s for about a second", id->text);
		break;
	default: /* seed 001, seed 002 §10.7.4 */
		snprintf(buf, n, "# Reset the camera into its bootloader (%s), or plug it in: it listens briefly at power-up", id->text);
	}
}

void classic_zeros(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dd if=/dev/zero of=%s bs=4096 count=1", img_path(p, s->image, "?")); /* seed 000 */
}

void classic_key(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "python tools/flash_recovery_key.py"); /* seed 001 */
}

void classic_dfu(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d%s -D %s", id_of(p, s->mode)->text, s->alt,
	         (s->flags & STEP_RESET) ? " --reset" : "", img_path(p, s->image, "?"));
}

void classic_dfuse(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d -s %s%s%s -D %s", id_of(p, s->mode)->text, s->alt,
	         s->address.text, (s->flags & STEP_LEAVE) ? ":leave" : "",
	         (s->flags & STEP_RESET) ? " --reset" : "", img_path(p, s->image, "?"));
}

void classic_dfuse_file(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* OpenMV IDE's form for bootloader.dfu (reference alif-isp-openmv-ide-n6.md §2.3) */
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d -s :leave -D %s", id_of(p, s->mode)->text, s->alt,
	         img_path(p, s->image, "?"));
}

void classic_sdp_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "sdphost -u %s -- write-file %s %s", id, s->address.text, img_path(p, s->image, "?"));
}

void classic_sdp_jump(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "sdphost -u %s -- jump-address %s", id, s->address.text);
}

void classic_fill(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- fill-memory %s %s %s word", id, s->address.text, s->length.text,
	         s->value.text);
}

void classic_configure(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- configure-memory %s %s", id, s->value.text, s->address.text);
}

void classic_erase(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24], len[48];
	nxp_id(p, s->mode, id, sizeof id);
	if (s->length.text[0])
		snprintf(len, sizeof len, "%s", s->length.text);
	else if (s->image >= 0 && p->images[s->image].size)
		snprintf(len, sizeof len, "0x%" PRIX64, p->images[s->image].size);
	else
		snprintf(len, sizeof len, "%s", s->text); /* <firmware_size> until the file is read */
	snprintf(buf, n, "blhost -u %s -t %s -- flash-erase-region %s %s", id, s->value.text,
	         s->address.text, len);
}

void classic_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- write-memory %s %s", id, s->address.text, img_path(p, s->image, "?"));
}

void classic_efuse(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- efuse-program-once %s %s", id, s->value.text, s->text);
}

void classic_reset(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- reset", id);
}

void classic_banner(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	/* seed 003 step 2 says "-opt sesbanner", the name in the SE Tools the IDE bundled; the
	 * Security Toolkit v1.110 calls it getbanner (maintenance.py command list) */
	snprintf(buf, n, "maintenance -opt getbanner");
}

void classic_maint(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "maintenance"); /* seed 003 step 3 */
}

void classic_update_sp(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "updateSystemPackage"); /* seed 003 step 4 */
}

void classic_mram(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* seed 003 step 5: app-write-mram -i "bootloader.bin 0x80000000 firmware_pad.toc 0x8057E000" */
	const struct board_action *a = &p->board->actions[ACTION_RESTORE];
	const struct board_alt *x = board_alt(p->board, a->alts[0]);
	const struct board_alt *y = a->nalts > 1 ? board_alt(p->board, a->alts[1]) : NULL;
	if (y && s->image2 >= 0)
		snprintf(buf, n, "app-write-mram -i \"%s %s %s %s\"", img_path(p, s->image, "?"), x->start.text,
		         img_path(p, s->image2, "?"), y->start.text);
	else
		snprintf(buf, n, "app-write-mram -i \"%s %s\"", img_path(p, s->image, "?"), x->start.text);
}

void classic_samba(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* seed 002 §10.7.8 */
	snprintf(buf, n, "bossac -e -w -v -R --offset=%s %s", s->address.text, img_path(p, s->image, "?"));
}

void classic_pico_load(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "picotool load -x %s", img_path(p, s->image, "?")); /* seed 002 §10.7.8 */
}

void classic_pico_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* OpenMV IDE's erase command (reference alif-isp-openmv-ide-n6.md §2.1) */
	snprintf(buf, n, "picotool load -o %s -t bin %s", s->address.text, img_path(p, s->image, "?"));
}

void classic_dfu_compare(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d -U readback.bin  # then compare it with the image %s writes there",
	         id_of(p, s->mode)->text, s->alt, img_path(p, s->image, "the layout"));
}

void classic_stm32prog(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "STM32_Programmer_CLI -c port=USB1 -d %s", img_path(p, s->image, "?")); /* seed 003 */
}

void step_classic(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	step_kind_info(s->kind)->classic(p, s, buf, n);
}

void step_describe(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	step_kind_info(s->kind)->describe(p, s, buf, n);
}

/* ---- descriptions for people ---------------------------------------------------------- */

void describe_by_classic(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char classic[400];
	step_classic(p, s, classic, sizeof classic);
	snprintf(buf, n, "%s", classic[0] == '#' ? classic + 2 : classic);
}

void describe_prompt(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	const struct prompt_def *d = prompt_find(s->prompt);
	snprintf(buf, n, "%s", d ? d->title : s->prompt);
}

void describe_dfu(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	const struct board_alt *al = s->alt >= 0 ? board_alt(p->board, s->alt) : NULL;
	snprintf(buf, n, "Write %s to alt %d (%s)%s", img_path(p, s->image, ""), s->alt, al ? al->name : "?",
	         (s->flags & STEP_RESET) ? ", then restart the camera" : "");
}

void describe_dfuse(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "Write %s at %s (alt %d)", img_path(p, s->image, ""), s->address.text, s->alt);
}

void describe_banner(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	/* short enough for an 80-column screen with the step number */
	snprintf(buf, n, "maintenance -opt getbanner (-opt sesbanner before SE Tools v1.110)");
}

void describe_key(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* reference alif-isp-openmv-ide-n6.md §3: the 16-byte key, then zeros to 4 KiB */
	snprintf(buf, n, "Make %s: key %s, zero-padded to 4096 bytes", img_path(p, s->image, "key.bin"),
	         s->text[0] ? s->text : "(none in boards.ini)");
}

void describe_sdp_jump(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char classic[200];
	step_classic(p, s, classic, sizeof classic);
	snprintf(buf, n, "%s (starts %s)", classic, img_path(p, s->image, "the loader"));
}

void describe_maint(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char classic[100];
	step_classic(p, s, classic, sizeof classic);
	/* boards.ini restore.baud: the rates the Secure Enclave talks at */
	snprintf(buf, n, "%s (serial at %" PRIu64 " baud, writes at %" PRIu64 ")", classic, s->value.value,
	         s->fast.value);
}

void describe_dfu_compare(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	const struct board_alt *al = s->alt >= 0 ? board_alt(p->board, s->alt) : NULL;
	snprintf(buf, n, "Read alt %d (%s) back and compare it with the image %s writes there", s->alt,
	         al ? al->name : "?", img_path(p, s->image, "the layout"));
}

void describe_stm32prog(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "Write what %s lists: OpenBootloader through the ROM into RAM, then its "
	         "other images (the bootloader into nor0)", img_path(p, s->image, ""));
}
