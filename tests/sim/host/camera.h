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
 *   samba       the Nano 33 BLE's SAM-BA bootloader (2341:005a, a CDC ACM port), and
 *   bootsel     the RP2040's BOOTSEL device (2E8A:0003, PICOBOOT): both modelled outside
 *               this library and plugged through the same hooks (tests/sim/serialside)
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
	CAMERA_N6_OPENBOOTLOADER, CAMERA_SAMBA, CAMERA_BOOTSEL,
};

/* How the N6's OpenBootloader learns where a NOR row goes (model_n6_obl.c): from the flash
 * layout the host sends first (ST's middleware), or from a set-phase command per row. */
enum camera_n6_nor { CAMERA_N6_NOR_LAYOUT, CAMERA_N6_NOR_SET_PHASE };

/* Which OpenMV firmware the camera runs (option fw=, tests/sim/README.md): what its debug
 * channel does with bytes it does not expect, and its USB ID (openmv/openmv, see
 * tests/sim/tty/model_openmv.h for the sources). */
enum camera_fw {
	CAMERA_FW_ANY = 0,  /* the generic model: v2, v1 and the touch, resynchronising on 0x30 */
	CAMERA_FW_4_4,      /* 4.4.0 .. 4.7.0: v1 only, 1209:ABD1; TinyUSB ports die on a bad header */
	CAMERA_FW_4_8_0,    /* 4.8.0: v1 only, 1209:ABD1; TinyUSB ports drop a bad 6-byte header */
	CAMERA_FW_4_8_1,    /* 4.8.1: v1 only, the board's own 37C5 ID */
	CAMERA_FW_V2,       /* protocol v2 firmware: v2 only (and the touch), the board's 37C5 ID */
};

struct camera_options {
	bool realistic_timing;        /* --timing realistic */
	enum camera_mode after_leave; /* CAMERA_OFF: the camera just disappears */
	const char *serial;           /* NULL: derived from the port */
	unsigned max_packet;          /* NXP flashloader MaxPacketSize; 0: the type's */
	enum camera_n6_nor n6_nor_addressing; /* N6 OpenBootloader variant */
	bool sketch;                  /* Arduino: run a sketch (its touch-to-reset PID), not OpenMV */
	enum camera_fw fw;            /* fw=4.5.0|4.8.0|4.8.1|v2 */
	uint16_t bl_version;          /* bl=1.0.1: the openmv_dfu bootloader's bcdDevice; 0: 1.0.2 */
	bool impostor;                /* the right VID:PID, but the wrong alts, layouts or chip (README) */
	bool no_access;               /* its USB node cannot be opened (no udev rule) */
};

struct camera;

/* What lives beside the USB models (tests/sim/serialside): the running firmware's tty and
 * the bootloaders this library does not model.  Called on the sim thread, lock held. */
struct camera_serial_hooks {
	/* The camera enters mode.  CAMERA_FIRMWARE: dev is the firmware's USB identity, already
	 * plugged; add its tty under an interface of dev (usbsim_syspath(dev) + "/1-N:1.2").
	 * CAMERA_SAMBA, CAMERA_BOOTSEL: dev is NULL; plug the identity on camera_port(cam) and
	 * return it.  Returns the identity (dev for the firmware; NULL: nothing was plugged). */
	struct usbsim_dev *(*enter)(struct camera *cam, enum camera_mode mode, struct usbsim_dev *dev,
				    void *ctx);
	/* The camera leaves mode: take away what enter added (the tty first).  The library
	 * unplugs dev afterwards if it is still there. */
	void (*leave)(struct camera *cam, enum camera_mode mode, struct usbsim_dev *dev, void *ctx);
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
/* The mode the camera enters when it leaves one (CAMERA_OFF: it just disappears). */
enum camera_mode camera_after_leave(const struct camera *cam);

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

/* The hooks for the firmware mode and the modes modelled outside (tests/sim/serialside). */
void camera_set_serial_hooks(struct camera *cam, const struct camera_serial_hooks *hooks);
/* The running firmware asked to reboot into its bootloader (reset-to-bootloader command or
 * 1200-baud touch): Arduino DfuSe boards enter arduino-dfu, the RT1062 its secure bootloader
 * (held, like the openmv_dfu bootloader entered on request [I]), the Nano boards samba or
 * bootsel, other OpenMV cameras the bootloader with the stay-magic set. */
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
/* What its memories' erases and programs took in the timing model, over its life. */
void camera_device_time(const struct camera *cam, unsigned long long *erase_ms,
			unsigned long long *program_us);

/* The root-hub port the camera is plugged into, and its USB serial number. */
int camera_port(const struct camera *cam);
const char *camera_serial(const struct camera *cam);
bool camera_impostor(const struct camera *cam); /* opts.impostor */
/* From the next plug on (a test's impostor that appears after a genuine stage); under usbsim_lock. */
void camera_set_impostor(struct camera *cam, bool on);
/* The run-time USB PID the firmware mode shows (the sketch PID with opts.sketch). */
uint16_t camera_runtime_pid(const struct camera *cam);
/* The run-time USB VID the firmware mode shows (1209 for OpenMV firmware before 4.8.1). */
uint16_t camera_runtime_vid(const struct camera *cam);
enum camera_fw camera_firmware(const struct camera *cam);
bool camera_is_sketch(const struct camera *cam); /* opts.sketch: an Arduino sketch runs */
/* Parse "4.5.0", "v2" ... into *fw; false when no modelled version matches. */
bool camera_fw_parse(const char *text, enum camera_fw *fw);
/* A bootloader left the bus on its own (a reset command, REBOOT): leave the current mode
 * for the after-leave mode.  For the models outside this library; any thread. */
void camera_bootloader_left(struct camera *cam);
/* The camera has just left the bus by a fault; REPLACE_MS later (camera.c) another device takes
 * its port: mode, with another serial number (the fault matrix's "replaced"). */
void camera_replace_soon(struct camera *cam, enum camera_mode mode);

/* Counters: DFU class requests since the current identity enumerated. */
unsigned camera_class_requests(const struct camera *cam);

#endif
