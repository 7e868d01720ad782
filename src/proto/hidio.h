/* hidio.h — HID reports over libusb, shared by the NXP SDP (ROM) and mboot (flashloader)
 * protocols.  Report framing only: a report is its ID byte followed by its payload.
 *
 * IN reports arrive on the interrupt IN endpoint.  OUT reports go to the interrupt OUT
 * endpoint when the interface has one (the flashloader: reference nxp-sdp-mboot.md §2.1),
 * otherwise as HID SET_REPORT control transfers with wValue = 0x0200 | ID (the SDP ROM has
 * only an IN endpoint: §1.1).  The report descriptor is read once so that an IN read asks
 * for exactly the longest input report: a longer request could swallow the next report when
 * a report fills whole packets.  The caller opens the device and claims the interface
 * (src/run/usbdev.h); nothing here opens, claims, prints, or knows a board.
 */
#ifndef RESCUE_HIDIO_H
#define RESCUE_HIDIO_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define HIDIO_MAX_ID 15
/* No NXP report is longer than 1025 bytes with its ID (SDP report 2, §1.1); mboot reports
 * are 4 + MaxPacketSize < 1022 (§2.7).  Longer declared reports are refused. */
#define HIDIO_MAX_REPORT 1100

/* Report sizes declared by a HID report descriptor, payload bytes without the ID byte;
 * 0 = not declared.  Index 0 is used when the descriptor has no Report ID items. */
struct hidio_layout {
	bool numbered;                      /* reports carry an ID byte */
	uint16_t in_len[HIDIO_MAX_ID + 1];
	uint16_t out_len[HIDIO_MAX_ID + 1];
	uint16_t max_in, max_out;           /* the longest report, with its ID byte if numbered */
};

/* Parse a report descriptor (HID 1.11 §6.2.2 short items; long items are skipped).
 * Returns 0, or -1 when it is malformed, declares a report ID above HIDIO_MAX_ID, or a
 * report longer than HIDIO_MAX_REPORT. */
int hidio_parse_report_desc(const uint8_t *desc, size_t len, struct hidio_layout *out);

struct hidio {
	libusb_device_handle *handle;
	int intf;
	uint8_t ep_in;          /* interrupt IN endpoint address */
	uint8_t ep_out;         /* interrupt OUT endpoint address, 0: SET_REPORT on EP0 */
	bool have_layout;       /* the report descriptor was read and parsed */
	struct hidio_layout layout;
};

/* The number of the first HID-class interface of the active configuration. */
int hidio_find_interface(libusb_device_handle *h, int *intf, struct rs_error *err);

/* Fill io for the claimed interface intf: its endpoints and its report sizes.  A device
 * whose report descriptor cannot be read still works (have_layout = false). */
int hidio_init(struct hidio *io, libusb_device_handle *h, int intf, struct rs_error *err);

/* Send one report (report[0] is its ID).  doing names the step for error messages
 * ("sending the write-file command"). */
int hidio_write(struct hidio *io, const uint8_t *report, size_t len, int timeout_ms,
                const char *doing, struct rs_error *err);

/* Receive one report into buf (buf[0] is its ID when numbered).  Returns its length. */
int hidio_read(struct hidio *io, uint8_t *buf, size_t cap, int timeout_ms, const char *doing,
               struct rs_error *err);

/* A libusb error as an RS_E_* code and a sentence naming what was being done. */
int hidio_usb_error(int libusb_rc, const char *doing, int timeout_ms, struct rs_error *err);

#endif
