/* Memories of a virtual camera with flash semantics and a timing model. */
#include <stdlib.h>
#include <string.h>

#include "simmem.h"

void simmem_init(struct simmem *m, const char *name, uint32_t base, uint32_t size, enum simmem_kind kind,
		 const struct simmem_sectors *sectors, int n_sectors, const struct simmem_timing *t)
{
	memset(m, 0, sizeof *m);
	strncpy(m->name, name, sizeof m->name - 1);
	m->base = base;
	m->size = size;
	m->kind = kind;
	for (int i = 0; i < n_sectors && i < (int)(sizeof m->sectors / sizeof m->sectors[0]); i++)
		m->sectors[i] = sectors[i];
	if (t)
		m->timing = *t;
	m->bytes = malloc(size);
	memset(m->bytes, 0xff, size); /* a new part is erased */
}

void simmem_release(struct simmem *m)
{
	free(m->bytes);
	m->bytes = NULL;
}

bool simmem_contains(const struct simmem *m, uint32_t addr, uint32_t len)
{
	return addr >= m->base && (uint64_t)addr - m->base + len <= m->size;
}

bool simmem_sector(const struct simmem *m, uint32_t addr, uint32_t *start, uint32_t *size)
{
	uint64_t a = m->base;

	if (!simmem_contains(m, addr, 1))
		return false;
	for (int i = 0; i < 6 && m->sectors[i].count; i++) {
		uint64_t span = (uint64_t)m->sectors[i].count * m->sectors[i].size;
		if (addr < a + span) {
			uint64_t k = (addr - a) / m->sectors[i].size;
			*start = (uint32_t)(a + k * m->sectors[i].size);
			*size = m->sectors[i].size;
			return true;
		}
		a += span;
	}
	return false;
}

unsigned simmem_erase_ms(const struct simmem *m, uint32_t sector_size)
{
	return m->timing.erase_base_ms + (unsigned)((uint64_t)m->timing.erase_per_64k_ms * sector_size / 65536);
}

int simmem_erase_sector(struct simmem *m, uint32_t addr)
{
	uint32_t start, size;

	if (!simmem_sector(m, addr, &start, &size))
		return -1;
	memset(m->bytes + (start - m->base), 0xff, size);
	m->erases++;
	m->erase_ms_total += simmem_erase_ms(m, size);
	return (int)simmem_erase_ms(m, size);
}

unsigned simmem_erase_all(struct simmem *m)
{
	memset(m->bytes, 0xff, m->size);
	m->erases++;
	m->erase_ms_total += simmem_erase_ms(m, m->size);
	return simmem_erase_ms(m, m->size);
}

unsigned simmem_erase_range(struct simmem *m, uint32_t start, uint32_t size)
{
	if (!simmem_contains(m, start, size))
		return 0;
	memset(m->bytes + (start - m->base), 0xff, size);
	m->erases++;
	m->erase_ms_total += simmem_erase_ms(m, size);
	return simmem_erase_ms(m, size);
}

unsigned simmem_program(struct simmem *m, uint32_t addr, const uint8_t *data, uint32_t len)
{
	uint8_t *p = m->bytes + (addr - m->base);

	if (m->kind == SIMMEM_NOR) {
		for (uint32_t i = 0; i < len; i++) {
			uint8_t v = p[i] & data[i]; /* programming only clears bits */
			if (v != data[i])
				m->unerased_writes++;
			p[i] = v;
		}
	} else {
		memcpy(p, data, len);
	}
	m->programs++;
	unsigned us = (unsigned)(((uint64_t)len * m->timing.program_us_per_kib + 1023) / 1024);
	m->program_us_total += us;
	return us;
}

void simmem_read(const struct simmem *m, uint32_t addr, uint8_t *out, uint32_t len)
{
	memcpy(out, m->bytes + (addr - m->base), len);
}
