/* samba.h — the SAM-BA monitor dialect of Arduino's nRF52840 bootloader (Nano 33 BLE), over
 * an open libserialport port, as bossac 1.9.1-arduino2 speaks it on a USB CDC port.
 *
 * Wire facts: reference dfu-dfuse-picoboot-samba.md §3.3–§3.7, checked against the
 * bootloader itself (disassembly of arduino/ArduinoCore-mbed bootloaders/nano33ble/
 * bootloader.elf and of the updated bootloader of its Nano33_updateBLandSoftDevice sketch).
 * A command is a letter, an 8-digit hex address, ',' and an 8-digit hex size, then '#':
 * the bootloader reads the two numbers at fixed columns, so they are always written as
 * bossac writes them (%08X).  It has only I K N S V X Y Z: no memory read (samba_read works
 * through Z), and X erases nothing (each Y erases its own whole pages).  Binary transfers
 * are raw (no XMODEM: that is only for non-USB ports).
 *
 * Flash addresses on the wire are offsets from the application base 0x10000, added in
 * 32-bit arithmetic (offset 0xFFFF0000 is physical 0): the seeds' --offset=0x16000 writes
 * physical 0x26000, above the S140 SoftDevice.  The bootloader sits at physical 0 (stock)
 * or 0xE0000 (updated) and is never written.
 *
 * The caller opens the port (921600 baud, 8N1: never 1200, which would be a reset request)
 * and closes it.  Functions return RS_OK or a negative RS_E_* with one sentence in err;
 * nothing prints.  A port that disappears mid-transfer gives RS_E_GONE.
 */
#ifndef RESCUE_SAMBA_H
#define RESCUE_SAMBA_H

#include <libserialport.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "progress.h"

#define SAMBA_APP_BASE 0x10000u   /* physical address of wire offset 0 (the bootloader's Y and Z) */
#define SAMBA_PAGE_SIZE 4096u     /* bossac's nRF52840 model: 256 pages of 4 KiB (§3.2) */
#define SAMBA_BUFFER_ADDR 0x34u   /* the scratch buffer bossac fills with S (§3.5 "buffer A") */
#define SAMBA_BAUD 921600         /* what bossac sets on a USB port (§3.3); CDC ignores it */

/* Timeouts, from bossac's (§3.3, §4 item 23) with margin: replies to V# and I# come within
 * 100 ms and end with 100 ms of silence; X, Y (copy) and Z are given 5 s by bossac. */
#define SAMBA_SILENCE_MS 100
#define SAMBA_REPLY_MS 1000
#define SAMBA_SLOW_REPLY_MS 15000

struct samba {
	struct sp_port *port;
	char version[256];       /* the V# reply, cut at the first non-printable byte */
	char extensions[16];     /* letters after "[Arduino:" (I, K, X, Y, Z) */
	char chip[64];           /* the I# reply, e.g. "nRF52840-QIAA" */
};

/* Talk to the bootloader on port: drain stale input, N# (binary mode), V# (version and
 * extensions), I# (chip).  Fails with RS_E_PROTOCOL when the reply is not an Arduino
 * SAM-BA bootloader with the I, K, X, Y and Z extensions (e.g. a running sketch echoing:
 * reference §4 item 28 — the board is not in its bootloader). */
int samba_connect(struct samba *s, struct sp_port *port, struct rs_error *err);

/* S: write len raw bytes into the bootloader's RAM buffer at addr. */
int samba_write(struct samba *s, uint32_t addr, const uint8_t *data, size_t len,
                struct rs_error *err);

/* Y: copy size bytes from the buffer at src to flash at offset dst (two commands). */
int samba_copy_to_flash(struct samba *s, uint32_t src, uint32_t dst, uint32_t size,
                        struct rs_error *err);

/* Z: CRC-16/XMODEM (crc16.h) of size bytes of flash at offset addr, computed by the device. */
int samba_checksum(struct samba *s, uint32_t addr, uint32_t size, uint16_t *crc,
                   struct rs_error *err);

/* X: bossac's erase from offset addr; the Nano's bootloader only acknowledges it (each Y
 * erases its own pages). */
int samba_chip_erase(struct samba *s, uint32_t addr, struct rs_error *err);

/* Read len bytes of flash at offset addr through Z checksums of 2 bytes (the bootloader has
 * no read command).  Offsets wrap at 32 bits as the bootloader adds them: offset
 * 0xFFFF0000 is physical 0. */
int samba_read(struct samba *s, uint32_t addr, uint8_t *buf, size_t len, struct rs_error *err);

/* K: reset into the application.  No reply is expected; the port then disappears. */
int samba_reset(struct samba *s, struct rs_error *err);

struct samba_flash_result {
	unsigned pages;          /* pages written */
	unsigned verified_pages; /* pages whose checksum matched the file */
	unsigned pages_same;     /* delta mode: pages that already held the image, left alone */
	uint64_t bytes_written, bytes_left_alone; /* the file's bytes in those pages */
};

/* What `bossac -e -w -v --offset=OFFSET` does (§3.5): erase from offset, then per 4 KiB page
 * S into the buffer, Y to flash, and Z to compare the device's CRC with the file's.  The
 * last page is padded with zeros, as bossac pads it (§4 item 25), so both tools leave the
 * same bytes; its check covers only the file's bytes.  offset must be page-aligned.
 * Progress counts file bytes written and verified; should_stop is asked between pages.
 * A checksum mismatch reads the page back and fails with RS_E_VERIFY naming the page and
 * the number of bytes that differ.  The caller resets (samba_reset) afterwards. */
int samba_flash(struct samba *s, uint32_t offset, const uint8_t *data, size_t len,
                const struct rs_progress *progress, struct samba_flash_result *res,
                struct rs_error *err);

/* samba_flash, and with delta each page is first checked with one Z over the whole page
 * (the file's bytes and the zero padding a full write leaves) and left alone when the
 * device's CRC-16 matches: each Y erases only its own pages (see above), so a page left alone
 * is never touched.  A page whose bytes differ but whose CRC-16 is the same is taken for
 * equal (1 in 65536 for a random change; bossac's verify has the same bound). */
int samba_flash_delta(struct samba *s, uint32_t offset, const uint8_t *data, size_t len, bool delta,
                      const struct rs_progress *progress, struct samba_flash_result *res,
                      struct rs_error *err);

struct samba_compare {
	unsigned pages, pages_differ; /* pages the file covers; those whose CRC-16 differs */
	bool differ;
	uint32_t first_differ;   /* flash offset of the first differing byte, when differ */
};

/* Compare data with the flash at offset without writing: Z per page over the file's bytes,
 * and in the first page that differs, Z over halves down to one byte (a 1-byte CRC-16 gives
 * the byte back: samba_read) to find the first differing byte. */
int samba_compare(struct samba *s, uint32_t offset, const uint8_t *data, size_t len,
                  const struct rs_progress *progress, struct samba_compare *c, struct rs_error *err);

#endif
