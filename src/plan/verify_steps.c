/* verify_steps.c — which steps `verify` may run (see verify_steps.h). */
#include "verify_steps.h"

/* The FlexSPI option word that makes the RT1062 flashloader's next configure-memory program
 * the FCB into the flash (NXP's MCU flashloader reference manual, FlexSPI NOR configuration
 * option block, tag 0xF; seed 002's restore): under verify the fill is left out, so the
 * configure after it only configures the FlexSPI again with the word already there. */
#define FCB_PROGRAM_OPTION 0xF000000Fu

const char *verify_step_refusal(const struct step *s)
{
	switch (s->kind) {
	case STEP_PROMPT:
	case STEP_ENTER_BOOTLOADER:
	case STEP_MAKE_ZEROS: /* a file made on this computer */
	case STEP_MAKE_KEY:
	case STEP_SDP_WRITE_FILE: /* the RT1062 flashloader into RAM, to read the flash with */
	case STEP_SDP_JUMP:
	case STEP_BLHOST_FILL: /* a FlexSPI option word into RAM (the FCB's: left out) */
	case STEP_BLHOST_CONFIGURE:
	case STEP_BLHOST_ERASE: /* blhost_delta_erase erases nothing under verify */
	case STEP_BLHOST_WRITE: /* blhost_compare in its place */
	case STEP_BLHOST_RESET:
	case STEP_BLHOST_EFUSE: /* left out: verify_step_skipped */
	case STEP_DFU_DOWNLOAD: /* exec_dfu_compare in its place */
	case STEP_DFUSE_WRITE: /* dfuse_delta_compare in its place */
	case STEP_DFUSE_FILE:  /* the same, element by element */
	case STEP_DFU_COMPARE: /* reads only */
	case STEP_SAMBA_FLASH: /* samba_verify (CRC-16 per page) in its place */
	case STEP_PICOBOOT_LOAD: /* bootsel_compare in its place */
	case STEP_PICOBOOT_WRITE:
		return NULL;
	case STEP_ISP_BANNER:      /* reads; refuses a SEROM that would need the ROM recovery */
	case STEP_ISP_MAINTENANCE: /* a mode of the SE, not its memory */
	case STEP_ISP_UPDATE_SP:   /* left out: verify_step_skipped */
	case STEP_ISP_WRITE_MRAM:  /* MRAM_READ, a line a command, in its place (exec_write.c) */
		return NULL;
	case STEP_STM32PROG_LAYOUT:
		return "the STM32 ROM's phase protocol, which this restore speaks, has no public rules for reading "
		       "the flash back, so what it writes cannot be verified";
	case STEP_KIND_COUNT:
		break;
	}
	return "this step has no read-back comparison";
}

bool verify_step_skipped(const struct step *s)
{
	if (s->kind == STEP_BLHOST_EFUSE)
		return true; /* programmed once: never run by verify */
	if (s->kind == STEP_ISP_UPDATE_SP)
		return true; /* the SE's own firmware: updated or not, nothing of the camera's to compare */
	return s->kind == STEP_BLHOST_FILL && s->value.value == FCB_PROGRAM_OPTION;
}
