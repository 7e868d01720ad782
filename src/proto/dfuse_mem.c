/* dfuse_mem.c — see dfuse_mem.h.  Grammar: reference dfu-dfuse-picoboot-samba.md §1.7. */
#include "dfuse_mem.h"

#include <string.h>

struct cursor {
	const char *start;
	const char *p;
};

static size_t pos(const struct cursor *c)
{
	return (size_t)(c->p - c->start);
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int hex_value(char ch)
{
	if (is_digit(ch))
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decimal, at least one digit, leading zeros allowed ("016" is sixteen, not octal: §1.7). */
static bool read_decimal(struct cursor *c, uint32_t *out)
{
	uint64_t v = 0;
	if (!is_digit(*c->p))
		return false;
	while (is_digit(*c->p)) {
		v = v * 10 + (uint64_t)(*c->p - '0');
		if (v > UINT32_MAX)
			return false;
		c->p++;
	}
	*out = (uint32_t)v;
	return true;
}

static bool read_hex(struct cursor *c, uint32_t *out)
{
	uint64_t v = 0;
	if (hex_value(*c->p) < 0)
		return false;
	while (hex_value(*c->p) >= 0) {
		v = v << 4 | (uint64_t)hex_value(*c->p);
		if (v > UINT32_MAX)
			return false;
		c->p++;
	}
	*out = (uint32_t)v;
	return true;
}

static bool is_type_letter(char ch)
{
	return ch >= 'a' && ch <= 'g';
}

/* The type of one segment from its multiplier character and its type string, or 0 when
 * it has none that is valid (the segment is then skipped, §1.7). */
static uint8_t segment_type(const struct dfuse_layout *l, char mult, const char *type,
			    size_t type_len)
{
	if (type_len > 1)
		return 0;
	/* STM32F4 ROMs mark their "Device Feature" interface wrongly; dfu-util forces type e
	 * (readable + writable) for that exact name (§1.7). */
	if (strcmp(l->name, "Device Feature") == 0)
		return 'e' & 7;
	if (type_len == 1)
		return is_type_letter(type[0]) ? (uint8_t)(type[0] & 7) : 0;
	/* No type string: a letter in the multiplier position is the type (in bytes). */
	return is_type_letter(mult) ? (uint8_t)(mult & 7) : 0;
}

static uint32_t multiplier_of(char mult)
{
	switch (mult) {
	case 'K': return 1024;
	case 'M': return 1024 * 1024;
	default: return 1; /* 'B', a type letter, a space or anything else: bytes (§1.7) */
	}
}

static const struct dfuse_segment *find_overlap(const struct dfuse_layout *l, uint64_t start,
					       uint64_t bytes)
{
	for (size_t i = 0; i < l->n_segments; i++)
		if (start <= l->seg[i].end && l->seg[i].start <= start + bytes - 1)
			return &l->seg[i];
	return NULL;
}

/* One "N*SIZE<mult><type>" at c; appends it to l unless its type is invalid. */
static int parse_segment(struct cursor *c, uint64_t *address, struct dfuse_layout *l,
			 struct rs_error *err)
{
	size_t at = pos(c);
	uint32_t count, size;
	if (!read_decimal(c, &count) || *c->p != '*')
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\": expected a sector count and '*' at position %zu",
			       c->start, at);
	c->p++;
	if (!read_decimal(c, &size))
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\": expected a decimal sector size at position %zu",
			       c->start, pos(c));
	char mult = *c->p;
	if (mult != '\0' && mult != ',' && mult != '/')
		c->p++;
	else
		mult = '\0';
	const char *type = c->p;
	while (*c->p && *c->p != ',' && *c->p != '/')
		c->p++;
	size_t type_len = (size_t)(c->p - type);

	uint64_t page = (uint64_t)size * multiplier_of(mult);
	uint64_t bytes = page * count;
	if (bytes == 0)
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\": the segment at position %zu has no bytes",
			       c->start, at);
	if (*address + bytes - 1 > UINT32_MAX)
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\": the segment at position %zu runs past the "
			       "end of the 32-bit address space", c->start, at);
	uint8_t t = segment_type(l, mult, type, type_len);
	if (t == 0) {
		/* [I] dfu-util drops such a segment; we also move the address past it, since
		 * the sectors it names still occupy the address space. */
		l->skipped++;
	} else {
		if (l->n_segments == DFUSE_LAYOUT_MAX_SEGMENTS)
			return rs_fail(err, RS_E_INPUT,
				       "memory layout \"%s\" has more than %d segments",
				       c->start, DFUSE_LAYOUT_MAX_SEGMENTS);
		/* Overlapping segments would make page lookups and erase plans ambiguous. */
		const struct dfuse_segment *clash = find_overlap(l, *address, bytes);
		if (clash)
			return rs_fail(err, RS_E_INPUT,
				       "memory layout \"%s\": the segment at position %zu overlaps "
				       "0x%08X..0x%08X", c->start, at, clash->start, clash->end);
		struct dfuse_segment *s = &l->seg[l->n_segments++];
		s->start = (uint32_t)*address;
		s->end = (uint32_t)(*address + bytes - 1);
		s->page_size = (uint32_t)page;
		s->type = t;
	}
	*address += bytes;
	return RS_OK;
}

/* One "/0xADDR/segment,segment,..." block. */
static int parse_block(struct cursor *c, struct dfuse_layout *l, struct rs_error *err)
{
	c->p += 3; /* "/0x", checked by the caller */
	uint32_t start;
	if (!read_hex(c, &start) || *c->p != '/')
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\": expected a hex address and '/' at position %zu",
			       c->start, pos(c));
	c->p++;
	uint64_t address = start;
	for (;;) {
		int rc = parse_segment(c, &address, l, err);
		if (rc < 0)
			return rc;
		if (*c->p != ',')
			return RS_OK;
		c->p++;
	}
}

int dfuse_layout_parse(const char *s, struct dfuse_layout *l, struct rs_error *err)
{
	memset(l, 0, sizeof *l);
	if (!s || s[0] != '@')
		return rs_fail(err, RS_E_INPUT,
			       "memory layout \"%s\" does not start with '@'; this interface does "
			       "not describe DfuSe memory", s ? s : "");
	struct cursor c = { s, s + 1 };
	const char *slash = strchr(c.p, '/');
	size_t name_len = slash ? (size_t)(slash - c.p) : strlen(c.p);
	if (name_len == 0)
		return rs_fail(err, RS_E_INPUT, "memory layout \"%s\" has an empty name", s);
	if (name_len > DFUSE_LAYOUT_NAME_MAX)
		name_len = DFUSE_LAYOUT_NAME_MAX;
	memcpy(l->name, c.p, name_len);
	l->name[name_len] = '\0';
	c.p = slash ? slash : c.p + strlen(c.p);

	while (*c.p) {
		if (strncmp(c.p, "/0x", 3) == 0 || strncmp(c.p, "/0X", 3) == 0) {
			int rc = parse_block(&c, l, err);
			if (rc < 0)
				return rc;
		} else if (c.p[0] == '/' && c.p[1] == '\0') {
			break; /* a trailing '/' ends the string harmlessly */
		} else {
			return rs_fail(err, RS_E_INPUT,
				       "memory layout \"%s\": unexpected '%c' at position %zu",
				       s, *c.p, pos(&c));
		}
	}
	return RS_OK;
}

const struct dfuse_segment *dfuse_layout_find(const struct dfuse_layout *l, uint32_t addr)
{
	for (size_t i = 0; i < l->n_segments; i++)
		if (addr >= l->seg[i].start && addr <= l->seg[i].end)
			return &l->seg[i];
	return NULL;
}

bool dfuse_layout_page(const struct dfuse_layout *l, uint32_t addr, uint32_t *page_start,
		       uint32_t *page_size)
{
	const struct dfuse_segment *s = dfuse_layout_find(l, addr);
	if (!s)
		return false;
	*page_size = s->page_size;
	*page_start = s->start + (addr - s->start) / s->page_size * s->page_size;
	return true;
}

bool dfuse_layout_range_is(const struct dfuse_layout *l, uint32_t addr, uint64_t len,
			   uint8_t want)
{
	uint64_t cur = addr;
	uint64_t left = len;
	do {
		if (cur > UINT32_MAX)
			return false;
		const struct dfuse_segment *s = dfuse_layout_find(l, (uint32_t)cur);
		if (!s || (s->type & want) != want)
			return false;
		uint64_t in_segment = (uint64_t)s->end - cur + 1;
		if (in_segment >= left)
			return true;
		cur += in_segment;
		left -= in_segment;
	} while (left > 0);
	return true;
}
