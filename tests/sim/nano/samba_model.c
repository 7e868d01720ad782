/* samba_model.c — see samba_model.h.  Grammar: reference dfu-dfuse-picoboot-samba.md §3.4. */
#include "samba_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct samba_model {
	struct samba_model_config cfg;
	struct samba_model_stats st;
	uint8_t *flash;
	uint8_t ram[SAMBA_MODEL_RAM_SIZE];   /* scratch at 0 (bossac's applet and buffer) */
	uint8_t *sram;                       /* 256 KiB at 0x20000000 */
	char letter;                     /* the command letter, 0 before one arrived */
	uint32_t number, address;        /* the token registers */
	uint32_t s_left, s_at;           /* S data still to come, and where it goes */
	bool s_same_read;                /* the S command's '#' came in the current read */
	uint32_t y_src;                  /* Y addr,0 sets the source buffer */
	unsigned copies;
	bool dead;
};

/* Kept apart from the product's crc16.c on purpose: the model checks the product. */
static uint16_t crc16(const uint8_t *p, size_t n)
{
	uint16_t c = 0;
	while (n--) {
		c ^= (uint16_t)(*p++ << 8);
		for (int k = 0; k < 8; k++)
			c = (uint16_t)((c & 0x8000) ? (c << 1) ^ 0x1021 : c << 1);
	}
	return c;
}

struct samba_model *samba_model_new(const struct samba_model_config *cfg)
{
	struct samba_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->flash = malloc(SAMBA_MODEL_FLASH_SIZE);
	m->sram = calloc(1, SAMBA_MODEL_SRAM_SIZE);
	if (!m->flash || !m->sram) {
		samba_model_free(m);
		return NULL;
	}
	memset(m->flash, 0xFF, SAMBA_MODEL_FLASH_SIZE);
	for (uint32_t a = 0; a < 0x26000; a++) /* MBR + S140 SoftDevice (§3.2) */
		m->flash[a] = (uint8_t)(a * 31 + 7);
	for (uint32_t a = SAMBA_MODEL_BOOTLOADER; a < SAMBA_MODEL_FLASH_SIZE; a++)
		m->flash[a] = (uint8_t)(a * 17 + 3);
	return m;
}

void samba_model_free(struct samba_model *m)
{
	if (m) {
		free(m->flash);
		free(m->sram);
		free(m);
	}
}

uint8_t *samba_model_flash(struct samba_model *m)
{
	return m->flash;
}

void samba_model_get_stats(const struct samba_model *m, struct samba_model_stats *st)
{
	*st = m->st;
}

bool samba_model_dead(const struct samba_model *m)
{
	return m->dead;
}

/* The RAM behind [addr, addr + n), or NULL when it is not all in one RAM window. */
static uint8_t *ram_at(struct samba_model *m, uint32_t addr, uint64_t n)
{
	if ((uint64_t)addr + n <= SAMBA_MODEL_RAM_SIZE)
		return m->ram + addr;
	if (addr >= SAMBA_MODEL_SRAM_BASE && (uint64_t)addr + n <= (uint64_t)SAMBA_MODEL_SRAM_BASE + SAMBA_MODEL_SRAM_SIZE)
		return m->sram + (addr - SAMBA_MODEL_SRAM_BASE);
	return NULL;
}

/* Words that are not RAM: what the cross-check's bossac reads to identify the chip. */
static uint32_t peripheral_word(uint32_t addr)
{
	switch (addr) {
	case 0xE000ED00: return SAMBA_MODEL_CPUID;
	case 0x41002018: return SAMBA_MODEL_DSU_DID;
	default: return 0;
	}
}

static void say(struct samba_model *m, const void *buf, size_t len)
{
	m->cfg.send(m->cfg.ctx, buf, len);
}

static void reply(struct samba_model *m, const char *text)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "%s\n\r", text);
	say(m, buf, (size_t)n);
}

static void die(struct samba_model *m, bool reset)
{
	m->dead = true;
	if (m->cfg.gone)
		m->cfg.gone(m->cfg.ctx, reset);
}

/* Is [phys, phys + size) inside the application area? */
static bool app_area(uint64_t phys, uint64_t size)
{
	return phys >= SAMBA_MODEL_APP_BASE && phys + size <= SAMBA_MODEL_BOOTLOADER;
}

static void copy_to_flash(struct samba_model *m, uint32_t dst, uint32_t size)
{
	uint64_t phys = (uint64_t)SAMBA_MODEL_APP_BASE + dst;
	m->copies++;
	bool fault = m->copies == m->cfg.fault_at;
	if (fault && m->cfg.fault == SAMBA_FAULT_VANISH)
		return die(m, false);
	if (fault && m->cfg.fault == SAMBA_FAULT_WRONG_REPLY)
		return reply(m, "N");
	const uint8_t *src = ram_at(m, m->y_src, size);
	if (!app_area(phys, size) || !src)
		return reply(m, "E");
	uint64_t first = phys / 4096 * 4096, end = (phys + size + 4095) / 4096 * 4096;
	memset(m->flash + first, 0xFF, end - first); /* the pages it covers are erased first */
	memcpy(m->flash + phys, src, size);
	if (fault && m->cfg.fault == SAMBA_FAULT_CORRUPT)
		m->flash[phys + size / 2] ^= 0x10;
	m->st.copies++;
	reply(m, "Y");
}

static void execute(struct samba_model *m)
{
	uint32_t a = m->address, n = m->number;
	char z[16];
	m->st.commands++;
	if (m->st.commands < sizeof m->st.letters)
		m->st.letters[m->st.commands - 1] = m->letter;
	switch (m->letter) {
	case 'N':
	case 'T':
		return reply(m, "");
	case 'V':
		return reply(m, SAMBA_MODEL_VERSION);
	case 'I':
		return reply(m, m->cfg.impostor ? SAMBA_MODEL_IMPOSTOR_CHIP : SAMBA_MODEL_CHIP);
	case 'S':
		m->s_left = n;
		m->s_at = a;
		m->st.s_writes++;
		return;
	case 'W': {
		uint8_t *p = ram_at(m, a, 4);
		if (p)
			for (int i = 0; i < 4; i++)
				p[i] = (uint8_t)(n >> (8 * i));
		if (a == 0xE000ED0C && (n & 0xFFFF0004) == 0x05FA0004) { /* AIRCR: SYSRESETREQ */
			m->st.resets++;
			die(m, true);
		}
		return;
	}
	case 'w': {
		uint8_t w[4] = {0};
		const uint8_t *p = ram_at(m, a, 4);
		uint32_t v = p ? 0 : peripheral_word(a);
		if (p)
			memcpy(w, p, 4);
		else
			for (int i = 0; i < 4; i++)
				w[i] = (uint8_t)(v >> (8 * i));
		return say(m, w, 4);
	}
	case 'X':
		m->st.erases++;
		m->st.erase_from = SAMBA_MODEL_APP_BASE + n;
		if (app_area(SAMBA_MODEL_APP_BASE + (uint64_t)n, 0))
			memset(m->flash + SAMBA_MODEL_APP_BASE + n, 0xFF,
			       SAMBA_MODEL_BOOTLOADER - SAMBA_MODEL_APP_BASE - n);
		return reply(m, "X");
	case 'Y':
		if (n == 0) {
			m->y_src = a;
			return reply(m, "Y");
		}
		return copy_to_flash(m, a, n);
	case 'Z': {
		uint64_t phys = (uint64_t)SAMBA_MODEL_APP_BASE + a;
		m->st.checksums++;
		uint16_t c = phys + n <= SAMBA_MODEL_FLASH_SIZE ? crc16(m->flash + phys, n) : 0;
		snprintf(z, sizeof z, "Z%08X#", c);
		return reply(m, z);
	}
	case 'R': {
		uint64_t phys = (uint64_t)SAMBA_MODEL_APP_BASE + a;
		m->st.reads++;
		if (n > 63)
			m->st.long_reads++;
		if (phys + n <= SAMBA_MODEL_FLASH_SIZE)
			say(m, m->flash + phys, n);
		return;
	}
	case 'K':
		m->st.resets++;
		return die(m, true);
	default: /* G, O, o and anything else: nothing to answer */
		return;
	}
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void samba_model_input(struct samba_model *m, const uint8_t *buf, size_t len)
{
	if (m->dead)
		return;
	if (m->cfg.fault == SAMBA_FAULT_SKETCH) /* a sketch echoing its input */
		return say(m, buf, len);
	m->s_same_read = false;
	for (size_t i = 0; i < len && !m->dead; i++) {
		if (m->s_left) { /* raw S data: as much as this read holds */
			size_t n = len - i < m->s_left ? len - i : m->s_left;
			uint8_t *dst = ram_at(m, m->s_at, n);
			if (dst)
				memcpy(dst, buf + i, n);
			if (m->s_same_read) { /* the data began in the read that held the '#' */
				m->st.same_read_data++;
				m->s_same_read = false;
			}
			m->s_at += (uint32_t)n;
			m->s_left -= (uint32_t)n;
			i += n - 1;
			continue;
		}
		int h = hexval(buf[i]);
		if (h >= 0) {
			m->number = m->number << 4 | (uint32_t)h;
		} else if (buf[i] == ',') {
			m->address = m->number;
			m->number = 0;
		} else if (buf[i] == '#') {
			execute(m);
			m->s_same_read = m->letter == 'S';
			m->letter = 0;
			m->number = m->address = 0;
		} else {
			m->letter = (char)buf[i];
		}
	}
}
