/* serialdev.h — finding, waiting for and opening the serial port a step talks to
 * (libserialport), by the USB VID:PID of the port's device. */
#ifndef RESCUE_SERIALDEV_H
#define RESCUE_SERIALDEV_H

#include <libserialport.h>
#include <stdbool.h>

#include "boarddb.h"
#include "error.h"
#include "usbdev.h"

/* Wait up to timeout_ms for a serial port whose USB device matches one of ids; write its
 * name (e.g. /dev/ttyACM0) into name.  RS_E_TIMEOUT or RS_E_CANCELLED otherwise. */
int serialdev_find_wait(const struct usb_ids *ids, int timeout_ms, usbdev_stop_fn stop,
                        void *stop_ctx, char *name, size_t n, struct rs_error *err);

/* The same, for the port whose USB device has the serial number usb_serial (NULL: any). */
int serialdev_find_serial(const struct usb_ids *ids, const char *usb_serial, int timeout_ms,
                          usbdev_stop_fn stop, void *stop_ctx, char *name, size_t n,
                          struct rs_error *err);

/* Open a port read-write at baud, 8N1, no flow control, DTR and RTS on. */
int serialdev_open(const char *name, int baud, struct sp_port **out, struct rs_error *err);

/* The 1200-baud touch (reference dfu-dfuse-picoboot-samba.md §3.1): open at 1200 baud,
 * drop DTR, close.  The board then resets into its bootloader. */
int serialdev_touch_1200(const char *name, struct rs_error *err);

/* Close a port opened by serialdev_open (NULL is fine). */
void serialdev_close(struct sp_port *p);

#endif
