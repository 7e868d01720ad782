/* samba_model.h — a model of Arduino's nRF52840 SAM-BA bootloader (Nano 33 BLE), free of
 * any transport: a test feeds it the bytes the host wrote, in whatever pieces they arrived,
 * and it answers through a send callback.
 *
 * Behaviour: reference dfu-dfuse-picoboot-samba.md §3.4 (grammar and replies) and §3.7.
 *  - Token grammar: hex digits build a number, ',' moves it to the address register, any
 *    other byte is the command letter, '#' executes.  A command may be split over reads;
 *    the raw data of S may come in the same read as the command, or later.
 *  - V# answers "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]", I# answers
 *    "nRF52840-QIAA", N# and T# answer "\n\r"; replies end with "\n\r" (SAMD-like: the nRF
 *    bootloader's terminator is not confirmed).
 *  - 64 KiB of scratch RAM at 0 and the 256 KiB SRAM at 0x20000000 take S and W; w reads
 *    a word back.  A W of SYSRESETREQ to the Cortex-M AIRCR (0xE000ED0C) resets, like K#.
 *  - Cross-check disguise: Debian's bossac is upstream BOSSA 1.9.1, which has no nRF52840
 *    entry and ignores the I extension; it identifies the chip by reading the Cortex-M
 *    CPUID (0xE000ED00) and the SAM DSU device ID (0x41002018).  The model answers those
 *    two words as a Cortex-M4 (which the nRF52840 is) and as an ATSAMD51x20 (1 MiB of flash,
 *    512-byte pages), the only way to make that unmodified bossac drive the same SAM-BA
 *    commands (X, S, Y, Z, R) over the same offsets.  The real bootloader's answer to these
 *    reads is unknown; the product never sends them.
 *  - Flash addresses are offsets from the application base 0x10000 (inferred mapping, §3.2):
 *    Y copies a buffer to (0x10000 + dst), erasing the 4 KiB pages it covers first; Z gives
 *    the CRC-16/XMODEM of (0x10000 + addr, size) as "Z%08X#\n\r"; R reads raw bytes; X erases
 *    from (0x10000 + addr) up to the bootloader at 0xE0000 (eagerly: the real one may defer
 *    it, §3.5 step 3).  Nothing below 0x10000 or at/after 0xE0000 is ever written; a Y that
 *    would reach there answers 'E' instead of 'Y'.
 *  - R of more than 63 bytes is answered but counted (stats.long_reads): on USB the real
 *    bootloader is only driven in 63-byte reads (§3.3).
 *  - K# resets: the reset hook runs and the model ignores everything afterwards.
 * Not thread-safe: the host serialises calls.
 */
#ifndef SAMBA_MODEL_H
#define SAMBA_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAMBA_MODEL_FLASH_SIZE 0x100000u  /* nRF52840: 1 MiB */
#define SAMBA_MODEL_APP_BASE 0x10000u     /* wire offset 0 (§3.2, inferred) */
#define SAMBA_MODEL_BOOTLOADER 0xE0000u   /* ArduinoCore-mbed Nano33BLE_System example (§3.2) */
#define SAMBA_MODEL_RAM_SIZE 0x10000u
#define SAMBA_MODEL_SRAM_BASE 0x20000000u
#define SAMBA_MODEL_SRAM_SIZE 0x40000u     /* nRF52840: 256 KiB */
#define SAMBA_MODEL_CPUID 0x410FC241u      /* Cortex-M4 r0p1 */
#define SAMBA_MODEL_DSU_DID 0x60060000u    /* ATSAMD51P20A: see the disguise above */
#define SAMBA_MODEL_VERSION "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]"
#define SAMBA_MODEL_CHIP "nRF52840-QIAA"
#define SAMBA_MODEL_IMPOSTOR_CHIP "nRF52832-QFAA" /* the same bootloader on another nRF52 */

enum samba_fault {
	SAMBA_FAULT_NONE,
	SAMBA_FAULT_WRONG_REPLY,  /* the copy to flash number fault_at answers 'N' */
	SAMBA_FAULT_CORRUPT,      /* the copy number fault_at programs one byte wrong */
	SAMBA_FAULT_VANISH,       /* at the copy number fault_at the board leaves the bus */
	SAMBA_FAULT_SKETCH,       /* not a bootloader: a sketch that echoes what it gets */
};

struct samba_model_config {
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
	unsigned long_reads;              /* R commands asking for more than 63 bytes */
	unsigned same_read_data;          /* S commands whose data came in the read of the '#' */
	uint32_t erase_from;              /* the last X's physical start */
	char letters[64];                 /* command letters in order, for the first 63 */
};

struct samba_model;

struct samba_model *samba_model_new(const struct samba_model_config *cfg);
void samba_model_free(struct samba_model *m);

/* Bytes the host wrote. */
void samba_model_input(struct samba_model *m, const uint8_t *buf, size_t len);

/* The 1 MiB flash, physical addresses (0xFF when erased; a pattern marks the SoftDevice
 * below 0x26000 and the bootloader at 0xE0000, so a stray write shows). */
uint8_t *samba_model_flash(struct samba_model *m);
void samba_model_get_stats(const struct samba_model *m, struct samba_model_stats *st);
bool samba_model_dead(const struct samba_model *m);

#endif
