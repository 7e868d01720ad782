/* Shared pieces of the sim suite: a generic test device (HID + vendor bulk interface) and
 * libusb shortcuts for DFU requests. */
#ifndef TESTDEV_H
#define TESTDEV_H

#include <libusb.h>
#include <stdbool.h>
#include <stdint.h>

#include "usbsim.h"

#define TESTDEV_VID 0x1209
#define TESTDEV_PID 0x0001

/* Interface 0: HID, interrupt 0x81 IN / 0x01 OUT, "usbhid" bound; echoes each OUT
 * report inverted.  Interface 1: vendor, bulk 0x82 IN / 0x02 OUT, echoes as is.
 * Vendor requests (0xC0/0x40): 1 -> "hello", 2 -> 4 bytes after 50 ms, 3 -> STALL,
 * 4 -> never answers, 5 (OUT) -> takes its data. */
struct usbsim_dev *testdev_plug(struct usbsim *sim, int port, uint16_t pid);

/* Start the bus, or print the TAP skip line and exit 77. */
struct usbsim *testdev_sim_or_skip(void);

/* Open the first device with vid:pid, retrying for up to ms. */
libusb_device_handle *testdev_open(libusb_context *ctx, uint16_t vid, uint16_t pid, int ms);
/* Is a device with vid:pid on the bus now? */
bool testdev_present(libusb_context *ctx, uint16_t vid, uint16_t pid);
/* Wait until present == want, up to ms. */
bool testdev_wait(libusb_context *ctx, uint16_t vid, uint16_t pid, bool want, int ms);

int dfu_getstatus(libusb_device_handle *h, uint8_t st[6]);
int dfu_dnload(libusb_device_handle *h, uint16_t block, const void *data, uint16_t len);
int testdev_dfu_upload(libusb_device_handle *h, uint16_t block, void *buf, uint16_t len);
int dfu_simple(libusb_device_handle *h, uint8_t request); /* CLRSTATUS, ABORT, DETACH */
long long ms_now(void);

#endif
