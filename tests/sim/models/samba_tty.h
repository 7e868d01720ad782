/* samba_tty.h — the SAM-BA bootloader model (samba_model.h) as a Nano 33 BLE in its
 * bootloader: a CDC ACM device on the virtual USB bus (usbsim.h: libusb lists it, as it
 * lists the real board) with a ttyACM port below it (tests/sim/tty/ttysim.h: libserialport,
 * the product and bossac open it).  2341:005a, bcdDevice 0.11, "Arduino Nano 33 BLE"
 * (reference §3.1).  Resetting (K#) or vanishing (fault) takes both off the bus. */
#ifndef SAMBA_TTY_H
#define SAMBA_TTY_H

#include <pthread.h>

#include "samba_model.h"
#include "ttysim.h"
#include "usbsim.h"

#define SAMBA_TTY_VID 0x2341
#define SAMBA_TTY_PID 0x005a  /* the bootloader's ID (reference §3.1) */

/* The sysfs interface the tty hangs below.  The USB layer already made entries for the
 * device's interfaces 0 and 1, and a second entry of the same name is refused; the tools
 * only walk up from the tty to the USB device, so another number serves them as well. */
#define NANO_TTY_IFNUM 2

/* The testbed of the USB layer, for the tty layer to add its nodes to (one per process). */
UMockdevTestbed *nano_testbed(struct usbsim *sim);

/* Plug a CDC ACM device (interfaces 0 communication, 1 data; cdc_acm bound) on port. */
struct usbsim_dev *nano_cdc_plug(struct usbsim *sim, int port, uint16_t vid, uint16_t pid,
                                 uint16_t bcd, const char *product, const char *serial);

struct samba_tty;

/* Plug the bootloader on USB port usb_port with a model using fault/fault_at, in the
 * updated layout. */
struct samba_tty *samba_tty_add(struct usbsim *sim, int usb_port, enum samba_fault fault,
                                unsigned fault_at);
/* The same with the flash in a given layout (samba_tty_add: the updated one). */
struct samba_tty *samba_tty_add_layout(struct usbsim *sim, int usb_port, enum samba_layout layout,
                                       enum samba_fault fault, unsigned fault_at);
struct ttysim *samba_tty_port(struct samba_tty *t);
/* The model; take samba_tty_lock while a host may still be talking to it. */
struct samba_model *samba_tty_model(struct samba_tty *t);
void samba_tty_lock(struct samba_tty *t);
void samba_tty_unlock(struct samba_tty *t);
/* Take it off the bus if still there and free it.  Not from a callback. */
void samba_tty_free(struct samba_tty *t);

#endif
