/* identity_n6.c — the N6 boot ROM and OpenBootloader against boards.ini (identity_n6.h). */
#include "identity_n6.h"

#include <stdio.h>
#include <string.h>

int identity_check_n6_rom(const struct board *b, const struct stm32prog_dev *d, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	for (int k = 0; k < id->nrom_alts; k++) {
		const struct ident_rom_alt *want = &id->rom_alts[k];
		int found = -1;
		uint32_t number = 0;
		bool has = false;
		for (int i = 0; i < d->nalts && found < 0; i++) {
			char label[64];
			bool h = stm32prog_alt_head(d->alts[i].name, label, sizeof label, &number);
			if (!strcmp(label, want->label))
				found = i, has = h;
		}
		if (found < 0) {
			snprintf(why, n, "this device has no %s alt (its alt %d is '%.60s'): it is not the %s's boot ROM "
			         "but another device answering as 0483:DF11, as every STM32 ROM does", want->label,
			         d->nalts ? d->alts[0].alt : 0, d->nalts ? d->alts[0].name : "", b->name);
			return -1;
		}
		if (!has || number != want->number) {
			snprintf(why, n, "this device's alt %d is '%.60s', not %s /0x%X: it is not the %s's boot ROM",
			         d->alts[found].alt, d->alts[found].name, want->label, (unsigned)want->number, b->name);
			return -1;
		}
	}
	if (id->nrom_alts && d->nalts != id->nrom_alts) {
		snprintf(why, n, "this device has %d DFU alts, not the %d of the %s's boot ROM", d->nalts,
		         id->nrom_alts, b->name);
		return -1;
	}
	return 0;
}

int identity_check_n6_obl(const struct board *b, const struct stm32prog_dev *d, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	if (id->nobl_ids && d->nalts != id->nobl_ids) {
		snprintf(why, n, "this device has %d DFU alts, not the %d of the %s's OpenBootloader", d->nalts,
		         id->nobl_ids, b->name);
		return -1;
	}
	for (int i = 0; i < d->nalts && id->nobl_ids; i++) {
		const struct stm32prog_alt *a = &d->alts[i];
		char label[64];
		uint32_t number;
		bool has = stm32prog_alt_head(a->name, label, sizeof label, &number);
		if (a->alt >= id->nobl_ids || (has && number != id->obl_ids[a->alt])) {
			snprintf(why, n, "this device's alt %d is '%.60s', not phase 0x%02X: it is not the %s's OpenBootloader",
			         a->alt, a->name, a->alt < id->nobl_ids ? id->obl_ids[a->alt] : 0xFF, b->name);
			return -1;
		}
	}
	if (id->obl_transfer_size && d->transfer_size != id->obl_transfer_size) {
		snprintf(why, n, "this device's DFU transfer size is %u bytes, not the %u of the %s's OpenBootloader",
		         d->transfer_size, id->obl_transfer_size, b->name);
		return -1;
	}
	return 0;
}

void identity_describe_n6(const struct stm32prog_dev *d, char *buf, size_t n)
{
	size_t off = (size_t)snprintf(buf, n, "%d alt%s", d->nalts, d->nalts == 1 ? "" : "s");
	for (int i = 0; i < d->nalts && off < n; i++) {
		char label[64];
		uint32_t number;
		if (stm32prog_alt_head(d->alts[i].name, label, sizeof label, &number))
			off += (size_t)snprintf(buf + off, n - off, "%s%s /0x%X", i ? ", " : " ", label, (unsigned)number);
		else
			off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? ", " : " ", label);
	}
	if (off < n)
		snprintf(buf + off, n - off, "; transfer size %u", d->transfer_size);
}

size_t identity_expected_n6(const struct board *b, char *buf, size_t n)
{
	const struct board_ident *id = &b->ident;
	size_t off = 0;
	if (!n)
		return 0;
	buf[0] = '\0';
	for (int i = 0; i < id->nrom_alts && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%s /0x%X", i ? ", " : "N6 boot ROM alts ",
		                        id->rom_alts[i].label, (unsigned)id->rom_alts[i].number);
	for (int i = 0; i < id->nobl_ids && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s0x%02X", i ? ", " : (off ? "; OpenBootloader phases " :
		                        "OpenBootloader phases "), id->obl_ids[i]);
	if (id->obl_transfer_size && off < n)
		off += (size_t)snprintf(buf + off, n - off, ", transfer size %u", id->obl_transfer_size);
	return off < n ? off : n - 1;
}
