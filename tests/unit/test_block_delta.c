/* test_block_delta.c — which blocks a delta download sends (src/proto/block_delta.c): unit by
 * unit against a memory made here, and, for random images over random old contents, that a
 * NOR bootloader written only those blocks ends up byte for byte as after a full download. */
#include "block_delta.h"
#include "../common/tap.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK 4096u
#define MEM (1u << 20)   /* an STM32F4's 1 MiB of flash, from address 0 here */

static uint8_t mem[MEM];
static bool erased_units = true;
static int reads, fail_read_at = -1;

/* The F4 sector map (boot/src/ports/stm32/stm32_flash.c): 4x16K, 1x64K, 7x128K. */
static int f4_unit(void *ctx, uint64_t addr, uint64_t *start, uint64_t *size, bool *erased)
{
	(void)ctx;
	static const uint32_t starts[] = {0, 0x4000, 0x8000, 0xC000, 0x10000, 0x20000, 0x40000,
	                                  0x60000, 0x80000, 0xA0000, 0xC0000, 0xE0000, 0x100000};
	for (int i = 0; i < 12; i++)
		if (addr >= starts[i] && addr < starts[i + 1]) {
			*start = starts[i];
			*size = starts[i + 1] - starts[i];
			*erased = erased_units;
			return 0;
		}
	return -1;
}

static int fixed_unit(void *ctx, uint64_t addr, uint64_t *start, uint64_t *size, bool *erased)
{
	uint64_t sz = *(uint64_t *)ctx;
	*start = addr / sz * sz;
	*size = sz;
	*erased = erased_units;
	return 0;
}

static uint64_t part_start;

/* The reads asked for, in order: offset and length (the request pattern a device sees). */
#define LOG_MAX 256
static struct { uint64_t off; size_t n; } rlog[LOG_MAX];
static int nlog;

static int read_mem(void *ctx, uint64_t off, uint8_t *buf, size_t n, struct rs_error *err)
{
	(void)ctx;
	if (nlog < LOG_MAX) {
		rlog[nlog].off = off;
		rlog[nlog].n = n;
	}
	nlog++;
	if (reads++ == fail_read_at)
		return rs_fail(err, RS_E_GONE, "the device vanished");
	uint64_t at = part_start + off;
	size_t got = at >= MEM ? 0 : (at + n > MEM ? MEM - at : n);
	memcpy(buf, mem + at, got);
	return (int)got;
}

/* The openmv_dfu bootloader on NOR: a unit is erased when a write reaches its first byte,
 * programming only clears bits (boot/src/ports/stm32/stm32_flash.c). */
static void nor_write_block(int (*unit)(void *, uint64_t, uint64_t *, uint64_t *, bool *), void *ctx,
                            uint8_t *m, uint64_t addr, const uint8_t *data, size_t len)
{
	uint64_t us, usz;
	bool erased;
	if (!unit(ctx, addr, &us, &usz, &erased) && us == addr && erased)
		memset(m + us, 0xFF, usz);
	for (size_t i = 0; i < len; i++)
		m[addr + i] &= data[i];
}

static void download(int (*unit)(void *, uint64_t, uint64_t *, uint64_t *, bool *), void *ctx,
                     uint8_t *m, uint64_t start, const uint8_t *img, size_t len, const uint8_t *write)
{
	for (size_t b = 0; b * BLOCK < len; b++)
		if (!write || write[b])
			nor_write_block(unit, ctx, m, start + b * BLOCK, img + b * BLOCK,
			                len - b * BLOCK < BLOCK ? len - b * BLOCK : BLOCK);
}

static void test_units(void)
{
	static uint8_t img[0x60000];
	struct block_delta d;
	struct rs_error err = {0};

	/* the firmware partition of an OpenMV Cam M4 starts at sector 4 (0x10000) */
	part_start = 0x10000;
	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (uint8_t)(i * 7 + 3);
	memset(mem, 0xFF, MEM);
	memcpy(mem + part_start, img, sizeof img);
	reads = 0;
	int r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0xD0000, BLOCK, img, sizeof img, &d, &err);
	size_t sent = 0;
	for (size_t b = 0; b < d.blocks; b++)
		sent += d.write[b];
	tap_check(r == 0 && d.units == 4 && d.units_differ == 0 && sent == 16 && d.bytes_send == 0x10000 &&
	          d.bytes_skip == sizeof img - 0x10000 && d.bytes_read == 3 * 0x20000 + BLOCK_DELTA_PROBE,
	          "an unchanged image: only the first sector (64 KiB, 16 blocks) is sent; the three others are read back whole "
	          "(and the first one's probe)",
	          "r %d units %zu differ %zu sent %zu blocks, %llu bytes, read %llu", r, d.units, d.units_differ,
	          sent, (unsigned long long)d.bytes_send, (unsigned long long)d.bytes_read);
	free(d.write);

	mem[part_start + 0x30000 + 5] ^= 1; /* in the third sector (0x40000) */
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0xD0000, BLOCK, img, sizeof img, &d, &err);
	bool third = r == 0 && d.write[0x30000 / BLOCK] && d.write[0x50000 / BLOCK - 1] && !d.write[0x10000 / BLOCK] &&
	             !d.write[0x50000 / BLOCK];
	tap_check(third && d.units_differ == 1 && d.bytes_send == 0x10000 + 0x20000,
	          "one changed byte: its whole 128 KiB sector is sent, and nothing else but the first",
	          "r %d differ %zu send %llu", r, d.units_differ, (unsigned long long)d.bytes_send);
	/* the second sector: probe, then whole; the third (after an equal one): no probe, its first
	 * block differs; the fourth (after one that differed): probe, then whole */
	tap_check(r == 0 && d.bytes_read == 2 * 0x20000 + BLOCK + 2 * BLOCK_DELTA_PROBE,
	          "the changed sector is read only up to its first differing block (4 KiB, not 128 KiB)",
	          "read %llu", (unsigned long long)d.bytes_read);
	free(d.write);

	/* the image ends inside the last sector: what a full download leaves after it reads 0xFF */
	mem[part_start + 0x30000 + 5] ^= 1;
	mem[part_start + sizeof img + 10] = 0x00;
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0xD0000, BLOCK, img, sizeof img - 100, &d, &err);
	bool last_sent = r == 0 && d.write[d.blocks - 1] && d.units_differ == 1;
	free(d.write);
	erased_units = false;
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0xD0000, BLOCK, img, sizeof img - 100, &d, &err);
	bool direct_skips = r == 0 && !d.write[d.blocks - 1] && d.units_differ == 0;
	free(d.write);
	erased_units = true;
	mem[part_start + sizeof img + 10] = 0xFF;
	tap_check(last_sent && direct_skips,
	          "past the image's end an erased unit must read 0xFF to be left alone; a direct one (MRAM) need not",
	          "erased: sent %d, direct: skipped %d", last_sent, direct_skips);

	part_start = 0x12000; /* not on a sector boundary */
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0x1000 * 20, BLOCK, img, 0x8000, &d, &err);
	tap_check(r == RS_E_INPUT && d.write == NULL && strstr(err.msg, "does not line up"),
	          "a partition that starts inside a sector cannot be written in part", "r %d: %s", r, err.msg);
	part_start = 0x100000; /* past the sector map */
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0x40000, BLOCK, img, 0x20000, &d, &err);
	tap_check(r == RS_E_INPUT && strstr(err.msg, "not known"),
	          "a memory whose units are not known: refused with the address", "r %d: %s", r, err.msg);

	part_start = 0x10000;
	fail_read_at = 1;
	reads = 0;
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0xD0000, BLOCK, img, sizeof img, &d, &err);
	fail_read_at = -1;
	tap_check(r == RS_E_GONE && d.write == NULL, "a read error comes back as it is, nothing planned",
	          "r %d", r);
	r = block_delta_plan(f4_unit, read_mem, NULL, part_start, 0x100, BLOCK, img, 0x200, &d, &err);
	tap_check(r == RS_E_INPUT, "an image larger than its partition is refused", "r %d", r);
}

/* Random old contents and images, random unit sizes: the delta download and the full one
 * leave the memory identical. */
static void test_same_as_full(void)
{
	static uint8_t img[0x40000], full[MEM];
	uint64_t sizes[] = {0x1000, 0x10000, 0x20000};
	int bad = 0, runs = 0;
	uint64_t skipped = 0;
	srand(7);
	for (int t = 0; t < 60; t++) {
		uint64_t usz = sizes[t % 3];
		erased_units = t % 5 != 0;
		part_start = usz * (uint64_t)(1 + rand() % 3);
		size_t len = 1 + (size_t)rand() % sizeof img;
		for (size_t i = 0; i < len; i++)
			img[i] = rand() % 4 ? (uint8_t)rand() : 0xFF;
		for (size_t i = 0; i < MEM; i++)
			mem[i] = (uint8_t)rand();
		/* mostly the image already, some units changed, as a re-flash finds them */
		download(fixed_unit, &usz, mem, part_start, img, len, NULL);
		for (int k = rand() % 4; k > 0; k--)
			mem[part_start + (size_t)rand() % (len + usz)] ^= 0x10;
		memcpy(full, mem, MEM);
		download(fixed_unit, &usz, full, part_start, img, len, NULL);
		struct block_delta d;
		struct rs_error err = {0};
		if (block_delta_plan(fixed_unit, read_mem, &usz, part_start, MEM - part_start, BLOCK, img, len, &d, &err)) {
			bad++;
			continue;
		}
		download(fixed_unit, &usz, mem, part_start, img, len, d.write);
		skipped += d.bytes_skip;
		if (memcmp(mem, full, MEM))
			bad++;
		free(d.write);
		runs++;
	}
	erased_units = true;
	tap_check(bad == 0 && runs == 60 && skipped > 0,
	          "60 random re-flashes: the delta download leaves the memory as the full one does",
	          "%d of %d differ, %llu bytes skipped", bad, runs, (unsigned long long)skipped);
}

/* An image that differs all through: after 8 units in a row that differ, nothing more is read. */
static void test_give_up(void)
{
	static uint8_t img[0x40000];
	uint64_t usz = 0x1000;
	struct block_delta d;
	struct rs_error err = {0};
	part_start = 0;
	memset(mem, 0xFF, MEM);
	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (uint8_t)(i * 13 + 1);
	int r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	size_t sent = 0;
	for (size_t b = 0; b < d.blocks; b++)
		sent += d.write[b];
	tap_check(r == 0 && d.bytes_read == 8 * BLOCK_DELTA_PROBE && d.units_differ == 8 &&
	          d.units_unread == 64 - 9 && sent == 64 && d.bytes_send == sizeof img,
	          "a new image all through: 8 units probed (64 bytes each) and found different, the other 55 sent unread",
	          "r %d read %llu differ %zu unread %zu sent %zu", r, (unsigned long long)d.bytes_read,
	          d.units_differ, d.units_unread, sent);
	free(d.write);

	/* the same with 128 KiB sectors (an H7's): each of the 8 costs one block, not a sector */
	usz = 0x20000;
	r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	tap_check(r == 0 && d.units == 2 && d.units_differ == 1 && d.bytes_read == BLOCK_DELTA_PROBE &&
	          d.bytes_send == sizeof img,
	          "a changed 128 KiB sector costs one 64-byte probe before it is sent whole",
	          "r %d units %zu read %llu send %llu", r, d.units, (unsigned long long)d.bytes_read,
	          (unsigned long long)d.bytes_send);
	free(d.write);
	/* the block that differs last in the sector: all of it is read, and it is still sent */
	memcpy(mem, img, sizeof img);
	mem[0x20000 + 0x1F000 + 9] ^= 0x40;
	r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	tap_check(r == 0 && d.units_differ == 1 && d.bytes_read == BLOCK_DELTA_PROBE + 0x20000 &&
	          d.write[d.blocks - 1] &&
	          d.write[0x20000 / BLOCK],
	          "a difference in a sector's last block is still found, and the whole sector is sent",
	          "r %d differ %zu read %llu", r, d.units_differ, (unsigned long long)d.bytes_read);
	free(d.write);
}

/* Did the reads go: offsets and lengths as listed (-1 ends the list)? */
static bool log_is(const long long *want)
{
	int i = 0;
	for (; want[2 * i] >= 0; i++)
		if (i >= nlog || rlog[i].off != (uint64_t)want[2 * i] || rlog[i].n != (size_t)want[2 * i + 1])
			return false;
	return i == nlog;
}

/* The request pattern: a unit is probed (its first 64 bytes alone) when it is the first read
 * or follows one that differed; a probe that differs ends the unit's reading; an equal probe
 * is followed by the whole unit's reads as without it; after an equal unit, no probe. */
static void test_probe_pattern(void)
{
	static uint8_t img[6 * 0x2000];
	uint64_t usz = 0x2000; /* two blocks a unit */
	struct block_delta d;
	struct rs_error err = {0};
	const long long P = BLOCK_DELTA_PROBE;
	part_start = 0;
	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (uint8_t)(i * 5 + 11);
	memset(mem, 0xFF, MEM);
	memcpy(mem, img, sizeof img);
	nlog = 0;
	int r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	const long long equal[] = {0x2000, P, 0x2000, BLOCK, 0x3000, BLOCK, 0x4000, BLOCK, 0x5000, BLOCK,
	                           0x6000, BLOCK, 0x7000, BLOCK, 0x8000, BLOCK, 0x9000, BLOCK, 0xA000, BLOCK,
	                           0xB000, BLOCK, -1};
	tap_check(r == 0 && log_is(equal) && d.bytes_read == 5 * 0x2000 + P,
	          "nothing changed: one probe (the first unit read), then every block once, nothing more",
	          "r %d, %d reads, first %llu+%zu", r, nlog, (unsigned long long)rlog[0].off, rlog[0].n);
	free(d.write);

	mem[0x4000] ^= 1;        /* unit 2 differs in its first bytes */
	mem[0x6000 + 100] ^= 1;  /* unit 3 past its probe, in its first block */
	mem[0x9000 + 7] ^= 1;    /* unit 4 in its second block: found by the whole read */
	nlog = 0;
	r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	const long long runs[] = {0x2000, P, 0x2000, BLOCK, 0x3000, BLOCK, /* unit 1: equal */
	                          0x4000, BLOCK,                           /* 2: after an equal one */
	                          0x6000, P, 0x6000, BLOCK,                /* 3: probe equal, block differs */
	                          0x8000, P, 0x8000, BLOCK, 0x9000, BLOCK, /* 4: probe equal, 2nd differs */
	                          0xA000, P, 0xA000, BLOCK, 0xB000, BLOCK, /* 5: probe equal, all equal */
	                          -1};
	tap_check(r == 0 && log_is(runs) && d.units_differ == 3 && !d.write[2] && d.write[4] &&
	          d.write[5] && d.write[6] && d.write[9] && !d.write[10],
	          "changes past the probe are still found by the whole read; a probe only after a unit that differed",
	          "r %d, %d reads, differ %zu", r, nlog, d.units_differ);
	free(d.write);

	memcpy(mem, img, sizeof img);
	for (size_t u = 0x4000; u < sizeof img; u += 0x2000)
		mem[u + 1] ^= 0x80; /* units 2..5 differ in their first bytes */
	nlog = 0;
	r = block_delta_plan(fixed_unit, read_mem, &usz, 0, MEM, BLOCK, img, sizeof img, &d, &err);
	const long long probes[] = {0x2000, P, 0x2000, BLOCK, 0x3000, BLOCK, 0x4000, BLOCK, 0x6000, P,
	                            0x8000, P, 0xA000, P, -1};
	tap_check(r == 0 && log_is(probes) && d.units_differ == 4 && d.bytes_read == 3 * BLOCK + 4 * P,
	          "a run of changed units costs one probe each after the first of them",
	          "r %d, %d reads, read %llu", r, nlog, (unsigned long long)d.bytes_read);
	free(d.write);
}

/* verify's compare, probing or not, gives the first differing address exactly and counts
 * every unit that differs: against a byte-by-byte count over random changes. */
static void test_compare_exact(void)
{
	static uint8_t img[0x30000];
	uint64_t usz = 0x4000;
	int bad = 0;
	srand(11);
	part_start = 0x8000;
	for (int t = 0; t < 40; t++) {
		size_t len = 1 + (size_t)rand() % sizeof img;
		for (size_t i = 0; i < len; i++)
			img[i] = (uint8_t)rand();
		memcpy(mem + part_start, img, len);
		for (int k = rand() % 6; k > 0; k--)
			mem[part_start + (size_t)rand() % len] ^= (uint8_t)(1 + rand() % 255);
		uint64_t first = UINT64_MAX;
		size_t differ = 0, units = 0;
		for (size_t u = 0; u < len; u += usz) {
			bool d = false;
			for (size_t i = u; i < len && i < u + usz; i++)
				if (mem[part_start + i] != img[i]) {
					if (!d && first == UINT64_MAX)
						first = part_start + i;
					d = true;
				}
			differ += d;
			units++;
		}
		struct block_compare c;
		struct rs_error err = {0};
		int r = block_compare(fixed_unit, read_mem, &usz, part_start, BLOCK, img, len, &c, &err);
		if (r || c.first_differ != first || c.units_differ != differ || c.units != units)
			bad++;
	}
	tap_check(bad == 0, "verify: 40 random comparisons give the first differing address and the units that differ exactly",
	          "%d of 40 wrong", bad);
}

int main(void)
{
	tap_plan(16);
	test_give_up();
	test_units();
	test_same_as_full();
	test_probe_pattern();
	test_compare_exact();
	return tap_exit();
}
