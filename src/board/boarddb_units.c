/* boarddb_units.c — units.MEM = BASE, erased|direct, SIZE[*COUNT] ... (see boarddb_units.h). */
#include "boarddb_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inivalue.h"

#define BAD(...) (snprintf(why, n, __VA_ARGS__), -1)

/* "SIZE" or "SIZE*COUNT". */
static int parse_run(const char *text, uint64_t *size, unsigned *count, char *why, size_t n)
{
	char num[96];
	const char *star = strchr(text, '*');
	size_t len = star ? (size_t)(star - text) : strlen(text);
	if (len >= sizeof num)
		return BAD("'%s' is too long", text);
	memcpy(num, text, len);
	num[len] = 0;
	struct bnum v;
	if (ini_number(num, &v, why, n))
		return -1;
	if (v.value == 0 || v.value > 0x1000000u)
		return BAD("a unit of %s bytes: a unit is 1 byte to 16 MiB", num);
	*size = v.value;
	*count = 0;
	if (star) {
		char *end;
		unsigned long c = strtoul(star + 1, &end, 10);
		if (!star[1] || *end || c == 0 || c > 4096)
			return BAD("'%s': the count after '*' is 1 to 4096", text);
		*count = (unsigned)c;
	}
	return 0;
}

static int parse_runs(struct board_units *u, const char *list, char *why, size_t n)
{
	char buf[96];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (u->nruns == BOARD_MAX_UNIT_RUNS)
			return BAD("at most %d runs of units", BOARD_MAX_UNIT_RUNS);
		if (u->nruns && u->runs[u->nruns - 1].count == 0)
			return BAD("only the last run of units may leave out its *COUNT");
		if (parse_run(t, &u->runs[u->nruns].size, &u->runs[u->nruns].count, why, n))
			return -1;
		u->nruns++;
	}
	return u->nruns ? 0 : BAD("no unit sizes after erased|direct");
}

int boarddb_units_key(struct board *b, const char *mem, const char *val, char *why, size_t n)
{
	if (b->nunits == BOARD_MAX_UNIT_MAPS)
		return BAD("more than %d units.MEM keys", BOARD_MAX_UNIT_MAPS);
	struct board_units *u = &b->units[b->nunits];
	memset(u, 0, sizeof *u);
	if (ini_word(mem, u->memory, sizeof u->memory, why, n))
		return -1;
	for (int i = 0; i < b->nunits; i++)
		if (!strcmp(b->units[i].memory, u->memory))
			return BAD("units.%s is given twice", u->memory);
	char f[INI_MAX_FIELDS][96];
	int nf = ini_split(val, f, INI_MAX_FIELDS);
	if (nf != 3)
		return BAD("units.%s is written BASE, erased|direct, SIZE[*COUNT] ...", u->memory);
	struct bnum base;
	if (ini_number(f[0], &base, why, n))
		return -1;
	u->base = base.value;
	if (!strcmp(f[1], "erased"))
		u->erased = true;
	else if (strcmp(f[1], "direct"))
		return BAD("'%s' is not erased or direct", f[1]);
	if (parse_runs(u, f[2], why, n))
		return -1;
	b->nunits++;
	return 0;
}

int board_unit_at(const struct board *b, const char *mem, uint64_t addr, uint64_t *start,
                  uint64_t *size, bool *erased)
{
	for (int i = 0; i < b->nunits; i++) {
		const struct board_units *u = &b->units[i];
		if (strcmp(u->memory, mem) || addr < u->base)
			continue;
		uint64_t at = u->base;
		for (int r = 0; r < u->nruns; r++) {
			uint64_t sz = u->runs[r].size;
			if (u->runs[r].count == 0) {
				*start = at + (addr - at) / sz * sz;
			} else if (addr - at < sz * u->runs[r].count) {
				*start = at + (addr - at) / sz * sz;
			} else {
				at += sz * u->runs[r].count;
				continue;
			}
			*size = sz;
			*erased = u->erased;
			return 0;
		}
		return -1;
	}
	return -1;
}
