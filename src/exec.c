/* exec.c — the executor tables: which function carries out each step kind, and for
 * STEP_ENTER_BOOTLOADER which function enters each kind of bootloader (by device mode).
 *
 * Adding a protocol family means adding its exec_<family>.c and its lines here.  Kinds
 * left NULL make the runner stop before doing anything, saying the step is not available.
 */
#include "exec_alif.h"
#include "exec_basic.h"
#include "exec_dfu.h"
#include "exec_nxp.h"
#include "exec_n6.h"
#include "exec_nano.h"
#include "runner.h"

static const step_exec_fn table[STEP_KIND_COUNT] = {
	[STEP_PROMPT] = exec_prompt,
	[STEP_MAKE_ZEROS] = exec_make_zeros,
	[STEP_MAKE_KEY] = exec_make_key,
	/* DFU family: exec_dfu.c */
	[STEP_DFU_DOWNLOAD] = exec_dfu_download,
	[STEP_DFUSE_WRITE] = exec_dfuse_write,
	[STEP_DFUSE_FILE] = exec_dfuse_file,
	/* NXP i.MX RT (RT1062): exec_nxp.c, exec_blhost.c */
	[STEP_SDP_WRITE_FILE] = exec_sdp_write_file,
	[STEP_SDP_JUMP] = exec_sdp_jump,
	[STEP_BLHOST_FILL] = exec_blhost_fill,
	[STEP_BLHOST_CONFIGURE] = exec_blhost_configure,
	[STEP_BLHOST_ERASE] = exec_blhost_erase,
	[STEP_BLHOST_WRITE] = exec_blhost_write,
	[STEP_BLHOST_EFUSE] = exec_blhost_efuse,
	[STEP_BLHOST_RESET] = exec_blhost_reset,
	/* Alif Secure Enclave (AE3): exec_alif.c, exec_alif_write.c */
	[STEP_ISP_BANNER] = exec_isp_banner,
	[STEP_ISP_MAINTENANCE] = exec_isp_maintenance,
	[STEP_ISP_UPDATE_SP] = exec_isp_update_sp,
	[STEP_ISP_WRITE_MRAM] = exec_isp_write_mram,
	[STEP_STM32PROG_LAYOUT] = exec_stm32prog_layout,
	/* Arduino Nano boards: exec_nano.c */
	[STEP_SAMBA_FLASH] = exec_samba_flash,       /* Nano 33 BLE Sense (exec_nano.c) */
	[STEP_PICOBOOT_LOAD] = exec_picoboot_load,   /* Nano RP2040 Connect (exec_nano.c) */
	[STEP_PICOBOOT_WRITE] = exec_picoboot_write,
};

/* STEP_ENTER_BOOTLOADER, by the mode of the device the next steps talk to. */
static const step_exec_fn enter_table[USB_MODE_COUNT] = {
	[USB_BOOTLOADER] = exec_enter_dfu,
	[USB_ARDUINO_DFU] = exec_enter_dfu,
	[USB_ST_ROM] = exec_enter_dfu,
	[USB_FLASHLOADER] = exec_nxp_enter_flashloader,
	[USB_SAMBA] = exec_nano_enter_bootloader,
	[USB_BOOTSEL] = exec_nano_enter_bootloader,
};

static int exec_enter(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	return enter_table[s->mode](rc, s, err);
}

step_exec_fn exec_for_step(const struct step *s)
{
	if (s->kind == STEP_ENTER_BOOTLOADER)
		return (unsigned)s->mode < USB_MODE_COUNT && enter_table[s->mode] ? exec_enter : NULL;
	return (unsigned)s->kind < STEP_KIND_COUNT ? table[s->kind] : NULL;
}
