/* boarddb_ident.c — the id.* keys of boards.ini (see boarddb_ident.h). */
#include "boarddb_ident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inivalue.h"

int identity_version_parse(const char *text, uint16_t *bcd)
{
	unsigned v[3];
	int used = 0;
	if (sscanf(text, "%u.%u.%u%n", &v[0], &v[1], &v[2], &used) != 3 || text[used] ||
	    v[0] > 255 || v[1] > 15 || v[2] > 15 || strspn(text, "0123456789.") != strlen(text))
		return -1;
	*bcd = (uint16_t)(v[0] << 8 | v[1] << 4 | v[2]);
	return 0;
}

static int range_of(const char *val, unsigned long max, unsigned long *lo, unsigned long *hi)
{
	char *end;
	*lo = strtoul(val, &end, 0);
	if (end == val || *end != '-')
		return -1;
	const char *second = end + 1;
	*hi = strtoul(second, &end, 0);
	return end == second || *end || *lo > *hi || *hi > max ? -1 : 0;
}

static int versions(const char *val, struct board_ident *id, char *why, size_t n)
{
	char lo[24], hi[24];
	const char *dash = strchr(val, '-');
	if (!dash || (size_t)(dash - val) >= sizeof lo || strlen(dash + 1) >= sizeof hi)
		goto bad;
	snprintf(lo, sizeof lo, "%.*s", (int)(dash - val), val);
	snprintf(hi, sizeof hi, "%s", dash + 1);
	if (identity_version_parse(lo, &id->version_min) || identity_version_parse(hi, &id->version_max) ||
	    id->version_min > id->version_max)
		goto bad;
	return 0;
bad:
	snprintf(why, n, "id.bootloader_versions is written MIN-MAX, e.g. 1.0.0-1.15.15 (each part of a version 0 to 15)");
	return -1;
}

/* id.rom_alts = LABEL /0xNUMBER, ...: the head of each of the N6 boot ROM's alt names */
static int rom_alts(const char *val, struct board_ident *id, char *why, size_t n)
{
	char f[INI_MAX_FIELDS][96];
	int k = ini_split(val, f, (int)(sizeof id->rom_alts / sizeof id->rom_alts[0]));
	for (int i = 0; i < k; i++) {
		char *slash = strstr(f[i], " /0x"), *end;
		size_t len = slash ? (size_t)(slash - f[i]) : 0;
		unsigned long v = slash ? strtoul(slash + 4, &end, 16) : 0;
		if (!len || len >= sizeof id->rom_alts[i].label || strchr(f[i], '@') || end == slash + 4 || *end ||
		    v > 0xFFFFFFFFul) {
			snprintf(why, n, "id.rom_alts is up to 8 alt names as 'LABEL /0xNUMBER' (the head of each alt name the boot ROM reports)");
			return -1;
		}
		snprintf(id->rom_alts[i].label, sizeof id->rom_alts[i].label, "%.*s", (int)len, f[i]);
		id->rom_alts[i].number = (uint32_t)v;
	}
	if (k <= 0) {
		snprintf(why, n, "id.rom_alts is up to 8 alt names as 'LABEL /0xNUMBER' (the head of each alt name the boot ROM reports)");
		return -1;
	}
	id->nrom_alts = k;
	return 0;
}

/* id.obl_alts = ID, ...: the phase id of each of OpenBootloader's alts, alt 0 first */
static int obl_alts(const char *val, struct board_ident *id, char *why, size_t n)
{
	char f[INI_MAX_FIELDS][96];
	int k = ini_split(val, f, (int)sizeof id->obl_ids);
	for (int i = 0; i < k; i++) {
		char *end;
		unsigned long v = strtoul(f[i], &end, 0);
		if (!f[i][0] || *end || v > 0xFF) {
			k = -1;
			break;
		}
		id->obl_ids[i] = (uint8_t)v;
	}
	if (k <= 0) {
		snprintf(why, n, "id.obl_alts is up to 8 phase ids from 0x00 to 0xFF, one per alt, e.g. 0x00, 0x03, 0xF1");
		return -1;
	}
	id->nobl_ids = k;
	return 0;
}

int boarddb_ident_key(struct board *b, const char *name, const char *val, char *why, size_t n)
{
	struct board_ident *id = &b->ident;
	if (!strcmp(name, "rom_alts"))
		return rom_alts(val, id, why, n);
	if (!strcmp(name, "obl_alts"))
		return obl_alts(val, id, why, n);
	if (!strcmp(name, "transfer_size") || !strcmp(name, "obl_transfer_size")) {
		char *end;
		unsigned long v = strtoul(val, &end, 0);
		/* wTransferSize is a 16-bit field (DFU 1.1 §4.1.3); a control transfer needs 8 or more */
		if (!*val || *end || v < 8 || v > 0xFFFF) {
			snprintf(why, n, "id.%s '%.40s' is not a size from 8 to 65535 bytes", name, val);
			return -1;
		}
		*(name[0] == 'o' ? &id->obl_transfer_size : &id->transfer_size) = (uint16_t)v;
		return 0;
	}
	if (!strcmp(name, "bootloader_versions"))
		return versions(val, id, why, n);
	if (!strcmp(name, "samba_version")) {
		if (!*val || strlen(val) >= sizeof id->samba_version) {
			snprintf(why, n, "id.samba_version must be 1 to %zu characters", sizeof id->samba_version - 1);
			return -1;
		}
		snprintf(id->samba_version, sizeof id->samba_version, "%s", val);
		return 0;
	}
	if (!strcmp(name, "rom_versions")) {
		unsigned long lo, hi;
		if (range_of(val, 255, &lo, &hi) || lo == 0) {
			snprintf(why, n, "id.rom_versions is written MIN-MAX, e.g. 1-3 (1 is the first ROM)");
			return -1;
		}
		id->rom_min = (unsigned)lo, id->rom_max = (unsigned)hi;
		return 0;
	}
	if (!strcmp(name, "se_parts")) {
		char f[INI_MAX_FIELDS][96];
		int k = ini_split(val, f, 4);
		for (int i = 0; i < k; i++)
			if (!f[i][0] || strlen(f[i]) > 16) {
				k = -1;
				break;
			}
		if (k <= 0) {
			snprintf(why, n, "id.se_parts is up to 4 Alif part numbers of at most 16 characters, as the Secure Enclave's GET_REVISION reports them");
			return -1;
		}
		for (int i = 0; i < k; i++)
			snprintf(id->se_parts[i], sizeof id->se_parts[i], "%.16s", f[i]); /* checked above */
		id->nse_parts = k;
		return 0;
	}
	if (!strcmp(name, "mboot_family")) {
		if (strlen(val) != 1 || val[0] < 'A' || val[0] > 'Z') {
			snprintf(why, n, "id.mboot_family is one capital letter, e.g. K");
			return -1;
		}
		id->mboot_family = val[0];
		return 0;
	}
	snprintf(why, n, "unknown key 'id.%.40s'", name);
	return -1;
}

static bool uses(const struct board *b, enum method m)
{
	for (int a = 0; a < ACTION_COUNT; a++)
		if (b->actions[a].method == m)
			return true;
	return false;
}

int boarddb_ident_check(const struct board *b, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	if ((id->transfer_size || id->version_max) && (!uses(b, METHOD_OPENMV_DFU) || !b->nalts)) {
		snprintf(why, n, "id.transfer_size and id.bootloader_versions describe an openmv_dfu bootloader, which this board does not use");
		return -1;
	}
	if (*id->samba_version && !uses(b, METHOD_SAMBA)) {
		snprintf(why, n, "id.samba_version describes a SAM-BA bootloader, which this board does not use");
		return -1;
	}
	if (id->nse_parts && !uses(b, METHOD_ALIF_ISP)) {
		snprintf(why, n, "id.se_parts describes an Alif Secure Enclave, which this board does not use");
		return -1;
	}
	if (id->mboot_family && !uses(b, METHOD_BLHOST)) {
		snprintf(why, n, "id.mboot_family describes an NXP MCU bootloader, which this board does not use");
		return -1;
	}
	if ((id->nrom_alts || id->nobl_ids || id->obl_transfer_size) && !uses(b, METHOD_STM32PROG)) {
		snprintf(why, n, "id.rom_alts, id.obl_alts and id.obl_transfer_size describe an STM32 boot ROM's "
		         "phase protocol and OpenBootloader (the stm32prog method), which this board does not use");
		return -1;
	}
	if (id->rom_max && !uses(b, METHOD_PICOBOOT)) {
		snprintf(why, n, "id.rom_versions describes a PICOBOOT boot ROM (the picoboot method), which this board does not use");
		return -1;
	}
	return 0;
}
