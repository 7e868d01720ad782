/* step.c — the step kind table: each kind's name and its classic command line, written
 * exactly as the seeds write it (with the user's file names). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "prompts.h"

static const char *img_path(const struct plan *p, int i)
{
	return i >= 0 ? p->images[i].path : "?";
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

static void c_prompt(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	const struct prompt_def *d = prompt_find(s->prompt);
	snprintf(buf, n, "# %s", d ? d->title : s->prompt);
}

static void c_enter(const struct plan *p, const struct step *s, char *buf, size_t n)
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

static void c_zeros(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dd if=/dev/zero of=%s bs=4096 count=1", img_path(p, s->image)); /* seed 000 */
}

static void c_key(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "python tools/flash_recovery_key.py"); /* seed 001 */
}

static void c_dfu(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d%s -D %s", id_of(p, s->mode)->text, s->alt,
	         (s->flags & STEP_RESET) ? " --reset" : "", img_path(p, s->image));
}

static void c_dfuse(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d -s %s%s%s -D %s", id_of(p, s->mode)->text, s->alt,
	         s->address.text, (s->flags & STEP_LEAVE) ? ":leave" : "",
	         (s->flags & STEP_RESET) ? " --reset" : "", img_path(p, s->image));
}

static void c_dfuse_file(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* OpenMV IDE's form for bootloader.dfu (reference alif-isp-openmv-ide-n6.md §2.3) */
	snprintf(buf, n, "dfu-util -w -d ,%s -a %d -s :leave -D %s", id_of(p, s->mode)->text, s->alt,
	         img_path(p, s->image));
}

static void c_sdp_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "sdphost -u %s -- write-file %s %s", id, s->address.text, img_path(p, s->image));
}

static void c_sdp_jump(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "sdphost -u %s -- jump-address %s", id, s->address.text);
}

static void c_fill(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- fill-memory %s %s %s word", id, s->address.text, s->length.text,
	         s->value.text);
}

static void c_configure(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- configure-memory %s %s", id, s->value.text, s->address.text);
}

static void c_erase(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24], len[32];
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

static void c_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- write-memory %s %s", id, s->address.text, img_path(p, s->image));
}

static void c_efuse(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- efuse-program-once %s %s", id, s->value.text, s->text);
}

static void c_reset(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	char id[24];
	nxp_id(p, s->mode, id, sizeof id);
	snprintf(buf, n, "blhost -u %s -- reset", id);
}

static void c_banner(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	/* seed 003 step 2 says "-opt sesbanner", the name in the SE Tools the IDE bundled; the
	 * Security Toolkit v1.110 calls it getbanner (maintenance.py command list) */
	snprintf(buf, n, "maintenance -opt getbanner");
}

static void c_maint(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "maintenance"); /* seed 003 step 3 */
}

static void c_update_sp(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	(void)p;
	(void)s;
	snprintf(buf, n, "updateSystemPackage"); /* seed 003 step 4 */
}

static void c_mram(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* seed 003 step 5: app-write-mram -i "bootloader.bin 0x80000000 firmware_pad.toc 0x8057E000" */
	const struct board_action *a = &p->board->actions[ACTION_RESTORE];
	const struct board_alt *x = board_alt(p->board, a->alts[0]);
	const struct board_alt *y = a->nalts > 1 ? board_alt(p->board, a->alts[1]) : NULL;
	if (y && s->image2 >= 0)
		snprintf(buf, n, "app-write-mram -i \"%s %s %s %s\"", img_path(p, s->image), x->start.text,
		         img_path(p, s->image2), y->start.text);
	else
		snprintf(buf, n, "app-write-mram -i \"%s %s\"", img_path(p, s->image), x->start.text);
}

static void c_samba(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* seed 002 §10.7.8 */
	snprintf(buf, n, "bossac -e -w -v -R --offset=%s %s", s->address.text, img_path(p, s->image));
}

static void c_pico_load(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "picotool load -x %s", img_path(p, s->image)); /* seed 002 §10.7.8 */
}

static void c_pico_write(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	/* OpenMV IDE's erase command (reference alif-isp-openmv-ide-n6.md §2.1) */
	snprintf(buf, n, "picotool load -o %s -t bin %s", s->address.text, img_path(p, s->image));
}

static void c_stm32prog(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	snprintf(buf, n, "STM32_Programmer_CLI -c port=USB1 -d %s", img_path(p, s->image)); /* seed 003 */
}

static const struct step_kind_info kinds[STEP_KIND_COUNT] = {
	[STEP_PROMPT] = {"prompt", c_prompt},
	[STEP_ENTER_BOOTLOADER] = {"enter-bootloader", c_enter},
	[STEP_MAKE_ZEROS] = {"make-zeros", c_zeros},
	[STEP_MAKE_KEY] = {"make-key", c_key},
	[STEP_DFU_DOWNLOAD] = {"dfu-download", c_dfu},
	[STEP_DFUSE_WRITE] = {"dfuse-write", c_dfuse},
	[STEP_DFUSE_FILE] = {"dfuse-file", c_dfuse_file},
	[STEP_SDP_WRITE_FILE] = {"sdp-write-file", c_sdp_write},
	[STEP_SDP_JUMP] = {"sdp-jump", c_sdp_jump},
	[STEP_BLHOST_FILL] = {"blhost-fill-memory", c_fill},
	[STEP_BLHOST_CONFIGURE] = {"blhost-configure-memory", c_configure},
	[STEP_BLHOST_ERASE] = {"blhost-flash-erase-region", c_erase},
	[STEP_BLHOST_WRITE] = {"blhost-write-memory", c_write},
	[STEP_BLHOST_EFUSE] = {"blhost-efuse-program-once", c_efuse},
	[STEP_BLHOST_RESET] = {"blhost-reset", c_reset},
	[STEP_ISP_BANNER] = {"isp-se-banner", c_banner},
	[STEP_ISP_MAINTENANCE] = {"isp-maintenance", c_maint},
	[STEP_ISP_UPDATE_SP] = {"isp-update-system-package", c_update_sp},
	[STEP_ISP_WRITE_MRAM] = {"isp-write-mram", c_mram},
	[STEP_SAMBA_FLASH] = {"samba-flash", c_samba},
	[STEP_PICOBOOT_LOAD] = {"picoboot-load", c_pico_load},
	[STEP_PICOBOOT_WRITE] = {"picoboot-write", c_pico_write},
	[STEP_STM32PROG_LAYOUT] = {"stm32prog-layout", c_stm32prog},
};

const struct step_kind_info *step_kind_info(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? &kinds[k] : NULL;
}

void step_classic(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	kinds[s->kind].classic(p, s, buf, n);
}

void step_describe(const struct plan *p, const struct step *s, char *buf, size_t n)
{
	const char *img = s->image >= 0 ? p->images[s->image].path : "";
	const struct board_alt *al = s->alt >= 0 ? board_alt(p->board, s->alt) : NULL;
	switch (s->kind) {
	case STEP_PROMPT: {
		const struct prompt_def *d = prompt_find(s->prompt);
		snprintf(buf, n, "%s", d ? d->title : s->prompt);
		break;
	}
	case STEP_DFU_DOWNLOAD:
		snprintf(buf, n, "Write %s to alt %d (%s)%s", img, s->alt, al ? al->name : "?",
		         (s->flags & STEP_RESET) ? ", then restart the camera" : "");
		break;
	case STEP_DFUSE_WRITE:
		snprintf(buf, n, "Write %s at %s (alt %d)", img, s->address.text, s->alt);
		break;
	case STEP_ISP_BANNER:
		/* short enough for an 80-column screen with the step number */
		snprintf(buf, n, "maintenance -opt getbanner (-opt sesbanner before SE Tools v1.110)");
		break;
	case STEP_STM32PROG_LAYOUT:
		snprintf(buf, n, "Write what %s lists: OpenBootloader through the ROM into RAM, then its "
		         "other images (the bootloader into nor0)", img);
		break;
	default: {
		char classic[400];
		step_classic(p, s, classic, sizeof classic);
		snprintf(buf, n, "%s", classic[0] == '#' ? classic + 2 : classic);
	}
	}
}
