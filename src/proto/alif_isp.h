/* alif_isp.h — the Alif Ensemble Secure Enclave serial ISP protocol (SE-UART), as the
 * vendor's SE tools speak it: framing, the commands a bootloader recovery needs, and the
 * replies they get.
 *
 * Wire facts: reference alif-isp-openmv-ide-n6.md §1.2 (framing), §1.3 (commands),
 * §1.5 (error codes), §1.6 (reply layouts), §1.7 (block sizes), §1.8 (sequences).
 * Packet: [LEN][CMD][payload 0..252][CSUM]; LEN counts every byte including itself and
 * CSUM; the 8-bit sum of the whole packet is 0; integers are 32-bit little-endian.
 *
 * Two layers:
 *  - pure functions (alif_isp_wire.c): encode a packet, decode one, parse the ENQUIRY,
 *    revision and banner replies, name an error code.  No I/O; safe on any bytes.
 *  - a session over an open libserialport port (alif_isp.c, alif_isp_write.c).  The caller
 *    opens the port (8N1, no flow control) at the SE's boot baud rate and closes it.
 *    Asynchronous PRINT_DATA messages are skipped while waiting for a reply.  A NAK becomes
 *    RS_E_DEVICE with a sentence naming the SE's reason.  Nothing prints; nothing here
 *    knows a board: addresses, baud rates and images come from the caller.
 */
#ifndef RESCUE_ALIF_ISP_H
#define RESCUE_ALIF_ISP_H

#include <libserialport.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "progress.h"

#define ALIF_ISP_MAX_PACKET 256   /* ISP_MAXIMUM_PACKET_SIZE, §1.2: a buffer size */
/* LEN is one byte, so a packet on the wire has at most 255 bytes, 252 of them payload. */
#define ALIF_ISP_MAX_PAYLOAD 252

/* Command codes, host to SE (§1.3): only those this module sends or models answer. */
enum alif_isp_cmd {
	ALIF_CMD_START_ISP = 0x00,
	ALIF_CMD_STOP_ISP = 0x01,
	ALIF_CMD_DOWNLOAD_DATA = 0x04,
	ALIF_CMD_DOWNLOAD_DONE = 0x05,
	ALIF_CMD_BURN_MRAM = 0x08,
	ALIF_CMD_RESET_DEVICE = 0x09,
	ALIF_CMD_MRAM_WRITE = 0x0D,      /* SEROM (ROM recovery) only */
	ALIF_CMD_ENQUIRY = 0x0F,
	ALIF_CMD_SET_BAUD_RATE = 0x11,
	ALIF_CMD_VERIFY_IMAGE = 0x12,
	ALIF_CMD_GET = 0x14,
	ALIF_CMD_ERASE_MRAM = 0x15,      /* never sent: erasing the application bricks the AE3 (§1.8) */
	ALIF_CMD_SET_MAINTENANCE_FLAG = 0x16,
	/* SERAM: one 16-byte MRAM line (the toolkit's maintenance menu offers it only when the SE
	 * runs its firmware, not from SEROM: maintenance.py 0.17, utils/maint-recoveryDB.db) */
	ALIF_CMD_MRAM_READ = 0x19,
};

/* GET sub-commands (§1.4). */
enum alif_isp_get { ALIF_GET_REVISION = 0x02, ALIF_GET_BANNER = 0x04 };

/* Reply types, SE to host (§1.3). */
enum alif_isp_reply {
	ALIF_RSP_PRINT_DATA = 0x0C,
	ALIF_RSP_DATA = 0xFD,
	ALIF_RSP_ACK = 0xFE,
	ALIF_RSP_NAK = 0xFF,
};

/* Data bytes per DOWNLOAD_DATA (240) and per MRAM_WRITE (16): §1.7. */
#define ALIF_ISP_BURN_CHUNK 240
#define ALIF_ISP_SMALL_CHUNK 16
#define ALIF_ISP_ROM_CHUNK 16
/* Bytes of MRAM one MRAM_READ returns: its count byte 0x10 (toolkit isp/isp_core.py). */
#define ALIF_ISP_READ_LINE 16
/* The two bytes that precede the data of every DOWNLOAD_DATA packet (§1.3). */
#define ALIF_ISP_DATA_PAD 0x55
/* A .sign file is the 2560-byte certificate chain (§1.8). */
#define ALIF_ISP_SIGN_SIZE 2560

/* Host timeouts (§1.1): 0.5 s per reply; BURN_MRAM may take 20 s. */
#define ALIF_ISP_RX_TIMEOUT_MS 500
#define ALIF_ISP_BURN_TIMEOUT_MS 20000
/* After an authenticated image's data, DOWNLOAD_DONE waits max(1 s, size/10000 s) while the SE
 * verifies it (Security Toolkit v1.110 isp/isp_util.py burn_mram_isp). */
#define ALIF_ISP_VERIFY_MIN_MS 1000
/* After a baud change the tools wait 1 s and flush both directions (§1.1). */
#define ALIF_ISP_BAUD_SETTLE_MS 1000

/* ---- pure layer (alif_isp_wire.c) --------------------------------------------------------- */

/* The checksum byte that makes the 8-bit sum of buf[0..n) plus it equal 0. */
uint8_t alif_isp_checksum(const uint8_t *buf, size_t n);

/* Build the packet cmd + payload into out (cap bytes).  Returns its length (3..255), or 0
 * when the payload is too long or out too small. */
size_t alif_isp_encode(uint8_t cmd, const void *payload, size_t len, uint8_t *out, size_t cap);

/* The same with a payload of n 32-bit little-endian words. */
size_t alif_isp_encode_words(uint8_t cmd, const uint32_t *words, int n, uint8_t *out, size_t cap);

struct alif_isp_packet {
	uint8_t cmd;
	uint8_t payload[ALIF_ISP_MAX_PAYLOAD];
	size_t len;                   /* payload bytes */
};

/* Decode the packet at the start of buf (n bytes).  Returns the number of bytes it takes
 * (> 0), 0 when more bytes are needed, RS_E_PROTOCOL when LEN < 3 (not a packet: skip one
 * byte) and RS_E_VERIFY when the checksum is wrong (skip LEN bytes). */
int alif_isp_decode(const uint8_t *buf, size_t n, struct alif_isp_packet *out);

/* ENQUIRY reply (§1.6). */
struct alif_isp_enquiry {
	uint8_t stage;                /* bit 0 SEROM (ROM recovery), bit 1 SERAM (normal) */
	bool serom, seram;
	uint32_t error, ext_error;    /* SEROM boot error, extended error */
	bool maintenance;             /* maintenance mode on (meaningful from SERAM only) */
};

/* GET REVISION reply (§1.6): exactly 136 bytes on the wire, 133 payload bytes. */
struct alif_isp_revision {
	uint8_t rev[4];               /* silicon revision as 4 bytes: 0 180 0 0 for B4 */
	char rev_name[8];             /* "B4", or "?" when the bytes are of an unknown form */
	char part[17];                /* "AE302F80F55D5AE", "" when blank */
	uint8_t hbk0[16];
	bool hbk0_blank;              /* all zero: not provisioned, a DEV part (§1.6) */
	uint8_t serial[8];
	uint8_t lcs;                  /* life-cycle state: 0 CM, 1 DM, 5 SE, 7 RMA */
};

struct alif_isp_version {
	int major, minor, patch;
};

int alif_isp_parse_enquiry(const struct alif_isp_packet *p, struct alif_isp_enquiry *out);
int alif_isp_parse_revision(const struct alif_isp_packet *p, struct alif_isp_revision *out);

/* Copy the banner string of a GET BANNER reply into buf (NUL-terminated, non-printable
 * bytes replaced by '?').  RS_E_PROTOCOL if p is not a DATA reply. */
int alif_isp_parse_banner(const struct alif_isp_packet *p, char *buf, size_t n);

/* Find "SES <word> v<major>.<minor>.<patch>" in a banner (the IDE's pattern, §1.6).
 * Returns 0 with v filled (and the word, e.g. "B4", into word if not NULL), or -1. */
int alif_isp_banner_version(const char *banner, struct alif_isp_version *v, char *word, size_t n);

/* Compare versions: <0, 0, >0 like strcmp. */
int alif_isp_version_cmp(const struct alif_isp_version *a, const struct alif_isp_version *b);

/* The life-cycle state's name: "CM", "DM", "SE", "RMA" or "unknown". */
const char *alif_isp_lcs_name(uint8_t lcs);

/* NAK error codes (§1.5) fall into classes that call for different advice. */
enum alif_isp_nak_class {
	ALIF_NAK_LINK,        /* the SE got a garbled or unexpected packet: retry, check the cable */
	ALIF_NAK_UNSUPPORTED, /* this SE firmware does not know the request */
	ALIF_NAK_REFUSED,     /* not allowed now, or authentication failed */
	ALIF_NAK_ADDRESS,     /* a bad address, alignment or length */
	ALIF_NAK_MRAM,        /* the MRAM write itself failed */
	ALIF_NAK_OTHER,
};

/* "MRAM_WRITE_FAILED", or "0x42" style for an unknown code (buffer owned by the caller). */
const char *alif_isp_error_name(uint8_t code, char *buf, size_t n);
/* A plain sentence for a NAK code: "the MRAM write failed". */
const char *alif_isp_error_text(uint8_t code);
enum alif_isp_nak_class alif_isp_nak_class(uint8_t code);

/* ---- session over a serial port (alif_isp.c, alif_isp_write.c) ---------------------------- */

struct alif_isp {
	struct sp_port *port;
	int baud;                     /* the host's line speed now */
	unsigned rx_timeout_ms;       /* per reply; ALIF_ISP_RX_TIMEOUT_MS */
	unsigned settle_ms;           /* after a baud change; ALIF_ISP_BAUD_SETTLE_MS */
	unsigned prints;              /* PRINT_DATA messages skipped so far */
	char last_print[128];         /* the text of the last one, for logs */
	uint8_t last_nak;             /* the code of the last NAK, 0 if none */
};

/* Start a session on an open port whose line speed is baud. */
void alif_isp_init(struct alif_isp *s, struct sp_port *port, int baud);

/* Send one command and wait for its reply (PRINT_DATA skipped): an ACK or a DATA reply
 * returns 0 (reply filled if not NULL); a NAK returns RS_E_DEVICE naming the reason; no
 * reply within timeout_ms (0: the session's) returns RS_E_TIMEOUT. */
int alif_isp_command(struct alif_isp *s, uint8_t cmd, const void *payload, size_t len,
                     unsigned timeout_ms, struct alif_isp_packet *reply, struct rs_error *err);

/* START_ISP: the SE answers with an ACK that may be mixed with console output; any 0xFE
 * byte counts (§1.3).  Tries `attempts` times; RS_E_TIMEOUT when it never answers. */
int alif_isp_start(struct alif_isp *s, int attempts, struct rs_error *err);
int alif_isp_stop(struct alif_isp *s, struct rs_error *err);

int alif_isp_enquiry(struct alif_isp *s, struct alif_isp_enquiry *out, struct rs_error *err);
int alif_isp_get_banner(struct alif_isp *s, char *buf, size_t n, struct rs_error *err);
int alif_isp_get_revision(struct alif_isp *s, struct alif_isp_revision *out, struct rs_error *err);

/* SET_BAUD_RATE: the SE acknowledges at the old speed, then both sides switch; the host
 * waits settle_ms and flushes (§1.1). */
int alif_isp_set_baud(struct alif_isp *s, int baud, struct rs_error *err);

/* SET_MAINTENANCE_FLAG: the next reset boots the SE into maintenance mode (§1.8). */
int alif_isp_set_maintenance(struct alif_isp *s, struct rs_error *err);

/* RESET_DEVICE: no reply; whatever the SE prints while it goes down is drained. */
int alif_isp_reset(struct alif_isp *s, struct rs_error *err);

/* The hard-maintenance handshake (§1.8): send "ALIF" before every 0.1 s one-byte read until
 * the SE answers "SEPCTL" as it boots, then send "ALIF" once more.  keep_going(ctx) is called about every
 * 100 ms (someone must reset the SE meanwhile); when it returns false the handshake stops
 * with RS_E_CANCELLED.  RS_E_GONE when the port disappears. */
int alif_isp_hard_maintenance(struct alif_isp *s, bool (*keep_going)(void *ctx), void *ctx,
                              struct rs_error *err);

/* Write an image into MRAM from SERAM (§1.7, §1.8): with sign (a .sign file of
 * ALIF_ISP_SIGN_SIZE bytes) first VERIFY_IMAGE(token) + the certificate + DOWNLOAD_DONE;
 * then BURN_MRAM(address, len[, token]), DOWNLOAD_DATA in 240-byte chunks (16-byte chunks
 * when the whole image is 240 bytes or less), DOWNLOAD_DONE.  len must be a multiple of 16.
 * Progress counts image bytes; should_stop is asked between chunks. */
int alif_isp_burn_mram(struct alif_isp *s, uint32_t address, const uint8_t *data, size_t len,
                       const uint8_t *sign, size_t sign_len, uint32_t token,
                       const struct rs_progress *pr, struct rs_error *err);

/* The ROM recovery write (SEROM only, §1.7): MRAM_WRITE packets of a 32-bit offset relative
 * to the MRAM base and 16 data bytes, each acknowledged.  len must be a multiple of 16. */
int alif_isp_rom_write(struct alif_isp *s, uint32_t offset, const uint8_t *data, size_t len,
                       const struct rs_progress *pr, struct rs_error *err);

/* ---- reading MRAM back (alif_isp_read.c) ---------------------------------------------------- */

/* MRAM_READ: the 16-byte line at offset.  The offset is taken as a byte offset from the MRAM
 * base, like MRAM_WRITE's (§1.7) [I: the toolkit calls it a "word offset" and sends what the
 * person types; no public source says its unit].  A NAK is RS_E_DEVICE naming the reason. */
int alif_isp_mram_read(struct alif_isp *s, uint32_t offset, uint8_t line[ALIF_ISP_READ_LINE],
                       struct rs_error *err);

struct alif_isp_compare {
	size_t lines, lines_differ;   /* 16-byte lines read, and those that differ */
	uint32_t first_differ;        /* offset of the first differing byte, UINT32_MAX: none */
};

/* Read [offset, offset+len) back line by line and compare it with data; len a multiple of 16.
 * Progress counts bytes read; should_stop is asked between lines.  Writes nothing. */
int alif_isp_mram_compare(struct alif_isp *s, uint32_t offset, const uint8_t *data, size_t len,
                          const struct rs_progress *pr, struct alif_isp_compare *out,
                          struct rs_error *err);

#endif
