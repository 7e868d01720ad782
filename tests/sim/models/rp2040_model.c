/* rp2040_model.c — see rp2040_model.h.  Status codes and command ids: reference
 * dfu-dfuse-picoboot-samba.md §2.3; execution rules: §2.5. */
#include "rp2040_model.h"

#include <stdlib.h>
#include <string.h>

enum { ST_OK = 0, ST_UNKNOWN_CMD = 1, ST_INVALID_CMD_LENGTH = 2, ST_INVALID_TRANSFER_LENGTH = 3,
       ST_INVALID_ADDRESS = 4, ST_BAD_ALIGNMENT = 5, ST_REBOOTING = 7, ST_UNKNOWN_ERROR = 8 };

enum phase { IDLE, DATA_OUT, DATA_IN, ACK_IN, ACK_OUT };

enum mem { MEM_NONE, MEM_ROM, MEM_RAM, MEM_FLASH };

#define ROM_SIZE 0x2000u
#define MAX_TRANSFER (1u << 20)

struct rp2040_model {
	struct rp2040_model_config cfg;
	struct rp2040_model_stats st;
	uint8_t *flash;
	uint8_t *ram;
	uint8_t rom[ROM_SIZE];
	enum phase phase;
	bool halt_out, halt_in, gone, rebooting, xip_exited, hung;
	uint32_t token, status;
	uint8_t cmd_id;
	uint32_t addr, size, done;
	uint8_t *buf;                    /* data of the current READ or WRITE */
	unsigned writes_seen;
	bool bad_ack;                    /* the pending ack carries a byte (fault) */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct rp2040_model *rp2040_model_new(const struct rp2040_model_config *cfg)
{
	struct rp2040_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	if (cfg)
		m->cfg = *cfg;
	m->flash = malloc(RP2040_FLASH_SIZE);
	m->ram = calloc(1, RP2040_RAM_END - RP2040_RAM_BASE);
	if (!m->flash || !m->ram) {
		rp2040_model_free(m);
		return NULL;
	}
	memset(m->flash, 0xFF, RP2040_FLASH_SIZE);
	/* ROM 0x10: 'M' 'u' 0x01 and the version byte, 3 = B2 (§2.6 step 3) */
	static const uint8_t magic[4] = {0x4D, 0x75, 0x01, 0x03};
	memcpy(m->rom + 0x10, magic, sizeof magic);
	if (m->cfg.fault == RP2040_FAULT_NOT_RP2040)
		m->rom[0x12] = 0x02;
	return m;
}

void rp2040_model_free(struct rp2040_model *m)
{
	if (!m)
		return;
	free(m->flash);
	free(m->ram);
	free(m->buf);
	free(m);
}

uint8_t *rp2040_model_flash(struct rp2040_model *m)
{
	return m->flash;
}

void rp2040_model_get_stats(const struct rp2040_model *m, struct rp2040_model_stats *st)
{
	*st = m->st;
}

bool rp2040_model_gone(const struct rp2040_model *m)
{
	return m->gone;
}

bool rp2040_model_in_halted(const struct rp2040_model *m)
{
	return m->halt_in;
}

/* Address classes, end-inclusive as the bootrom checks them (§2.5). */
static enum mem mem_of(uint64_t a)
{
	if (a <= ROM_SIZE)
		return MEM_ROM;
	if (a >= RP2040_FLASH_BASE && a <= (uint64_t)RP2040_FLASH_BASE + RP2040_FLASH_SIZE)
		return MEM_FLASH;
	if (a >= RP2040_RAM_BASE && a <= RP2040_RAM_END)
		return MEM_RAM;
	return MEM_NONE;
}

static enum mem range_of(uint32_t addr, uint32_t size)
{
	enum mem a = mem_of(addr), b = mem_of((uint64_t)addr + size);
	return a == b ? a : MEM_NONE;
}

static uint8_t *mem_ptr(struct rp2040_model *m, uint32_t addr)
{
	switch (mem_of(addr)) {
	case MEM_ROM: return m->rom + addr;
	case MEM_RAM: return m->ram + (addr - RP2040_RAM_BASE);
	case MEM_FLASH: return m->flash + (addr - RP2040_FLASH_BASE);
	default: return NULL;
	}
}

/* A malformed command: stall both endpoints (§2.4 item 4). */
static int malformed(struct rp2040_model *m, uint32_t status)
{
	m->status = status;
	m->halt_in = m->halt_out = true;
	m->phase = IDLE;
	m->st.stalls++;
	m->st.last_status = status;
	return RP2040_STALL;
}

/* A failure while executing: stall the endpoint of the next phase. */
static void failed(struct rp2040_model *m, uint32_t status, bool out_next)
{
	m->status = status;
	m->st.last_status = status;
	m->st.stalls++;
	if (out_next)
		m->halt_out = true;
	else
		m->halt_in = true;
	m->phase = IDLE;
}

static void ack_in(struct rp2040_model *m)
{
	m->phase = ACK_IN;
	m->bad_ack = m->cfg.fault == RP2040_FAULT_BAD_ACK && m->st.commands == m->cfg.fault_at;
}

static void erase(struct rp2040_model *m, uint32_t addr, uint32_t size)
{
	if (addr % 4096 || size % 4096) /* §2.5: FLASH_ERASE needs 4 KiB alignment */
		return failed(m, ST_BAD_ALIGNMENT, false);
	if (range_of(addr, size) != MEM_FLASH)
		return failed(m, ST_INVALID_ADDRESS, false);
	memset(m->flash + (addr - RP2040_FLASH_BASE), 0xFF, size);
	m->st.erases++;
	if (size > m->st.max_erase_size)
		m->st.max_erase_size = size;
	ack_in(m);
}

/* Check a READ or WRITE target; false after a failure was recorded. */
static bool rw_target_ok(struct rp2040_model *m, bool write)
{
	enum mem c = range_of(m->addr, m->size);
	if (c == MEM_NONE || (write && c == MEM_ROM) || m->size > MAX_TRANSFER) {
		failed(m, ST_INVALID_ADDRESS, write);
		return false;
	}
	if (c == MEM_FLASH && m->addr % 256) { /* flash pages start 256-aligned (§2.5) */
		failed(m, ST_BAD_ALIGNMENT, write);
		return false;
	}
	return true;
}

/* Program flash as NOR does: bits can only go from 1 to 0. */
static void program(struct rp2040_model *m)
{
	uint8_t *dst = mem_ptr(m, m->addr);
	if (range_of(m->addr, m->size) != MEM_FLASH) {
		memcpy(dst, m->buf, m->size);
		return;
	}
	for (uint32_t i = 0; i < m->size; i++) {
		if (m->buf[i] & ~dst[i])
			m->st.programmed_unerased = true;
		dst[i] &= m->buf[i];
	}
	if (m->cfg.fault == RP2040_FAULT_CORRUPT_WRITE && m->writes_seen == m->cfg.fault_at)
		for (uint32_t i = 0; i < m->size; i++)
			if (dst[i]) { /* one bit wrong */
				dst[i] &= (uint8_t)(dst[i] - 1);
				break;
			}
}

/* The faults that strike command number fault_at (rp2040_model.h); true when one did. */
static bool command_fault(struct rp2040_model *m, bool out_next)
{
	if (m->st.commands != m->cfg.fault_at)
		return false;
	switch (m->cfg.fault) {
	case RP2040_FAULT_STALL:
		m->st.stalls++;
		m->halt_out |= out_next;
		m->halt_in |= !out_next;
		m->phase = IDLE;
		return true;
	case RP2040_FAULT_ERROR_STATUS:
		failed(m, ST_UNKNOWN_ERROR, out_next);
		return true;
	case RP2040_FAULT_HANG:
		m->hung = true;
		return true;
	default:
		return false;
	}
}

static int command(struct rp2040_model *m, const uint8_t *p, size_t len)
{
	if (len != 32)
		return malformed(m, ST_INVALID_CMD_LENGTH);
	uint8_t id = p[8], cmd_size = p[9];
	uint32_t xfer = le32(p + 12);
	m->st.commands++;
	if (le32(p) != 0x431FD10Bu)
		return malformed(m, ST_UNKNOWN_CMD);
	m->token = le32(p + 4);
	m->cmd_id = id;
	m->status = ST_OK;
	m->st.last_status = ST_OK;
	static const struct { uint8_t id, size; } sizes[] = {
		{0x01, 1}, {0x02, 12}, {0x03, 8}, {0x84, 8}, {0x05, 8}, {0x06, 0}, {0x07, 0}, {0x08, 4}, {0x09, 4},
	};
	int want = -1;
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
		if (sizes[i].id == id)
			want = sizes[i].size;
	if (want < 0)
		return malformed(m, ST_UNKNOWN_CMD);
	if (cmd_size != want)
		return malformed(m, ST_INVALID_CMD_LENGTH);
	bool rw = id == 0x84 || id == 0x05;
	if ((rw && xfer != le32(p + 20)) || (!rw && xfer != 0))
		return malformed(m, ST_INVALID_TRANSFER_LENGTH);
	if (m->rebooting)
		return malformed(m, ST_REBOOTING);
	if (command_fault(m, id == 0x05))
		return (int)len;
	m->addr = le32(p + 16);
	m->size = le32(p + 20);
	switch (id) {
	case 0x01:
		m->st.exclusive = p[16];
		ack_in(m);
		break;
	case 0x02:
		m->st.reboots++;
		m->st.reboot_pc = le32(p + 16);
		m->st.reboot_sp = le32(p + 20);
		m->st.reboot_delay = le32(p + 24);
		m->rebooting = true;
		ack_in(m); /* the reply comes before the reboot (§4 item 20) */
		if (m->cfg.reboot)
			m->cfg.reboot(m->cfg.ctx, m->st.reboot_pc, m->st.reboot_sp, m->st.reboot_delay);
		break;
	case 0x03:
		erase(m, m->addr, m->size);
		break;
	case 0x06:
		m->xip_exited = true;
		m->st.exit_xips++;
		ack_in(m);
		break;
	case 0x07:
		m->xip_exited = false;
		ack_in(m);
		break;
	case 0x08:
	case 0x09:
		ack_in(m);
		break;
	default: /* READ, WRITE */
		if (!rw_target_ok(m, id == 0x05))
			break;
		free(m->buf);
		m->buf = malloc(m->size ? m->size : 1);
		m->done = 0;
		if (id == 0x84) {
			memcpy(m->buf, mem_ptr(m, m->addr), m->size);
			m->st.reads++;
			m->phase = m->size ? DATA_IN : ACK_OUT;
		} else {
			m->writes_seen++;
			m->phase = DATA_OUT;
		}
	}
	return (int)len;
}

int rp2040_model_bulk_out(struct rp2040_model *m, uint8_t ep, const uint8_t *data, size_t len)
{
	if (m->gone)
		return RP2040_GONE;
	if (m->hung)
		return RP2040_HUNG;
	if (ep != RP2040_EP_OUT || m->halt_out)
		return RP2040_STALL;
	switch (m->phase) {
	case IDLE:
		return command(m, data, len);
	case DATA_OUT:
		if (m->cfg.fault == RP2040_FAULT_VANISH_AT_WRITE && m->writes_seen == m->cfg.fault_at) {
			m->gone = true;
			return RP2040_GONE;
		}
		if (len > m->size - m->done)
			return malformed(m, ST_INVALID_TRANSFER_LENGTH);
		if (m->cfg.fault == RP2040_FAULT_VANISH_AT_BYTE && m->done + len >= m->cfg.fault_at) {
			m->gone = true; /* the bytes before it arrived; nothing is programmed */
			return RP2040_GONE;
		}
		memcpy(m->buf + m->done, data, len);
		m->done += (uint32_t)len;
		if (m->done == m->size) {
			program(m);
			m->st.writes++;
			ack_in(m);
		}
		return (int)len;
	case ACK_OUT: /* the host's acknowledgement of an IN transfer: 0 or 1 byte */
		if (len == 1)
			m->st.one_byte_acks++;
		else
			m->st.zero_byte_acks++;
		m->phase = IDLE;
		return (int)len;
	default: /* the device is sending: an OUT packet now is out of turn */
		return malformed(m, ST_INVALID_TRANSFER_LENGTH);
	}
}

int rp2040_model_bulk_in(struct rp2040_model *m, uint8_t ep, uint8_t *data, size_t len)
{
	if (m->gone)
		return RP2040_GONE;
	if (m->hung)
		return RP2040_NAK;
	if (ep != RP2040_EP_IN || m->halt_in)
		return RP2040_STALL;
	if (m->phase == DATA_IN) {
		size_t n = m->size - m->done < len ? m->size - m->done : len;
		memcpy(data, m->buf + m->done, n);
		m->done += (uint32_t)n;
		if (m->done == m->size)
			m->phase = ACK_OUT;
		return (int)n;
	}
	if (m->phase == ACK_IN) {
		m->phase = IDLE;
		if (m->bad_ack && len) {
			data[0] = 0x5A;
			return 1;
		}
		return 0;
	}
	return RP2040_NAK;
}

int rp2040_model_control(struct rp2040_model *m, uint8_t type, uint8_t request, uint16_t value,
                         uint16_t index, uint8_t *data, uint16_t length)
{
	if (m->gone)
		return RP2040_GONE;
	if (m->hung)
		return RP2040_HUNG;
	if (type == 0x41 && request == 0x41 && index == RP2040_PICOBOOT_INTERFACE && length == 0) {
		m->halt_in = m->halt_out = false; /* IF_RESET (§2.2) */
		m->status = ST_OK;
		m->st.exclusive = 0;
		m->phase = IDLE;
		m->st.if_resets++;
		return 0;
	}
	if (type == 0xC1 && request == 0x42 && index == RP2040_PICOBOOT_INTERFACE && length == 16) {
		memset(data, 0, 16);
		for (int i = 0; i < 4; i++) {
			data[i] = (uint8_t)(m->token >> (8 * i));
			data[4 + i] = (uint8_t)(m->status >> (8 * i));
		}
		data[8] = m->cmd_id;
		return 16;
	}
	bool is_ep = index == RP2040_EP_OUT || index == RP2040_EP_IN;
	if (type == 0x82 && request == 0 && is_ep && length == 2) { /* GET_STATUS(endpoint) */
		data[0] = (index == RP2040_EP_IN ? m->halt_in : m->halt_out) ? 1 : 0;
		data[1] = 0;
		return 2;
	}
	if (type == 0x02 && request == 1 && value == 0 && is_ep) { /* CLEAR_FEATURE(ENDPOINT_HALT) */
		if (index == RP2040_EP_IN)
			m->halt_in = false;
		else
			m->halt_out = false;
		return 0;
	}
	return RP2040_STALL;
}
