/* picoboot.h — the RP2040 bootrom's PICOBOOT interface (BOOTSEL mode) over libusb: find the
 * interface, send commands, and load an image into flash the way `picotool load -x` does.
 *
 * Wire facts: reference dfu-dfuse-picoboot-samba.md §2.1–§2.7 and pitfalls §4 items 15–20.
 * A command is a 32-byte packet on the bulk OUT endpoint, then an optional data phase, then
 * an acknowledgement in the direction opposite to the data (a zero-length IN packet after an
 * OUT or no-data command; a 1-byte OUT packet after an IN command, as picotool sends it).
 * A refused command stalls the endpoints; the session then reads CMD_STATUS, sends IF_RESET
 * and clears the halts, and reports the bootrom's status code in words.
 *
 * The caller opens the device and claims the interface picoboot_find_interface() names
 * (usbdev.h); nothing here opens, claims or closes.  The mass-storage interface (the RPI-RP2
 * drive) is never touched.  Functions return RS_OK or a negative RS_E_* with one sentence in
 * err; nothing prints.
 */
#ifndef RESCUE_PICOBOOT_H
#define RESCUE_PICOBOOT_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "progress.h"
#include "uf2.h"

#define PICOBOOT_MAGIC 0x431FD10Bu
#define PICOBOOT_CMD_LEN 32
#define PICOBOOT_STATUS_LEN 16

/* Control requests to the interface (§2.2). */
#define PICOBOOT_IF_RESET 0x41       /* bmRequestType 0x41 */
#define PICOBOOT_IF_CMD_STATUS 0x42  /* bmRequestType 0xC1, 16 bytes */

/* bCmdId (§2.3); bit 7 set = the data phase goes device-to-host. */
enum picoboot_cmd {
	PICOBOOT_EXCLUSIVE_ACCESS = 0x01,
	PICOBOOT_REBOOT = 0x02,
	PICOBOOT_FLASH_ERASE = 0x03,
	PICOBOOT_READ = 0x84,
	PICOBOOT_WRITE = 0x05,
	PICOBOOT_EXIT_XIP = 0x06,
	PICOBOOT_ENTER_CMD_XIP = 0x07,
	PICOBOOT_EXEC = 0x08,
	PICOBOOT_VECTORIZE_FLASH = 0x09,
};

/* EXCLUSIVE_ACCESS argument (§2.3). */
enum picoboot_exclusive { PICOBOOT_NOT_EXCLUSIVE = 0, PICOBOOT_EXCLUSIVE = 1, PICOBOOT_EXCLUSIVE_AND_EJECT = 2 };

/* RP2040 memory (§2.5): flash is mapped at 0x10000000; SRAM ends at 0x20042000, the stack
 * pointer picotool passes to REBOOT. */
#define PICOBOOT_FLASH_BASE 0x10000000u
/* Where the XIP window (flash and its aliases) ends and SRAM begins (RP2040 datasheet §2.2
 * address map): no flash write reaches it.  A board's own flash may end lower: the caller
 * checks that (boards.ini erase_fs.flash_end). */
#define PICOBOOT_XIP_END 0x20000000u
#define PICOBOOT_SRAM_END 0x20042000u
#define PICOBOOT_FLASH_SECTOR 4096u  /* erase granularity */
/* Delta mode reads a sector's first bytes alone first after a sector that differed: 64, one
 * full-speed bulk packet (USB 2.0 §5.8.3). */
#define PICOBOOT_PROBE 64u
#define PICOBOOT_FLASH_PAGE 256u     /* write granularity: starts 256-aligned */
/* Sectors erased per FLASH_ERASE.  The ack of a no-data command must come within picotool's
 * 10 s; a 4 KiB sector takes roughly 40-50 ms (§4 item 19, inferred), so 16 sectors take
 * under a second: well inside the limit on a slow chip, and a progress step per 64 KiB. */
#define PICOBOOT_ERASE_BATCH_SECTORS 16u
/* ROM address 0x10 holds 'M' 'u' 0x01 and the version; picotool masks bits 24-27 and
 * compares with 0x0001754D to recognise an RP2040 (§2.6 step 3). */
#define PICOBOOT_ROM_MAGIC_ADDR 0x10u
#define PICOBOOT_ROM_VERSION_ADDR 0x13u
#define PICOBOOT_RP2040_ROM_MAGIC 0x0001754Du

/* Timeouts (picotool's, §2.4): command 3 s, data 10 s, ack after no data 10 s, after data 3 s. */
#define PICOBOOT_CMD_TIMEOUT_MS 3000
#define PICOBOOT_DATA_TIMEOUT_MS 10000
#define PICOBOOT_ACK_NODATA_TIMEOUT_MS 10000
#define PICOBOOT_ACK_DATA_TIMEOUT_MS 3000

/* CMD_STATUS reply (§2.2). */
struct picoboot_status {
	uint32_t token;
	uint32_t code;           /* dStatusCode, picoboot_status_name() */
	uint8_t cmd_id;
	uint8_t in_progress;
};

struct picoboot {
	libusb_device_handle *h;
	int interface;
	uint8_t ep_out, ep_in;
	uint32_t token;          /* dToken of the last command; picotool counts from 1 */
};

/* Find the PICOBOOT interface of an open device: interface 1 when there are two, else 0;
 * class 0xFF, protocol 0 (protocol 1 is the stdio reset interface), exactly two bulk
 * endpoints, OUT first then IN (§2.1).  RS_E_NOT_FOUND when the bootrom has it disabled. */
int picoboot_find_interface(libusb_device_handle *h, int *interface, uint8_t *ep_out,
                            uint8_t *ep_in, struct rs_error *err);

/* Encode a command packet (pure).  args_len <= 16 bytes of arguments. */
void picoboot_encode(uint8_t out[PICOBOOT_CMD_LEN], uint32_t token, uint8_t cmd_id,
                     uint8_t cmd_size, uint32_t transfer_len, const uint8_t *args, size_t args_len);

/* Decode a 16-byte CMD_STATUS reply (pure). */
void picoboot_decode_status(const uint8_t in[PICOBOOT_STATUS_LEN], struct picoboot_status *st);

/* The bootrom's name for a status code, in words ("bad address alignment"). */
const char *picoboot_status_name(uint32_t code);

/* Start a session on a claimed interface: clear halted endpoints, IF_RESET. */
int picoboot_open(struct picoboot *pb, libusb_device_handle *h, int interface, uint8_t ep_out,
                  uint8_t ep_in, struct rs_error *err);

int picoboot_if_reset(struct picoboot *pb, struct rs_error *err);
int picoboot_cmd_status(struct picoboot *pb, struct picoboot_status *st, struct rs_error *err);
int picoboot_exclusive_access(struct picoboot *pb, enum picoboot_exclusive mode, struct rs_error *err);
int picoboot_exit_xip(struct picoboot *pb, struct rs_error *err);
/* addr and size multiples of 4096; returns once the bootrom has erased all of it. */
int picoboot_flash_erase(struct picoboot *pb, uint32_t addr, uint32_t size, struct rs_error *err);
/* Flash: addr 256-aligned; the range must have been erased (WRITE does not erase). */
int picoboot_write(struct picoboot *pb, uint32_t addr, const uint8_t *data, uint32_t len,
                   struct rs_error *err);
int picoboot_read(struct picoboot *pb, uint32_t addr, uint8_t *buf, uint32_t len, struct rs_error *err);
/* pc 0: boot from flash; the reply comes before the reboot, which follows delay_ms later. */
int picoboot_reboot(struct picoboot *pb, uint32_t pc, uint32_t sp, uint32_t delay_ms,
                    struct rs_error *err);

/* Read the ROM magic and version (1 = B0, 2 = B1, 3 = B2); RS_E_PROTOCOL if not an RP2040. */
int picoboot_identify(struct picoboot *pb, unsigned *rom_version, struct rs_error *err);

/* Write every range of img into flash and read it back: the 4 KiB sectors the ranges touch
 * are erased in batches of PICOBOOT_ERASE_BATCH_SECTORS (EXIT_XIP before each, as picotool
 * does), then written whole and compared.  Bytes of a touched sector outside the image are
 * written as zeros, as picotool pads them (picoboot_load.c).  Every range must lie in flash.
 * Progress counts image bytes; should_stop is asked between batches. */
int picoboot_load_flash(struct picoboot *pb, const struct uf2_image *img,
                        const struct rs_progress *progress, struct rs_error *err);

struct picoboot_load_result {
	unsigned sectors;          /* 4 KiB sectors the image touches */
	unsigned sectors_same;     /* of those, already holding what a full load leaves: left alone */
	uint64_t bytes_written;    /* image bytes in the sectors written */
	uint64_t bytes_left_alone; /* image bytes in the sectors left alone */
};

/* picoboot_load_flash, and with delta each batch is read back first and only the sectors
 * that differ from what the full load would leave (the image's bytes, zeros elsewhere in the
 * sector) are erased, written and read back. */
int picoboot_load_flash_delta(struct picoboot *pb, const struct uf2_image *img, bool delta,
                              const struct rs_progress *progress, struct picoboot_load_result *res,
                              struct rs_error *err);

struct picoboot_compare {
	unsigned sectors, sectors_differ; /* sectors the image touches; those whose image bytes differ */
	bool differ;
	uint32_t first_differ;     /* the lowest address whose byte differs, when differ */
};

/* Read back the flash under img's ranges and compare with the image's bytes only; writes
 * nothing. */
int picoboot_compare_flash(struct picoboot *pb, const struct uf2_image *img,
                           const struct rs_progress *progress, struct picoboot_compare *c,
                           struct rs_error *err);

#endif
