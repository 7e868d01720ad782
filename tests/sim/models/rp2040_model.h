/* rp2040_model.h — a model of the RP2040 boot ROM's PICOBOOT interface (BOOTSEL mode), free
 * of any transport: a test hands it control transfers and bulk transfers as libusb (or the
 * kernel's usbfs) would carry them, and it answers as the bootrom does.
 *
 * Behaviour: reference dfu-dfuse-picoboot-samba.md §2.1–§2.5 and §4 items 15–20.
 *  - 32-byte commands on the OUT endpoint; magic, command id, bCmdSize and dTransferLength
 *    are checked exactly (READ/WRITE: the transfer length equals dSize); a malformed command
 *    stalls both endpoints and leaves its status code for CMD_STATUS.
 *  - FLASH_ERASE: 4 KiB alignment of address and size; flash only.  WRITE programs without
 *    erasing (bits can only be cleared, as in NOR flash) and needs 256-aligned flash
 *    addresses.  READ serves ROM (0x10: "Mu", 1, version 3 = B2), RAM and flash.
 *    A failure while executing stalls the endpoint of the next phase.
 *  - Acknowledgements: a zero-length IN packet after OUT and no-data commands; after an IN
 *    data phase the host's OUT packet, zero or one byte (picotool sends one: §2.4 item 3).
 *  - IF_RESET un-stalls both endpoints, clears the status and drops exclusive access;
 *    GET_STATUS / CLEAR_FEATURE(ENDPOINT_HALT) work on both endpoints.
 *  - REBOOT acknowledges at once and asks the host (hook) to take the device away.
 * Not thread-safe: the host serialises calls.
 */
#ifndef RP2040_MODEL_H
#define RP2040_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RP2040_EP_OUT 0x03  /* PICOBOOT interface endpoints (§2.1): OUT listed first */
#define RP2040_EP_IN 0x84
#define RP2040_PICOBOOT_INTERFACE 1
#define RP2040_FLASH_BASE 0x10000000u
#define RP2040_FLASH_SIZE (16u * 1024 * 1024) /* the Nano RP2040 Connect's 16 MiB */
#define RP2040_RAM_BASE 0x20000000u
#define RP2040_RAM_END 0x20042000u

/* What a transfer call returns besides a byte count. */
#define RP2040_STALL (-1)   /* the endpoint is halted */
#define RP2040_NAK (-2)     /* nothing to send now: the host's transfer would time out */
#define RP2040_GONE (-3)    /* the device has left the bus */
#define RP2040_HUNG (-4)    /* the device answers nothing: the host's transfer times out */

enum rp2040_fault {
	RP2040_FAULT_NONE,
	RP2040_FAULT_VANISH_AT_WRITE,  /* leaves the bus when WRITE number fault_at arrives */
	RP2040_FAULT_CORRUPT_WRITE,    /* WRITE number fault_at programs one bit wrong */
	RP2040_FAULT_BAD_ACK,          /* the ack of command number fault_at carries a byte */
	RP2040_FAULT_NOT_RP2040,       /* the ROM magic at 0x10 is wrong */
	RP2040_FAULT_VANISH_AT_BYTE,   /* leaves the bus when byte fault_at of a WRITE's data arrives */
	/* command number fault_at: */
	RP2040_FAULT_STALL,            /* its endpoint halts, the command status left OK */
	RP2040_FAULT_ERROR_STATUS,     /* fails as a real failure does: status UNKNOWN_ERROR, a halt */
	RP2040_FAULT_HANG,             /* never answered, nor anything after it */
};

struct rp2040_model_config {
	enum rp2040_fault fault;
	unsigned fault_at;               /* 1-based */
	/* REBOOT received: the device goes away after delay_ms.  May be NULL. */
	void (*reboot)(void *ctx, uint32_t pc, uint32_t sp, uint32_t delay_ms);
	void *ctx;
};

struct rp2040_model_stats {
	unsigned commands, erases, writes, reads, exit_xips, reboots, if_resets, stalls;
	unsigned exclusive;              /* the last EXCLUSIVE_ACCESS value */
	unsigned one_byte_acks, zero_byte_acks;
	uint32_t max_erase_size;         /* bytes in the largest single FLASH_ERASE */
	uint32_t last_status;            /* dStatusCode of the last command */
	uint32_t reboot_pc, reboot_sp, reboot_delay;
	bool programmed_unerased;        /* a WRITE tried to set a bit that was 0 */
};

struct rp2040_model;

struct rp2040_model *rp2040_model_new(const struct rp2040_model_config *cfg);
void rp2040_model_free(struct rp2040_model *m);

/* A control transfer addressed to the PICOBOOT interface or one of its endpoints.
 * data holds wLength bytes (in or out).  Returns the bytes returned (IN) or 0, or
 * RP2040_STALL when the request is refused. */
int rp2040_model_control(struct rp2040_model *m, uint8_t type, uint8_t request, uint16_t value,
                         uint16_t index, uint8_t *data, uint16_t length);

/* A bulk OUT transfer of len bytes to endpoint ep.  Returns len, or STALL / GONE. */
int rp2040_model_bulk_out(struct rp2040_model *m, uint8_t ep, const uint8_t *data, size_t len);

/* A bulk IN transfer of up to len bytes from endpoint ep.  Returns the bytes given (0 for a
 * zero-length packet), or STALL / NAK / GONE. */
int rp2040_model_bulk_in(struct rp2040_model *m, uint8_t ep, uint8_t *data, size_t len);

/* The 16 MiB flash behind 0x10000000 (0xFF when erased). */
uint8_t *rp2040_model_flash(struct rp2040_model *m);
void rp2040_model_get_stats(const struct rp2040_model *m, struct rp2040_model_stats *st);
bool rp2040_model_gone(const struct rp2040_model *m);
/* Is the IN endpoint halted (a command failed while executing)? */
bool rp2040_model_in_halted(const struct rp2040_model *m);

#endif
