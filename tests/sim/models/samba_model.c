/* samba_model.c — see samba_model.h (the monitor as disassembled from Arduino's binaries). */
#include "samba_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u
#define Z_BUFFER 4096u     /* flash_buffer of the monitor */
#define TEXT_MAX 64u       /* the command text buffer (0x20001878..0x200018B8 in the stock ELF) */

struct samba_model {
	struct samba_model_config cfg;
	struct samba_model_stats st;
	uint8_t *flash;
	uint8_t buffer[SAMBA_MODEL_BUFFER_SIZE]; /* S data */
	uint8_t zbuf[Z_BUFFER];                  /* what the last Z read */
	uint32_t uicr_bootaddr;
	char text[TEXT_MAX];                     /* the bytes since the last '#' */
	size_t text_len;
	uint32_t s_left, s_at;           /* S data still to come, and where it goes */
	bool s_same_read;                /* the S command's '#' came in the current read */
	uint32_t y_src;                  /* Y addr,0 sets the source buffer offset */
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

static void put_word(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void pattern(uint8_t *flash, uint32_t from, uint32_t to, unsigned mul, unsigned add)
{
	for (uint32_t a = from; a < to; a++)
		flash[a] = (uint8_t)(a * mul + add);
}

void samba_model_layout(uint8_t *flash, enum samba_layout layout)
{
	memset(flash, 0xFF, SAMBA_MODEL_FLASH_SIZE);
	if (layout == SAMBA_LAYOUT_STOCK) {
		/* bootloaders/nano33ble/bootloader.bin: 35768 bytes at 0 (its _flash_used) */
		pattern(flash, 0, 0x8BB8, 13, 5);
		put_word(flash, 0x20008D48);
		put_word(flash + 4, 0x3EF9);
		return;
	}
	pattern(flash, 0, SAMBA_MODEL_SOFTDEVICE_END, 31, 7); /* MBR.h, then SoftDevice.h from 0x1000 */
	put_word(flash, 0x20000400);
	put_word(flash + 4, 0xA81);
	put_word(flash + 0x1000, 0x20001380);
	put_word(flash + 0x1004, 0x257B1);
	put_word(flash + 0x3000, 0xFFFFFF2C);   /* info structure: its size */
	put_word(flash + 0x3004, 0x51B1E5DB);   /* SOFTDEVICE_MAGIC_NUMBER */
	put_word(flash + 0x3008, SAMBA_MODEL_SOFTDEVICE_END);
	put_word(flash + 0x10000, 0xDFFFBF18);  /* SoftDevice code: not a stack pointer */
	/* bootloader.h: 35952 bytes at 0xE0000 */
	pattern(flash, SAMBA_MODEL_BOOTLOADER, SAMBA_MODEL_BOOTLOADER + 35952, 17, 3);
	put_word(flash + SAMBA_MODEL_BOOTLOADER, 0x2000CD40);
	put_word(flash + SAMBA_MODEL_BOOTLOADER + 4, 0xE4039);
}

struct samba_model *samba_model_new(const struct samba_model_config *cfg)
{
	struct samba_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cfg = *cfg;
	m->flash = malloc(SAMBA_MODEL_FLASH_SIZE);
	if (!m->flash) {
		free(m);
		return NULL;
	}
	samba_model_layout(m->flash, cfg->layout);
	m->uicr_bootaddr = cfg->layout == SAMBA_LAYOUT_UPDATED ? SAMBA_MODEL_BOOTLOADER : 0xFFFFFFFFu;
	return m;
}

void samba_model_free(struct samba_model *m)
{
	if (m) {
		free(m->flash);
		free(m);
	}
}

uint8_t *samba_model_flash(struct samba_model *m)
{
	return m->flash;
}

uint32_t samba_model_uicr_bootaddr(const struct samba_model *m)
{
	return m->uicr_bootaddr;
}

void samba_model_get_stats(const struct samba_model *m, struct samba_model_stats *st)
{
	*st = m->st;
}

bool samba_model_dead(const struct samba_model *m)
{
	return m->dead;
}

static void say(struct samba_model *m, const void *buf, size_t len)
{
	m->cfg.send(m->cfg.ctx, buf, len);
}

static void die(struct samba_model *m, bool reset)
{
	m->dead = true;
	if (m->cfg.gone)
		m->cfg.gone(m->cfg.ctx, reset);
}

/* The Zephyr nRF flash driver's is_regular_addr_valid(): inside the 1 MiB, as signed. */
static bool flash_range_ok(uint32_t addr, uint32_t n)
{
	return addr < SAMBA_MODEL_FLASH_SIZE && (int32_t)addr >= 0 && n <= SAMBA_MODEL_FLASH_SIZE &&
	       (uint64_t)addr + n <= SAMBA_MODEL_FLASH_SIZE;
}

static void copy_to_flash(struct samba_model *m, uint32_t dst, uint32_t size)
{
	uint32_t phys = SAMBA_MODEL_APP_BASE + dst; /* 32-bit, as the bootloader adds */
	m->copies++;
	bool fault = m->copies == m->cfg.fault_at;
	if (m->cfg.layout == SAMBA_LAYOUT_UPDATED && (uint64_t)phys + size > SAMBA_MODEL_BOOTLOADER)
		return die(m, false); /* usb_disable(): the board leaves the bus, no answer */
	if (fault && m->cfg.fault == SAMBA_FAULT_VANISH)
		return die(m, false);
	if (fault && m->cfg.fault == SAMBA_FAULT_WRONG_REPLY)
		return say(m, "N\n\r", 3);
	if (fault && m->cfg.fault == SAMBA_FAULT_HANG) {
		m->dead = true; /* hung: still enumerated, deaf */
		return;
	}
	if (fault && m->cfg.fault == SAMBA_FAULT_GARBAGE)
		return say(m, "\xA5\x5A\x00\xFF\x13", 5);
	if (flash_range_ok(phys, size) && phys % PAGE == 0 && size % PAGE == 0)
		memset(m->flash + phys, 0xFF, size); /* flash_erase() takes whole pages only */
	uint32_t src = m->y_src;
	if (flash_range_ok(phys, size) && (uint64_t)src + size <= SAMBA_MODEL_BUFFER_SIZE) {
		for (uint32_t i = 0; i < size; i++)
			m->flash[phys + i] &= m->buffer[src + i]; /* NOR programming */
		if (fault && m->cfg.fault == SAMBA_FAULT_CORRUPT)
			m->flash[phys + size / 2] ^= 0x10;
		m->st.copies++;
	}
	say(m, "Y\n\r", 3); /* the bootloader answers whatever the driver said */
}

static void checksum(struct samba_model *m, uint32_t addr, uint32_t n)
{
	uint32_t phys = SAMBA_MODEL_APP_BASE + addr;
	m->st.checksums++;
	if (n > Z_BUFFER)
		return die(m, false); /* [I] the read overruns its buffer */
	if (flash_range_ok(phys, n))
		memcpy(m->zbuf, m->flash + phys, n);
	char z[16];
	int k = snprintf(z, sizeof z, "Z%08X#\n\r", crc16(m->zbuf, n));
	say(m, z, (size_t)k);
}

static void execute(struct samba_model *m)
{
	char letter = m->text[0];
	uint32_t a = m->text_len > 1 ? (uint32_t)strtoul(m->text + 1, NULL, 16) : 0;
	uint32_t n = m->text_len > 10 ? (uint32_t)strtoul(m->text + 10, NULL, 16) : 0;
	m->st.commands++;
	if (m->st.commands < sizeof m->st.letters)
		m->st.letters[m->st.commands - 1] = letter;
	switch (letter) {
	case 'N':
		return say(m, "\n\r", 2);
	case 'V':
		return say(m, SAMBA_MODEL_VERSION "\n\r", sizeof SAMBA_MODEL_VERSION + 1);
	case 'I':
		if (m->cfg.impostor) /* the same 17 bytes, another chip */
			return say(m, SAMBA_MODEL_IMPOSTOR_CHIP "\n\r\0X", 17);
		return say(m, SAMBA_MODEL_CHIP "\n\r\0X", 17);
	case 'S':
		m->s_left = n;
		m->s_at = a;
		m->st.s_writes++;
		return;
	case 'X':
		m->st.erases++;
		m->st.erase_from = SAMBA_MODEL_APP_BASE + a;
		return say(m, "X\n\r", 3);
	case 'Y':
		if (m->cfg.layout == SAMBA_LAYOUT_UPDATED && n == 0 &&
		    (uint64_t)SAMBA_MODEL_APP_BASE + a > SAMBA_MODEL_BOOTLOADER)
			return die(m, false); /* the same bound check runs before the size test */
		if (n == 0) {
			m->y_src = a;
			return say(m, "Y\n\r", 3);
		}
		return copy_to_flash(m, a, n);
	case 'Z':
		return checksum(m, a, n);
	case 'K':
		m->st.resets++;
		return die(m, true);
	default: /* R, W, w, O, o, G, T and anything else: not in this bootloader */
		if (letter == 'R')
			m->st.reads++;
		m->st.unknown++;
		return;
	}
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
			if ((uint64_t)m->s_at + n <= SAMBA_MODEL_BUFFER_SIZE)
				memcpy(m->buffer + m->s_at, buf + i, n);
			if (m->s_same_read) { /* the data began in the read that held the '#' */
				m->st.same_read_data++;
				m->s_same_read = false;
			}
			m->s_at += (uint32_t)n;
			m->s_left -= (uint32_t)n;
			i += n - 1;
			continue;
		}
		if (m->text_len < TEXT_MAX - 1) /* [I] the real buffer has no bound at all */
			m->text[m->text_len++] = (char)buf[i];
		m->text[m->text_len] = '\0';
		if (buf[i] == '#') {
			execute(m);
			m->s_same_read = m->text[0] == 'S';
			m->text_len = 0;
		}
	}
}
