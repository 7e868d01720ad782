/*
 * Model of the OpenMV AE3's Alif Secure Enclave behind its USB-UART bridge (FTDI 0403:6015,
 * driver ftdi_sio, /dev/ttyUSB<n>), speaking the SE serial ISP. Written from reference
 * alif-isp-openmv-ide-n6.md §1 only:
 *
 *   framing §1.2 (bad checksum: NAK CHECKSUM_ERROR; a partial packet is dropped after
 *   100 ms of silence [I]); commands §1.3: START/STOP_ISP, ENQUIRY, GET REVISION/BANNER,
 *   SET_BAUD_RATE (ACK at the old rate, then switch), SET_MAINTENANCE_FLAG (applies to the
 *   next boot), RESET_DEVICE (no reply; boots again at the boot rate), VERIFY_IMAGE +
 *   2560-byte certificate + DOWNLOAD_DONE, BURN_MRAM + DOWNLOAD_DATA (0x55 0x55 + data) +
 *   DOWNLOAD_DONE (SERAM in maintenance mode only), MRAM_WRITE (SEROM only), ERASE_MRAM
 *   (recorded, so tests can prove it is never sent). Outside an ISP session (before START,
 *   after STOP) only START and RESET_DEVICE are heard: the tools reset after STOP (§1.8);
 *   that the rest goes unanswered is [I]. Replies §1.6. PRINT_DATA messages are
 *   sent at boot and, when chatty, before replies [I: their timing is not documented].
 *
 *   Stages: SEROM (ROM recovery) when the last word of MRAM does not point at the system
 *   package (§1.8: the offset file's last 4 bytes are 0x00580000), else SERAM.
 *   Hard maintenance §1.8: after the user button is pressed with the hard-maintenance
 *   switch on, the booting SE answers "ALIF" with "SEPCTL" for 2 s [I]; a second "ALIF"
 *   puts it into maintenance mode (and ends ALIF_SE_NO_ANSWER).
 *   Bytes sent at a baud rate other than the SE's are lost, as on a real line.
 */
#ifndef MODEL_ALIF_SE_H
#define MODEL_ALIF_SE_H

#include <stdbool.h>
#include <stdint.h>

#include "ttysim.h"

#define ALIF_SE_MRAM_BASE 0x80000000u   /* §1.9 */
#define ALIF_SE_MRAM_SIZE 0x600000u     /* §1.9: 6 MB */
#define ALIF_SE_SP_OFFSET 0x580000u     /* §1.8/§1.9: the Alif area */
#define ALIF_SE_BOOT_BAUD 55000         /* §1.1: Fusion B4 */

enum alif_se_fault {
	ALIF_SE_FAULT_NONE = 0,
	ALIF_SE_NO_ANSWER,        /* ignores the ISP until the hard-maintenance handshake */
	ALIF_SE_NAK,              /* answers nak_cmd (and nak_sub for GET) with NAK nak_code */
	ALIF_SE_RESET_MID_BURN,   /* reboots instead of acknowledging DOWNLOAD_DATA number
	                             reset_after of a BURN_MRAM (once) */
};

struct alif_se_config {
	struct ttysim_config port;   /* defaults: ftdi_sio, 0403:6015, "FTDI" / "FT230X Basic UART" */
	bool serom;                  /* start in ROM recovery: the MRAM's offset word is blank */
	int version[3];              /* SE firmware version in the banner; {0}: 1.104.0 */
	int package_version[3];      /* what a system package written into the Alif area brings */
	uint8_t rev_byte;            /* revision byte 1: 180 (B4) when 0 */
	const char *part;            /* "AE302F80F55D5AE" when NULL */
	bool hbk0_blank;             /* a development part */
	bool require_auth;           /* burns into the Alif area need VERIFY_IMAGE first */
	bool chatty;                 /* PRINT_DATA before GET/ENQUIRY replies and every 8th data ACK */
	enum alif_se_fault fault;
	uint8_t nak_cmd, nak_code;
	uint32_t nak_sub;            /* for nak_cmd GET: the sub-command to refuse (0: any) */
	unsigned reset_after;        /* ALIF_SE_RESET_MID_BURN: data packets before the reset */
	uint8_t fill;                /* initial MRAM contents (0xA5 when 0) */
	/* Every chunk the host writes, before the SE looks at it (on the port's thread): a host
	 * that plays the person's hands watches for the hard-maintenance handshake.  May be NULL;
	 * it must not call back into the model. */
	void (*observe)(void *ctx, const uint8_t *buf, size_t len);
	void *observe_ctx;
};

struct alif_se_stats {
	unsigned commands[256];      /* packets received by command code */
	unsigned naks_sent, prints_sent, garbage_bytes, bad_checksums;
	unsigned boots, resets, baud_switches, handshakes, erases;
	unsigned burns, auth_burns, rom_writes;
	uint32_t last_burn_addr, last_burn_len;
	/* burns, rom_writes and last_burn_addr when RESET_DEVICE last arrived: what a host playing
	 * the person reads to know which power cycle the tools will ask for next */
	unsigned reset_burns, reset_rom_writes;
	uint32_t reset_burn_addr;
	unsigned baud;               /* the SE's line rate now */
	bool maintenance, seram, isp_open;
};

struct alif_se;

struct alif_se *alif_se_add(UMockdevTestbed *tb, const struct alif_se_config *cfg);
struct ttysim *alif_se_port(struct alif_se *m);
void alif_se_free(struct alif_se *m);

/* The person's hands. */
void alif_se_set_switch(struct alif_se *m, bool hard_maintenance_on);
void alif_se_press_button(struct alif_se *m);     /* resets the SE */
void alif_se_power(struct alif_se *m, bool on);   /* off: silent; on: boots (maintenance off) */

/* Preload MRAM at offset (as if written long ago); the SE's stage (SEROM or SERAM) then
 * follows the MRAM's last word, as if it had booted with these contents. */
void alif_se_load_mram(struct alif_se *m, uint32_t offset, const uint8_t *data, size_t len);

/* A copy of the whole MRAM (ALIF_SE_MRAM_SIZE bytes) and the counters. */
void alif_se_read_mram(struct alif_se *m, uint8_t *out);
void alif_se_get_stats(struct alif_se *m, struct alif_se_stats *st);

#endif
