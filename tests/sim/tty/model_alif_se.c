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

enum se_state { SE_OFF, SE_BOOTING, SE_HANDSHAKE, SE_READY, SE_SILENT };
enum se_download { DL_NONE, DL_SIGN, DL_BURN };

#define BOOT_MS 150          /* [I] how long the SE is deaf while it boots */
#define HANDSHAKE_MS 2000    /* [I] how long a booting SE listens for "ALIF" */
#define PARTIAL_US 100000    /* [I] a half packet older than this is dropped */

struct alif_se {
	struct alif_se_config cfg;
	struct ttysim *port;
	pthread_mutex_t lock;
	enum se_state state;
	bool serom, maintenance, maintenance_next, isp_open, switch_on, sp_written, no_answer;
	int version[3];
	unsigned baud;
	uint8_t *mram;
	uint8_t rx[512];
	size_t rx_len;
	uint64_t rx_time;
	char hs[8];              /* the last bytes seen during the handshake window */
	bool hs_answered;
	enum se_download dl;
	uint32_t dl_addr, dl_len, dl_got, token, verified_token;
	bool verified, dl_auth;
	unsigned data_packets;
	bool reset_done;
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
	memset(m->hs, 0, sizeof m->hs);
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
		if (!m->cfg.hbk0_blank)
			memset(p + 20, 0x5A, 16);
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
	if (m->dl == DL_BURN) {
		if (m->cfg.fault == ALIF_SE_RESET_MID_BURN && !m->reset_done && ++m->data_packets > m->cfg.reset_after) {
			m->reset_done = true;      /* a brown-out: no answer, boots again */
			m->st.resets++;
			boot(m, false);
			return;
		}
		memcpy(m->mram + (m->dl_addr - ALIF_SE_MRAM_BASE) + m->dl_got, p + 2, len - 2);
		if (m->dl_addr - ALIF_SE_MRAM_BASE >= ALIF_SE_SP_OFFSET && m->dl_addr - ALIF_SE_MRAM_BASE < ALIF_SE_MRAM_SIZE - 16)
			m->sp_written = true;
	}
	m->dl_got += (uint32_t)(len - 2);
	if (m->cfg.chatty && m->dl_got / 16 % 8 == 0)
		print(m, "mram: block written");
	ack(m);
}

static void download_done(struct alif_se *m)
{
	if (m->dl == DL_NONE || m->dl_got != m->dl_len)
		REFUSE(0xF6);
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

static void command(struct alif_se *m, uint8_t cmd, const uint8_t *p, size_t len)
{
	m->st.commands[cmd]++;
	if (!m->isp_open && cmd != 0x00 && cmd != 0x09)
		return; /* outside an ISP session only START and RESET count: the tools reset after
		           STOP (§1.8); that nothing else is answered is [I] */
	if (m->cfg.fault == ALIF_SE_NAK && cmd == m->cfg.nak_cmd &&
	    (cmd != 0x14 || !m->cfg.nak_sub || (len >= 4 && le32(p) == m->cfg.nak_sub)))
		REFUSE(m->cfg.nak_code);
	if (m->cfg.chatty && (cmd == 0x14 || cmd == 0x0F))
		print(m, "SERAM: command received");
	uint8_t e[13] = {0};
	switch (cmd) {
	case 0x00: m->isp_open = true; ack(m); break;
	case 0x01: m->isp_open = false; ack(m); break;
	case 0x04: download_data(m, p, len); break;
	case 0x05: download_done(m); break;
	case 0x08: burn(m, p, len); break;
	case 0x09:
		m->st.resets++;
		m->st.reset_burns = m->st.burns;
		m->st.reset_rom_writes = m->st.rom_writes;
		m->st.reset_burn_addr = m->st.last_burn_addr;
		boot(m, m->maintenance_next);
		m->maintenance_next = false;
		break;
	case 0x0D: rom_write(m, p, len); break;
	case 0x0F:
		e[0] = m->serom ? 1 : 2;
		if (m->serom)
			put32(e + 1, 0x0B); /* a boot error code; its meaning is in serom_errors.py */
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
	case 0x15: m->st.erases++; ack(m); break;
	case 0x16:
		if (m->serom)
			REFUSE(0xF9);
		m->maintenance_next = true;
		ack(m);
		break;
	default: nak(m, 0xFC); break;
	}
}

static void handshake_bytes(struct alif_se *m, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		memmove(m->hs, m->hs + 1, 3);
		m->hs[3] = (char)buf[i];
		if (memcmp(m->hs, "ALIF", 4))
			continue;
		memset(m->hs, 0, sizeof m->hs);
		if (!m->hs_answered) {
			m->hs_answered = true;
			ttysim_send(m->port, "SEPCTL", 6);
		} else {
			/* §1.8: the second ALIF confirms; the SE stays in maintenance mode */
			m->st.handshakes++;
			m->no_answer = false;
			m->maintenance = true;
			m->isp_open = false;
			m->state = SE_READY;
			ttysim_set_timer(m->port, 0);
			return;
		}
	}
}

static void on_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
	(void)port;
	struct alif_se *m = ctx;
	if (m->cfg.observe)
		m->cfg.observe(m->cfg.observe_ctx, buf, len);
	pthread_mutex_lock(&m->lock);
	if (baud != m->baud || m->state == SE_OFF || m->state == SE_BOOTING || m->state == SE_SILENT) {
		if (baud != m->baud)
			m->st.garbage_bytes += (unsigned)len;
	} else if (m->state == SE_HANDSHAKE) {
		handshake_bytes(m, buf, len);
	} else {
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
			if (m->rx_len < m->rx[0])
				continue;
			unsigned sum = 0;
			for (size_t k = 0; k < m->rx_len; k++)
				sum += m->rx[k];
			size_t n = m->rx_len;
			m->rx_len = 0;
			if (sum & 0xFF) {
				m->st.bad_checksums++;
				if (m->isp_open)
					nak(m, 0xFA);
				continue;
			}
			command(m, m->rx[1], m->rx + 2, n - 3);
			if (m->state != SE_READY)
				break; /* reset: the rest of the chunk is lost */
		}
	}
	pthread_mutex_unlock(&m->lock);
}

static void on_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
	(void)port;
	struct alif_se *m = ctx;
	if (ev->type != TTYSIM_EV_TIMER)
		return;
	pthread_mutex_lock(&m->lock);
	if (m->state == SE_BOOTING && m->switch_on) {
		m->state = SE_HANDSHAKE; /* pressed with the switch on: listen for ALIF */
		ttysim_set_timer(m->port, HANDSHAKE_MS);
	} else if (m->state == SE_BOOTING || m->state == SE_HANDSHAKE) {
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
