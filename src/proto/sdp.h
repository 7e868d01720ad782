/* sdp.h — the i.MX RT ROM Serial Download Protocol over USB HID (the RT1062 ROM answers as
 * 1FC9:0135 when its boot pins select serial download).
 *
 * Wire facts: reference nxp-sdp-mboot.md §1.  A command is a 16-byte report 1 with
 * big-endian fields; WRITE_FILE data follows in 1024-byte reports 2 (the last one padded with
 * zeros); the ROM answers every command with the HAB mode word in report 3 and, for most
 * commands, a completion word or data in report 4.  The caller opens the device and claims
 * its HID interface (src/run/usbdev.h); nothing here prints or knows a board.
 */
#ifndef RESCUE_SDP_H
#define RESCUE_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hidio.h"
#include "progress.h"

/* Report IDs and payload sizes (§1.1). */
enum {
	SDP_REPORT_COMMAND = 1, SDP_REPORT_DATA = 2, SDP_REPORT_HAB = 3, SDP_REPORT_STATUS = 4,
};
#define SDP_COMMAND_LEN 16
#define SDP_DATA_LEN 1024
#define SDP_HAB_LEN 4
#define SDP_STATUS_LEN 64

/* Command types: both bytes equal (§1.3). */
enum sdp_command_type {
	SDP_READ_REGISTER = 0x0101,
	SDP_WRITE_REGISTER = 0x0202,
	SDP_WRITE_FILE = 0x0404,
	SDP_ERROR_STATUS = 0x0505,
	SDP_JUMP_ADDRESS = 0x0B0B,
};

/* Response words; every one is a byte palindrome, so byte order does not matter (§1.4). */
#define SDP_HAB_OPEN 0x56787856u          /* HAB disabled: development part */
#define SDP_HAB_CLOSED 0x12343412u        /* HAB enabled: production part */
#define SDP_WRITE_FILE_DONE 0x88888888u
#define SDP_WRITE_REGISTER_DONE 0x128A8A12u
#define SDP_HAB_SUCCESS 0xF0F0F0F0u       /* ERROR_STATUS: no error */
#define SDP_HAB_FAILURE 0x33333333u
#define SDP_HAB_WARNING 0x69696969u
#define SDP_REENUM_ACK 0x89232389u        /* count and data disagreed (§1.4) */

/* Per-report timeout: the ROM waits forever, hosts use 1..10 s; §1.6 suggests about 5 s. */
#define SDP_TIMEOUT_MS 5000
/* How long to wait for the report 4 that only a failed JUMP_ADDRESS sends (§1.5, §1.6). */
#define SDP_JUMP_FAILURE_WAIT_MS 400

/* One command (report 1 payload, §1.2). */
struct sdp_cmd {
	uint16_t type;
	uint32_t address;
	uint8_t format;   /* access width in bits for READ/WRITE_REGISTER, else 0 */
	uint32_t count;   /* bytes for WRITE_FILE and READ_REGISTER */
	uint32_t data;    /* the value for WRITE_REGISTER */
};

/* The commands this tool sends, with the field values the reference gives (§1.5). */
struct sdp_cmd sdp_cmd_write_file(uint32_t address, uint32_t count);
struct sdp_cmd sdp_cmd_jump_address(uint32_t address);
struct sdp_cmd sdp_cmd_error_status(void);
struct sdp_cmd sdp_cmd_read_register(uint32_t address, uint8_t format_bits, uint32_t count);
struct sdp_cmd sdp_cmd_write_register(uint32_t address, uint8_t format_bits, uint32_t value);

/* The 16 payload bytes of report 1, big-endian (§1.2). */
void sdp_cmd_encode(const struct sdp_cmd *c, uint8_t out[SDP_COMMAND_LEN]);
/* Decode at least 16 bytes (a device accepts oversize reports and ignores the rest). */
int sdp_cmd_decode(const uint8_t *buf, size_t len, struct sdp_cmd *c);

/* Report 2 number block (0-based) of an n-byte file: ID 2, up to 1024 file bytes, zeros to
 * the full 1024 (§1.5).  Returns the report length, 1 + SDP_DATA_LEN, or 0 past the end. */
size_t sdp_data_report(const uint8_t *file, size_t n, size_t block, uint8_t out[1 + SDP_DATA_LEN]);

/* The 4-byte word of an IN report (buf[0] is the report ID): 0, or RS_E_PROTOCOL when the
 * report has another ID or is shorter than ID + 4 bytes. */
int sdp_parse_word(const uint8_t *report, size_t len, uint8_t want_id, uint32_t *word,
                   struct rs_error *err);

/* "open (development)", "closed (production)", or NULL for another word. */
const char *sdp_hab_name(uint32_t word);

/* ---- exchanges with an open device ------------------------------------------------------- */

struct sdp_dev {
	struct hidio io;
	uint32_t hab;       /* the last HAB mode word seen */
	int timeout_ms;     /* per report; SDP_TIMEOUT_MS unless changed */
};

/* Prepare d for the claimed HID interface intf of h. */
int sdp_open(struct sdp_dev *d, libusb_device_handle *h, int intf, struct rs_error *err);

/* WRITE_FILE: n bytes to RAM at address.  Progress counts bytes sent. */
int sdp_write_file(struct sdp_dev *d, uint32_t address, const uint8_t *data, size_t n,
                   const struct rs_progress *progress, struct rs_error *err);

/* JUMP_ADDRESS: start the image whose IVT is at address (§1.5: not an entry point).  On
 * success the ROM sends nothing more and leaves the bus; a report 4 within
 * SDP_JUMP_FAILURE_WAIT_MS means the ROM refused the image (RS_E_DEVICE). */
int sdp_jump_address(struct sdp_dev *d, uint32_t address, struct rs_error *err);

/* ERROR_STATUS: the ROM's last HAB status word (SDP_HAB_SUCCESS when there was none). */
int sdp_error_status(struct sdp_dev *d, uint32_t *status, struct rs_error *err);

/* READ_REGISTER: n bytes from address, read with format_bits (8, 16 or 32) access. */
int sdp_read_register(struct sdp_dev *d, uint32_t address, uint8_t format_bits, uint8_t *out,
                      size_t n, struct rs_error *err);

/* WRITE_REGISTER: one value of format_bits at address. */
int sdp_write_register(struct sdp_dev *d, uint32_t address, uint8_t format_bits, uint32_t value,
                       struct rs_error *err);

#endif
