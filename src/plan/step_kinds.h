/* step_kinds.h — every step kind, once: one line of STEP_KIND_TABLE a kind.
 *
 *   X(KIND, name, classic, describe, execute, flags)
 *
 * KIND is its enum step_kind constant (plan.h); name what logs and errors call it; classic
 * the function that writes its classic command line as the seeds write it, and describe the
 * one-line description for people (describe_by_classic: that command itself), both in
 * step.c; execute its executor (exec_basic.c, family/families.c or the family's exec.c);
 * flags what code outside its family may know of it (STEP_KIND_*).  The table of
 * struct step_kind_info is expanded in src/family/step_kinds.c.  Adding a step kind: one
 * line here, its classic function in step.c and its executor in its family.
 */
#ifndef RESCUE_STEP_KINDS_H
#define RESCUE_STEP_KINDS_H

/* Step kind flags. */
#define STEP_KIND_RESTARTS    (1u << 0) /* restarts the device (left out of a combined erase) */
#define STEP_KIND_WRITES_ALT  (1u << 1) /* writes a DFU alt (a read-only alt is the bootloader) */
#define STEP_KIND_WRITES_AT   (1u << 2) /* writes at its address (board protect range: bootloader) */

#define STEP_KIND_TABLE(X) \
	/* a hardware prompt (jumper, switch, button, replug) */ \
	X(STEP_PROMPT, "prompt", classic_prompt, describe_prompt, exec_prompt, 0) \
	/* reset a running camera into its bootloader, or wait for it */ \
	X(STEP_ENTER_BOOTLOADER, "enter-bootloader", classic_enter, describe_by_classic, exec_enter, 0) \
	/* the 4 KiB zero image used to erase (seed 000: dd ...) */ \
	X(STEP_MAKE_ZEROS, "make-zeros", classic_zeros, describe_by_classic, exec_make_zeros, 0) \
	/* the AE3 MRAM key file (seed 001: flash_recovery_key.py) */ \
	X(STEP_MAKE_KEY, "make-key", classic_key, describe_key, exec_make_key, 0) \
	/* openmv_dfu: download an image to an alt */ \
	X(STEP_DFU_DOWNLOAD, "dfu-download", classic_dfu, describe_dfu, exec_dfu_download, STEP_KIND_WRITES_ALT) \
	/* DfuSe: write an image at an address */ \
	X(STEP_DFUSE_WRITE, "dfuse-write", classic_dfuse, describe_dfuse, exec_dfuse_write, STEP_KIND_WRITES_AT) \
	/* DfuSe: write the elements of a .dfu file */ \
	X(STEP_DFUSE_FILE, "dfuse-file", classic_dfuse_file, describe_by_classic, exec_dfuse_file, 0) \
	/* NXP SDP: write a file to RAM */ \
	X(STEP_SDP_WRITE_FILE, "sdp-write-file", classic_sdp_write, describe_by_classic, exec_sdp_write_file, 0) \
	/* NXP SDP: jump to an address */ \
	X(STEP_SDP_JUMP, "sdp-jump", classic_sdp_jump, describe_sdp_jump, exec_sdp_jump, 0) \
	/* mboot fill-memory */ \
	X(STEP_BLHOST_FILL, "blhost-fill-memory", classic_fill, describe_by_classic, exec_blhost_fill, 0) \
	/* mboot configure-memory */ \
	X(STEP_BLHOST_CONFIGURE, "blhost-configure-memory", classic_configure, describe_by_classic, \
	  exec_blhost_configure, 0) \
	/* mboot flash-erase-region */ \
	X(STEP_BLHOST_ERASE, "blhost-flash-erase-region", classic_erase, describe_by_classic, exec_blhost_erase, 0) \
	/* mboot write-memory */ \
	X(STEP_BLHOST_WRITE, "blhost-write-memory", classic_write, describe_by_classic, exec_blhost_write, 0) \
	/* mboot efuse-program-once (irreversible) */ \
	X(STEP_BLHOST_EFUSE, "blhost-efuse-program-once", classic_efuse, describe_by_classic, exec_blhost_efuse, 0) \
	/* mboot reset */ \
	X(STEP_BLHOST_RESET, "blhost-reset", classic_reset, describe_by_classic, exec_blhost_reset, \
	  STEP_KIND_RESTARTS) \
	/* Alif SE: read the SE banner and version */ \
	X(STEP_ISP_BANNER, "isp-se-banner", classic_banner, describe_banner, exec_isp_banner, 0) \
	/* Alif SE: query the boot state, enter maintenance if needed */ \
	X(STEP_ISP_MAINTENANCE, "isp-maintenance", classic_maint, describe_maint, exec_isp_maintenance, 0) \
	/* Alif SE: update the system package when it is older */ \
	X(STEP_ISP_UPDATE_SP, "isp-update-system-package", classic_update_sp, describe_by_classic, \
	  exec_isp_update_sp, 0) \
	/* Alif SE: write images into MRAM */ \
	X(STEP_ISP_WRITE_MRAM, "isp-write-mram", classic_mram, describe_by_classic, exec_isp_write_mram, 0) \
	/* SAM-BA: erase, write, verify at an offset, reset */ \
	X(STEP_SAMBA_FLASH, "samba-flash", classic_samba, describe_by_classic, exec_samba_flash, 0) \
	/* PICOBOOT: load a UF2 (or bin) and reboot */ \
	X(STEP_PICOBOOT_LOAD, "picoboot-load", classic_pico_load, describe_by_classic, exec_picoboot_load, 0) \
	/* PICOBOOT: write a raw image at an address */ \
	X(STEP_PICOBOOT_WRITE, "picoboot-write", classic_pico_write, describe_by_classic, exec_picoboot_write, 0) \
	/* openmv_dfu, verify only: read an alt back and compare it with what a layout writes there */ \
	X(STEP_DFU_COMPARE, "dfu-compare", classic_dfu_compare, describe_dfu_compare, exec_dfu_compare_layout, 0) \
	/* STM32 DFU phase protocol: run a FlashLayout.tsv */ \
	X(STEP_STM32PROG_LAYOUT, "stm32prog-layout", classic_stm32prog, describe_stm32prog, \
	  exec_stm32prog_layout, 0)

#define STEP_KIND_ENUM_(kind, name, classic, describe, execute, flags) kind,

/* Step kinds, in the table's order. */
enum step_kind { STEP_KIND_TABLE(STEP_KIND_ENUM_) STEP_KIND_COUNT };

#undef STEP_KIND_ENUM_

#endif
