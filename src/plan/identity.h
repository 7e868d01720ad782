/* identity.h — is the device that answers really the board the user named?
 *
 * A device is first found by its VID:PID, which any device can claim.  Before anything is
 * written, what the device says about itself (its DFU alts and their names, wTransferSize,
 * bcdDevice, the DfuSe memory-layout strings, SAM-BA's version and chip, the RP2040 ROM
 * version) is compared here with what boards.ini expects.  Pure functions: no I/O, no
 * printing.  A mismatch fills why with one sentence naming what differs, e.g. "this
 * device's alt 2 is named 'Flash', not FIRMWARE: it is not an OpenMV Cam H7 bootloader". */
#ifndef RESCUE_IDENTITY_H
#define RESCUE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boarddb.h"
#include "boarddb_ident.h"
#include "plan.h"

#define IDENT_MAX_ALTS 16

/* What a DFU device reports in its descriptors. */
struct ident_dfu {
	int nalts;
	char names[IDENT_MAX_ALTS][128]; /* iInterface strings by alt number (DfuSe: layouts) */
	uint16_t transfer_size;          /* wTransferSize of the functional descriptor */
	uint16_t bcd_device;             /* the openmv_dfu bootloader's version */
};

/* bcdDevice of the openmv_dfu bootloader as "1.0.2": major<<8 | minor<<4 | patch (openmv/openmv
 * boot/src/common/desc.c). */
void identity_version_text(uint16_t bcd, char *buf, size_t n);

/* identity_version_parse(): boarddb_ident.h (boards.ini's id.* keys are read with it). */

/* The openmv_dfu bootloader: alt count and names (alt.N of boards.ini), wTransferSize
 * (id.transfer_size) and version (id.bootloader_versions).  0, or -1 with why. */
int identity_check_openmv_dfu(const struct board *b, const struct ident_dfu *dev, char *why, size_t n);

/* A DfuSe device (ST ROM, Arduino bootloader) of mode: every write of plan p to this mode
 * must fall inside a writable segment of its alt's memory-layout string; for a .dfu file
 * step, the board's bootloader region.  0, or -1 with why. */
int identity_check_dfuse(const struct plan *p, enum usb_mode mode, const struct ident_dfu *dev,
                         char *why, size_t n);

/* SAM-BA: the V# reply must start with id.samba_version, the I# reply with the board's mcu. */
int identity_check_samba(const struct board *b, const char *version, const char *chip, char *why, size_t n);

/* PICOBOOT: the RP2040 ROM version (1 = B0 ...) must be in id.rom_versions. */
int identity_check_picoboot(const struct board *b, unsigned rom_version, char *why, size_t n);

/* NXP MCU bootloader: get-property 1 (CurrentVersion, char<<24 | major<<16 | minor<<8 | bugfix)
 * must carry id.mboot_family in its top byte. */
int identity_check_mboot(const struct board *b, uint32_t current_version, char *why, size_t n);

/* Alif SE: the part it reports (ISP GET_REVISION) must be one of id.se_parts; a blank part
 * (not provisioned) is not refused here. */
int identity_check_se_part(const struct board *b, const char *part, char *why, size_t n);

/* What boards.ini expects a device of b to say, for `boards TARGET`: "openmv_dfu: 4 alts
 * named as above, transfer size 4096, bootloader 1.0.0 to 1.15.15".  false when nothing. */
bool identity_describe_expected(const struct board *b, char *buf, size_t n);

/* One line for logs and the confirm screen: "4 alts BOOTLOADER, FILESYSTEM, FIRMWARE, ROMFS0;
 * transfer size 4096; bootloader 1.0.1". */
void identity_describe_dfu(const struct ident_dfu *dev, bool openmv, char *buf, size_t n);

#endif
