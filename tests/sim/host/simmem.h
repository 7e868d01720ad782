/* Memories of a virtual camera: NOR flash (erase to 0xFF, programming can only
 * clear bits, so a write without its erase is caught) and RAM-like memories
 * (MRAM, option bytes: plain overwrite), with a timing model. */
#ifndef SIMMEM_H
#define SIMMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum simmem_kind { SIMMEM_NOR, SIMMEM_RAM };

struct simmem_sectors {
	uint32_t count, size; /* `count` erase sectors of `size` bytes, in address order */
};

/* Time an operation takes: erase = base + per_64k * size / 64 KiB; program per KiB. */
struct simmem_timing {
	unsigned erase_base_ms, erase_per_64k_ms;
	unsigned program_us_per_kib;
};

struct simmem {
	char name[16];            /* "flash", "qspi", "mram", ... */
	uint32_t base, size;      /* addresses base .. base+size-1 */
	enum simmem_kind kind;
	struct simmem_sectors sectors[6];
	struct simmem_timing timing;
	uint8_t *bytes;
	/* Bytes programmed where the old content was not erased and the result differs
	 * from what was sent: the trace of a missing erase. */
	unsigned long unerased_writes;
	unsigned long erases, programs;
	/* the time the erases and programs took in the timing model (--device-time) */
	unsigned long long erase_ms_total, program_us_total;
};

void simmem_init(struct simmem *m, const char *name, uint32_t base, uint32_t size, enum simmem_kind kind,
		 const struct simmem_sectors *sectors, int n_sectors, const struct simmem_timing *t);
void simmem_release(struct simmem *m);
bool simmem_contains(const struct simmem *m, uint32_t addr, uint32_t len);
/* The erase sector holding addr: returns false outside the memory. */
bool simmem_sector(const struct simmem *m, uint32_t addr, uint32_t *start, uint32_t *size);
/* Erase the sector holding addr; returns the time it takes (ms), or -1 outside. */
int simmem_erase_sector(struct simmem *m, uint32_t addr);
unsigned simmem_erase_all(struct simmem *m);
/* Erase an explicit range (an SPI flash block); returns ms. */
unsigned simmem_erase_range(struct simmem *m, uint32_t start, uint32_t size);
/* Program (NOR: AND into the old content; RAM: overwrite); returns microseconds. */
unsigned simmem_program(struct simmem *m, uint32_t addr, const uint8_t *data, uint32_t len);
void simmem_read(const struct simmem *m, uint32_t addr, uint8_t *out, uint32_t len);
unsigned simmem_erase_ms(const struct simmem *m, uint32_t sector_size);

#endif
