/* dfuse.h — ST's DfuSe 1.1a extension of DFU on an opened, claimed, prepared interface.
 *
 * Wire facts: reference dfu-dfuse-picoboot-samba.md §1.5, §1.6, §1.12, §1.14.  Commands
 * are DNLOAD block 0 (SET_ADDRESS 21 a0..a3, ERASE 41 a0..a3, MASS ERASE 41); data goes
 * in blocks >= 2 placed at pointer + (block - 2) * wTransferSize.  Use the device's own
 * wTransferSize (from its functional descriptor) as xfer: the device multiplies by it.
 * The caller runs dfu_prepare() first.  Nothing prints; errors are RS_E_* with a sentence.
 */
#ifndef RESCUE_DFUSE_H
#define RESCUE_DFUSE_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dfu.h"
#include "dfuse_mem.h"
#include "error.h"
#include "progress.h"

#define DFUSE_CMD_SET_ADDRESS 0x21
#define DFUSE_CMD_ERASE 0x41
#define DFUSE_CMD_READ_UNPROTECT 0x92

/* How long each kind of command may keep the device busy before RS_E_TIMEOUT. */
#define DFUSE_COMMAND_DEADLINE_MS 5000      /* SET_ADDRESS */
#define DFUSE_ERASE_DEADLINE_MS 20000       /* one page; a 128 KiB sector takes seconds */
#define DFUSE_MASS_ERASE_DEADLINE_MS 120000 /* must exceed the F405's 35 s (§1.14 item 4) */

/* dfuse_write flags. */
#define DFUSE_WRITE_MASS_ERASE 0x01      /* one mass erase instead of page erases */
#define DFUSE_WRITE_NO_ERASE 0x02        /* the caller has erased already */
/* dfu-util's addressing: SET_ADDRESS before every block, each sent as block 2.  Slower;
 * for a device that does not place blocks at pointer + (n - 2) * wTransferSize. */
#define DFUSE_WRITE_ADDRESS_EVERY_BLOCK 0x04
#define DFUSE_WRITE_NO_QUIRKS 0x08       /* do not apply dfuse_quirks.h workarounds */
/* The device resets after the last block (option bytes, §1.14 item 3): a device that
 * vanishes then, or answers ABORT no more, has succeeded. */
#define DFUSE_WRITE_WILL_RESET 0x10

#define DFUSE_MAX_RECOVERED 16

/* What dfuse_write did, for logs and for the caller's checks. */
struct dfuse_stats {
	unsigned pages_erased;
	unsigned set_addresses;    /* SET_ADDRESS commands sent for data */
	unsigned blocks;           /* data blocks sent */
	/* Page erases finished by the STM32H7 rev V recovery (dfuse_quirks.h): the ROM never
	 * confirmed them, so read those pages back (dfuse_upload) and check for 0xFF. */
	unsigned quirk_recoveries;
	uint32_t recovered_pages[DFUSE_MAX_RECOVERED];
};

/* SET_ADDRESS(address): the pointer for the following data blocks and uploads. */
int dfuse_set_address(libusb_device_handle *h, uint16_t intf, uint32_t address,
		      struct rs_error *err);

/* Erase the page containing address.  With quirks & DFUSE_QUIRK_H7_BANK2_ERASE a bank-2
 * erase that stays busy is recovered, and *recovered (if not NULL) is set true. */
int dfuse_erase_page(libusb_device_handle *h, uint16_t intf, uint32_t address, unsigned quirks,
		     bool *recovered, struct rs_error *err);

/* Erase all of flash (up to DFUSE_MASS_ERASE_DEADLINE_MS). */
int dfuse_mass_erase(libusb_device_handle *h, uint16_t intf, unsigned quirks,
		     struct rs_error *err);

/* ABORT, then GETSTATUS must say dfuIDLE. */
int dfuse_abort_to_idle(libusb_device_handle *h, uint16_t intf, struct rs_error *err);

/* Start the firmware: SET_ADDRESS(address) (the image base: the ROM jumps to the pointer,
 * §4 item 9), zero-length DNLOAD, GETSTATUS answering dfuMANIFEST.  The device vanishing
 * on the way is success (§4 item 10). */
int dfuse_leave(libusb_device_handle *h, uint16_t intf, uint32_t address, struct rs_error *err);

/* Write data[0..len) at address.  Before anything is sent the range must lie in writable
 * segments of layout (else RS_E_INPUT).  Then: erase exactly the pages touched, each once
 * (or mass erase, or nothing, by flags); SET_ADDRESS once per run and blocks 2, 3, 4, ...;
 * GETSTATUS only until the device is idle again; finally ABORT to dfuIDLE.
 * xfer must be the device's wTransferSize.  Progress counts erase then write: total is
 * 2 * len when pages are erased (each page weighs the data bytes it holds), else len.
 * stats may be NULL.  Quirks are read from the device unless DFUSE_WRITE_NO_QUIRKS. */
int dfuse_write(libusb_device_handle *h, uint16_t intf, const struct dfuse_layout *layout,
		uint16_t xfer, uint32_t address, const uint8_t *data, size_t len, unsigned flags,
		struct dfuse_stats *stats, const struct rs_progress *progress,
		struct rs_error *err);

/* Read len bytes from address into buf: SET_ADDRESS, ABORT to idle, UPLOAD blocks 2, 3, ...
 * of xfer bytes until len or a short frame, then ABORT to idle.  *got = bytes read. */
int dfuse_upload(libusb_device_handle *h, uint16_t intf, uint16_t xfer, uint32_t address,
		 uint8_t *buf, size_t len, size_t *got, const struct rs_progress *progress,
		 struct rs_error *err);

#endif
