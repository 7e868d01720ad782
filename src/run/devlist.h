/* devlist.h — every connected device we know, or that speaks DFU, with what can be read
 * without opening it for a transfer: board and mode (from boards.ini), VID:PID, bus path,
 * serial number, the openmv_dfu bootloader version (bcdDevice), and whether we may open it.
 * Used by `openmv-rescue list` and `info`. */
#ifndef RESCUE_DEVLIST_H
#define RESCUE_DEVLIST_H

#include <stdbool.h>
#include <stdint.h>

#include "boarddb.h"

#define DEVLIST_MAX 32
#define DEVLIST_BOARDS 16

struct devinfo {
	const struct board *board;  /* NULL when the VID:PID is unknown or shared by several */
	enum usb_mode mode;         /* USB_MODE_COUNT: an unknown DFU device */
	const char *candidates[DEVLIST_BOARDS]; /* TARGETs this VID:PID belongs to */
	int ncandidates;
	uint16_t vid, pid, bcd_device;
	uint8_t bus, address;
	char bus_path[32];          /* "1-3.2": bus, then the port numbers */
	char serial[64];            /* "" when unreadable */
	char bootloader_version[16];/* openmv_dfu: "1.0.1" from bcdDevice; "" otherwise */
	bool may_open;              /* false: the udev rules are missing (see devlist_permission_fix) */
};

/* Fill out with up to max devices; returns how many.  Opens each device only to read its
 * serial number string (a standard request: the device's state does not change). */
int devlist_scan(const struct boarddb *db, struct devinfo *out, int max);

/* One line for a person: "OpenMV Cam H7 — OpenMV DFU bootloader 37C5:9204". */
const char *devinfo_name(const struct devinfo *d);
const char *devinfo_mode(const struct devinfo *d);

/* What to do when a device may not be opened. */
const char *devlist_permission_fix(void);

#endif
