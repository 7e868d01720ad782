/* exec.c — the executor table: which function carries out each step kind.
 *
 * Adding a protocol family means adding its exec_<family>.c and its lines here.  Kinds
 * left NULL make the runner stop before doing anything, saying the step is not available.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_basic.h"
#include "exec_nano.h"
#include "runner.h"

/* Entering a bootloader works differently per device: chosen by the step's mode. */
static int exec_enter_bootloader(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	switch (s->mode) {
	case USB_SAMBA:
	case USB_BOOTSEL:
		return exec_nano_enter_bootloader(rc, s, err);
	default:
		return rs_fail(err, RS_E_UNSUPPORTED, "entering the %s is not available yet in this build of "
		               "openmv-rescue; nothing was written", usb_mode_label(s->mode));
	}
}

static const step_exec_fn table[STEP_KIND_COUNT] = {
	[STEP_PROMPT] = exec_prompt,
	[STEP_MAKE_ZEROS] = exec_make_zeros,
	[STEP_MAKE_KEY] = exec_make_key,
	[STEP_ENTER_BOOTLOADER] = exec_enter_bootloader,
	[STEP_SAMBA_FLASH] = exec_samba_flash,       /* Nano 33 BLE Sense (exec_nano.c) */
	[STEP_PICOBOOT_LOAD] = exec_picoboot_load,   /* Nano RP2040 Connect (exec_nano.c) */
	[STEP_PICOBOOT_WRITE] = exec_picoboot_write,
};

step_exec_fn exec_for(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? table[k] : NULL;
}
