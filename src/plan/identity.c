/* identity.c — compares what a device says about itself with boards.ini (see identity.h). */
#include "identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfuse_mem.h"
#include "identity_n6.h"

void identity_version_text(uint16_t bcd, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%u", bcd >> 8, (bcd >> 4) & 0xF, bcd & 0xF);
}

int identity_check_openmv_dfu(const struct board *b, const struct ident_dfu *dev, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	if (dev->nalts != b->nalts) {
		snprintf(why, n, "this device has %d DFU alt%s, not the %d of the %s bootloader: it is not an %s bootloader",
		         dev->nalts, dev->nalts == 1 ? "" : "s", b->nalts, b->name, b->name);
		return -1;
	}
	for (int i = 0; i < b->nalts; i++) {
		const struct board_alt *a = &b->alts[i];
		if (a->alt >= dev->nalts || strcmp(dev->names[a->alt], a->name)) {
			snprintf(why, n, "this device's alt %d is named '%.60s', not %s: it is not an %s bootloader",
			         a->alt, a->alt < dev->nalts ? dev->names[a->alt] : "", a->name, b->name);
			return -1;
		}
	}
	if (id->transfer_size && dev->transfer_size != id->transfer_size) {
		snprintf(why, n, "this device's DFU transfer size is %u bytes, not the %u of the %s bootloader",
		         dev->transfer_size, id->transfer_size, b->name);
		return -1;
	}
	if (id->version_max && (dev->bcd_device < id->version_min || dev->bcd_device > id->version_max)) {
		char got[16], lo[16], hi[16];
		identity_version_text(dev->bcd_device, got, sizeof got);
		identity_version_text(id->version_min, lo, sizeof lo);
		identity_version_text(id->version_max, hi, sizeof hi);
		snprintf(why, n, "this device says it is bootloader version %s; the %s bootloader is %s to %s",
		         got, b->name, lo, hi);
		return -1;
	}
	return 0;
}

/* Where step s writes, and how many bytes: a DfuSe write is the image's size (at least one
 * byte when it is not known yet), a .dfu file the bootloader region it may hold. */
static void dfuse_step_range(const struct plan *p, const struct step *s, uint64_t *addr, uint64_t *len)
{
	const struct plan_image *im = s->image >= 0 ? &p->images[s->image] : NULL;
	*addr = s->address.value;
	*len = 1;
	if (im && s->kind == STEP_DFUSE_WRITE && im->size)
		*len = im->size;
	else if (im && s->kind == STEP_DFUSE_FILE && im->max_size)
		*len = im->max_size;
}

int identity_check_dfuse(const struct plan *p, enum usb_mode mode, const struct ident_dfu *dev,
                         char *why, size_t n)
{
	const struct board *b = p->board;
	for (int i = 0; i < p->nsteps; i++) {
		const struct step *s = &p->steps[i];
		if (s->mode != mode || (s->kind != STEP_DFUSE_WRITE && s->kind != STEP_DFUSE_FILE))
			continue;
		if (s->alt < 0 || s->alt >= dev->nalts) {
			snprintf(why, n, "this device has no DFU alt %d (it has %d): it is not the %s of the %s",
			         s->alt, dev->nalts, usb_mode_label(mode), b->name);
			return -1;
		}
		struct dfuse_layout l;
		struct rs_error e;
		uint64_t addr, len;
		dfuse_step_range(p, s, &addr, &len);
		if (dfuse_layout_parse(dev->names[s->alt], &l, &e) ||
		    !dfuse_layout_range_is(&l, (uint32_t)addr, len, DFUSE_MEM_WRITABLE | DFUSE_MEM_ERASABLE)) {
			snprintf(why, n, "this device's alt %d is '%.80s', which does not hold 0x%08llX-0x%08llX: "
			         "it is not the %s of the %s", s->alt, dev->names[s->alt], (unsigned long long)addr,
			         (unsigned long long)(addr + len - 1), usb_mode_label(mode), b->name);
			return -1;
		}
	}
	return 0;
}

int identity_check_samba(const struct board *b, const char *version, const char *chip, char *why, size_t n)
{
	const char *want = b->ident.samba_version;
	if (*want && strncmp(version, want, strlen(want))) {
		snprintf(why, n, "this bootloader says '%.80s', not '%s': it is not the %s bootloader",
		         version, want, b->name);
		return -1;
	}
	if (strncmp(chip, b->mcu, strlen(b->mcu))) {
		snprintf(why, n, "this bootloader reports a '%.40s' chip, not the %s of the %s", chip, b->mcu, b->name);
		return -1;
	}
	return 0;
}

int identity_check_picoboot(const struct board *b, unsigned rom_version, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	if (id->rom_max && (rom_version < id->rom_min || rom_version > id->rom_max)) {
		snprintf(why, n, "this device reports boot ROM version %u; the %s's %s has %u to %u",
		         rom_version, b->name, b->mcu, id->rom_min, id->rom_max);
		return -1;
	}
	return 0;
}

int identity_check_mboot(const struct board *b, uint32_t v, char *why, size_t n)
{
	char want = b->ident.mboot_family;
	if (want && (char)(v >> 24) != want) {
		snprintf(why, n, "this device's bootloader version is 0x%08X, not %c-something: it is not the NXP MCU "
		         "bootloader of the %s", (unsigned)v, want, b->name);
		return -1;
	}
	return 0;
}

int identity_check_se_part(const struct board *b, const char *part, char *why, size_t n)
{
	const struct board_ident *id = &b->ident;
	if (!id->nse_parts || !part[0])
		return 0;
	for (int i = 0; i < id->nse_parts; i++)
		if (!strcmp(part, id->se_parts[i]))
			return 0;
	snprintf(why, n, "this Secure Enclave reports part %.20s, not %s%s: it is not the Alif chip of the %s", part,
	         id->se_parts[0], id->nse_parts > 1 ? " or another part of boards.ini" : "", b->name);
	return -1;
}

bool identity_describe_expected(const struct board *b, char *buf, size_t n)
{
	const struct board_ident *id = &b->ident;
	size_t off = 0;
	buf[0] = '\0';
	if (id->version_max) {
		char lo[16], hi[16];
		identity_version_text(id->version_min, lo, sizeof lo);
		identity_version_text(id->version_max, hi, sizeof hi);
		off += (size_t)snprintf(buf, n, "openmv_dfu: %d alts named as above, transfer size %u, bootloader %s to %s",
		                        b->nalts, id->transfer_size, lo, hi);
	}
	if (*id->samba_version && off < n)
		off += (size_t)snprintf(buf + off, n - off, "SAM-BA: '%s...', chip %s", id->samba_version, b->mcu);
	if (id->rom_max && off < n)
		off += (size_t)snprintf(buf + off, n - off, "RP2040 boot ROM %u to %u", id->rom_min, id->rom_max);
	if (id->mboot_family && off < n)
		off += (size_t)snprintf(buf + off, n - off, "MCU bootloader version %c-x.y.z", id->mboot_family);
	for (int i = 0; i < id->nse_parts && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? " or " : (off ? "; SE part " : "SE part "), id->se_parts[i]);
	if ((id->nrom_alts || id->nobl_ids) && off + 2 < n) {
		if (off)
			off += (size_t)snprintf(buf + off, n - off, "; ");
		off += identity_expected_n6(b, buf + off, n - off);
	}
	return off > 0;
}

void identity_describe_dfu(const struct ident_dfu *dev, bool openmv, char *buf, size_t n)
{
	size_t off = (size_t)snprintf(buf, n, "%d alt%s", dev->nalts, dev->nalts == 1 ? "" : "s");
	for (int i = 0; i < dev->nalts && off < n; i++)
		off += (size_t)snprintf(buf + off, n - off, "%s%s", i ? ", " : " ", dev->names[i]);
	if (off < n)
		off += (size_t)snprintf(buf + off, n - off, "; transfer size %u", dev->transfer_size);
	if (openmv && off < n) {
		char v[16];
		identity_version_text(dev->bcd_device, v, sizeof v);
		snprintf(buf + off, n - off, "; bootloader %s", v);
	}
}
