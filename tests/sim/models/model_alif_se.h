/*
 * Model of the OpenMV AE3's Alif Secure Enclave behind its USB-UART bridge (FTDI 0403:6015,
 * driver ftdi_sio, /dev/ttyUSB<n>), speaking the SE serial ISP. Written from reference
 * alif-isp-openmv-ide-n6.md §1 and judged by Alif's Security Toolkit v1.110 (its source,
 * micropython/alif-security-toolkit, is cited as toolkit:PATH):
 *
 *   framing §1.2 (bad checksum: NAK CHECKSUM_ERROR; a partial packet is dropped after
 *   100 ms of silence [I]); commands §1.3: START/STOP_ISP, ENQUIRY, GET REVISION/BANNER,
 *   SET_BAUD_RATE (ACK at the old rate, then switch), SET_MAINTENANCE_FLAG (applies to the
 *   next boot), RESET_DEVICE (no reply; boots again at the boot rate), VERIFY_IMAGE +
 *   2560-byte certificate + DOWNLOAD_DONE, BURN_MRAM + DOWNLOAD_DATA (0x55 0x55 + data) +
 *   DOWNLOAD_DONE (SERAM in maintenance mode only), MRAM_WRITE (SEROM only), ERASE_MRAM
 *   (address, size, pattern: performed, toolkit:isp/isp_core.py isp_mram_erase), MRAM_READ
 *   (SERAM only: a 16-byte line at a byte offset from the MRAM base [I], see mram_read).
 *   Before the first START after a boot only START and RESET_DEVICE are heard [I]; STOP_ISP
 *   does not end that: the toolkit's ROM recovery sends MRAM_WRITE right after the STOP that
 *   ends its probe (toolkit:isp/device_probe.py, isp/recovery.py). Replies §1.6.
 *   The DOWNLOAD_DONE after authenticated image data is answered only after the SE has
 *   verified the image (toolkit:isp/isp_util.py burn_mram_isp waits max(1 s, size/10000 s));
 *   how long a real SE takes is [I] (VERIFY_* in the .c, between the product's old 0.5 s and
 *   the toolkit's wait). Data is in MRAM once its DOWNLOAD_DATA is acknowledged, so a burn
 *   that never reaches DOWNLOAD_DONE leaves what was acknowledged [I: MRAM is written in
 *   place, §1.7; nothing in the toolkit rolls back].
 *
 *   Stages: SEROM (ROM recovery) when the last word of MRAM does not point at the system
 *   package (§1.8: the offset file's last 4 bytes are 0x00580000), else SERAM.
 *   Boot: deaf for a moment, then a short window on every boot in which the SE prints boot
 *   text and listens for "ALIF" (answered "SEPCTL"; a second "ALIF" keeps it in maintenance
 *   mode, ending ALIF_SE_NO_ANSWER), then it answers the ISP. The toolkit's hard maintenance
 *   only asks for a reset while it sends "ALIF" (toolkit:maintenance.py maintenance_mode) and
 *   expects START answered about 1 s after a RESET_DEVICE (toolkit:isp/isp_core.py
 *   isp_build_packet drains 0.5 s, then START waits 0.5 s), so the window is short on every
 *   boot; its length and text are [I]. The hard-maintenance switch is the person's, for the
 *   camera (its application stays off, seed 003): the SE model only records it.
 *   A bare "ALIF" (at a packet boundary, never bytes inside a packet) outside the window is
 *   reported to cfg.alif_heard: what a person sees as the tool "waiting for target".
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

/* Which keys the part's HBK0 holds (GET REVISION bytes 22..37, §1.6): a DEV part is one
 * whose HBK0 is in toolkit:utils/hashesDB.db, or blank (not provisioned, toolkit:
 * isp/device_probe.py); anything else is a production part. */
enum alif_se_keys { ALIF_SE_KEYS_PROD = 0, ALIF_SE_KEYS_DEV, ALIF_SE_KEYS_BLANK };

/* The first DEV key hash of toolkit:utils/hashesDB.db (v1.110.0), as HBK0 bytes. */
#define ALIF_SE_DEV_HBK0 "c879a64b28100754b462589ae1f34d3b"

enum alif_se_fault {
	ALIF_SE_FAULT_NONE = 0,
	ALIF_SE_NO_ANSWER,        /* ignores the ISP until the hard-maintenance handshake */
	ALIF_SE_NAK,              /* answers nak_cmd (and nak_sub for GET) with NAK nak_code */
	ALIF_SE_RESET_MID_BURN,   /* reboots instead of acknowledging DOWNLOAD_DATA number
	                             reset_after of a BURN_MRAM (once) */
	/* At DOWNLOAD_DATA number fault_at of a burn, counted over the SE's life from 1: */
	ALIF_SE_DATA_VANISH,      /* the line goes dead and cfg.vanish is called (the bridge leaves) */
	ALIF_SE_DATA_SILENT,      /* the SE stops answering (hung) until it boots again */
	ALIF_SE_DATA_NAK,         /* answered NAK nak_code, nothing written */
	ALIF_SE_DATA_GARBAGE,     /* written, but the ACK's checksum is wrong */
	ALIF_SE_DATA_FLIP,        /* acknowledged, but its first byte lands in MRAM inverted */
};

struct alif_se_config {
	struct ttysim_config port;   /* defaults: ftdi_sio, 0403:6015, "FTDI" / "FT230X Basic UART" */
	bool serom;                  /* start in ROM recovery: the MRAM's offset word is blank */
	int version[3];              /* SE firmware version in the banner; {0}: 1.104.0 */
	int package_version[3];      /* what a system package written into the Alif area brings */
	uint8_t rev_byte;            /* revision byte 1: 180 (B4) when 0 */
	const char *part;            /* "AE302F80F55D5AE" when NULL */
	enum alif_se_keys keys;      /* HBK0: production keys (default), DEV keys, or blank */
	bool require_auth;           /* burns into the Alif area need VERIFY_IMAGE first */
	bool chatty;                 /* PRINT_DATA before GET/ENQUIRY replies and every 8th data ACK */
	enum alif_se_fault fault;
	uint8_t nak_cmd, nak_code;
	uint32_t nak_sub;            /* for nak_cmd GET: the sub-command to refuse (0: any) */
	unsigned reset_after;        /* ALIF_SE_RESET_MID_BURN: data packets before the reset */
	uint8_t fill;                /* initial MRAM contents (0xA5 when 0) */
	unsigned fault_at;           /* ALIF_SE_DATA_*: the DOWNLOAD_DATA it strikes */
	/* ALIF_SE_DATA_VANISH, on the port's thread with no lock held; ctx: alif_ctx.  May be NULL;
	 * must not call back into the model. */
	void (*vanish)(void *ctx);
	/* A bare "ALIF" outside the SE's boot window (on the port's thread): a host that plays
	 * the person's hands presses the button for it.  May be NULL; must not call back into
	 * the model. */
	void (*alif_heard)(void *ctx);
	void *alif_ctx;
};

struct alif_se_stats {
	unsigned commands[256];      /* packets received by command code */
	unsigned naks_sent, prints_sent, garbage_bytes, bad_checksums;
	unsigned boots, resets, baud_switches, handshakes, erases;
	unsigned burns, auth_burns, rom_writes;
	unsigned mram_reads;         /* MRAM_READ lines answered */
	unsigned data_packets;       /* DOWNLOAD_DATA of a burn written into MRAM (DONE or not) */
	unsigned boot_texts, bare_alifs;
	uint32_t last_burn_addr, last_burn_len;
	/* burns, rom_writes and last_burn_addr when RESET_DEVICE last arrived: what a host playing
	 * the person reads to know which power cycle the tools will ask for next */
	unsigned reset_burns, reset_rom_writes, reset_mram_reads;
	uint32_t reset_burn_addr;
	unsigned baud;               /* the SE's line rate now */
	bool maintenance, seram, isp_open;
};

struct alif_se;

struct alif_se *alif_se_add(UMockdevTestbed *tb, const struct alif_se_config *cfg);
struct ttysim *alif_se_port(struct alif_se *m);
void alif_se_free(struct alif_se *m);

/* The person's hands. */
/* The hard-maintenance switch is recorded only: the SE's boot window is the same on every boot
 * (see the top of this file); the switch keeps the camera's application off [I]. */
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
