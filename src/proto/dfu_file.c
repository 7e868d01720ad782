/* dfu_file.c — see dfu_file.h.  Byte layouts: reference dfu-dfuse-picoboot-samba.md §1.8. */
#include "dfu_file.h"

#include <string.h>

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t dfu_crc(const uint8_t *data, size_t len)
{
	/* Built per call: 256 entries cost nothing next to a firmware image, and a local
	 * table needs no once-only initialisation shared between threads. */
	uint32_t table[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	uint32_t crc = 0xFFFFFFFFu;
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
	return crc; /* no final XOR: dfu-util's convention (§1.8) */
}

/* The last 16 bytes hold the suffix fields; bLength may claim more (dfu-util accepts > 16). */
static int parse_suffix(const uint8_t *buf, size_t len, struct dfu_image *img,
			struct rs_error *err)
{
	img->payload = buf;
	img->payload_len = len;
	img->has_suffix = false;
	if (len < DFU_SUFFIX_LEN)
		return RS_OK; /* too short for a suffix: a raw image */
	const uint8_t *s = buf + len - DFU_SUFFIX_LEN;
	if (s[8] != 'U' || s[9] != 'F' || s[10] != 'D')
		return RS_OK; /* no "UFD" signature: a raw image */

	struct dfu_suffix *sx = &img->suffix;
	sx->bcd_device = le16(s + 0);
	sx->id_product = le16(s + 2);
	sx->id_vendor = le16(s + 4);
	sx->bcd_dfu = le16(s + 6);
	sx->length = s[11];
	sx->crc = le32(s + 12);

	uint32_t computed = dfu_crc(buf, len - 4);
	if (computed != sx->crc)
		return rs_fail(err, RS_E_INPUT,
			       "the file's DFU suffix says CRC 0x%08X but its contents give 0x%08X; "
			       "the file is damaged (download it again)", sx->crc, computed);
	if (sx->length < DFU_SUFFIX_LEN)
		return rs_fail(err, RS_E_INPUT,
			       "the file's DFU suffix claims a length of %u bytes, less than the "
			       "minimum of 16; the file is damaged", sx->length);
	if (sx->length > len)
		return rs_fail(err, RS_E_INPUT,
			       "the file's DFU suffix claims %u bytes but the whole file has only %zu",
			       sx->length, len);
	img->has_suffix = true;
	img->payload_len = len - sx->length;
	return RS_OK;
}

/* Read one target prefix and walk its elements inside p[0..left).  index is 1-based, for
 * messages.  On success *used is the number of bytes the target and its elements take. */
static int parse_target(const uint8_t *p, size_t left, unsigned index, struct dfuse_target *t,
			size_t *used, struct rs_error *err)
{
	if (left < DFUSE_TARGET_PREFIX_LEN)
		return rs_fail(err, RS_E_INPUT,
			       "DfuSe target %u is cut short: its 274-byte header needs %zu more "
			       "bytes; the file is truncated", index,
			       (size_t)DFUSE_TARGET_PREFIX_LEN - left);
	if (memcmp(p, "Target", 6) != 0)
		return rs_fail(err, RS_E_INPUT,
			       "DfuSe target %u does not start with \"Target\"; the file is damaged",
			       index);
	t->alt = p[6];
	t->named = p[7] != 0; /* dfu-util tests only the first byte of bTargetNamed (§1.8) */
	memcpy(t->name, p + 11, DFUSE_TARGET_NAME_LEN);
	t->name[DFUSE_TARGET_NAME_LEN] = '\0';
	t->size = le32(p + 266);
	t->n_elements = le32(p + 270);
	t->elements = p + DFUSE_TARGET_PREFIX_LEN;

	size_t off = DFUSE_TARGET_PREFIX_LEN;
	for (uint32_t i = 0; i < t->n_elements; i++) {
		if (left - off < DFUSE_ELEMENT_HEADER_LEN)
			return rs_fail(err, RS_E_INPUT,
				       "element %u of DfuSe target %u (alt %u) is cut short: its "
				       "8-byte header is missing; the file is truncated",
				       i + 1, index, t->alt);
		uint32_t addr = le32(p + off);
		uint32_t size = le32(p + off + 4);
		off += DFUSE_ELEMENT_HEADER_LEN;
		if (size > left - off)
			return rs_fail(err, RS_E_INPUT,
				       "element %u of DfuSe target %u (alt %u) at 0x%08X claims %u "
				       "bytes but only %zu remain; the file is truncated",
				       i + 1, index, t->alt, addr, size, left - off);
		if (size > 0 && (uint64_t)addr + size - 1 > UINT32_MAX)
			return rs_fail(err, RS_E_INPUT,
				       "element %u of DfuSe target %u (alt %u) at 0x%08X with %u "
				       "bytes runs past the end of the 32-bit address space",
				       i + 1, index, t->alt, addr, size);
		off += size;
	}
	t->elements_len = off - DFUSE_TARGET_PREFIX_LEN;
	*used = off;
	return RS_OK;
}

static int parse_dfuse(struct dfu_image *img, struct rs_error *err)
{
	const uint8_t *p = img->payload;
	size_t len = img->payload_len;
	if (len < DFUSE_PREFIX_LEN)
		return rs_fail(err, RS_E_INPUT,
			       "the DfuSe prefix is cut short (%zu of 11 bytes); the file is "
			       "truncated", len);
	if (p[5] != 1)
		return rs_fail(err, RS_E_INPUT,
			       "DfuSe format version %u is not supported (only version 1 exists)",
			       p[5]);
	/* DFUImageSize (bytes 6..9) is ignored, as dfu-util does: older packers wrote other
	 * values (§1.8).  Every length below is checked against the buffer instead. */
	img->is_dfuse = true;
	img->n_targets = p[10];
	img->targets = p + DFUSE_PREFIX_LEN;

	size_t off = DFUSE_PREFIX_LEN;
	for (unsigned i = 0; i < img->n_targets; i++) {
		struct dfuse_target t;
		size_t used = 0;
		int rc = parse_target(p + off, len - off, i + 1, &t, &used, err);
		if (rc < 0)
			return rc;
		off += used;
	}
	img->targets_len = off - DFUSE_PREFIX_LEN;
	img->trailing_len = len - off;
	return RS_OK;
}

int dfu_file_parse(const uint8_t *buf, size_t len, struct dfu_image *img, struct rs_error *err)
{
	memset(img, 0, sizeof *img);
	if (!buf && len)
		return rs_fail(err, RS_E_INPUT, "no file contents");
	int rc = parse_suffix(buf, len, img, err);
	if (rc < 0)
		return rc;
	bool prefix = img->payload_len >= 5 && memcmp(img->payload, "DfuSe", 5) == 0;
	if (prefix)
		return parse_dfuse(img, err);
	if (img->has_suffix && img->suffix.bcd_dfu == DFU_BCD_DFUSE)
		return rs_fail(err, RS_E_INPUT,
			       "the file's suffix marks it as a DfuSe file (bcdDFU 0x011A) but it "
			       "has no \"DfuSe\" prefix; the file is damaged");
	return RS_OK;
}

int dfu_file_check_ids(const struct dfu_image *img, uint16_t vid, uint16_t pid,
		       struct rs_error *err)
{
	if (!img->has_suffix)
		return RS_OK;
	const struct dfu_suffix *s = &img->suffix;
	bool vid_ok = s->id_vendor == DFU_ID_ANY || vid == DFU_ID_ANY || s->id_vendor == vid;
	bool pid_ok = s->id_product == DFU_ID_ANY || pid == DFU_ID_ANY || s->id_product == pid;
	if (vid_ok && pid_ok)
		return RS_OK;
	return rs_fail(err, RS_E_INPUT,
		       "the file is made for USB device %04x:%04x but the device is %04x:%04x; "
		       "pick the file for this board", s->id_vendor, s->id_product, vid, pid);
}

bool dfuse_file_next_target(const struct dfu_image *img, size_t *pos, struct dfuse_target *t)
{
	if (!img->is_dfuse || *pos >= img->targets_len)
		return false;
	size_t used = 0;
	/* Already checked by dfu_file_parse; re-checked so a stray *pos cannot read outside. */
	if (parse_target(img->targets + *pos, img->targets_len - *pos, 0, t, &used, NULL) < 0)
		return false;
	*pos += used;
	return true;
}

bool dfuse_target_next_element(const struct dfuse_target *t, size_t *pos,
			       struct dfuse_element *e)
{
	if (*pos > t->elements_len || t->elements_len - *pos < DFUSE_ELEMENT_HEADER_LEN)
		return false;
	const uint8_t *p = t->elements + *pos;
	e->address = le32(p);
	e->size = le32(p + 4);
	if (e->size > t->elements_len - *pos - DFUSE_ELEMENT_HEADER_LEN)
		return false;
	e->data = p + DFUSE_ELEMENT_HEADER_LEN;
	*pos += DFUSE_ELEMENT_HEADER_LEN + e->size;
	return true;
}
