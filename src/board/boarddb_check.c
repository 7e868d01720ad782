/* boarddb_check.c — see boarddb_check.h. */
#include "boarddb_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boarddb_ident.h"
#include "prompts.h"

struct chk {
	const struct board *b;
	char *why;
	size_t n;
};

static int bad(struct chk *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(struct chk *c, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->n, fmt, ap);
	va_end(ap);
	return line ? line : c->b->line;
}

static const char *akey(enum action a)
{
	static const char *k[ACTION_COUNT] = {"flash", "erase_fs", "restore", "init_mram"};
	return k[a];
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int need_usb(struct chk *c, const struct board_action *a, enum usb_mode m)
{
	if (c->b->usb[m].n)
		return 0;
	return bad(c, a->line, "method %s needs usb.%s", method_name(a->method), usb_mode_name(m));
}

static int check_alt_ref(struct chk *c, const struct board_action *a, int alt, const char *what,
                         bool want_file)
{
	const struct board_alt *al = board_alt(c->b, alt);
	if (!al)
		return bad(c, a->line, "%s names alt %d, which has no alt.%d line", what, alt, alt);
	if (al->access == ALT_RO)
		return bad(c, al->line, "%s names alt %d (%s), which is read-only", what, alt, al->name);
	if (want_file && !al->file[0])
		return bad(c, al->line, "alt %d is flashed by %s but names no image file", alt, what);
	return 0;
}

static int check_openmv_dfu(struct chk *c, enum action act, const struct board_action *a)
{
	int r;
	if ((r = need_usb(c, a, USB_BOOTLOADER)))
		return r;
	if (act == ACTION_FLASH) {
		if (!a->nalts)
			return bad(c, a->line, "flash = openmv_dfu needs flash.alts");
		for (int i = 0; i < a->nalts; i++)
			if ((r = check_alt_ref(c, a, a->alts[i], "flash.alts", true)))
				return r;
		return 0;
	}
	if (a->alt < 0)
		return bad(c, a->line, "%s = openmv_dfu needs %s.alt", akey(act), akey(act));
	if ((r = check_alt_ref(c, a, a->alt, act == ACTION_ERASE_FS ? "erase_fs.alt" : "init_mram.alt",
	                       false)))
		return r;
	if (act == ACTION_INIT_MRAM) {
		if (board_alt(c->b, a->alt)->access != ALT_COMMAND)
			return bad(c, a->line, "init_mram.alt must be a command alt");
		if (!a->key_hex[0])
			return bad(c, a->line, "init_mram = openmv_dfu needs init_mram.key");
	}
	return 0;
}

static int check_dfuse_image(struct chk *c, const struct board_action *a, const char *slot)
{
	const struct board_image *im = board_image(c->b, slot);
	if (!im)
		return bad(c, a->line, "'%s' has no image.%s line", slot, slot);
	if (im->alt < 0)
		return bad(c, im->line, "image.%s is written by DfuSe and needs ALT, ADDRESS, SIZE, FILE", slot);
	return 0;
}

static int check_dfuse(struct chk *c, enum action act, const struct board_action *a)
{
	int r;
	if ((r = need_usb(c, a, USB_ARDUINO_DFU)))
		return r;
	if (act == ACTION_FLASH) {
		if (!a->nslots)
			return bad(c, a->line, "flash = dfuse needs flash.images");
		for (int i = 0; i < a->nslots; i++)
			if ((r = check_dfuse_image(c, a, a->slots[i])))
				return r;
		for (int i = 0; i < a->nextra; i++)
			if ((r = check_dfuse_image(c, a, a->extra[i])))
				return r;
		return 0;
	}
	if (act != ACTION_ERASE_FS || !a->nwrites)
		return bad(c, a->line, "%s = dfuse is not a known recipe (erase_fs needs erase_fs.writes)",
		           akey(act));
	const struct addr_range *p = &c->b->protect;
	for (int i = 0; i < a->nwrites; i++)
		if (p->end && overlaps(a->writes[i].address.value, 4096, p->start, p->end - p->start))
			return bad(c, a->writes_line, "erase_fs.writes %s lies in the protected bootloader region",
			           a->writes[i].address.text);
	return 0;
}

static int check_region_ref(struct chk *c, int line, const char *name, bool want_file)
{
	const struct board_region *r = board_region(c->b, name);
	if (!r)
		return bad(c, line, "needs region.%s", name);
	if (want_file && (!r->file[0] || r->erase == ERASE_NONE))
		return bad(c, r->line, "region.%s is written to, so it needs FILE and region|image", name);
	return 0;
}

static int check_blhost(struct chk *c, enum action act, const struct board_action *a)
{
	int r;
	if ((r = need_usb(c, a, USB_FLASHLOADER)))
		return r;
	if (act == ACTION_FLASH) {
		if (!a->nslots || !a->timeout_ms.text[0])
			return bad(c, a->line, "flash = blhost needs flash.regions and flash.erase_timeout");
		for (int i = 0; i < a->nslots; i++)
			if ((r = check_region_ref(c, a->line, a->slots[i], true)))
				return r;
		return 0;
	}
	if (act != ACTION_ERASE_FS || !a->length.value)
		return bad(c, a->line, "%s = blhost needs %s.erase ADDRESS, LENGTH", akey(act), akey(act));
	const struct board_region *fs = board_region(c->b, "filesystem");
	if (!fs || a->address.value < fs->address.value ||
	    a->address.value + a->length.value > fs->address.value + fs->size.value)
		return bad(c, a->line, "erase_fs.erase must lie inside region.filesystem");
	return 0;
}

static int check_restore(struct chk *c, const struct board_action *a)
{
	int r;
	const struct board *b = c->b;
	if (!a->prompt[0])
		return bad(c, a->line, "restore = %s needs restore.prompt", method_name(a->method));
	switch (a->method) {
	case METHOD_ST_ROM:
		if ((r = need_usb(c, a, USB_ST_ROM)))
			return r;
		if (a->alt < 0)
			return bad(c, a->line, "restore = st_rom needs restore.alt (the ROM's flash alt)");
		if (!board_region(b, "bootloader")) {
			const struct board_alt *al = board_alt(b, 0);
			if (!al || al->access != ALT_RO || !al->file[0])
				return bad(c, a->line, "restore = st_rom needs region.bootloader or a read-only alt.0 with its image");
		}
		return 0;
	case METHOD_STM32PROG:
		if ((r = need_usb(c, a, USB_ST_ROM)))
			return r;
		return a->layout[0] ? 0 : bad(c, a->line, "restore = stm32prog needs restore.layout");
	case METHOD_NXP_SDP:
		if ((r = need_usb(c, a, USB_SDP)) || (r = need_usb(c, a, USB_FLASHLOADER)))
			return r;
		if (!a->loader_file[0] || !a->config_id.text[0] || !a->config_words[1].text[0] ||
		    !a->efuse_data[0])
			return bad(c, a->line, "restore = nxp_sdp needs restore.loader, restore.config, restore.config_words and restore.efuse");
		if ((r = check_region_ref(c, a->line, "fcb", false)) ||
		    (r = check_region_ref(c, a->line, "sbl", true)) ||
		    (r = check_region_ref(c, a->line, "firmware", true)))
			return r;
		return 0;
	case METHOD_ALIF_ISP:
		if ((r = need_usb(c, a, USB_SE_BRIDGE)) || (r = need_usb(c, a, USB_BOOTLOADER)))
			return r;
		if (!a->nalts)
			return bad(c, a->line, "restore = alif_isp needs restore.mram (the alts written into MRAM)");
		for (int i = 0; i < a->nalts; i++) {
			const struct board_alt *al = board_alt(b, a->alts[i]);
			if (!al || !al->file[0] || strcmp(al->memory, "mram"))
				return bad(c, a->line, "restore.mram names alt %d, which is not an MRAM alt with an image", a->alts[i]);
		}
		if (!a->baud[1].value || !a->sp_offset_address.value || !a->mram_base.text[0])
			return bad(c, a->line, "restore = alif_isp needs restore.baud, restore.system_package and restore.mram_base");
		if (a->sp_address.value < a->mram_base.value || a->sp_offset_address.value < a->sp_address.value ||
		    a->sp_offset_address.value % 16 || a->sp_address.value % 16)
			return bad(c, a->line, "restore.system_package must lie above restore.mram_base, 16-byte aligned");
		return 0;
	default:
		return bad(c, a->line, "restore cannot use method %s", method_name(a->method));
	}
}

static int check_action(struct chk *c, enum action act)
{
	const struct board_action *a = &c->b->actions[act];
	int r;
	if (!a->line) {
		if (act == ACTION_INIT_MRAM)
			return 0;
		return bad(c, 0, "missing key %s (a method, or none with %s.why)", akey(act), akey(act));
	}
	const char *unread;
	if (a->prompt[0] && !prompts_loaded(&unread))
		return bad(c, a->prompt_line, "%s.prompt '%s' cannot be checked: %s", akey(act), a->prompt, unread);
	if (a->prompt[0] && !prompt_find(a->prompt))
		return bad(c, a->prompt_line, "%s.prompt '%s' is not a known hardware prompt (a section of "
		           "assets/prompts/prompts.ini)", akey(act), a->prompt);
	if (a->method == METHOD_NONE)
		return a->why[0] ? 0 : bad(c, a->line, "%s = none needs %s.why", akey(act), akey(act));
	if (act == ACTION_RESTORE)
		return check_restore(c, a);
	switch (a->method) {
	case METHOD_OPENMV_DFU:
		return check_openmv_dfu(c, act, a);
	case METHOD_DFUSE:
		return check_dfuse(c, act, a);
	case METHOD_BLHOST:
		return check_blhost(c, act, a);
	case METHOD_SAMBA:
		if ((r = need_usb(c, a, USB_SAMBA)))
			return r;
		if (act != ACTION_FLASH || !a->address.text[0] || !board_image(c->b, "firmware"))
			return bad(c, a->line, "samba is a flash method needing flash.offset and image.firmware");
		return 0;
	case METHOD_PICOBOOT:
		if ((r = need_usb(c, a, USB_BOOTSEL)))
			return r;
		if (act == ACTION_FLASH && !board_image(c->b, "firmware"))
			return bad(c, a->line, "flash = picoboot needs image.firmware");
		if (act == ACTION_ERASE_FS && (!a->address.text[0] || !a->flash_end.text[0]))
			return bad(c, a->line, "erase_fs = picoboot needs erase_fs.address and erase_fs.flash_end");
		if (act == ACTION_ERASE_FS && a->flash_end.value <= a->address.value)
			return bad(c, a->line, "erase_fs.flash_end must lie above erase_fs.address");
		return 0;
	default:
		return bad(c, a->line, "%s cannot use method %s", akey(act), method_name(a->method));
	}
}

static int check_layout(struct chk *c)
{
	const struct board *b = c->b;
	for (int i = 0; i < b->nalts; i++)
		for (int j = 0; j < i; j++) {
			const struct board_alt *x = &b->alts[i], *y = &b->alts[j];
			if (x->alt == y->alt)
				return bad(c, x->line, "alt %d is defined twice (also line %d)", x->alt, y->line);
			if (strcmp(x->memory, y->memory) || x->access >= ALT_WHOLE || y->access >= ALT_WHOLE)
				continue;
			if (overlaps(x->start.value, x->size.value, y->start.value, y->size.value))
				return bad(c, x->line, "alt %d (%s) overlaps alt %d (%s)", x->alt, x->name,
				           y->alt, y->name);
		}
	for (int i = 0; i < b->nregions; i++)
		for (int j = 0; j < i; j++) {
			const struct board_region *x = &b->regions[i], *y = &b->regions[j];
			if (!strcmp(x->name, y->name))
				return bad(c, x->line, "region.%s is defined twice", x->name);
			if (overlaps(x->address.value, x->size.value, y->address.value, y->size.value))
				return bad(c, x->line, "region.%s overlaps region.%s", x->name, y->name);
		}
	for (int i = 0; i < b->nimages; i++) {
		const struct board_image *x = &b->images[i];
		if (b->protect.end && x->alt >= 0 &&
		    overlaps(x->address.value, x->size.value, b->protect.start, b->protect.end - b->protect.start))
			return bad(c, x->line, "image.%s lies in the protected bootloader region", x->slot);
		for (int j = 0; j < i; j++) {
			const struct board_image *y = &b->images[j];
			if (!strcmp(x->slot, y->slot))
				return bad(c, x->line, "image.%s is defined twice", x->slot);
			if (x->alt >= 0 && x->alt == y->alt &&
			    overlaps(x->address.value, x->size.value, y->address.value, y->size.value))
				return bad(c, x->line, "image.%s overlaps image.%s", x->slot, y->slot);
		}
	}
	return 0;
}

int boarddb_check_board(const struct board *b, char *why, size_t n)
{
	struct chk c = {.b = b, .why = why, .n = n};
	const char *missing = !b->name[0] ? "name" : !b->mcu[0] ? "mcu" : !b->port[0] ? "port"
	                      : !b->core[0] ? "core" : !b->family[0] ? "family" : NULL;
	if (missing)
		return bad(&c, 0, "missing key %s", missing);
	int r = check_layout(&c);
	for (int a = 0; !r && a < ACTION_COUNT; a++)
		r = check_action(&c, (enum action)a);
	if (!r && b->nstack && !b->entry.end)
		r = bad(&c, 0, "check.stack is given without check.entry");
	if (!r && boarddb_ident_check(b, why, n))
		r = b->line;
	return r;
}
