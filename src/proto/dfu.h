/* dfu.h — USB DFU 1.1 on an opened libusb handle: class requests, descriptors, and the
 * download / upload / prepare sequences of a plain (non-DfuSe) DFU device.
 *
 * Wire facts: reference dfu-dfuse-picoboot-samba.md §1.1–§1.6.  Every request goes to EP0
 * with recipient = interface and wIndex = intf.  The caller opens the device and claims
 * the interface; nothing here opens, claims, releases or closes.  Functions return RS_OK
 * (or a byte count) or a negative RS_E_* code with a sentence in err; nothing prints.
 * Long operations report through progress and check should_stop() only between blocks.
 */
#ifndef RESCUE_DFU_H
#define RESCUE_DFU_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "progress.h"

/* libusb timeout for every control transfer; dfu-util uses the same 5 s (§1.1). */
#define DFU_USB_TIMEOUT_MS 5000
/* How long one data block may keep the device busy before we give up (dfu-util waits
 * forever, §1.6; a flash sector erase takes seconds, so this is generous). */
#define DFU_BLOCK_DEADLINE_MS 20000
/* How long manifestation (after the last block) may take before we give up. */
#define DFU_MANIFEST_DEADLINE_MS 20000
/* wDetachTimeOut sent with DETACH; dfu-util always sends 1000 (§1.1). */
#define DFU_DETACH_TIMEOUT_MS 1000

enum dfu_request {
	DFU_REQ_DETACH = 0, DFU_REQ_DNLOAD = 1, DFU_REQ_UPLOAD = 2, DFU_REQ_GETSTATUS = 3,
	DFU_REQ_CLRSTATUS = 4, DFU_REQ_GETSTATE = 5, DFU_REQ_ABORT = 6,
};

/* bState values (§1.2). */
enum dfu_state {
	DFU_STATE_APP_IDLE = 0, DFU_STATE_APP_DETACH = 1, DFU_STATE_IDLE = 2,
	DFU_STATE_DNLOAD_SYNC = 3, DFU_STATE_DNBUSY = 4, DFU_STATE_DNLOAD_IDLE = 5,
	DFU_STATE_MANIFEST_SYNC = 6, DFU_STATE_MANIFEST = 7, DFU_STATE_MANIFEST_WAIT_RESET = 8,
	DFU_STATE_UPLOAD_IDLE = 9, DFU_STATE_ERROR = 10,
};

/* bStatus values (§1.2). */
enum dfu_status_code {
	DFU_STATUS_OK = 0x00, DFU_STATUS_ERR_TARGET = 0x01, DFU_STATUS_ERR_FILE = 0x02,
	DFU_STATUS_ERR_WRITE = 0x03, DFU_STATUS_ERR_ERASE = 0x04,
	DFU_STATUS_ERR_CHECK_ERASED = 0x05, DFU_STATUS_ERR_PROG = 0x06,
	DFU_STATUS_ERR_VERIFY = 0x07, DFU_STATUS_ERR_ADDRESS = 0x08,
	DFU_STATUS_ERR_NOTDONE = 0x09, DFU_STATUS_ERR_FIRMWARE = 0x0A,
	DFU_STATUS_ERR_VENDOR = 0x0B, DFU_STATUS_ERR_USBR = 0x0C, DFU_STATUS_ERR_POR = 0x0D,
	DFU_STATUS_ERR_UNKNOWN = 0x0E, DFU_STATUS_ERR_STALLEDPKT = 0x0F,
};

/* One GETSTATUS reply. */
struct dfu_status {
	uint8_t status;            /* bStatus */
	uint32_t poll_timeout_ms;  /* bwPollTimeout, 24-bit little-endian */
	uint8_t state;             /* bState */
	uint8_t istring;           /* iString */
};

/* Functional descriptor, type 0x21 (§1.4). */
#define DFU_FUNC_DESC_TYPE 0x21
#define DFU_ATTR_CAN_DNLOAD 0x01
#define DFU_ATTR_CAN_UPLOAD 0x02
#define DFU_ATTR_MANIFESTATION_TOLERANT 0x04
#define DFU_ATTR_WILL_DETACH 0x08
#define DFU_BCD_DFU_1_1 0x0110
#define DFU_BCD_DFUSE_1_1A 0x011A

struct dfu_func_desc {
	uint8_t attributes;        /* DFU_ATTR_* */
	uint16_t detach_timeout_ms;
	uint16_t transfer_size;    /* wTransferSize: the device's block size */
	uint16_t bcd_dfu;          /* 0x0110 DFU 1.1, 0x011A DfuSe; 0x0100 for 7-byte (DFU 1.0) */
};

/* One alternate setting of a DFU interface. */
struct dfu_alt {
	uint8_t alt;
	uint8_t protocol;          /* bInterfaceProtocol: 2 DFU mode, 1 run-time (§1.4) */
	char name[256];            /* iInterface string; non-ASCII as '?', "UNKNOWN" if none */
};

/* Names for messages: "dfuDNBUSY", "errADDRESS", "address out of range".
 * Values outside the tables give "INVALID". */
const char *dfu_state_name(int state);
const char *dfu_status_name(int status);
const char *dfu_status_meaning(int status);

/* --- class requests (one control transfer each) --- */
int dfu_req_detach(libusb_device_handle *h, uint16_t intf, uint16_t timeout_ms,
		   struct rs_error *err);
/* Returns the number of bytes sent (== len) or a negative code. */
int dfu_req_dnload(libusb_device_handle *h, uint16_t intf, uint16_t block, const uint8_t *data,
		   uint16_t len, struct rs_error *err);
/* Returns the number of bytes received (fewer than len = a short frame) or a negative code. */
int dfu_req_upload(libusb_device_handle *h, uint16_t intf, uint16_t block, uint8_t *buf,
		   uint16_t len, struct rs_error *err);
/* A reply that is not exactly 6 bytes is RS_E_PROTOCOL "garbage status". */
int dfu_req_getstatus(libusb_device_handle *h, uint16_t intf, struct dfu_status *st,
		      struct rs_error *err);
/* The same; *stalled tells whether a failure was a stall (LIBUSB_ERROR_PIPE). */
int dfu_req_getstatus_stall(libusb_device_handle *h, uint16_t intf, struct dfu_status *st,
			    bool *stalled, struct rs_error *err);
int dfu_req_clrstatus(libusb_device_handle *h, uint16_t intf, struct rs_error *err);
/* Returns bState (>= 0) or a negative code. */
int dfu_req_getstate(libusb_device_handle *h, uint16_t intf, struct rs_error *err);
int dfu_req_abort(libusb_device_handle *h, uint16_t intf, struct rs_error *err);

/* Decode a GETSTATUS reply of len bytes (RS_E_PROTOCOL unless len is 6). */
int dfu_parse_status(const uint8_t *buf, int len, struct dfu_status *st, struct rs_error *err);

/* Turn a libusb error from `request` ("DNLOAD", "SET_INTERFACE", ...) into an RS_E_* code
 * and message: NO_DEVICE → RS_E_GONE, TIMEOUT → RS_E_TIMEOUT, PIPE → RS_E_PROTOCOL
 * ("stalled"), ACCESS → RS_E_ACCESS, NO_MEM → RS_E_NOMEM, anything else → RS_E_IO. */
int dfu_usb_error(int libusb_rc, const char *request, struct rs_error *err);

/* RS_E_DEVICE with "the camera reported errADDRESS (address out of range)". */
int dfu_status_error(const struct dfu_status *st, struct rs_error *err);

/* Append " <context>" to err's message, keeping its code; returns the code. */
int dfu_error_at(struct rs_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- timing --- */
uint64_t dfu_now_ms(void);             /* CLOCK_MONOTONIC, milliseconds */
void dfu_sleep_ms(uint32_t ms);        /* clock_nanosleep, resumed after signals */

/* States counted as "busy" by dfu_wait_while_busy, as bit masks (1 << state). */
#define DFU_BUSY_DNLOAD ((1u << DFU_STATE_DNBUSY) | (1u << DFU_STATE_DNLOAD_SYNC))
#define DFU_BUSY_MANIFEST (DFU_BUSY_DNLOAD | (1u << DFU_STATE_MANIFEST_SYNC) | \
			   (1u << DFU_STATE_MANIFEST))

/* Poll GETSTATUS while the state is in busy_mask, sleeping exactly the bwPollTimeout of
 * each busy reply between polls (none after a reply that is not busy).  first, if not
 * NULL, is a reply already received, so the wait starts with its sleep.  On return st is
 * the first reply that is not busy.  RS_E_TIMEOUT when waiting longer would pass
 * deadline_ms (counted from the call): a device that stays busy never hangs the caller. */
int dfu_wait_while_busy(libusb_device_handle *h, uint16_t intf, unsigned busy_mask,
			const struct dfu_status *first, uint32_t deadline_ms,
			struct dfu_status *st, struct rs_error *err);

/* --- descriptors --- */
/* Find a type-0x21 descriptor in extra[0..len); false when there is none usable. */
bool dfu_parse_func_desc(const uint8_t *extra, int len, struct dfu_func_desc *out);
/* The number of the first interface whose first altsetting is DFU (class 0xFE, subclass
 * 0x01, §1.4); -1 when there is none. */
int dfu_find_interface(const struct libusb_config_descriptor *cfg);
/* Look where dfu-util looks (§1.4): the configuration's extra bytes, then the extra bytes of
 * each DFU altsetting (class 0xFE, subclass 0x01) of interface intf.  RS_E_PROTOCOL if none. */
int dfu_find_func_desc(const struct libusb_config_descriptor *cfg, uint8_t intf,
		       struct dfu_func_desc *out, struct rs_error *err);
/* List the DFU altsettings of interface intf (ascending alt) with their names; *n is set
 * to how many were found (at most max are stored).  RS_E_GONE if the device vanished. */
int dfu_list_alts(libusb_device_handle *h, const struct libusb_config_descriptor *cfg,
		  uint8_t intf, struct dfu_alt *alts, size_t max, size_t *n,
		  struct rs_error *err);

/* --- sequences --- */
/* Make a claimed interface ready: SET_INTERFACE(alt), then GETSTATUS until dfuIDLE,
 * clearing dfuERROR with CLRSTATUS and leaving DNLOAD-IDLE/UPLOAD-IDLE with ABORT.
 * A device still in appIDLE/appDETACH is RS_E_PROTOCOL ("still in run-time mode"). */
int dfu_prepare(libusb_device_handle *h, uint16_t intf, uint8_t alt, struct rs_error *err);

/* Plain DFU 1.1 download of data[0..len) in transfer_size blocks numbered from 0: each
 * DNLOAD is followed by GETSTATUS polls until dfuDNLOAD-IDLE, then a zero-length DNLOAD
 * starts manifestation, which must end in dfuIDLE (manifestation-tolerant) or
 * dfuMANIFEST-WAIT-RESET.  reset_after: DETACH, then libusb_reset_device; a device that
 * vanishes on reset has done what was asked (NO_DEVICE/NOT_FOUND are success).
 * The device must be prepared (dfu_prepare).  Errors name the block: "the camera reported
 * errADDRESS (address out of range) at block 37 of 512". */
int dfu_download(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
		 const uint8_t *data, size_t len, bool reset_after,
		 const struct rs_progress *progress, struct rs_error *err);

/* The same download, sending only the blocks whose write[b] is set (write may be NULL: all):
 * a block keeps its number, so it lands where a full download would put it (the openmv_dfu
 * bootloader places block n at start + n x transfer_size, boot/src/common/dfu.c).  Block 0
 * must be sent: the end of the download is only accepted from dfuDNLOAD-IDLE.  Progress
 * counts the bytes sent, out of the bytes to send. */
int dfu_download_blocks(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
			const uint8_t *data, size_t len, const uint8_t *write, bool reset_after,
			const struct rs_progress *progress, struct rs_error *err);

/* Read blocks back (UPLOAD of transfer_size bytes each, by block number) and compare them with
 * data[0..len); with only set, only the blocks whose only[b] is set.  RS_E_VERIFY at the first
 * block that differs or comes short; after a match all through, ABORT leaves dfuUPLOAD-IDLE.
 * Progress counts the image's bytes up to the block just compared, out of len. */
int dfu_verify_blocks(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size,
		      const uint8_t *data, size_t len, const uint8_t *only,
		      const struct rs_progress *progress, struct rs_error *err);

/* Plain DFU upload into buf[0..max): UPLOAD blocks from 0 until a short frame or max bytes
 * (then ABORT, since the device still waits in dfuUPLOAD-IDLE).  *got = bytes read. */
int dfu_upload(libusb_device_handle *h, uint16_t intf, uint16_t transfer_size, uint8_t *buf,
	       size_t max, size_t *got, const struct rs_progress *progress,
	       struct rs_error *err);

#endif
