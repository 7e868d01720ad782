/* boarddb.h — the board database: the only reader of boards.ini.
 *
 * boarddb_load() reads boards.ini into typed structs and validates every key: unknown key,
 * missing required key, malformed VID:PID or number, overlapping regions, an alt used twice.
 * An error names file:line and what is wrong, in one line.  Section and key names are
 * compared case-insensitively (iniparser lowercases them); TARGETs are kept upper-case.
 * Numbers keep the text they were written with, so classic commands print them exactly as
 * the seeds do (0x00800000 stays 0x00800000).
 */
#ifndef RESCUE_BOARDDB_H
#define RESCUE_BOARDDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define BOARD_MAX 32
#define BOARD_MAX_IDS 4
#define BOARD_MAX_ALTS 12
#define BOARD_MAX_IMAGES 8
#define BOARD_MAX_REGIONS 8
#define BOARD_MAX_RANGES 8
#define BOARD_MAX_LIST 8
#define BOARD_MAX_UNIT_MAPS 4
#define BOARD_MAX_UNIT_RUNS 4

/* A number and the text it was written as. */
struct bnum {
	uint64_t value;
	char text[24];
};

struct usb_id {
	uint16_t vid, pid;
	char text[10]; /* "0483:df11", as written in boards.ini */
};

/* The USB identity a board shows in each of its modes. */
enum usb_mode {
	USB_FIRMWARE,        /* running OpenMV firmware (CDC) */
	USB_FIRMWARE_LEGACY, /* running firmware 4.8.0 or older (1209:ABD1, shared by all cameras) */
	USB_ARDUINO_SKETCH,  /* an Arduino sketch; enters DFU on a 1200-baud touch */
	USB_BOOTLOADER,      /* the openmv_dfu bootloader */
	USB_ST_ROM,          /* the ST system ROM DFU */
	USB_SDP,             /* the i.MX RT ROM serial-download protocol */
	USB_FLASHLOADER,     /* the NXP MCU-bootloader (SBL or RAM flashloader) */
	USB_ARDUINO_DFU,     /* Arduino's DfuSe bootloader */
	USB_SAMBA,           /* the Nano 33 BLE SAM-BA bootloader */
	USB_BOOTSEL,         /* the RP2040 BOOTSEL ROM */
	USB_SE_BRIDGE,       /* the AE3 Secure Enclave serial ISP bridge */
	USB_MODE_COUNT
};

struct usb_ids {
	int n;
	struct usb_id id[BOARD_MAX_IDS];
};

enum alt_access { ALT_RO, ALT_RW, ALT_WHOLE, ALT_COMMAND };

/* An openmv_dfu partition (alt setting). */
struct board_alt {
	int alt;
	char name[24];      /* BOOTLOADER, FIRMWARE, ROMFS0, ... */
	char memory[12];    /* flash, qspi, xspi, ospi, mram */
	struct bnum start;  /* start address in that memory */
	struct bnum size;
	enum alt_access access;
	char file[64];      /* default image, "" if none */
	int line;
};

/* An image slot: written by DfuSe address (alt >= 0) or through a board-specific method. */
struct board_image {
	char slot[16];      /* firmware, romfs, wifi, bluetooth */
	int alt;            /* -1 when not addressed by alt */
	struct bnum address;
	struct bnum size;   /* 0 when unknown */
	char file[64];
	int line;
};

enum region_erase { ERASE_NONE, ERASE_REGION, ERASE_IMAGE };

/* A region of an external flash map (RT1062). */
struct board_region {
	char name[16];
	struct bnum address, size;
	char file[64];      /* "" when no image goes there */
	enum region_erase erase;
	int line;
};

struct addr_range {
	uint64_t start, end; /* end exclusive */
};

/* units.MEM: how the bootloader erases a memory (boarddb_units.h). */
struct board_units {
	char memory[12];
	uint64_t base;
	bool erased;        /* erased when a write reaches a unit's first byte; else direct */
	struct { uint64_t size; unsigned count; } runs[BOARD_MAX_UNIT_RUNS]; /* count 0: repeats */
	int nruns;
	int line;
};

enum method {
	METHOD_NONE,
	METHOD_OPENMV_DFU,
	METHOD_DFUSE,
	METHOD_BLHOST,
	METHOD_SAMBA,
	METHOD_PICOBOOT,
	METHOD_ST_ROM,
	METHOD_STM32PROG,
	METHOD_NXP_SDP,
	METHOD_ALIF_ISP,
	METHOD_COUNT
};

enum action {
	ACTION_FLASH,
	ACTION_ERASE_FS,
	ACTION_RESTORE,
	ACTION_INIT_MRAM,
	ACTION_COUNT
};

/* One DfuSe write of the erase recipe: alt and address (Arduino). */
struct alt_addr {
	int alt;
	struct bnum address;
};

struct board_action {
	enum method method;   /* METHOD_NONE: not supported, see why */
	char why[256];
	char when[256];       /* ACTION.when: when to use it on this board ("" for the general words) */
	char note[200];       /* ACTION.note: what a person should know afterwards (a note of its plan) */
	char prompt[32];      /* hardware prompt id (assets/prompts/ID.txt), "" for none */
	int line;             /* line of the ACTION = METHOD key */
	int prompt_line, writes_line; /* lines of ACTION.prompt and ACTION.writes, for errors */
	/* method parameters; which are used depends on the method */
	int alts[BOARD_MAX_LIST];     /* flash.alts (openmv_dfu), restore.mram (alif_isp) */
	int nalts;
	int alt;                      /* erase_fs.alt, init_mram.alt, restore.alt */
	char slots[BOARD_MAX_LIST][16]; /* flash.images / flash.regions */
	int nslots;
	char extra[BOARD_MAX_LIST][16]; /* flash.extra: written only when given */
	int nextra;
	struct alt_addr writes[BOARD_MAX_LIST]; /* erase_fs.writes (dfuse) */
	int nwrites;
	struct bnum address, length;  /* erase_fs.erase / erase_fs.address / flash.offset */
	struct bnum max_size;         /* flash.max_size */
	struct bnum flash_end;        /* erase_fs.flash_end (picoboot): where the flash's address window ends */
	struct bnum timeout_ms;       /* flash.erase_timeout */
	char key_hex[40];             /* init_mram.key */
	char layout[96];              /* restore.layout */
	struct bnum readback_alt;     /* restore.readback_alt: the openmv_dfu alt verify reads the restore back from */
	bool has_readback_alt;
	struct bnum loader_address;   /* restore.loader */
	char loader_file[64];
	struct bnum config_address, config_bytes, config_id; /* restore.config */
	struct bnum config_words[2];  /* restore.config_words */
	struct bnum efuse_index;      /* restore.efuse */
	char efuse_data[16];
	struct bnum baud[2];          /* restore.baud (alif_isp): the SE's boot rate, the fast rate */
	struct bnum sp_address;       /* restore.system_package (alif_isp): where SP-*.bin goes, */
	struct bnum sp_offset_address; /* and where the 16-byte offset-*.bin goes */
	struct bnum mram_base;        /* restore.mram_base (alif_isp): ROM recovery offsets count from here */
	/* flash.layout_* (samba): what the flash must hold before an image is written */
	struct bnum layout_word[2];   /* flash.layout_word: ADDRESS, VALUE (a 32-bit word) */
	struct bnum layout_vector;    /* flash.layout_vector: a vector table must start there */
	struct bnum layout_no_vector; /* flash.layout_no_vector: no vector table may start there */
	struct bnum layout_stack[2];  /* flash.layout_stack: MASK, VALUE a stack pointer word matches */
	char layout_fix[200];         /* flash.layout_fix: how a person sets the layout up */
	char dev_keys[BOARD_MAX_LIST][33]; /* restore.dev_keys (alif_isp): HBK0 hashes of DEV parts, lower-case hex */
	int ndev_keys;
};

/* What the device must say about itself (id.* keys; see identity.h).  Zero: not checked. */
struct board_ident {
	uint16_t transfer_size;              /* id.transfer_size: openmv_dfu wTransferSize */
	uint16_t version_min, version_max;   /* id.bootloader_versions: bcdDevice range */
	char samba_version[64];              /* id.samba_version: how the V# reply starts */
	unsigned rom_min, rom_max;           /* id.rom_versions: RP2040 boot ROM versions */
	char mboot_family;                   /* id.mboot_family: CurrentVersion's top byte ('K') */
	char se_parts[4][17];                /* id.se_parts: the parts the Alif SE may report */
	int nse_parts;
	/* the N6 phase protocol (identity_n6.c): the boot ROM's alts as "LABEL /0xNUMBER" (the
	 * head of each alt name), OpenBootloader's phase id of each alt, its wTransferSize */
	struct ident_rom_alt { char label[24]; uint32_t number; } rom_alts[8];
	int nrom_alts;                       /* id.rom_alts */
	uint8_t obl_ids[8];                  /* id.obl_alts */
	int nobl_ids;
	uint16_t obl_transfer_size;          /* id.obl_transfer_size */
};

struct board {
	char target[40];    /* upper-case TARGET */
	char name[64], mcu[48], port[16], core[24], family[32];
	int line;           /* line of the [SECTION] header */
	struct usb_ids usb[USB_MODE_COUNT];
	struct board_alt alts[BOARD_MAX_ALTS];
	int nalts;
	struct board_image images[BOARD_MAX_IMAGES];
	int nimages;
	struct board_region regions[BOARD_MAX_REGIONS];
	int nregions;
	struct board_units units[BOARD_MAX_UNIT_MAPS];
	int nunits;
	struct board_action actions[ACTION_COUNT];
	struct addr_range protect; /* end == 0: none */
	struct addr_range stack[BOARD_MAX_RANGES];
	int nstack;
	struct addr_range entry;   /* end == 0: no vector check */
	struct board_ident ident;
};

struct boarddb {
	char path[512];
	struct board boards[BOARD_MAX];
	int n;
};

/* Load and validate boards.ini at path.  Returns 0, or RS_E_INPUT with err->msg
 * "path:line: what is wrong". */
int boarddb_load(struct boarddb *db, const char *path, struct rs_error *err);

/* Where boards.ini is found when --boards is not given: $OPENMV_RESCUE_BOARDS, then beside
 * the executable (the build tree), then the installed data directory.  Writes the first
 * existing path into buf and returns 0, or RS_E_NOT_FOUND naming the places tried. */
int boarddb_default_path(char *buf, size_t n, struct rs_error *err);

/* The board with this TARGET (any case), or NULL. */
const struct board *boarddb_find(const struct boarddb *db, const char *target);

/* The alt setting N of a board, or NULL. */
const struct board_alt *board_alt(const struct board *b, int alt);

/* The image slot of a board, or NULL. */
const struct board_image *board_image(const struct board *b, const char *slot);

/* The region of a board, or NULL. */
const struct board_region *board_region(const struct board *b, const char *name);

/* Does the board support this action? */
bool board_supports(const struct board *b, enum action a);

/* Which board, and in which mode, a USB VID:PID belongs to.  Fills up to max matches
 * (several boards share an ID, e.g. 0483:df11) and returns how many there are. */
struct board_match {
	const struct board *board;
	enum usb_mode mode;
};
int boarddb_match_usb(const struct boarddb *db, uint16_t vid, uint16_t pid,
                      struct board_match *out, int max);

/* Names: "flash", "erase-fs", "restore-bootloader", "init-mram"; lookups return -1 if unknown. */
const char *action_name(enum action a);
int action_from_name(const char *name);
const char *method_name(enum method m);
const char *usb_mode_name(enum usb_mode m);   /* ini key suffix: "st_rom" */
const char *usb_mode_label(enum usb_mode m);  /* for people: "ST ROM DFU" */

#endif
