/* exec.c — the executor table: which function carries out each step kind.
 *
 * Adding a protocol family means adding its exec_<family>.c and its lines here.  Kinds
 * left NULL make the runner stop before doing anything, saying the step is not available.
 */
#include <stdlib.h>
#include <string.h>

#include "exec_basic.h"
#include "exec_nxp.h"
#include "runner.h"

/* Entering a bootloader depends on the device the plan waits for: one case per family. */
static int exec_enter_bootloader(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	switch (s->mode) {
	case USB_FLASHLOADER: return exec_nxp_enter_flashloader(rc, s, err);
	default:
		return rs_fail(err, RS_E_UNSUPPORTED, "entering the %s is not available yet in this build of "
		               "openmv-rescue; nothing was done", usb_mode_label(s->mode));
	}
}

static const step_exec_fn table[STEP_KIND_COUNT] = {
	[STEP_PROMPT] = exec_prompt,
	[STEP_MAKE_ZEROS] = exec_make_zeros,
	[STEP_MAKE_KEY] = exec_make_key,
	[STEP_ENTER_BOOTLOADER] = exec_enter_bootloader,
	/* NXP i.MX RT (RT1062): exec_nxp.c, exec_blhost.c */
	[STEP_SDP_WRITE_FILE] = exec_sdp_write_file,
	[STEP_SDP_JUMP] = exec_sdp_jump,
	[STEP_BLHOST_FILL] = exec_blhost_fill,
	[STEP_BLHOST_CONFIGURE] = exec_blhost_configure,
	[STEP_BLHOST_ERASE] = exec_blhost_erase,
	[STEP_BLHOST_WRITE] = exec_blhost_write,
	[STEP_BLHOST_EFUSE] = exec_blhost_efuse,
	[STEP_BLHOST_RESET] = exec_blhost_reset,
};

step_exec_fn exec_for(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? table[k] : NULL;
}
