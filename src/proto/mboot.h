/* mboot.h — the NXP MCU-bootloader protocol (what blhost speaks) over USB HID: the RT1062
 * RAM flashloader and OpenMV's secure bootloader both answer as 15A2:0073.
 *
 * Wire facts: reference nxp-sdp-mboot.md §2.  Every report starts with a 4-byte header (ID,
 * pad, little-endian payload length; length 0 means "data phase aborted"); command and
 * response packets are a 4-byte packet header (tag, flags, reserved, parameter count) and
 * little-endian u32 parameters.  Data phases (write-memory, read-memory) move raw bytes in
 * reports 2 and 4 of at most MaxPacketSize bytes.  The caller opens the device and claims its
 * HID interface (src/run/usbdev.h); nothing here prints or knows a board.  Functions return 0 or
 * a negative RS_E_* with a sentence in err; a non-zero status from the device is
 * RS_E_DEVICE, with the status kept in mboot_dev.last_status.
 */
#ifndef RESCUE_MBOOT_H
#define RESCUE_MBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hidio.h"
#include "progress.h"

/* HID report IDs (§2.1). */
enum {
	MBOOT_REPORT_CMD_OUT = 1, MBOOT_REPORT_DATA_OUT = 2, MBOOT_REPORT_CMD_IN = 3,
	MBOOT_REPORT_DATA_IN = 4,
};
#define MBOOT_HID_HEADER 4

/* Command tags (§2.4) and response tags (§2.5). */
enum mboot_tag {
	MBOOT_CMD_FLASH_ERASE_ALL = 0x01,
	MBOOT_CMD_FLASH_ERASE_REGION = 0x02,
	MBOOT_CMD_READ_MEMORY = 0x03,
	MBOOT_CMD_WRITE_MEMORY = 0x04,
	MBOOT_CMD_FILL_MEMORY = 0x05,
	MBOOT_CMD_GET_PROPERTY = 0x07,
	MBOOT_CMD_EXECUTE = 0x09,
	MBOOT_CMD_RESET = 0x0B,
	MBOOT_CMD_SET_PROPERTY = 0x0C,
	MBOOT_CMD_FLASH_PROGRAM_ONCE = 0x0E, /* blhost efuse-program-once */
	MBOOT_CMD_FLASH_READ_ONCE = 0x0F,    /* blhost efuse-read-once */
	MBOOT_CMD_CONFIGURE_MEMORY = 0x11,
	MBOOT_RSP_GENERIC = 0xA0,
	MBOOT_RSP_READ_MEMORY = 0xA3,
	MBOOT_RSP_GET_PROPERTY = 0xA7,
	MBOOT_RSP_FLASH_READ_ONCE = 0xAF,
	MBOOT_RSP_FLASH_READ_RESOURCE = 0xB0,
};
#define MBOOT_FLAG_DATA_PHASE 0x01

/* Property tags used here (§2.9). */
#define MBOOT_PROP_CURRENT_VERSION 0x01
#define MBOOT_PROP_MAX_PACKET_SIZE 0x0B

/* Memory ids (§2.4): 0 = memory-mapped, 9 = FlexSPI NOR. */
#define MBOOT_MEM_INTERNAL 0
#define MBOOT_MEM_FLEXSPI_NOR 9

/* Status codes (§2.8) this module names; the full table is in mboot_packet.c. */
enum mboot_status {
	MBOOT_OK = 0,
	MBOOT_FAIL = 1,
	MBOOT_FLASH_ALIGNMENT_ERROR = 101,
	MBOOT_UNKNOWN_COMMAND = 10000,
	MBOOT_SECURITY_VIOLATION = 10001,
	MBOOT_ABORT_DATA_PHASE = 10002,
	MBOOT_MEMORY_RANGE_INVALID = 10200,
	MBOOT_MEMORY_NOT_CONFIGURED = 10205,
	MBOOT_UNKNOWN_PROPERTY = 10300,
};

/* The host's timeouts (§2.11): 5 s per transfer; erases answer only when done (OpenMV
 * passes -t 120000), so the caller gives those their own timeout. */
#define MBOOT_TIMEOUT_MS 5000
/* MaxPacketSize when get-property 0x0B fails: both hosts then use 32 (§2.6). */
#define MBOOT_FALLBACK_MAX_PACKET 32
#define MBOOT_MAX_PARAMS 32

/* A command or response packet (§2.3). */
struct mboot_packet {
	uint8_t tag, flags;
	uint8_t nparams;
	uint32_t params[MBOOT_MAX_PARAMS];
};

/* ---- packets (pure) ---------------------------------------------------------------------- */

/* memory ids 1..255 are replaced by 0 for read, write and erase, as both hosts do (§2.4). */
uint32_t mboot_clamp_memory_id(uint32_t mem_id);

struct mboot_packet mboot_cmd_get_property(uint32_t property, uint32_t index);
struct mboot_packet mboot_cmd_fill_memory(uint32_t address, uint32_t count, uint32_t pattern);
struct mboot_packet mboot_cmd_configure_memory(uint32_t mem_id, uint32_t config_address);
struct mboot_packet mboot_cmd_flash_erase_region(uint32_t address, uint32_t count, uint32_t mem_id);
struct mboot_packet mboot_cmd_write_memory(uint32_t address, uint32_t count, uint32_t mem_id);
struct mboot_packet mboot_cmd_read_memory(uint32_t address, uint32_t count, uint32_t mem_id);
/* lock sets bit 24 of the index, as spsdk does (§2.4). */
struct mboot_packet mboot_cmd_efuse_program_once(uint32_t index, uint32_t word, bool lock);
struct mboot_packet mboot_cmd_efuse_read_once(uint32_t index);
struct mboot_packet mboot_cmd_reset(void);

/* The packet's bytes (4 + 4 * nparams, not padded: §2.3).  Returns the length, 0 if cap is
 * too small or nparams too large. */
size_t mboot_packet_encode(const struct mboot_packet *p, uint8_t *out, size_t cap);
/* Parse a packet; bytes after the parameters are ignored.  0 or RS_E_PROTOCOL. */
int mboot_packet_decode(const uint8_t *buf, size_t len, struct mboot_packet *p);

/* A whole HID report: ID, pad 0, length LE16, payload (§2.2).  Returns its length or 0. */
size_t mboot_frame(uint8_t report_id, const uint8_t *payload, size_t n, uint8_t *out, size_t cap);
/* Split a received report; the padding after the length field's bytes is ignored.
 * *n == 0 means the device aborted the data phase.  0 or RS_E_PROTOCOL (shorter than its
 * header or than its length field says). */
int mboot_unframe(const uint8_t *report, size_t len, uint8_t *id, const uint8_t **payload,
                  size_t *n);

/* "MemoryNotConfigured" etc., or NULL for a code not in the table (§2.8). */
const char *mboot_status_name(uint32_t status);
/* What the status means for a person, in plain words (never NULL). */
const char *mboot_status_meaning(uint32_t status);
/* RS_E_DEVICE with "doing: the bootloader answered status N (Name): meaning". */
int mboot_status_error(uint32_t status, const char *doing, struct rs_error *err);

/* ---- exchanges with an open device ------------------------------------------------------- */

struct mboot_dev {
	struct hidio io;
	uint32_t max_packet;   /* data bytes per report 2/4; MBOOT_FALLBACK_MAX_PACKET until queried */
	int timeout_ms;        /* per transfer; MBOOT_TIMEOUT_MS unless changed */
	uint32_t last_status;  /* the last non-zero status the device answered, or 0 */
};

/* Prepare d for the claimed HID interface intf of h. */
int mboot_open(struct mboot_dev *d, libusb_device_handle *h, int intf, struct rs_error *err);

/* get-property: values[0..*n-1] are the values after the status. */
int mboot_get_property(struct mboot_dev *d, uint32_t property, uint32_t index, uint32_t *values,
                       int max_values, int *n, struct rs_error *err);

/* Ask MaxPacketSize (property 0x0B) and keep it in d->max_packet, clamped to what one report
 * carries.  A device that does not know it leaves the fallback of 32. */
int mboot_query_max_packet(struct mboot_dev *d, struct rs_error *err);

int mboot_fill_memory(struct mboot_dev *d, uint32_t address, uint32_t count, uint32_t pattern,
                      struct rs_error *err);
int mboot_configure_memory(struct mboot_dev *d, uint32_t mem_id, uint32_t config_address,
                           int timeout_ms, struct rs_error *err);
int mboot_flash_erase_region(struct mboot_dev *d, uint32_t address, uint32_t count,
                             uint32_t mem_id, int timeout_ms, struct rs_error *err);

/* write-memory with its data phase; progress counts bytes sent.  Cancelling between reports
 * aborts the data phase the way §2.6 describes (a zero-length command report). */
int mboot_write_memory(struct mboot_dev *d, uint32_t address, const uint8_t *data, size_t n,
                       uint32_t mem_id, const struct rs_progress *progress, struct rs_error *err);

/* read-memory with its data phase; progress counts bytes received. */
int mboot_read_memory(struct mboot_dev *d, uint32_t address, uint8_t *out, size_t n,
                      uint32_t mem_id, const struct rs_progress *progress, struct rs_error *err);

int mboot_efuse_program_once(struct mboot_dev *d, uint32_t index, uint32_t word,
                             struct rs_error *err);
int mboot_efuse_read_once(struct mboot_dev *d, uint32_t index, uint32_t *word,
                          struct rs_error *err);

/* reset: the device answers and leaves the bus; a missing answer counts as done (§2.10). */
int mboot_reset(struct mboot_dev *d, struct rs_error *err);

#endif
