/* boarddb_keys.c — parses one boards.ini key into the board's typed fields (see
 * boarddb_keys.h).  One handler per key family; the key's name selects it. */
#include "boarddb_keys.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boarddb_ident.h"
#include "boarddb_units.h"
#include "inivalue.h"

struct keyctx {
	struct board *b;
	const char *key;   /* lower-case */
	const char *val;
	int line;
	char why[200];
};

#define BAD(c, ...) (snprintf((c)->why, sizeof (c)->why, __VA_ARGS__), -1)

static int h_text(struct keyctx *c, char *dst, size_t n)
{
	if (!*c->val || strlen(c->val) >= n)
		return BAD(c, "%s must be 1 to %zu characters", c->key, n - 1);
	memcpy(dst, c->val, strlen(c->val) + 1);
	return 0;
}

static int h_identity(struct keyctx *c)
{
	struct board *b = c->b;
	if (!strcmp(c->key, "name")) return h_text(c, b->name, sizeof b->name);
	if (!strcmp(c->key, "mcu")) return h_text(c, b->mcu, sizeof b->mcu);
	if (!strcmp(c->key, "port")) return h_text(c, b->port, sizeof b->port);
	if (!strcmp(c->key, "core")) return h_text(c, b->core, sizeof b->core);
	return h_text(c, b->family, sizeof b->family);
}

static int h_usb(struct keyctx *c)
{
	const char *mode = c->key + 4;
	for (int m = 0; m < USB_MODE_COUNT; m++) {
		if (strcmp(usb_mode_name((enum usb_mode)m), mode))
			continue;
		char f[INI_MAX_FIELDS][96];
		int n = ini_split(c->val, f, BOARD_MAX_IDS);
		if (n < 0)
			return BAD(c, "at most %d IDs per mode", BOARD_MAX_IDS);
		for (int i = 0; i < n; i++)
			if (ini_usb_id(f[i], &c->b->usb[m].id[i], c->why, sizeof c->why))
				return -1;
		c->b->usb[m].n = n;
		return 0;
	}
	return BAD(c, "unknown USB mode '%s'", mode);
}

static int parse_index(struct keyctx *c, const char *s, int max, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > max)
		return BAD(c, "'%.40s' is not an alt number from 0 to %d", s, max);
	*out = (int)v;
	return 0;
}

static int h_alt(struct keyctx *c)
{
	struct board *b = c->b;
	if (b->nalts == BOARD_MAX_ALTS)
		return BAD(c, "more than %d alts", BOARD_MAX_ALTS);
	struct board_alt *a = &b->alts[b->nalts];
	memset(a, 0, sizeof *a);
	if (parse_index(c, c->key + 4, 255, &a->alt))
		return -1;
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, INI_MAX_FIELDS);
	if (n < 4 || n > 5)
		return BAD(c, "an alt is written NAME, MEMORY:START, SIZE, ro|rw|whole|command[, IMAGE]");
	if (ini_word(f[0], a->name, sizeof a->name, c->why, sizeof c->why))
		return -1;
	char *colon = strchr(f[1], ':');
	if (!colon || colon == f[1] || (size_t)(colon - f[1]) >= sizeof a->memory)
		return BAD(c, "'%s' should be MEMORY:START, e.g. flash:0x08040000", f[1]);
	memcpy(a->memory, f[1], (size_t)(colon - f[1]));
	if (ini_number(colon + 1, &a->start, c->why, sizeof c->why) ||
	    ini_number(f[2], &a->size, c->why, sizeof c->why))
		return -1;
	if (!a->size.value)
		return BAD(c, "alt %d has size 0", a->alt);
	static const char *acc[] = {"ro", "rw", "whole", "command"};
	int k = 0;
	while (k < 4 && strcmp(f[3], acc[k]))
		k++;
	if (k == 4)
		return BAD(c, "access '%s' is not ro, rw, whole or command", f[3]);
	a->access = (enum alt_access)k;
	if (n == 5 && ini_word(f[4], a->file, sizeof a->file, c->why, sizeof c->why))
		return -1;
	a->line = c->line;
	b->nalts++;
	return 0;
}

static int h_image(struct keyctx *c)
{
	struct board *b = c->b;
	if (b->nimages == BOARD_MAX_IMAGES)
		return BAD(c, "more than %d images", BOARD_MAX_IMAGES);
	struct board_image *im = &b->images[b->nimages];
	memset(im, 0, sizeof *im);
	im->alt = -1;
	if (ini_word(c->key + 6, im->slot, sizeof im->slot, c->why, sizeof c->why))
		return -1;
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, INI_MAX_FIELDS);
	if (n == 4) {
		if (parse_index(c, f[0], 255, &im->alt) ||
		    ini_number(f[1], &im->address, c->why, sizeof c->why) ||
		    ini_number(f[2], &im->size, c->why, sizeof c->why) ||
		    ini_word(f[3], im->file, sizeof im->file, c->why, sizeof c->why))
			return -1;
		if (!im->size.value)
			return BAD(c, "image %s has size 0", im->slot);
	} else if (n == 1) {
		if (ini_word(f[0], im->file, sizeof im->file, c->why, sizeof c->why))
			return -1;
	} else {
		return BAD(c, "an image is written ALT, ADDRESS, SIZE, FILE or just FILE");
	}
	im->line = c->line;
	b->nimages++;
	return 0;
}

static int h_region(struct keyctx *c)
{
	struct board *b = c->b;
	if (b->nregions == BOARD_MAX_REGIONS)
		return BAD(c, "more than %d regions", BOARD_MAX_REGIONS);
	struct board_region *r = &b->regions[b->nregions];
	memset(r, 0, sizeof *r);
	if (ini_word(c->key + 7, r->name, sizeof r->name, c->why, sizeof c->why))
		return -1;
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, INI_MAX_FIELDS);
	if (n < 2 || n > 4)
		return BAD(c, "a region is written ADDRESS, SIZE[, FILE or -[, region|image]]");
	if (ini_number(f[0], &r->address, c->why, sizeof c->why) ||
	    ini_number(f[1], &r->size, c->why, sizeof c->why))
		return -1;
	if (!r->size.value)
		return BAD(c, "region %s has size 0", r->name);
	if (n >= 3 && strcmp(f[2], "-") && ini_word(f[2], r->file, sizeof r->file, c->why, sizeof c->why))
		return -1;
	if (n == 4) {
		if (!strcmp(f[3], "region"))
			r->erase = ERASE_REGION;
		else if (!strcmp(f[3], "image"))
			r->erase = ERASE_IMAGE;
		else
			return BAD(c, "erase '%s' is not region or image", f[3]);
	}
	r->line = c->line;
	b->nregions++;
	return 0;
}

static int h_ranges(struct keyctx *c, struct addr_range *out, int max, int *n_out)
{
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, max);
	if (n < 0)
		return BAD(c, "at most %d ranges", max);
	for (int i = 0; i < n; i++)
		if (ini_range(f[i], &out[i], c->why, sizeof c->why))
			return -1;
	*n_out = n;
	return 0;
}

static int h_check(struct keyctx *c)
{
	int n;
	if (!strcmp(c->key, "check.stack"))
		return h_ranges(c, c->b->stack, BOARD_MAX_RANGES, &c->b->nstack);
	if (h_ranges(c, &c->b->entry, 1, &n))
		return -1;
	return 0;
}

static int h_protect(struct keyctx *c)
{
	int n;
	return h_ranges(c, &c->b->protect, 1, &n);
}

static int h_method(struct keyctx *c, struct board_action *a)
{
	for (int m = 0; m < METHOD_COUNT; m++)
		if (!strcmp(c->val, method_name((enum method)m))) {
			a->method = (enum method)m;
			a->line = c->line;
			return 0;
		}
	return BAD(c, "method '%s' is unknown", c->val);
}

static int list_ints(struct keyctx *c, int *out, int *n_out)
{
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, BOARD_MAX_LIST);
	if (n < 0)
		return BAD(c, "at most %d entries", BOARD_MAX_LIST);
	for (int i = 0; i < n; i++) {
		if (parse_index(c, f[i], 255, &out[i]))
			return -1;
		for (int j = 0; j < i; j++)
			if (out[j] == out[i])
				return BAD(c, "alt %d is used twice", out[i]);
	}
	*n_out = n;
	return 0;
}

static int list_words(struct keyctx *c, char out[][16], int *n_out)
{
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, BOARD_MAX_LIST);
	if (n < 0)
		return BAD(c, "at most %d entries", BOARD_MAX_LIST);
	for (int i = 0; i < n; i++) {
		if (ini_word(f[i], out[i], 16, c->why, sizeof c->why))
			return -1;
		for (int j = 0; j < i; j++)
			if (!strcmp(out[j], out[i]))
				return BAD(c, "'%s' is listed twice", out[i]);
	}
	*n_out = n;
	return 0;
}

static int two_numbers(struct keyctx *c, struct bnum *a, struct bnum *b, const char *form)
{
	char f[INI_MAX_FIELDS][96];
	if (ini_split(c->val, f, INI_MAX_FIELDS) != 2)
		return BAD(c, "%s is written %s", c->key, form);
	if (ini_number(f[0], a, c->why, sizeof c->why) || ini_number(f[1], b, c->why, sizeof c->why))
		return -1;
	return 0;
}

/* Parameters of an action: "flash.alts", "restore.prompt", ... */
/* ACTION.writes = ALT ADDRESS, ... */
static int h_writes(struct keyctx *c, struct board_action *a)
{
	char f[INI_MAX_FIELDS][96];
	a->writes_line = c->line;
	int n = ini_split(c->val, f, BOARD_MAX_LIST);
	if (n < 0)
		return BAD(c, "at most %d writes", BOARD_MAX_LIST);
	for (int i = 0; i < n; i++) {
		char alt[16], addr[80];
		if (sscanf(f[i], "%15s %79s", alt, addr) != 2)
			return BAD(c, "a write is written ALT ADDRESS, e.g. 0 0x08020000");
		if (parse_index(c, alt, 255, &a->writes[i].alt) ||
		    ini_number(addr, &a->writes[i].address, c->why, sizeof c->why))
			return -1;
	}
	a->nwrites = n;
	return 0;
}

/* restore.loader = ADDRESS, FILE */
static int h_loader(struct keyctx *c, struct board_action *a)
{
	char f[INI_MAX_FIELDS][96];
	if (ini_split(c->val, f, INI_MAX_FIELDS) != 2)
		return BAD(c, "restore.loader is written ADDRESS, FILE");
	return ini_number(f[0], &a->loader_address, c->why, sizeof c->why) ||
	       ini_word(f[1], a->loader_file, sizeof a->loader_file, c->why, sizeof c->why) ? -1 : 0;
}

/* restore.config = ADDRESS, BYTES, MEMORY-ID */
static int h_config(struct keyctx *c, struct board_action *a)
{
	char f[INI_MAX_FIELDS][96];
	if (ini_split(c->val, f, INI_MAX_FIELDS) != 3)
		return BAD(c, "restore.config is written ADDRESS, BYTES, MEMORY-ID");
	return ini_number(f[0], &a->config_address, c->why, sizeof c->why) ||
	       ini_number(f[1], &a->config_bytes, c->why, sizeof c->why) ||
	       ini_number(f[2], &a->config_id, c->why, sizeof c->why) ? -1 : 0;
}

/* restore.dev_keys = HASH, ... (32 hex digits each) */
static int h_dev_keys(struct keyctx *c, struct board_action *a)
{
	char f[INI_MAX_FIELDS][96];
	int n = ini_split(c->val, f, INI_MAX_FIELDS);
	if (n < 1 || n > BOARD_MAX_LIST)
		return BAD(c, "restore.dev_keys is a list of up to 8 key hashes of 32 hex digits");
	for (int i = 0; i < n; i++) {
		if (strlen(f[i]) != 32 || strspn(f[i], "0123456789abcdefABCDEF") != 32)
			return BAD(c, "each restore.dev_keys entry is 32 hex digits (a 16-byte HBK0)");
		for (int k = 0; k < 33; k++)
			a->dev_keys[i][k] = (char)tolower((unsigned char)f[i][k]);
	}
	a->ndev_keys = n;
	return 0;
}

/* restore.efuse = INDEX, DATA */
static int h_efuse(struct keyctx *c, struct board_action *a)
{
	char f[INI_MAX_FIELDS][96];
	if (ini_split(c->val, f, INI_MAX_FIELDS) != 2 || strlen(f[1]) != 8 ||
	    strspn(f[1], "0123456789abcdefABCDEF") != 8)
		return BAD(c, "restore.efuse is written INDEX, DATA (8 hex digits)");
	memcpy(a->efuse_data, f[1], 9);
	return ini_number(f[0], &a->efuse_index, c->why, sizeof c->why);
}

static int h_param(struct keyctx *c, struct board_action *a, const char *p)
{
	if (!strcmp(p, "why"))
		return h_text(c, a->why, sizeof a->why);
	if (!strcmp(p, "when"))
		return h_text(c, a->when, sizeof a->when);
	if (!strcmp(p, "note"))
		return h_text(c, a->note, sizeof a->note);
	if (!strcmp(p, "prompt") && (a->prompt_line = c->line))
		return ini_word(c->val, a->prompt, sizeof a->prompt, c->why, sizeof c->why);
	if (!strcmp(p, "alts") || !strcmp(p, "mram"))
		return list_ints(c, a->alts, &a->nalts);
	if (!strcmp(p, "alt"))
		return parse_index(c, c->val, 255, &a->alt);
	if (!strcmp(p, "images") || !strcmp(p, "regions"))
		return list_words(c, a->slots, &a->nslots);
	if (!strcmp(p, "extra"))
		return list_words(c, a->extra, &a->nextra);
	if (!strcmp(p, "writes"))
		return h_writes(c, a);
	if (!strcmp(p, "erase"))
		return two_numbers(c, &a->address, &a->length, "ADDRESS, LENGTH");
	if (!strcmp(p, "address") || !strcmp(p, "offset"))
		return ini_number(c->val, &a->address, c->why, sizeof c->why);
	if (!strcmp(p, "flash_end"))
		return ini_number(c->val, &a->flash_end, c->why, sizeof c->why);
	if (!strcmp(p, "max_size"))
		return ini_number(c->val, &a->max_size, c->why, sizeof c->why);
	if (!strcmp(p, "erase_timeout"))
		return ini_number(c->val, &a->timeout_ms, c->why, sizeof c->why);
	if (!strcmp(p, "key")) {
		if (strlen(c->val) != 32 || strspn(c->val, "0123456789abcdefABCDEF") != 32)
			return BAD(c, "the key is 32 hex digits (16 bytes)");
		memcpy(a->key_hex, c->val, 33);
		return 0;
	}
	if (!strcmp(p, "layout"))
		return ini_word(c->val, a->layout, sizeof a->layout, c->why, sizeof c->why);
	if (!strcmp(p, "readback_alt")) {
		a->has_readback_alt = true;
		return ini_number(c->val, &a->readback_alt, c->why, sizeof c->why);
	}
	if (!strcmp(p, "loader"))
		return h_loader(c, a);
	if (!strcmp(p, "config"))
		return h_config(c, a);
	if (!strcmp(p, "baud"))
		return two_numbers(c, &a->baud[0], &a->baud[1], "BOOT-BAUD, FAST-BAUD");
	if (!strcmp(p, "system_package"))
		return two_numbers(c, &a->sp_address, &a->sp_offset_address, "SP-ADDRESS, OFFSET-FILE-ADDRESS");
	if (!strcmp(p, "mram_base"))
		return ini_number(c->val, &a->mram_base, c->why, sizeof c->why);
	if (!strcmp(p, "layout_word"))
		return two_numbers(c, &a->layout_word[0], &a->layout_word[1], "ADDRESS, VALUE");
	if (!strcmp(p, "layout_vector"))
		return ini_number(c->val, &a->layout_vector, c->why, sizeof c->why);
	if (!strcmp(p, "layout_stack"))
		return two_numbers(c, &a->layout_stack[0], &a->layout_stack[1], "MASK, VALUE");
	if (!strcmp(p, "layout_no_vector"))
		return ini_number(c->val, &a->layout_no_vector, c->why, sizeof c->why);
	if (!strcmp(p, "layout_fix"))
		return h_text(c, a->layout_fix, sizeof a->layout_fix);
	if (!strcmp(p, "dev_keys"))
		return h_dev_keys(c, a);
	if (!strcmp(p, "config_words"))
		return two_numbers(c, &a->config_words[0], &a->config_words[1], "WORD, WORD");
	if (!strcmp(p, "efuse"))
		return h_efuse(c, a);
	return BAD(c, "unknown key '%s'", c->key);
}

static const char *action_keys[ACTION_COUNT] = {"flash", "erase_fs", "restore", "init_mram"};

static int h_key(struct keyctx *c)
{
	const char *k = c->key;
	if (!strcmp(k, "name") || !strcmp(k, "mcu") || !strcmp(k, "port") || !strcmp(k, "core") ||
	    !strcmp(k, "family"))
		return h_identity(c);
	if (!strncmp(k, "usb.", 4))
		return h_usb(c);
	if (!strncmp(k, "alt.", 4))
		return h_alt(c);
	if (!strncmp(k, "image.", 6))
		return h_image(c);
	if (!strncmp(k, "region.", 7))
		return h_region(c);
	if (!strcmp(k, "check.stack") || !strcmp(k, "check.entry"))
		return h_check(c);
	if (!strcmp(k, "protect"))
		return h_protect(c);
	if (!strncmp(k, "id.", 3))
		return boarddb_ident_key(c->b, k + 3, c->val, c->why, sizeof c->why);
	if (!strncmp(k, "units.", 6))
		return boarddb_units_key(c->b, k + 6, c->val, c->why, sizeof c->why);
	for (int a = 0; a < ACTION_COUNT; a++) {
		size_t n = strlen(action_keys[a]);
		if (strncmp(k, action_keys[a], n))
			continue;
		if (!k[n])
			return h_method(c, &c->b->actions[a]);
		if (k[n] == '.')
			return h_param(c, &c->b->actions[a], k + n + 1);
	}
	return BAD(c, "unknown key '%s'", k);
}

int boarddb_parse_key(struct board *b, const char *key, const char *val, int line, char *why, size_t n)
{
	struct keyctx c = {.b = b, .key = key, .val = val, .line = line};
	int r = h_key(&c);
	if (r)
		snprintf(why, n, "%s", c.why);
	return r;
}
