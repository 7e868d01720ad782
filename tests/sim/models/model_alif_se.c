/*
 * The Alif Secure Enclave model (see model_alif_se.h). Everything runs on the port's thread
 * except the "hands" (switch, button, power), which take the same lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "model_alif_se.h"
#include "model_common.h"

enum se_state { SE_OFF, SE_BOOTING, SE_HANDSHAKE, SE_READY, SE_SILENT, SE_VERIFYING };
enum se_download { DL_NONE, DL_SIGN, DL_BURN };

#define BOOT_MS 150          /* [I] how long the SE is deaf while it boots */
/* [I] the boot window: boot text every TEXT_MS for WINDOW_MS, "ALIF" heard meanwhile; ready
 * 450 ms after a reset, as the toolkit's START 0.5 s after RESET_DEVICE needs (model_alif_se.h) */
#define WINDOW_MS 300
#define TEXT_MS 50
#define SECOND_ALIF_MS 1000  /* [I] after "SEPCTL", how long it waits for the second "ALIF" */
#define PARTIAL_US 100000    /* [I] a half packet older than this is dropped */
/* [I] the SE's image verification before it answers DOWNLOAD_DONE: longer than the 0.5 s
 * the product used to wait, well inside the toolkit's max(1 s, size/10000 s) */
#define VERIFY_BASE_MS 700
#define VERIFY_BYTES_PER_MS 100

struct alif_se {
	struct alif_se_config cfg;
	struct ttysim *port;
	pthread_mutex_t lock;
	enum se_state state;
	bool serom, maintenance, maintenance_next, isp_open, switch_on, sp_written, no_answer;
	unsigned window_left_ms; /* of the boot window */
	unsigned boot_line;
	int version[3];
	unsigned baud;
	uint8_t *mram;
	uint8_t rx[512];
	size_t rx_len;
	uint64_t rx_time;
	bool hs_answered;
	enum se_download dl;
	uint32_t dl_addr, dl_len, dl_got, token, verified_token;
	bool verified, dl_auth;
	unsigned data_packets;
	bool reset_done;
	unsigned data_seen;      /* DOWNLOAD_DATA of burns over the SE's life, for ALIF_SE_DATA_* */
	bool vanish_now;
	struct alif_se_stats st;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void send_packet(struct alif_se *m, uint8_t cmd, const uint8_t *payload, size_t len)
{
	uint8_t buf[260];
	buf[0] = (uint8_t)(len + 3);
	buf[1] = cmd;
	if (len)
		memcpy(buf + 2, payload, len);
	unsigned sum = 0;
	for (size_t i = 0; i < len + 2; i++)
		sum += buf[i];
	buf[len + 2] = (uint8_t)(0x100 - (sum & 0xFF));
	ttysim_send(m->port, buf, len + 3);
}

/* Answer NAK with code and leave the handler. */
#define REFUSE(code) do { nak(m, code); return; } while (0)

static void ack(struct alif_se *m) { send_packet(m, 0xFE, NULL, 0); }

static void nak(struct alif_se *m, uint8_t code)
{
	m->st.naks_sent++;
	send_packet(m, 0xFF, &code, 1);
}

static void print(struct alif_se *m, const char *text)
{
	m->st.prints_sent++;
	send_packet(m, 0x0C, (const uint8_t *)text, strlen(text) + 1);
}

/* Boot decides the stage from the MRAM's last word (§1.8). */
static void boot(struct alif_se *m, bool maintenance)
{
	m->st.boots++;
	m->serom = le32(m->mram + ALIF_SE_MRAM_SIZE - 4) != ALIF_SE_SP_OFFSET;
	m->maintenance = maintenance && !m->serom;
	m->isp_open = false;
	m->baud = ALIF_SE_BOOT_BAUD;
	m->dl = DL_NONE;
	m->verified = false;
	m->rx_len = 0;
	m->hs_answered = false;
	m->boot_line = 0;
	if (m->sp_written && !m->serom) {
		memcpy(m->version, m->cfg.package_version, sizeof m->version);
		m->sp_written = false;
	}
	m->state = SE_BOOTING;
	ttysim_set_timer(m->port, BOOT_MS);
}

static void answer_get(struct alif_se *m, uint32_t sub)
{
	if (sub == 0x02) { /* REVISION: 133 payload bytes (§1.6) */
		uint8_t p[133] = {0};
		p[1] = m->cfg.rev_byte ? m->cfg.rev_byte : 180;
		const char *part = m->cfg.part ? m->cfg.part : "AE302F80F55D5AE";
		memcpy(p + 4, part, strlen(part) < 16 ? strlen(part) : 16);
		if (m->cfg.keys == ALIF_SE_KEYS_DEV)
			for (int i = 0; i < 16; i++) /* payload 20..35 = message bytes 22..37 */
				sscanf(ALIF_SE_DEV_HBK0 + 2 * i, "%2hhx", &p[20 + i]);
		else if (m->cfg.keys == ALIF_SE_KEYS_PROD)
			memset(p + 20, 0x5A, 16); /* [I] a production key hash: in no DEV list */
		memcpy(p + 124, "SN123456", 8);
		p[132] = 1; /* DM */
		send_packet(m, 0xFD, p, sizeof p);
	} else if (sub == 0x04 && !m->serom) {
		char b[96];
		snprintf(b, sizeof b, "SES B4 v%d.%d.%d Alif Ensemble model", m->version[0], m->version[1], m->version[2]);
		send_packet(m, 0xFD, (const uint8_t *)b, strlen(b) + 1);
	} else {
		nak(m, 0xEE); /* UNKNOWN_GET_OBJECT */
	}
}

static bool in_mram(uint32_t addr, uint32_t len)
{
	return addr >= ALIF_SE_MRAM_BASE && len <= ALIF_SE_MRAM_SIZE && addr - ALIF_SE_MRAM_BASE <= ALIF_SE_MRAM_SIZE - len;
}

static void burn(struct alif_se *m, const uint8_t *p, size_t len)
{
	uint32_t addr = le32(p), size = le32(p + 4);
	bool auth = len >= 12;
	if (m->serom)
		REFUSE(0xF9);           /* NOT_SUPPORTED from ROM */
	if (!m->maintenance)
		REFUSE(0xF4);           /* NOT_ALLOWED outside maintenance mode */
	if (!in_mram(addr, size))
		REFUSE(0xF7);           /* BAD_DESTINATION_ADDR */
	if (addr % 16 || size % 16 || !size)
		REFUSE(0xEC);           /* MISALIGNED */
	if (auth && (!m->verified || le32(p + 8) != m->verified_token))
		REFUSE(0xF3);           /* BAD_AUTH_TOKEN */
	if (!auth && m->cfg.require_auth && addr - ALIF_SE_MRAM_BASE >= ALIF_SE_SP_OFFSET)
		REFUSE(0xF5);           /* HOST_AUTH_FAILED */
	m->dl = DL_BURN;
	m->dl_addr = addr;
	m->dl_len = size;
	m->dl_got = 0;
	m->dl_auth = auth;
	m->data_packets = 0;
	m->verified = false;
	ack(m);
}

static void download_data(struct alif_se *m, const uint8_t *p, size_t len)
{
	if (m->dl == DL_NONE)
		REFUSE(0xF6);           /* UNEXPECTED_COMMAND */
	if (len < 2 || p[0] != 0x55 || p[1] != 0x55 || m->dl_got + (len - 2) > m->dl_len)
		REFUSE(0xF8);           /* BAD_PACKET_SIZE */
	bool strike = m->dl == DL_BURN && m->cfg.fault >= ALIF_SE_DATA_VANISH && ++m->data_seen == m->cfg.fault_at;
	if (strike && m->cfg.fault == ALIF_SE_DATA_NAK)
		REFUSE(m->cfg.nak_code);
	if (strike && (m->cfg.fault == ALIF_SE_DATA_VANISH || m->cfg.fault == ALIF_SE_DATA_SILENT)) {
		m->state = SE_SILENT; /* packet() drops everything from now on */
		m->vanish_now = m->cfg.fault == ALIF_SE_DATA_VANISH;
		return;
	}
	if (m->dl == DL_BURN) {
		if (m->cfg.fault == ALIF_SE_RESET_MID_BURN && !m->reset_done && ++m->data_packets > m->cfg.reset_after) {
			m->reset_done = true;      /* a brown-out: no answer, boots again */
			m->st.resets++;
			boot(m, false);
			return;
		}
		memcpy(m->mram + (m->dl_addr - ALIF_SE_MRAM_BASE) + m->dl_got, p + 2, len - 2);
		if (strike && m->cfg.fault == ALIF_SE_DATA_FLIP)
			m->mram[(m->dl_addr - ALIF_SE_MRAM_BASE) + m->dl_got] ^= 0xFF;
		m->st.data_packets++;
		if (m->dl_addr - ALIF_SE_MRAM_BASE >= ALIF_SE_SP_OFFSET && m->dl_addr - ALIF_SE_MRAM_BASE < ALIF_SE_MRAM_SIZE - 16)
			m->sp_written = true;
	}
	m->dl_got += (uint32_t)(len - 2);
	if (m->cfg.chatty && m->dl_got / 16 % 8 == 0)
		print(m, "mram: block written");
	if (strike && m->cfg.fault == ALIF_SE_DATA_GARBAGE) {
		static const uint8_t bad_ack[3] = {3, 0xFE, 0x00}; /* its checksum byte is 0xFF */
		ttysim_send(m->port, bad_ack, sizeof bad_ack);
		return;
	}
	ack(m);
}

static void download_done(struct alif_se *m, bool verified_now)
{
	if (m->dl == DL_NONE || m->dl_got != m->dl_len)
		REFUSE(0xF6);
	if (m->dl == DL_BURN && m->dl_auth && !verified_now) {
		/* toolkit:isp/isp_util.py burn_mram_isp: the SE verifies the image, then answers */
		m->state = SE_VERIFYING;
		ttysim_set_timer(m->port, VERIFY_BASE_MS + m->dl_len / VERIFY_BYTES_PER_MS);
		return;
	}
	if (m->dl == DL_SIGN) {
		m->verified = true;
		m->verified_token = m->token;
	} else {
		m->st.burns++;
		m->st.auth_burns += m->dl_auth;
		m->st.last_burn_addr = m->dl_addr;
		m->st.last_burn_len = m->dl_len;
	}
	m->dl = DL_NONE;
	ack(m);
}

static void rom_write(struct alif_se *m, const uint8_t *p, size_t len)
{
	if (!m->serom)
		REFUSE(0xF9);
	uint32_t off = le32(p);
	if (len != 20 || off % 16 || off > ALIF_SE_MRAM_SIZE - 16)
		REFUSE(off % 16 ? 0xEB : 0xED);
	memcpy(m->mram + off, p + 4, 16);
	if (off >= ALIF_SE_SP_OFFSET)
		m->sp_written = true;
	m->st.rom_writes++;
	ack(m);
}

/* ERASE_MRAM address, size, pattern (toolkit:isp/isp_core.py isp_mram_erase; maintenance.py
 * erases the application area and the 16 bytes below the Alif area with it, from SERAM). */
static void erase(struct alif_se *m, const uint8_t *p, size_t len)
{
	if (len != 12)
		REFUSE(0xF8);
	if (m->serom)
		REFUSE(0xF9);           /* [I] the toolkit offers it from the SERAM menu only */
	uint32_t addr = le32(p), size = le32(p + 4);
	if (!size || !in_mram(addr, size))
		REFUSE(0xED);           /* ILLEGAL_ADDRESS */
	if (addr % 16 || size % 16)
		REFUSE(0xEC);           /* MISALIGNED: MRAM lines are 16 bytes (§1.7) */
	uint8_t *at = m->mram + (addr - ALIF_SE_MRAM_BASE);
	for (uint32_t i = 0; i < size; i++)
		at[i] = p[8 + i % 4];
	m->st.erases++;
	ack(m);
}

/* MRAM_READ (0x19): the word offset and the count byte 0x10 (Security Toolkit v1.110
 * isp/isp_core.py isp_read_mram); a DATA reply of the 16-byte line.  Answered from SERAM only:
 * since its 0.17 the toolkit's maintenance tool offers it only there (maintenance.py,
 * utils/maint-recoveryDB.db), and without maintenance mode (it never asks for it first).
 * [I] the offset is a byte offset from the MRAM base on a 16-byte line, as MRAM_WRITE's (§1.7):
 * no public source gives its unit; a misaligned one, or a count other than 16, is refused. */
static void mram_read(struct alif_se *m, const uint8_t *p, size_t len)
{
	if (m->serom)
		REFUSE(0xF9);           /* NOT_SUPPORTED from ROM */
	if (len != 5 || p[4] != 16)
		REFUSE(0xF8);           /* BAD_PACKET_SIZE */
	uint32_t off = le32(p);
	if (off % 16)
		REFUSE(0xEB);           /* MRAM_OFFSET_MISALIGNED */
	if (off > ALIF_SE_MRAM_SIZE - 16)
		REFUSE(0xED);           /* ILLEGAL_ADDRESS */
	m->st.mram_reads++;
	send_packet(m, 0xFD, m->mram + off, 16);
}

static void command(struct alif_se *m, uint8_t cmd, const uint8_t *p, size_t len)
{
	m->st.commands[cmd]++;
	if (!m->isp_open && cmd != 0x00 && cmd != 0x09)
		return; /* before the first START after a boot only START and RESET count [I]; STOP
		           does not close it again (toolkit:isp/recovery.py writes after the probe's STOP) */
	if (m->cfg.fault == ALIF_SE_NAK && cmd == m->cfg.nak_cmd &&
	    (cmd != 0x14 || !m->cfg.nak_sub || (len >= 4 && le32(p) == m->cfg.nak_sub)))
		REFUSE(m->cfg.nak_code);
	if (m->cfg.chatty && (cmd == 0x14 || cmd == 0x0F))
		print(m, "SERAM: command received");
	uint8_t e[13] = {0};
	switch (cmd) {
	case 0x00: m->isp_open = true; ack(m); break;
	case 0x01: ack(m); break; /* the ISP handler keeps listening (see above) */
	case 0x04: download_data(m, p, len); break;
	case 0x05: download_done(m, false); break;
	case 0x08: burn(m, p, len); break;
	case 0x09:
		m->st.resets++;
		m->st.reset_burns = m->st.burns;
		m->st.reset_rom_writes = m->st.rom_writes;
		m->st.reset_mram_reads = m->st.mram_reads;
		m->st.reset_burn_addr = m->st.last_burn_addr;
		boot(m, m->maintenance_next);
		m->maintenance_next = false;
		break;
	case 0x0D: rom_write(m, p, len); break;
	case 0x0F:
		e[0] = m->serom ? 1 : 2;
		if (m->serom) {
			put32(e + 1, 0x0B); /* a boot error code; its meaning is in serom_errors.py */
			/* [I] SEROM has no maintenance word: the toolkit reads its reply only up to
			 * message byte 10 (toolkit:isp/isp_core.py isp_enquiry), so send no more */
			send_packet(m, 0xFD, e, 9);
			break;
		}
		put32(e + 9, m->maintenance ? 1 : 0);
		send_packet(m, 0xFD, e, sizeof e);
		break;
	case 0x11:
		if (len != 4)
			REFUSE(0xF8);
		ack(m);
		m->baud = le32(p);
		m->st.baud_switches++;
		break;
	case 0x12:
		if (len != 4)
			REFUSE(0xF8);
		m->token = le32(p);
		m->dl = DL_SIGN;
		m->dl_len = 2560;
		m->dl_got = 0;
		ack(m);
		break;
	case 0x14:
		if (len < 4)
			REFUSE(0xF8);
		answer_get(m, le32(p));
		break;
	case 0x15: erase(m, p, len); break;
	case 0x19: mram_read(m, p, len); break;
	case 0x16:
		if (m->serom)
			REFUSE(0xF9);
		m->maintenance_next = true;
		ack(m);
		break;
	default: nak(m, 0xFC); break;
	}
}

/* A bare "ALIF" (never bytes inside a packet).  Returns true when the person should hear of
 * it: the tool is waiting for a reset (toolkit:maintenance.py maintenance_mode). */
static bool bare_alif(struct alif_se *m)
{
	m->st.bare_alifs++;
	if (m->state != SE_HANDSHAKE)
		return m->state != SE_VERIFYING;
	if (!m->hs_answered) {
		m->hs_answered = true;
		ttysim_send(m->port, "SEPCTL", 6);
		ttysim_set_timer(m->port, SECOND_ALIF_MS);
		return false;
	}
	/* §1.8: the second ALIF confirms; the SE stays in maintenance mode */
	m->st.handshakes++;
	m->no_answer = false;
	m->maintenance = true;
	m->state = SE_READY;
	ttysim_set_timer(m->port, 0);
	return false;
}

/* One complete packet in rx[0..n): acted on only by an SE that answers. */
static void packet(struct alif_se *m, size_t n)
{
	unsigned sum = 0;
	for (size_t k = 0; k < n; k++)
		sum += m->rx[k];
	if (m->state != SE_READY)
		return; /* booting, silent or busy verifying: the packet is lost */
	if (sum & 0xFF) {
		m->st.bad_checksums++;
		if (m->isp_open)
			nak(m, 0xFA);
		return;
	}
	command(m, m->rx[1], m->rx + 2, n - 3);
}

static void on_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
	(void)port;
	struct alif_se *m = ctx;
	bool tell = false;
	pthread_mutex_lock(&m->lock);
	if (baud != m->baud) {
		m->st.garbage_bytes += (unsigned)len;
		pthread_mutex_unlock(&m->lock);
		return;
	}
	uint64_t now = tty_model_now_us();
	if (m->rx_len && now - m->rx_time > PARTIAL_US)
		m->rx_len = 0;
	m->rx_time = now;
	for (size_t i = 0; i < len; i++) {
		if (m->rx_len < sizeof m->rx)
			m->rx[m->rx_len++] = buf[i];
		if (m->rx[0] < 3) { /* not a packet start */
			m->rx_len = 0;
			continue;
		}
		/* 'A' would announce a 65-byte packet, but "ALIF" is the handshake: no command is 'L' */
		if (m->rx_len == 4 && !memcmp(m->rx, "ALIF", 4)) {
			m->rx_len = 0;
			tell |= bare_alif(m);
			continue;
		}
		if (m->rx_len < m->rx[0])
			continue;
		size_t n = m->rx_len;
		m->rx_len = 0;
		enum se_state was = m->state;
		packet(m, n);
		if (was == SE_READY && m->state == SE_BOOTING)
			break; /* reset: the rest of the chunk is lost */
	}
	bool vanish = m->vanish_now;
	m->vanish_now = false;
	pthread_mutex_unlock(&m->lock);
	if (tell && m->cfg.alif_heard)
		m->cfg.alif_heard(m->cfg.alif_ctx);
	if (vanish && m->cfg.vanish)
		m->cfg.vanish(m->cfg.alif_ctx);
}

/* [I] what a booting SE prints on its console before it answers the ISP (raw text, not
 * PRINT_DATA: toolkit:isp/isp_core.py isp_start flushes "leftover data, e.g. Flicker") */
static void boot_text(struct alif_se *m)
{
	static const char *const lines[] = {"\r\nSE boot\r\n", "mram: ok\r\n", "toc: scanning\r\n",
	                                    "seram: loading\r\n", "clocks: pll on\r\n", "ready\r\n"};
	const char *t = lines[m->boot_line++ % (sizeof lines / sizeof lines[0])];
	m->st.boot_texts++;
	ttysim_send(m->port, t, strlen(t));
}

static void on_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
	(void)port;
	struct alif_se *m = ctx;
	if (ev->type != TTYSIM_EV_TIMER)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->state == SE_BOOTING) {
		m->state = SE_HANDSHAKE; /* every boot: a short window for "ALIF" */
		m->window_left_ms = WINDOW_MS;
	}
	if (m->state == SE_VERIFYING) {
		m->state = SE_READY;
		download_done(m, true);
	} else if (m->state == SE_HANDSHAKE && !m->hs_answered && m->window_left_ms) {
		boot_text(m);
		unsigned step = m->window_left_ms < TEXT_MS ? m->window_left_ms : TEXT_MS;
		m->window_left_ms -= step;
		ttysim_set_timer(m->port, step);
	} else if (m->state == SE_HANDSHAKE) {
		m->state = m->no_answer ? SE_SILENT : SE_READY;
		if (m->state == SE_READY)
			print(m, m->serom ? "SEROM: recovery mode" : "SERAM: ready");
	}
	pthread_mutex_unlock(&m->lock);
}

struct alif_se *alif_se_add(UMockdevTestbed *tb, const struct alif_se_config *cfg)
{
	struct alif_se *m = g_new0(struct alif_se, 1);
	m->cfg = *cfg;
	pthread_mutex_init(&m->lock, NULL);
	m->mram = g_malloc(ALIF_SE_MRAM_SIZE);
	memset(m->mram, cfg->fill ? cfg->fill : 0xA5, ALIF_SE_MRAM_SIZE);
	if (!cfg->serom)
		put32(m->mram + ALIF_SE_MRAM_SIZE - 4, ALIF_SE_SP_OFFSET);
	static const int v[3] = {1, 104, 0};
	memcpy(m->version, cfg->version[0] || cfg->version[1] ? cfg->version : v, sizeof m->version);
	m->no_answer = cfg->fault == ALIF_SE_NO_ANSWER;
	struct ttysim_config pc = cfg->port;
	pc.driver = TTYSIM_FTDI_SIO;
	pc.vid = pc.vid ? pc.vid : 0x0403;
	pc.pid = pc.pid ? pc.pid : 0x6015;
	pc.manufacturer = pc.manufacturer ? pc.manufacturer : "FTDI";
	pc.product = pc.product ? pc.product : "FT230X Basic UART";
	pc.serial = pc.serial ? pc.serial : "DK0AE3SE";
	pc.cb.event = on_event;
	pc.cb.data = on_data;
	pc.ctx = m;
	pthread_mutex_lock(&m->lock);
	m->port = ttysim_add(tb, &pc);
	if (m->port) { /* powered and booted long before the test starts */
		boot(m, false);
		ttysim_set_timer(m->port, 0);
		m->st.boots = 0;
		m->state = m->no_answer ? SE_SILENT : SE_READY;
	}
	pthread_mutex_unlock(&m->lock);
	if (!m->port) {
		alif_se_free(m);
		return NULL;
	}
	return m;
}

struct ttysim *alif_se_port(struct alif_se *m)
{
	return m->port;
}

void alif_se_free(struct alif_se *m)
{
	if (!m)
		return;
	if (m->port)
		ttysim_free(m->port);
	pthread_mutex_destroy(&m->lock);
	g_free(m->mram);
	g_free(m);
}

void alif_se_set_switch(struct alif_se *m, bool on)
{
	pthread_mutex_lock(&m->lock);
	m->switch_on = on;
	pthread_mutex_unlock(&m->lock);
}

void alif_se_press_button(struct alif_se *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->state != SE_OFF)
		boot(m, false);
	pthread_mutex_unlock(&m->lock);
}

void alif_se_power(struct alif_se *m, bool on)
{
	pthread_mutex_lock(&m->lock);
	if (!on) {
		m->state = SE_OFF;
		ttysim_set_timer(m->port, 0);
	} else if (m->state == SE_OFF) {
		m->maintenance_next = false;
		boot(m, false);
	}
	pthread_mutex_unlock(&m->lock);
}

void alif_se_load_mram(struct alif_se *m, uint32_t offset, const uint8_t *data, size_t len)
{
	pthread_mutex_lock(&m->lock);
	if (offset <= ALIF_SE_MRAM_SIZE && len <= ALIF_SE_MRAM_SIZE - offset)
		memcpy(m->mram + offset, data, len);
	m->serom = le32(m->mram + ALIF_SE_MRAM_SIZE - 4) != ALIF_SE_SP_OFFSET;
	pthread_mutex_unlock(&m->lock);
}

void alif_se_read_mram(struct alif_se *m, uint8_t *out)
{
	pthread_mutex_lock(&m->lock);
	memcpy(out, m->mram, ALIF_SE_MRAM_SIZE);
	pthread_mutex_unlock(&m->lock);
}

void alif_se_get_stats(struct alif_se *m, struct alif_se_stats *st)
{
	pthread_mutex_lock(&m->lock);
	*st = m->st;
	st->baud = m->baud;
	st->maintenance = m->maintenance;
	st->seram = !m->serom;
	st->isp_open = m->isp_open;
	pthread_mutex_unlock(&m->lock);
}
