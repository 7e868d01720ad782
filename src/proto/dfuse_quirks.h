/* dfuse_quirks.h — every DfuSe device oddity we work around, in one place.
 *
 * Each quirk names its evidence (reference dfu-dfuse-picoboot-samba.md §1.6, §1.14).
 * dfuse.c asks these functions at the few decision points; nothing else knows a device.
 */
#ifndef RESCUE_DFUSE_QUIRKS_H
#define RESCUE_DFUSE_QUIRKS_H

#include <libusb.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* STM32H7 "rev V" system ROM: a page erase in bank 2 never leaves dfuDNBUSY (§1.14 item 10). */
#define DFUSE_QUIRK_H7_BANK2_ERASE 0x01
/* STM32F405 ROM reports a 100 ms poll for a mass erase that takes ~32 s (§1.14 item 4). */
#define DFUSE_QUIRK_MASS_ERASE_100MS 0x02
/* STM32L4 ROM may stall GETSTATUS while erasing; tolerate a few stalls (§1.6, §1.14 item 5). */
#define DFUSE_QUIRK_STALLED_GETSTATUS 0x04

/* The quirks that apply to a device with these descriptor values. */
unsigned dfuse_quirks_for_device(uint16_t vid, uint16_t pid, uint16_t bcd_device);
/* The same, read from the opened device's (cached) device descriptor. */
unsigned dfuse_quirks_detect(libusb_device_handle *h);

/* The poll time to use after the first status of a special command (dfu-util's 35 s for a
 * mass erase that reports exactly 100 ms). */
uint32_t dfuse_quirk_first_poll_ms(unsigned quirks, bool mass_erase, uint32_t reported_ms);

/* How many GETSTATUS stalls a special command tolerates (0 without the quirk). */
unsigned dfuse_quirk_stall_budget(unsigned quirks);

/* true when a page erase at page_addr that has answered dfuDNBUSY `polls` times over
 * `elapsed_ms` is the H7 rev V hang rather than a slow erase. */
bool dfuse_quirk_erase_stuck(unsigned quirks, uint32_t page_addr, unsigned polls,
			     uint64_t elapsed_ms);

/* Recover from that hang the way STM32CubeProgrammer >= 2.2.1 does: CLRSTATUS (expect
 * dfuERROR/errUNKNOWN), CLRSTATUS (expect dfuIDLE/OK); the erase is then done.  On failure
 * RS_E_DEVICE with the advice to flash only the bootloader through the ROM. */
int dfuse_quirk_recover_stuck_erase(libusb_device_handle *h, uint16_t intf, uint32_t page_addr,
				    struct rs_error *err);

#endif
