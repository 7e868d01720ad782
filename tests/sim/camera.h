/* A virtual camera: one physical board on one USB port, with its memories, that
 * appears on the bus in one mode at a time and changes identity like the real one
 * (bootloader -> firmware, firmware -> bootloader, ST ROM -> bootloader ...).
 *
 * Modes:
 *   bootloader  OpenMV's openmv_dfu bootloader, entered on request of the firmware
 *               (the magic word is set: it stays until DETACH or a USB reset)
 *   power-up    the same bootloader after power-up: it jumps to the firmware when no
 *               DFU request arrives within 1500 ms (reference alif-isp §2.2)
 *   st-rom      the STM32 system-memory DFU bootloader (BOOT jumper), 0483:DF11
 *   arduino-dfu the Arduino boards' DfuSe bootloader (2341:03xx)
 *   sdp         NXP i.MX RT ROM serial download (SBL jumper): 1FC9:0135; jump-address to a
 *               loaded flashloader turns it into `flashloader`
 *   flashloader the NXP RAM flashloader (15A2:0073); reset leaves it
 *   sbl         the RT1062's secure bootloader on flash (15A2:0073), held: it stays until reset
 *   sbl-power-up the same after a reset: it boots the firmware when no command arrives within
 *               about a second (ref-alif §2.3)
 *   firmware    the running firmware's USB identity (CDC ACM, runtime VID:PID);
 *               the serial side comes from the tty library through the hooks below
 *   openbootloader  the N6 only: ST's OpenBootloader, which the N6 boot ROM (its st-rom
 *               mode, BOOT jumper) loads into RAM; it writes the external NOR (model_n6.c)
 * When a bootloader leaves (DETACH, USB reset, DfuSe :leave, power-up timeout) the
 * camera unplugs and then enters its `after_leave` mode (default: stays off the bus).
 */
#ifndef CAMERA_H
#define CAMERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cameras.h"
#include "simmem.h"
#include "usbsim.h"

enum camera_mode {
	CAMERA_OFF, CAMERA_BOOTLOADER, CAMERA_POWER_UP, CAMERA_ST_ROM, CAMERA_ARDUINO_DFU,
	CAMERA_FIRMWARE, CAMERA_SDP, CAMERA_FLASHLOADER, CAMERA_SBL, CAMERA_SBL_POWER_UP,
	CAMERA_N6_OPENBOOTLOADER,
};

/* How the N6's OpenBootloader learns where a NOR row goes (model_n6_obl.c): from the flash
 * layout the host sends first (ST's middleware), or from a set-phase command per row. */
enum camera_n6_nor { CAMERA_N6_NOR_LAYOUT, CAMERA_N6_NOR_SET_PHASE };

struct camera_options {
	bool realistic_timing;        /* --timing realistic */
	enum camera_mode after_leave; /* CAMERA_OFF: the camera just disappears */
	const char *serial;           /* NULL: derived from the port */
	unsigned max_packet;          /* NXP flashloader MaxPacketSize; 0: the type's */
	enum camera_n6_nor n6_nor_addressing; /* N6 OpenBootloader variant */
};

struct camera;

/* The running-firmware side, provided by tests/sim/tty: called on the sim thread. */
struct camera_firmware_hooks {
	/* The firmware's USB identity was plugged: add the tty under an interface
	 * of `dev` (usbsim_syspath(dev) + "/1-N:1.0"). */
	void (*plugged)(struct camera *cam, struct usbsim_dev *dev, void *ctx);
	/* It is about to be unplugged: remove the tty first. */
	void (*unplugging)(struct camera *cam, struct usbsim_dev *dev, void *ctx);
	void *ctx;
};

const char *camera_mode_name(enum camera_mode m);
int camera_mode_from_name(const char *name); /* -1 when unknown */

struct camera *camera_new(struct usbsim *sim, const struct camera_type *type, int port,
			  const char *label, const struct camera_options *opts);
/* Free a camera after usbsim_free() (its models serve the bus until then).  Take it
 * off the bus first with camera_switch(cam, CAMERA_OFF, 0) for a clean unplug. */
void camera_free(struct camera *cam);
const char *camera_label(const struct camera *cam);
const struct camera_type *camera_type_of(const struct camera *cam);

/* Fault injection (grammar in faults.h); returns 0 or -1 with a message. */
int camera_add_fault(struct camera *cam, const char *spec, char *err, size_t err_len);

/* Put a camera on the bus in a mode, now (not from a model callback).
 * Returns 0, or -1 when the camera has no such mode. */
int camera_plug(struct camera *cam, enum camera_mode mode, char *err, size_t err_len);
/* Leave the current mode and enter `mode` after delay_ms (CAMERA_OFF: stay off).
 * Safe from any thread, including model callbacks. */
void camera_switch(struct camera *cam, enum camera_mode mode, unsigned delay_ms);
enum camera_mode camera_mode(const struct camera *cam);
/* The current USB identity (NULL when off the bus). */
struct usbsim_dev *camera_usb(const struct camera *cam);

/* Hooks for the firmware mode (tests/sim/tty). */
void camera_set_firmware_hooks(struct camera *cam, const struct camera_firmware_hooks *hooks);
/* The running firmware asked to reboot into its bootloader (reset-to-bootloader
 * command or 1200-baud touch): Arduino boards enter arduino-dfu, OpenMV cameras
 * the bootloader with the stay-magic set. */
void camera_reboot_to_bootloader(struct camera *cam);
/* A plain reset: the bootloader's power-up window, then the firmware. */
void camera_reboot(struct camera *cam);
/* A person unplugs the camera and plugs it in again, e.g. after putting a jumper on: it
 * drops off the bus and comes back in its after-leave mode (CAMERA_OFF: it stays off). */
void camera_replug(struct camera *cam);

/* Memory access for tests (hold usbsim_lock while a host may be writing). */
struct simmem *camera_memory(struct camera *cam, const char *name);
struct simmem *camera_memory_at(struct camera *cam, uint32_t addr, uint32_t len);
int camera_memory_count(const struct camera *cam);
struct simmem *camera_memory_index(struct camera *cam, int i);
/* Preload: where = "0xADDR" or "altN" (an openmv_dfu partition).  0 or -1. */
int camera_load(struct camera *cam, const char *where, const uint8_t *data, size_t len, char *err,
		size_t err_len);
/* Write every memory to DIR/LABEL.NAME.bin.  0 or -1. */
int camera_dump(struct camera *cam, const char *dir, char *err, size_t err_len);

/* Counters: DFU class requests since the current identity enumerated. */
unsigned camera_class_requests(const struct camera *cam);

#endif
