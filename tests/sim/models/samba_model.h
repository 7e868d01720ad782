/* samba_model.h — a model of Arduino's nRF52840 SAM-BA bootloader (Nano 33 BLE), free of
 * any transport: a test feeds it the bytes the host wrote, in whatever pieces they arrived,
 * and it answers through a send callback.
 *
 * Source: the bootloader's own binaries in arduino/ArduinoCore-mbed (commit b4ad4e72):
 * bootloaders/nano33ble/bootloader.elf (the stock one, at physical 0, with symbols) and the
 * array of libraries/Nano33BLE_System/examples/Nano33_updateBLandSoftDevice/bootloader.h
 * (the updated one, linked at 0xE0000), read by disassembly (main(), its command switch,
 * and the Zephyr nRF flash driver it calls).  Both have the same monitor:
 *  - Bytes are collected until '#'; the first byte is the command letter, the address is
 *    strtoul(text + 1, 16) and the size strtoul(text + 10, 16): fixed columns, which fit
 *    bossac's "%c%08X,%08X#".  The collected text restarts after every '#'.
 *  - Only I K N S V X Y Z exist.  V# answers "Arduino Bootloader (SAM-BA extended) 2.0
 *    [Arduino:IKXYZ]\n\r" (60 bytes); I# answers the 17 bytes "nRF52840-QIAA\n\r\0X" (its
 *    length runs past the string's NUL); N# answers "\n\r".  R, W, w, O, o, G and T do
 *    nothing and answer nothing (so there is no way to read memory but Z, and no word
 *    reads: upstream bossac, which identifies a chip by reading its ID registers, finds
 *    no device on a real board).
 *  - S addr,n# then n raw bytes: into an 8 KiB RAM buffer, at buffer offset addr.
 *  - Y addr,0#: the copy source is buffer offset addr ("Y\n\r").  Y dst,n#: erase the
 *    flash at 0x10000 + dst for n bytes (the driver refuses, and nothing is erased, unless
 *    both are whole 4 KiB pages), then program n bytes from the buffer there (NOR: bits
 *    only go from 1 to 0), "Y\n\r".  The updated bootloader first refuses a copy that
 *    would end above 0xE0000 by switching its USB off (no answer; the board is gone);
 *    the stock one has no such check.
 *  - X addr#: answers "X\n\r" and erases nothing (each Y erases its own pages).
 *  - Z addr,n#: reads n bytes of flash at 0x10000 + addr, in 32-bit arithmetic (so an
 *    addr of 0xFFFF0000 reaches physical 0), into a 4 KiB buffer and answers its
 *    CRC-16/XMODEM as "Z%08X#\n\r".  The driver refuses a range outside the 1 MiB flash and
 *    the CRC is then of whatever the buffer held.  n above 4096 overruns the buffer: the
 *    model stops answering [I].
 *  - K#: SYSRESETREQ; no answer.
 * Layouts (samba_model_config.layout), from Nano33_updateBLandSoftDevice.ino and the two
 * binaries: stock — the stock bootloader at physical 0, its vector table (SP 0x20008D48,
 * reset 0x3EF9) first; nothing else.  Updated — Nordic's MBR at 0 (SP 0x20000400, reset
 * 0xA81), the S140 SoftDevice from 0x1000 to 0x26000 with its info structure at 0x3000
 * (size 0x2C, magic 0x51B1E5DB at 0x3004, SoftDevice end 0x26000 at 0x3008: Nordic's
 * nrf_sdm.h), the updated bootloader at 0xE0000 (SP 0x2000CD40, reset 0xE4039), the UICR's
 * BOOTLOADERADDR (0x10001014, outside anything SAM-BA reaches) = 0xE0000.  The rest of each
 * image is a pattern, so a stray write shows.
 * Not thread-safe: the host serialises calls.
 */
#ifndef SAMBA_MODEL_H
#define SAMBA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAMBA_MODEL_FLASH_SIZE 0x100000u  /* nRF52840: 1 MiB */
#define SAMBA_MODEL_APP_BASE 0x10000u     /* wire offset 0: "add r, #65536" in Y and Z */
#define SAMBA_MODEL_BOOTLOADER 0xE0000u   /* the updater sketch's BOOTLOADER_ADDR */
#define SAMBA_MODEL_SOFTDEVICE_END 0x26000u
#define SAMBA_MODEL_BUFFER_SIZE 0x2000u   /* the S buffer: 8 KiB */
#define SAMBA_MODEL_VERSION "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]"
#define SAMBA_MODEL_CHIP "nRF52840-QIAA"
#define SAMBA_MODEL_IMPOSTOR_CHIP "nRF52832-QFAA" /* the same bootloader on another nRF52 */

enum samba_layout {
	SAMBA_LAYOUT_UPDATED,  /* MBR + SoftDevice + bootloader at 0xE0000 (the updater sketch's) */
	SAMBA_LAYOUT_STOCK,    /* the bootloader at 0, as boards left the factory */
};

enum samba_fault {
	SAMBA_FAULT_NONE,
	SAMBA_FAULT_WRONG_REPLY,  /* the copy to flash number fault_at answers 'N' */
	SAMBA_FAULT_CORRUPT,      /* the copy number fault_at programs one byte wrong */
	SAMBA_FAULT_VANISH,       /* at the copy number fault_at the board leaves the bus */
	SAMBA_FAULT_SKETCH,       /* not a bootloader: a sketch that echoes what it gets */
	SAMBA_FAULT_HANG,         /* at the copy number fault_at it stops answering, on the bus */
	SAMBA_FAULT_GARBAGE,      /* the copy number fault_at answers bytes of no command */
};

struct samba_model_config {
	enum samba_layout layout;
	enum samba_fault fault;
	unsigned fault_at;                /* 1-based copy (Y dst,size) number */
	bool impostor;                    /* I# names another chip (SAMBA_MODEL_IMPOSTOR_CHIP) */
	/* Bytes for the host.  Called from samba_model_input. */
	void (*send)(void *ctx, const uint8_t *buf, size_t len);
	/* The board leaves the bus (K# reset, or the vanish fault).  May be NULL. */
	void (*gone)(void *ctx, bool reset);
	void *ctx;
};

struct samba_model_stats {
	unsigned commands, erases, copies, checksums, reads, resets, s_writes;
	unsigned unknown;                 /* commands the bootloader does not have (R, w, W, ...) */
	unsigned same_read_data;          /* S commands whose data came in the read of the '#' */
	uint32_t erase_from;              /* the last X's physical start (X erases nothing) */
	char letters[64];                 /* command letters in order, for the first 63 */
};

struct samba_model;

struct samba_model *samba_model_new(const struct samba_model_config *cfg);
void samba_model_free(struct samba_model *m);

/* Bytes the host wrote. */
void samba_model_input(struct samba_model *m, const uint8_t *buf, size_t len);

/* Fill flash (1 MiB, physical addresses) with a board's contents in this layout. */
void samba_model_layout(uint8_t *flash, enum samba_layout layout);

/* The 1 MiB flash, physical addresses. */
uint8_t *samba_model_flash(struct samba_model *m);
/* The UICR's BOOTLOADERADDR word (0xFFFFFFFF: not set). */
uint32_t samba_model_uicr_bootaddr(const struct samba_model *m);
void samba_model_get_stats(const struct samba_model *m, struct samba_model_stats *st);
bool samba_model_dead(const struct samba_model *m);

#endif
