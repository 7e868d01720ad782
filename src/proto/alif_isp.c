/* alif_isp.c — the session half of alif_isp.h: send a command, wait for its reply with the
 * PRINT_DATA messages skipped, and the short commands of a recovery. */
#include "io/serial_io.h"
#include "alif_isp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define TX_TIMEOUT_MS 2000 /* the tools' TX timeout (§1.1) */

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

void alif_isp_init(struct alif_isp *s, struct sp_port *port, int baud)
{
	memset(s, 0, sizeof *s);
	s->port = port;
	s->baud = baud;
	s->rx_timeout_ms = ALIF_ISP_RX_TIMEOUT_MS;
	s->settle_ms = ALIF_ISP_BAUD_SETTLE_MS;
}

static const char *cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case ALIF_CMD_START_ISP: return "START_ISP";
	case ALIF_CMD_STOP_ISP: return "STOP_ISP";
	case ALIF_CMD_DOWNLOAD_DATA: return "DOWNLOAD_DATA";
	case ALIF_CMD_DOWNLOAD_DONE: return "DOWNLOAD_DONE";
	case ALIF_CMD_BURN_MRAM: return "BURN_MRAM";
	case ALIF_CMD_RESET_DEVICE: return "RESET_DEVICE";
	case ALIF_CMD_MRAM_WRITE: return "MRAM_WRITE";
	case ALIF_CMD_ENQUIRY: return "ENQUIRY";
	case ALIF_CMD_SET_BAUD_RATE: return "SET_BAUD_RATE";
	case ALIF_CMD_VERIFY_IMAGE: return "VERIFY_IMAGE";
	case ALIF_CMD_GET: return "GET";
	case ALIF_CMD_SET_MAINTENANCE_FLAG: return "SET_MAINTENANCE_FLAG";
	default: return "a command";
	}
}

static int port_gone(struct rs_error *err, const char *doing)
{
	return rs_fail(err, RS_E_GONE, "the Secure Enclave's serial port went away while %s "
	               "(was the adapter unplugged?)", doing);
}

/* The port's device node is gone: the adapter left the bus (a read of a vanished tty may just
 * time out, as samba.c finds too). */
static bool node_gone(const struct alif_isp *s)
{
	struct stat st;
	const char *name = sp_get_port_name(s->port);
	return name && stat(name, &st) != 0 && errno == ENOENT;
}

static int write_all(struct alif_isp *s, const uint8_t *buf, size_t len, const char *what,
                     struct rs_error *err)
{
	int n = serial_io_write(s->port, buf, len, TX_TIMEOUT_MS);
	if (n < 0)
		return port_gone(err, what);
	if ((size_t)n != len)
		return rs_fail(err, RS_E_TIMEOUT, "sending %s to the Secure Enclave timed out", what);
	return 0;
}

/* Read exactly len bytes before the deadline: 0, RS_E_TIMEOUT or RS_E_GONE. */
static int read_until(struct alif_isp *s, uint8_t *buf, size_t len, long deadline, struct rs_error *err)
{
	size_t got = 0;
	while (got < len) {
		long left = deadline - now_ms();
		if (left <= 0)
			return RS_E_TIMEOUT;
		int n = serial_io_read(s->port, buf + got, len - got, (unsigned)left);
		if (n < 0)
			return port_gone(err, "waiting for its answer");
		got += (size_t)n;
	}
	return 0;
}

/* The next packet that is not PRINT_DATA, within timeout_ms. */
static int read_reply(struct alif_isp *s, unsigned timeout_ms, const char *what,
                      struct alif_isp_packet *pkt, struct rs_error *err)
{
	long deadline = now_ms() + (long)timeout_ms;
	bool noise = false;
	for (;;) {
		uint8_t buf[ALIF_ISP_MAX_PACKET];
		int r = read_until(s, buf, 1, deadline, err);
		if (r == RS_E_TIMEOUT && node_gone(s)) {
			char doing[64];
			snprintf(doing, sizeof doing, "waiting for its answer to %s", what);
			return port_gone(err, doing);
		}
		if (r == RS_E_TIMEOUT)
			return rs_fail(err, RS_E_TIMEOUT, "the Secure Enclave did not answer %s within %u ms%s", what,
			               timeout_ms, noise ? " (the line carried something else: did it restart, or is the "
			               "cable bad?)" : "");
		if (r)
			return r;
		if (buf[0] < 3)
			continue; /* not a packet start: the tools skip it too (§1.2) */
		/* the rest of a packet arrives within ~50 ms even at 55000 baud */
		long rest = deadline - now_ms() < 250 ? now_ms() + 250 : deadline;
		r = read_until(s, buf + 1, buf[0] - 1u, rest, err);
		if (r && r != RS_E_TIMEOUT)
			return r;
		/* The tools do not check the checksum of replies; we do, so noise on the line (the boot
		 * text of an SE that restarted, a bad cable) is never taken for an answer and we wait on
		 * [I: the SE computes it as it checks ours, §1.5 0xFA]. */
		if (r == RS_E_TIMEOUT || alif_isp_decode(buf, buf[0], pkt) < 0) {
			noise = true;
			continue;
		}
		if (pkt->cmd == ALIF_RSP_PRINT_DATA) {
			s->prints++;
			size_t k = 0;
			for (size_t i = 0; i < pkt->len && pkt->payload[i] && k + 1 < sizeof s->last_print; i++)
				s->last_print[k++] = pkt->payload[i] >= 0x20 && pkt->payload[i] < 0x7F ? (char)pkt->payload[i] : ' ';
			s->last_print[k] = '\0';
			continue;
		}
		return 0;
	}
}

int alif_isp_command(struct alif_isp *s, uint8_t cmd, const void *payload, size_t len,
                     unsigned timeout_ms, struct alif_isp_packet *reply, struct rs_error *err)
{
	uint8_t buf[ALIF_ISP_MAX_PACKET];
	size_t n = alif_isp_encode(cmd, payload, len, buf, sizeof buf);
	if (!n)
		return rs_fail(err, RS_E_INPUT, "internal: %s payload of %zu bytes is too long", cmd_name(cmd), len);
	int r = write_all(s, buf, n, cmd_name(cmd), err);
	if (r)
		return r;
	struct alif_isp_packet local = {0};
	struct alif_isp_packet *p = reply ? reply : &local;
	r = read_reply(s, timeout_ms ? timeout_ms : s->rx_timeout_ms, cmd_name(cmd), p, err);
	if (r)
		return r;
	if (p->cmd == ALIF_RSP_NAK) {
		uint8_t code = p->len ? p->payload[0] : 0xFF;
		char nb[8];
		s->last_nak = code;
		return rs_fail(err, RS_E_DEVICE, "the Secure Enclave refused %s: %s (%s)", cmd_name(cmd),
		               alif_isp_error_text(code), alif_isp_error_name(code, nb, sizeof nb));
	}
	if (p->cmd != ALIF_RSP_ACK && p->cmd != ALIF_RSP_DATA)
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave answered %s with packet type 0x%02X",
		               cmd_name(cmd), p->cmd);
	return 0;
}

static int command_words(struct alif_isp *s, uint8_t cmd, const uint32_t *w, int n,
                         struct alif_isp_packet *reply, struct rs_error *err)
{
	uint8_t payload[16];
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 4; b++)
			payload[4 * i + b] = (uint8_t)(w[i] >> (8 * b));
	return alif_isp_command(s, cmd, payload, (size_t)n * 4, 0, reply, err);
}

/* Read and drop whatever arrives until the line is quiet for quiet_ms. */
static int drain(struct alif_isp *s, unsigned quiet_ms, struct rs_error *err)
{
	for (int rounds = 0; rounds < 200; rounds++) { /* bounded: a chatty line cannot hold us */
		uint8_t buf[64];
		int n = serial_io_read_next(s->port, buf, sizeof buf, quiet_ms);
		if (n < 0)
			return port_gone(err, "reading");
		if (n == 0)
			return 0;
	}
	return 0;
}

int alif_isp_start(struct alif_isp *s, int attempts, struct rs_error *err)
{
	static const uint8_t start[] = {3, ALIF_CMD_START_ISP, 0xFD};
	for (int a = 0; a < (attempts > 0 ? attempts : 1); a++) {
		serial_io_flush(s->port, SP_BUF_INPUT);
		int r = write_all(s, start, sizeof start, "START_ISP", err);
		if (r)
			return r;
		/* §1.3: the answer may be mixed with console output; any 0xFE byte is the ACK */
		bool ack = false;
		long deadline = now_ms() + (long)s->rx_timeout_ms;
		while (!ack && now_ms() < deadline) {
			uint8_t buf[64];
			int n = serial_io_read_next(s->port, buf, sizeof buf, (unsigned)(deadline - now_ms()) + 1);
			if (n < 0)
				return port_gone(err, "starting the ISP session");
			if (n == 0)
				break;
			for (int i = 0; i < n; i++)
				if (buf[i] == ALIF_RSP_ACK)
					ack = true;
		}
		if (ack)
			return drain(s, 50, err);
	}
	return rs_fail(err, RS_E_TIMEOUT, "the Secure Enclave did not answer START_ISP at %d baud", s->baud);
}

int alif_isp_stop(struct alif_isp *s, struct rs_error *err)
{
	return alif_isp_command(s, ALIF_CMD_STOP_ISP, NULL, 0, 0, NULL, err);
}

int alif_isp_enquiry(struct alif_isp *s, struct alif_isp_enquiry *out, struct rs_error *err)
{
	struct alif_isp_packet p = {0};
	int r = alif_isp_command(s, ALIF_CMD_ENQUIRY, NULL, 0, 0, &p, err);
	if (r)
		return r;
	if (alif_isp_parse_enquiry(&p, out))
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave's ENQUIRY answer is malformed (%zu bytes)", p.len);
	return 0;
}

int alif_isp_get_banner(struct alif_isp *s, char *buf, size_t n, struct rs_error *err)
{
	struct alif_isp_packet p = {0};
	uint32_t w = ALIF_GET_BANNER;
	int r = command_words(s, ALIF_CMD_GET, &w, 1, &p, err);
	if (r)
		return r;
	if (alif_isp_parse_banner(&p, buf, n))
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave answered GET BANNER without a banner");
	return 0;
}

int alif_isp_get_revision(struct alif_isp *s, struct alif_isp_revision *out, struct rs_error *err)
{
	struct alif_isp_packet p = {0};
	uint32_t w = ALIF_GET_REVISION;
	int r = command_words(s, ALIF_CMD_GET, &w, 1, &p, err);
	if (r)
		return r;
	if (alif_isp_parse_revision(&p, out))
		return rs_fail(err, RS_E_PROTOCOL, "the Secure Enclave's revision answer has %zu bytes, not 136",
		               p.len + 3);
	return 0;
}

int alif_isp_set_baud(struct alif_isp *s, int baud, struct rs_error *err)
{
	uint32_t w = (uint32_t)baud;
	int r = command_words(s, ALIF_CMD_SET_BAUD_RATE, &w, 1, NULL, err);
	if (r)
		return r;
	if (serial_io_set_baudrate(s->port, baud) != SP_OK)
		return rs_fail(err, RS_E_IO, "the serial adapter cannot run at %d baud", baud);
	s->baud = baud;
	sleep_ms(s->settle_ms);
	serial_io_flush(s->port, SP_BUF_BOTH);
	return 0;
}

int alif_isp_set_maintenance(struct alif_isp *s, struct rs_error *err)
{
	return alif_isp_command(s, ALIF_CMD_SET_MAINTENANCE_FLAG, NULL, 0, 0, NULL, err);
}

int alif_isp_reset(struct alif_isp *s, struct rs_error *err)
{
	static const uint8_t reset[] = {3, ALIF_CMD_RESET_DEVICE, 0xF4};
	int r = write_all(s, reset, sizeof reset, "RESET_DEVICE", err);
	if (r)
		return r;
	serial_io_drain(s->port);
	/* §1.3: no answer; the tools read and drop what the SE prints while it goes down */
	return drain(s, 200, err);
}

int alif_isp_hard_maintenance(struct alif_isp *s, bool (*keep_going)(void *ctx), void *ctx,
                              struct rs_error *err)
{
	static const char want[] = "SEPCTL";
	size_t matched = 0;
	serial_io_flush(s->port, SP_BUF_INPUT);
	for (;;) {
		/* §1.8: "ALIF" before every one-byte read with a 0.1 s timeout, as the Security
		 * Toolkit does (maintenance.py maintenance_mode): the SE's boot text during its short
		 * window must not stop us sending, or the window passes unanswered. */
		int r = write_all(s, (const uint8_t *)"ALIF", 4, "the hard-maintenance handshake", err);
		if (r)
			return r;
		uint8_t c;
		int n = serial_io_read(s->port, &c, 1, 100);
		if (n < 0)
			return port_gone(err, "waiting for the hard-maintenance handshake");
		if (n == 1) {
			matched = c == (uint8_t)want[matched] ? matched + 1 : (c == (uint8_t)want[0] ? 1 : 0);
			if (matched == sizeof want - 1)
				break;
		}
		if (keep_going && !keep_going(ctx))
			return rs_fail(err, RS_E_CANCELLED, "stopped while waiting for the Secure Enclave's "
			               "hard-maintenance handshake; nothing was written");
	}
	int r = write_all(s, (const uint8_t *)"ALIF", 4, "the hard-maintenance handshake", err);
	if (r)
		return r;
	serial_io_drain(s->port);
	return drain(s, 100, err);
}
