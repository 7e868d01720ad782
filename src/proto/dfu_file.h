/* dfu_file.h — .dfu files held in memory: the generic DFU suffix and ST's DfuSe prefix.
 *
 * Layout facts: reference dfu-dfuse-picoboot-samba.md §1.8 (UM0391 and dfu-util 0.11).
 * A file is <payload><suffix>; a DfuSe file's payload is <prefix 11 B><targets...>, each
 * target a 274-byte prefix followed by elements (address, size, data).  Every length is
 * checked against the buffer: a truncated or corrupt file gives RS_E_INPUT with the reason,
 * never an out-of-bounds read.  Nothing here allocates; results point into the caller's buffer.
 */
#ifndef RESCUE_DFU_FILE_H
#define RESCUE_DFU_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define DFU_SUFFIX_LEN 16          /* minimum bLength of the suffix (§1.8) */
#define DFU_BCD_PLAIN 0x0100       /* suffix bcdDFU of a plain DFU file */
#define DFU_BCD_DFUSE 0x011A       /* suffix bcdDFU of a DfuSe file (DfuSe 1.1a) */
#define DFU_ID_ANY 0xFFFF          /* idVendor/idProduct/bcdDevice wildcard in the suffix */
#define DFUSE_PREFIX_LEN 11        /* "DfuSe", bVersion, DFUImageSize, bTargets */
#define DFUSE_TARGET_PREFIX_LEN 274
#define DFUSE_ELEMENT_HEADER_LEN 8 /* dwElementAddress, dwElementSize */
#define DFUSE_TARGET_NAME_LEN 255

struct dfu_suffix {
	uint16_t bcd_device;
	uint16_t id_product;
	uint16_t id_vendor;
	uint16_t bcd_dfu;
	uint8_t length;            /* bLength: bytes stripped from the end of the file */
	uint32_t crc;              /* dwCRC as stored (already checked) */
};

struct dfu_image {
	const uint8_t *payload;    /* the file without its suffix (a DfuSe prefix stays in) */
	size_t payload_len;
	bool has_suffix;           /* false: a raw image with no "UFD" suffix */
	struct dfu_suffix suffix;  /* valid when has_suffix */
	bool is_dfuse;             /* payload starts with a valid "DfuSe" prefix */
	uint8_t n_targets;         /* DfuSe: bTargets */
	const uint8_t *targets;    /* DfuSe: first target prefix */
	size_t targets_len;        /* DfuSe: bytes taken by all targets and their elements */
	size_t trailing_len;       /* DfuSe: bytes after the last target (dfu-util only warns) */
};

struct dfuse_target {
	uint8_t alt;               /* bAlternateSetting the elements are written through */
	bool named;
	char name[DFUSE_TARGET_NAME_LEN + 1];
	uint32_t size;             /* dwTargetSize as stored (not trusted, not checked) */
	uint32_t n_elements;
	const uint8_t *elements;   /* first element header */
	size_t elements_len;
};

struct dfuse_element {
	uint32_t address;
	uint32_t size;
	const uint8_t *data;
};

/* The CRC dfu-util stores in a suffix: reflected CRC-32 (0xEDB88320), initial value
 * 0xFFFFFFFF, no final XOR — the bitwise NOT of zlib's crc32().  "123456789" → 0x340BC6D9. */
uint32_t dfu_crc(const uint8_t *data, size_t len);

/* Parse and check a whole file in buf[0..len).  A file without "UFD" is a raw image
 * (has_suffix false); a "UFD" suffix with a wrong CRC or bLength, a DfuSe suffix without a
 * DfuSe prefix, and any truncated prefix, target or element fail with RS_E_INPUT.
 * On success every target and element is known to lie inside buf. */
int dfu_file_parse(const uint8_t *buf, size_t len, struct dfu_image *img, struct rs_error *err);

/* Check the suffix's idVendor:idProduct against the device's.  0xFFFF on either side
 * matches anything; a file without a suffix matches every device.  RS_E_INPUT on mismatch. */
int dfu_file_check_ids(const struct dfu_image *img, uint16_t vid, uint16_t pid,
		       struct rs_error *err);

/* Walk the targets of a parsed DfuSe image: start with *pos = 0; returns true and fills t
 * while there is one more, false at the end. */
bool dfuse_file_next_target(const struct dfu_image *img, size_t *pos, struct dfuse_target *t);

/* Walk the elements of one target the same way. */
bool dfuse_target_next_element(const struct dfuse_target *t, size_t *pos,
			       struct dfuse_element *e);

#endif
