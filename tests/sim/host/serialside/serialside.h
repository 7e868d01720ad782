/* serialside.h — what openmv-rescue-sim plugs beside the USB models of tests/sim, so that
 * every device a recovery meets is there:
 *
 *   firmware  the running firmware's CDC ACM tty below its USB identity: the OpenMV model
 *             (debug protocol v2, v1, 1200-baud touch) or the Arduino one (the touch), from
 *             tests/sim/tty; a reset request makes the camera re-enumerate as its bootloader
 *   samba     the Nano 33 BLE's SAM-BA bootloader on a ttyACM (tests/sim/nano/samba_model)
 *   bootsel   the RP2040's BOOTSEL device with PICOBOOT (tests/sim/nano/rp2040_usb)
 *   se        the AE3's Secure Enclave (tests/sim/tty/model_alif_se) on an FTDI /dev/ttyUSB
 *             below its own USB device 0403:6015; the camera's USB stays quiet until the
 *             person power-cycles it after the MRAM write: then its openmv_dfu bootloader
 *             enumerates, holding what the SE wrote
 *
 * The person's hands: with hands=auto (the default) the virtual person does what the prompts
 * of a recovery ask as soon as the protocol shows they are needed (the hard-maintenance switch
 * and button when the handshake arrives, the power cycle once the bootloader is written).
 * serialside_hands() acts on request instead (openmv-rescue-sim: SIGUSR1, SIGUSR2), so that a
 * test can check a prompt before the hands move.
 *
 * Threads: the hooks run on the USB layer's sim thread; reboot and reset requests from the
 * models' port threads go to a worker thread of this layer, which acts on the cameras. */
#ifndef SERIALSIDE_H
#define SERIALSIDE_H

#include <stdbool.h>
#include <stddef.h>

#include "camera.h"

struct serialside_opts {
	unsigned reset;          /* OMV_RESET_* mask the firmware honours; 0: all it has */
	bool ignore_reset;       /* reset=none: the firmware hears every reset request and stays */
	bool se;                 /* mode se (AE3 only) */
	bool se_serom;           /* se=serom: the SE starts in ROM recovery (blank MRAM offset word) */
	bool se_silent;          /* se-silent: no answer until the hard-maintenance handshake */
	int se_version[3];       /* se-version=X.Y.Z; {0}: the model's default */
	int se_keys;             /* se-keys=prod|dev|blank: enum alif_se_keys (model_alif_se.h) */
	bool hands_signal;       /* hands=signal: the person only acts through serialside_hands() */
	bool nano_stock_layout;  /* layout=stock: a Nano 33 BLE without the updater sketch's layout */
	int nano_fault;          /* nano-fault=KIND@N (Nano boards): NANO_FAULT_*, 0 none */
	unsigned nano_fault_at;  /* ... at the N-th flash copy (SAM-BA) or WRITE/command (PICOBOOT) */
	int se_fault;            /* se-fault=KIND@N (AE3 in mode se): SE_FAULT_*, 0 none */
	unsigned se_fault_at;    /* ... at the N-th DOWNLOAD_DATA of a burn (from 1, over the run) */
};
/* se-fault kinds: vanish (the bridge leaves the bus), silent (the SE stops answering), nak (a
 * NAK for that write), garbage (its ACK's checksum is wrong), tty-gone (the tty node goes, the
 * bridge's USB device stays), replaced (the bridge leaves and another one, another serial
 * number with another part's SE behind it, takes its port), flip (acknowledged, but one byte of it
 * lands in MRAM with its bits inverted: a bad write only a read-back finds) */
enum { SE_FAULT_NONE, SE_FAULT_VANISH, SE_FAULT_SILENT, SE_FAULT_NAK, SE_FAULT_GARBAGE, SE_FAULT_TTY_GONE,
       SE_FAULT_REPLACED, SE_FAULT_FLIP };
/* nano-fault kinds: vanish, wrong-reply (SAM-BA), bad-ack (PICOBOOT); timeout (the bootloader
 * stops answering), garbage (SAM-BA: an answer of no command), replaced (vanish, then another
 * board of the same kind, another serial number, on the same port), and PICOBOOT's
 * vanish-byte (gone when byte N of a WRITE's data arrives), stall, error-status (the command
 * fails with a status: GET_COMMAND_STATUS says UNKNOWN_ERROR) */
enum { NANO_FAULT_NONE, NANO_FAULT_VANISH, NANO_FAULT_WRONG_REPLY, NANO_FAULT_BAD_ACK, NANO_FAULT_TIMEOUT,
       NANO_FAULT_GARBAGE, NANO_FAULT_REPLACED, NANO_FAULT_VANISH_BYTE, NANO_FAULT_STALL,
       NANO_FAULT_ERROR_STATUS };

/* One --camera option ("reset=v1+touch", "se=serom", "se-silent", "se-fault=nak@3", "se-version=1.104.0",
 * "se-keys=dev", "hands=signal", "layout=stock|updated").  Returns 1 when it is one of these, 0 when it
 * is not, -1 when it is
 * malformed (err says why). */
int serialside_option(struct serialside_opts *o, const char *opt, char *err, size_t err_len);
/* A mode name this layer adds to the camera's: "se" (and "off": nothing on the bus until the
 * hands act).  Sets *mode to the camera mode to plug; returns false if the name is not one. */
bool serialside_mode(struct serialside_opts *o, const char *name, enum camera_mode *mode);

struct serialside;

/* The layer on the bus.  NULL with a message on failure. */
struct serialside *serialside_new(struct usbsim *sim, char *err, size_t err_len);
/* Give a camera its serial side; right after camera_new(), before --load.  0 or -1. */
int serialside_attach(struct serialside *s, struct camera *cam, const struct serialside_opts *o,
                      char *err, size_t err_len);
/* Plug what the cameras start with beside their USB mode (the SE bridges), and start acting
 * for the models and the hands (the worker thread); after camera_plug().  0 or -1. */
int serialside_plug(struct serialside *s, char *err, size_t err_len);

/* The person's hands, safe from a signal handler (it only counts; the worker acts):
 *   1  what a prompt asks to bring up the bootloader: the AE3's hard-maintenance switch on
 *      and the user button; a Nano 33's double-tap of RESET; the RP2040's BOOTSEL held while
 *      plugging; any other camera a replug (its bootloader's power-up window)
 *   2  a power cycle (the AE3: with the hard-maintenance switch turned off)
 * for every camera. */
void serialside_hands(int which);

/* Stop acting on the cameras (the worker ends); before switching them off. */
void serialside_stop(struct serialside *s);
/* After the cameras are off and usbsim_sync(): take the SE bridges away and bring what the
 * models hold back into the cameras' memories, for --dump. */
void serialside_unplug(struct serialside *s);
void serialside_free(struct serialside *s);

#endif
