/* detect.h — finds connected devices over USB (libusb) and serial (libserialport) and names
 * each by board and mode from the board database. */
#ifndef RESCUE_DETECT_H
#define RESCUE_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boarddb.h"

#define DETECT_MAX 32
#define DETECT_MATCHES 4

struct detected {
	uint16_t vid, pid;
	uint8_t bus, address;
	char serial[64];        /* USB serial number, "" if unknown or unreadable */
	char bootloader_version[16]; /* the openmv_dfu bootloader's (bcdDevice), "" otherwise */
	char port[64];          /* serial port path for CDC/bridge devices, "" otherwise */
	bool no_access;         /* present but we may not open it (udev rules missing) */
	struct board_match match[DETECT_MATCHES]; /* the first of them, in boards.ini order */
	int nmatch;             /* how many boards and modes this VID:PID belongs to (may be more
	                         * than DETECT_MATCHES: the ST ROM's 0483:DF11 is on every STM32 camera) */
};

/* List every USB device that belongs to a board in db. Returns the count (<= max). */
int detect_scan(const struct boarddb *db, struct detected *out, int max);

/* Is a device of board b in mode present?  Also describes another device of the same board
 * in a different mode, if one is present instead (e.g. "running firmware 37C5:1204"). */
void detect_board_mode(const struct board *b, enum usb_mode mode, bool *present, char *other,
                       size_t other_n);
/* The same, with the mode of that other device in *other_mode (USB_MODE_COUNT: none). */
void detect_board_seen(const struct board *b, enum usb_mode mode, bool *present,
                       enum usb_mode *other_mode, char *other, size_t other_n);

/* Which modes of board b are on the bus now (seen[m]).  Returns -1 when the bus cannot be
 * read at all (libusb could not start): then nobody can tell. */
int detect_board_modes(const struct board *b, bool seen[USB_MODE_COUNT]);

#endif
