/* stm32prog.h — ST's DFU "phase" protocol (the one STM32CubeProgrammer speaks over USB),
 * as used to restore the OpenMV Cam N6: the N6 boot ROM loads OpenBootloader into RAM,
 * which re-enumerates and writes the external NOR flash.
 *
 * The device is a plain DFU 1.1 device (0483:DF11, src/proto/dfu.h does the transfers).
 * Each alternate setting's name carries a phase id, "@FSBL /0x01/1*1Me"; the alt with id
 * 0xF1 is virtual: an UPLOAD of block 0 on it returns the phase the device wants next
 * (GetPhase) and a DNLOAD on it selects a phase (set phase).  Data for a phase is a normal
 * DFU download to the alt whose id is that phase, ended by manifestation; DETACH makes the
 * device start what it was given.  Facts: reference alif-isp-openmv-ide-n6.md §4.2 [C for
 * the STM32MP device side in TF-A and U-Boot].  What OpenBootloader on the N6 does was read
 * from ST's OpenBootloader middleware (github.com/STMicroelectronics/stm32-mw-openbl,
 * branch stm32n6, Modules/USB/openbl_usb_cmd.c and Util/openbl_util.c): the host sends the
 * flash layout as phase 0x00, then OpenBootloader asks for each later row's id in order.
 * None of this has been run against a real N6 yet: see README "OpenMV Cam N6".
 *
 * Like every protocol module: an opened, claimed handle in, RS_E_* and a sentence out,
 * progress through struct rs_progress, nothing printed, no board known.
 */
#ifndef RESCUE_STM32PROG_H
#define RESCUE_STM32PROG_H

#include <libusb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "progress.h"

/* Phase ids (reference §4.2; OpenBootloader openbl_util.h on branch stm32n6). */
#define STM32PROG_ID_LAYOUT 0x00  /* the flash layout itself */
#define STM32PROG_ID_FSBL 0x01    /* first-stage image the ROM loads into RAM */
#define STM32PROG_ID_LOADER 0x03  /* OpenBootloader: the external-memory loader, into RAM */
#define STM32PROG_ID_CMD 0xF1     /* the virtual command alt */
#define STM32PROG_ID_END 0xFE     /* nothing more to send */
#define STM32PROG_ID_ERROR 0xFF   /* reset / error: an ASCII message follows */
#define STM32PROG_ADDR_UNDEFINED 0xFFFFFFFFu

#define STM32PROG_MAX_ALTS 16
/* GetPhase asks for this many bytes: the size of the virtual alt, "@virtual /0xF1/1*512Ba". */
#define STM32PROG_PHASE_REQUEST 512
/* A GetPhase answer is at least id + address + extra (reference §4.2). */
#define STM32PROG_PHASE_MIN 9
/* OpenBootloader skips the first 256 bytes of the layout download ("reserved for binary
 * signature info") and parses the rest as text from one block (openbl_usb_cmd.c). */
#define STM32PROG_LAYOUT_HEADER 256
/* OpenBootloader keeps at most 15 layout rows and 32 characters per column
 * (openbl_util.h: arrays of 0xF, char opt[33]...). */
#define STM32PROG_OBL_MAX_ROWS 15
#define STM32PROG_OBL_MAX_FIELD 32

/* How the host tells OpenBootloader where in nor0 a row goes.  NOT CONFIRMED on a real N6
 * (reference §4.2 "not confirmed"); one option so it can be switched in one place. */
enum stm32prog_nor_addressing {
	/* Send the rows as phase 0x00 (256-byte header + "opt id name type ip offset" lines);
	 * OpenBootloader computes each partition's address from the row's offset and asks for
	 * the rows by id.  Read from ST's OpenBootloader middleware, branch stm32n6. */
	STM32PROG_NOR_BY_LAYOUT,
	/* No layout: before each row, DNLOAD [id, offset big-endian] on the 0xF1 alt, as U-Boot's
	 * stm32prog accepts (reference §4.2).  For a loader that behaves like U-Boot. */
	STM32PROG_NOR_BY_SET_PHASE,
};
#define STM32PROG_NOR_ADDRESSING_DEFAULT STM32PROG_NOR_BY_LAYOUT

const char *stm32prog_nor_addressing_name(enum stm32prog_nor_addressing m); /* "layout" */
/* The mode named s ("layout", "set-phase"), or -1. */
int stm32prog_nor_addressing_from_name(const char *s);

struct stm32prog_alt {
	uint8_t alt;               /* bAlternateSetting */
	int id;                    /* phase id, -1 when the name gives none */
	char name[256];            /* iInterface string */
};

/* An opened phase-protocol device. */
struct stm32prog_dev {
	libusb_device_handle *h;
	uint16_t intf;
	uint16_t transfer_size;    /* wTransferSize */
	struct stm32prog_alt alts[STM32PROG_MAX_ALTS];
	int nalts;
};

/* One GetPhase answer. */
struct stm32prog_phase {
	uint8_t id;                /* the phase the device wants next */
	uint32_t address;          /* where it will put it (little-endian on the wire) */
	uint32_t extra;            /* bytes 5..8 */
	bool detach;               /* layout phase, no address, byte 9 == 1: "please detach" */
	char message[128];         /* error phase (0xFF): the device's text */
};

/* One layout row as the device needs it; strings point into the caller's layout. */
struct stm32prog_part {
	uint8_t id;
	const char *opt, *name, *type, *ip; /* as written in FlashLayout.tsv */
	uint32_t offset;
	const uint8_t *data;       /* the binary (NULL while only checking) */
	size_t len;
};

/* Optional notes for the log ("OpenBootloader asks for phase 0x03 at 0x34000000"). */
struct stm32prog_log {
	void (*note)(void *ctx, const char *msg);
	void *ctx;
};

/* --- pure helpers (no device) --- */

/* The phase id an alt's name stands for: the hex number of "@Name /0xID/..." when it is
 * 0x00-0xFF; otherwise the well-known names ("FSBL" 0x01, "virtual" 0xF1), because the
 * N6 ROM's FSBL alt carries a load address there, "@FSBL /0x34180400/01*512Kg"
 * (reference §4.2 [S]).  -1 when neither applies. */
int stm32prog_alt_id(const char *name);

/* The head of an alt name "@Name /0xNUMBER/...": the label ("Name", trimmed) into label and
 * the hex number after " /0x" (an id or, for the N6 ROM's FSBL, a load address) into
 * *number.  Returns false when the name carries no such number (label is still set). */
bool stm32prog_alt_head(const char *name, char *label, size_t n, uint32_t *number);

/* Decode a GetPhase answer of len bytes.  RS_E_PROTOCOL when it is too short ("garbage"),
 * RS_E_DEVICE for the error phase 0xFF (message included). */
int stm32prog_parse_phase(const uint8_t *buf, size_t len, struct stm32prog_phase *out,
                          struct rs_error *err);

/* The 5-byte set-phase command: id, then the address big-endian (U-Boot, reference §4.2). */
void stm32prog_encode_set_phase(uint8_t id, uint32_t address, uint8_t out[5]);

/* Can this layout be run on the N6 path?  The first row must be the FSBL (0x01, IP none:
 * OpenBootloader, for the ROM); 0x03 rows are RAM loaders (IP none); every other row is a
 * partition 0x04 or 0x05 on a NOR (OpenBootloader writes only those to external memory);
 * at most 15 rows of at most 32 characters per column (OpenBootloader's limits). */
int stm32prog_check_parts(const struct stm32prog_part *parts, int n, struct rs_error *err);

/* The phase-0x00 download for STM32PROG_NOR_BY_LAYOUT: 256 zero bytes [I: what
 * STM32CubeProgrammer puts there is not known; OpenBootloader skips them], then one line
 * "opt\tid\tname\ttype\tip\toffset\n" per part.  *len is set; RS_E_INPUT if it needs more
 * than max bytes. */
int stm32prog_layout_blob(const struct stm32prog_part *parts, int n, uint8_t *out, size_t max,
                          size_t *len, struct rs_error *err);

/* --- on a device --- */

/* The first DFU interface of the device's active configuration. */
int stm32prog_dfu_interface(libusb_device_handle *h, uint16_t *intf, struct rs_error *err);

/* Read the transfer size and the alts (with their ids) of a claimed interface. */
int stm32prog_open(struct stm32prog_dev *d, libusb_device_handle *h, uint16_t intf,
                   struct rs_error *err);

/* The alt for phase id: by the ids in the alt names; failing that, for OpenBootloader
 * (openbootloader true), its fixed order alt 0 = 0x00, 1 = 0x03, 2 = 0x04, 3 = 0xF1,
 * 4 = 0xF2, 5 = 0x05 (openbl_usb_cmd.c OPENBL_USB_GetPhase).  -1 if there is none. */
int stm32prog_find_alt(const struct stm32prog_dev *d, uint8_t id, bool openbootloader);

/* Do the two devices show the same alt names?  (A device that re-enumerated after
 * DETACH shows a new list.) */
bool stm32prog_same_alts(const struct stm32prog_dev *a, const struct stm32prog_dev *b);

/* GetPhase: UPLOAD block 0 on the 0xF1 alt, then ABORT back to dfuIDLE. */
int stm32prog_get_phase(struct stm32prog_dev *d, bool openbootloader, struct stm32prog_phase *out,
                        struct rs_error *err);

/* Set phase: DNLOAD [id, address BE] on the 0xF1 alt and wait until it is taken. */
int stm32prog_set_phase(struct stm32prog_dev *d, bool openbootloader, uint8_t id, uint32_t address,
                        struct rs_error *err);

/* Download data to the alt whose id is `id`, then manifest (zero-length DNLOAD); the
 * device stays attached. */
int stm32prog_download(struct stm32prog_dev *d, bool openbootloader, uint8_t id, const uint8_t *data,
                       size_t len, const struct rs_progress *progress, struct rs_error *err);

/* DETACH, then a USB reset: the device starts what it was given.  A device that is already
 * gone has done what was asked; nothing here fails. */
void stm32prog_detach(struct stm32prog_dev *d);

/* --- the two stages of an N6 restore (stm32prog_run.c) --- */

/* ROM stage: GetPhase must ask for the FSBL (0x01); download parts[0] there, manifest, read
 * the phase once more (the ROM asks to be detached), DETACH.  The caller then waits for the
 * device to come back as OpenBootloader. */
int stm32prog_rom_stage(struct stm32prog_dev *d, const struct stm32prog_part *fsbl,
                        const struct rs_progress *progress, const struct stm32prog_log *log,
                        struct rs_error *err);

/* OpenBootloader stage: send every part after the first as the device asks for them
 * (mode STM32PROG_NOR_BY_LAYOUT: the layout first, then by GetPhase; BY_SET_PHASE: a
 * set-phase per part), until it reports the end; then DETACH.  *written counts the NOR
 * parts whose data started to go in, so a failure can say whether nor0 was touched. */
int stm32prog_obl_stage(struct stm32prog_dev *d, const struct stm32prog_part *parts, int n,
                        enum stm32prog_nor_addressing mode, const struct rs_progress *progress,
                        const struct stm32prog_log *log, int *written, struct rs_error *err);

#endif
