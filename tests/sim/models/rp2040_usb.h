/* rp2040_usb.h — the RP2040 boot ROM (rp2040_model.h) on the virtual USB bus (usbsim.h): a
 * Nano RP2040 Connect held in BOOTSEL, as libusb sees it (2E8A:0003, interface 0 the RPI-RP2
 * mass-storage drive with usb-storage bound, interface 1 PICOBOOT; reference §2.1).
 * After REBOOT the device leaves the bus once the requested delay has passed. */
#ifndef RP2040_USB_H
#define RP2040_USB_H

#include <stdbool.h>

#include "rp2040_model.h"
#include "usbsim.h"

#define RP2040_USB_VID 0x2E8A
#define RP2040_USB_PID 0x0003

struct rp2040_usb;

/* Plug a BOOTSEL device on port.  without_picoboot: the bootrom was told to show only the
 * drive (then the single interface is 0: §2.1). */
struct rp2040_usb *rp2040_usb_plug(struct usbsim *sim, int port, enum rp2040_fault fault,
                                   unsigned fault_at, bool without_picoboot);
/* The same with another serial number string (NULL: the default; usbsim copies it). */
struct rp2040_usb *rp2040_usb_plug_serial(struct usbsim *sim, int port, enum rp2040_fault fault,
                                          unsigned fault_at, bool without_picoboot, const char *serial);
struct rp2040_model *rp2040_usb_model(struct rp2040_usb *u);
/* A fault took the device off the bus: vanished(ctx) is called on the USB layer's thread with
 * the bus lock held.  Set it under the bus lock. */
void rp2040_usb_on_vanish(struct rp2040_usb *u, void (*vanished)(void *ctx), void *ctx);
struct usbsim_dev *rp2040_usb_device(struct rp2040_usb *u);
/* Instead of unplugging itself once the REBOOT delay has passed, call left(ctx) (from a
 * thread of its own; the host then takes the device away).  Set it right after plugging. */
void rp2040_usb_on_reboot(struct rp2040_usb *u, void (*left)(void *ctx), void *ctx);
bool rp2040_usb_present(struct rp2040_usb *u);
/* Take it off the bus (if still there) and free the model.  The layer keeps the device
 * record until usbsim_free(). */
void rp2040_usb_free(struct rp2040_usb *u);

#endif
