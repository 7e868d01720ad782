/* test_dfu_file.c — .dfu suffix/prefix parsing against the vectors of reference
 * dfu-dfuse-picoboot-samba.md §1.8, plus every kind of truncation and bad field. */
#include "dfu_file.h"
#include "../common/tap.h"

#include <stdlib.h>
#include <string.h>

/* §1.8 worked example 1: DE AD BE EF + suffix for 0483:df11, bcdDFU 0x0100. */
static const uint8_t example1[] = {
	0xde, 0xad, 0xbe, 0xef,
	0xff, 0xff, 0x11, 0xdf, 0x83, 0x04, 0x00, 0x01, 0x55, 0x46, 0x44, 0x10,
	0xfe, 0x92, 0xf4, 0xcd,
};

/* §1.8 worked example 2 (313 bytes), assembled from the offsets the reference lists. */
static size_t build_example2(uint8_t *f)
{
	static const uint8_t prefix[] = { 0x44, 0x66, 0x75, 0x53, 0x65, 0x01, 0x39, 0x01, 0x00,
					  0x00, 0x01 };
	static const uint8_t target[] = { 0x54, 0x61, 0x72, 0x67, 0x65, 0x74, 0x00, 0x01, 0x00,
					  0x00, 0x00 };
	static const uint8_t sizes[] = { 0x0c, 0, 0, 0, 0x01, 0, 0, 0 };
	static const uint8_t element[] = { 0, 0, 0, 0x08, 0x04, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t suffix[] = { 0x00, 0x00, 0x11, 0xdf, 0x83, 0x04, 0x1a, 0x01, 0x55,
					  0x46, 0x44, 0x10, 0x11, 0xad, 0x1a, 0xbb };
	memset(f, 0, 313);
	memcpy(f + 0x000, prefix, sizeof prefix);
	memcpy(f + 0x00b, target, sizeof target);
	memcpy(f + 0x016, "ST...", 5);
	memcpy(f + 0x115, sizes, sizeof sizes);
	memcpy(f + 0x11d, element, sizeof element);
	memcpy(f + 0x129, suffix, sizeof suffix);
	return 313;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Append a suffix (with a correct CRC) after payload_len bytes; returns the file length. */
static size_t add_suffix(uint8_t *f, size_t payload_len, uint16_t vid, uint16_t pid,
			 uint16_t bcd_dfu, uint8_t blength)
{
	uint8_t *s = f + payload_len;
	put16(s, 0xFFFF);
	put16(s + 2, pid);
	put16(s + 4, vid);
	put16(s + 6, bcd_dfu);
	memcpy(s + 8, "UFD", 3);
	s[11] = blength;
	put32(s + 12, dfu_crc(f, payload_len + 12));
	return payload_len + 16;
}

static void test_crc(void)
{
	tap_ok(dfu_crc((const uint8_t *)"123456789", 9) == 0x340BC6D9,
	       "CRC of \"123456789\" is 0x340BC6D9 (bitwise NOT of CRC-32 0xCBF43926)");
	tap_ok(dfu_crc(NULL, 0) == 0xFFFFFFFF, "CRC of nothing is the initial value 0xFFFFFFFF");
	tap_ok(dfu_crc(example1, sizeof example1 - 4) == 0xCDF492FE,
	       "CRC of worked example 1 equals its stored dwCRC 0xCDF492FE");
}

static void test_example1(void)
{
	struct dfu_image img;
	struct rs_error err = { 0 };
	int rc = dfu_file_parse(example1, sizeof example1, &img, &err);
	tap_ok(rc == RS_OK, "worked example 1 parses (%s)", err.msg);
	tap_ok(img.has_suffix && img.suffix.id_vendor == 0x0483 &&
	       img.suffix.id_product == 0xdf11 && img.suffix.bcd_device == 0xFFFF &&
	       img.suffix.bcd_dfu == 0x0100 && img.suffix.length == 16,
	       "worked example 1 suffix fields: 0483:df11, bcdDevice FFFF, bcdDFU 0100, bLength 16");
	tap_ok(img.payload == example1 && img.payload_len == 4 && !img.is_dfuse,
	       "worked example 1 payload is the 4 bytes DE AD BE EF, not DfuSe");
	tap_ok(dfu_file_check_ids(&img, 0x0483, 0xdf11, NULL) == RS_OK,
	       "suffix IDs match 0483:df11");
	rc = dfu_file_check_ids(&img, 0x37c5, 0x9204, &err);
	tap_ok(rc == RS_E_INPUT && strstr(err.msg, "0483:df11") && strstr(err.msg, "37c5:9204"),
	       "suffix IDs 0483:df11 refuse device 37c5:9204 and name both (%s)", err.msg);
	tap_ok(dfu_file_check_ids(&img, 0xFFFF, 0xdf11, NULL) == RS_OK,
	       "caller VID 0xFFFF matches any suffix VID");
}

static void test_example2(void)
{
	uint8_t f[313];
	size_t len = build_example2(f);
	tap_ok(dfu_crc(f, len - 4) == 0xBB1AAD11, "CRC of worked example 2 is 0xBB1AAD11");

	struct dfu_image img;
	struct rs_error err = { 0 };
	int rc = dfu_file_parse(f, len, &img, &err);
	tap_ok(rc == RS_OK && img.is_dfuse && img.n_targets == 1 && img.trailing_len == 0,
	       "worked example 2 parses as DfuSe with 1 target and no trailing bytes (%s)",
	       err.msg);
	tap_ok(img.suffix.bcd_dfu == DFU_BCD_DFUSE && img.suffix.bcd_device == 0,
	       "worked example 2 suffix: bcdDFU 0x011A, bcdDevice 0");

	size_t tpos = 0, epos = 0;
	struct dfuse_target t;
	struct dfuse_element e;
	bool got = dfuse_file_next_target(&img, &tpos, &t);
	tap_ok(got && t.alt == 0 && t.named && strcmp(t.name, "ST...") == 0 && t.size == 12 &&
	       t.n_elements == 1, "target: alt 0, named \"ST...\", size 12, 1 element");
	got = got && dfuse_target_next_element(&t, &epos, &e);
	tap_ok(got && e.address == 0x08000000 && e.size == 4 &&
	       memcmp(e.data, "\xde\xad\xbe\xef", 4) == 0 && e.data == f + 0x125,
	       "element: 4 bytes DE AD BE EF at 0x08000000, pointing into the buffer");
	tap_ok(!dfuse_target_next_element(&t, &epos, &e), "no second element");
	tap_ok(!dfuse_file_next_target(&img, &tpos, &t), "no second target");
}

static void expect_input_error(const uint8_t *f, size_t len, const char *needle,
			       const char *what)
{
	struct dfu_image img;
	struct rs_error err = { 0 };
	int rc = dfu_file_parse(f, len, &img, &err);
	tap_ok(rc == RS_E_INPUT && err.code == RS_E_INPUT && strstr(err.msg, needle),
	       "%s is refused with a reason containing \"%s\" (got %d: %s)", what, needle, rc,
	       err.msg);
}

static void test_suffix_faults(void)
{
	uint8_t f[64];
	memcpy(f, example1, sizeof example1);
	f[1] ^= 0x01;
	expect_input_error(f, sizeof example1, "CRC", "a flipped payload bit");

	memcpy(f, example1, sizeof example1);
	size_t len = add_suffix(f, 4, 0x0483, 0xdf11, DFU_BCD_PLAIN, 15);
	expect_input_error(f, len, "minimum of 16", "bLength 15");

	len = add_suffix(f, 4, 0x0483, 0xdf11, DFU_BCD_PLAIN, 200);
	expect_input_error(f, len, "only 20", "bLength longer than the file");

	/* bLength 20: dfu-util strips 20 bytes, so the first 4 "payload" bytes go too. */
	memset(f, 0xAA, 8);
	len = add_suffix(f, 8, 0x0483, 0xdf11, DFU_BCD_PLAIN, 20);
	struct dfu_image img;
	tap_ok(dfu_file_parse(f, len, &img, NULL) == RS_OK && img.payload_len == 4,
	       "bLength 20 is accepted and strips 20 bytes");

	len = add_suffix(f, 8, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "no \"DfuSe\" prefix", "a DfuSe suffix on a plain payload");

	/* A raw image: no UFD, or too short for a suffix. */
	memset(f, 0x11, sizeof f);
	tap_ok(dfu_file_parse(f, 40, &img, NULL) == RS_OK && !img.has_suffix &&
	       img.payload_len == 40 && dfu_file_check_ids(&img, 1, 2, NULL) == RS_OK,
	       "a file without \"UFD\" is a raw image that fits every device");
	tap_ok(dfu_file_parse(f, 3, &img, NULL) == RS_OK && img.payload_len == 3,
	       "a 3-byte file is a raw image");
	tap_ok(dfu_file_parse(NULL, 0, &img, NULL) == RS_OK && img.payload_len == 0,
	       "an empty file is an empty raw image");

	/* Suffix wildcard IDs match any device. */
	len = add_suffix(f, 8, 0xFFFF, 0xFFFF, DFU_BCD_PLAIN, 16);
	tap_ok(dfu_file_parse(f, len, &img, NULL) == RS_OK &&
	       dfu_file_check_ids(&img, 0x37c5, 0x9204, NULL) == RS_OK,
	       "suffix FFFF:FFFF matches any device");
}

/* Rebuild example 2 with its payload cut to k bytes (keeping a valid suffix). */
static size_t cut_example2(uint8_t *f, size_t k)
{
	build_example2(f);
	return add_suffix(f, k, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
}

static void test_dfuse_faults(void)
{
	uint8_t f[400];
	/* Every cut of the 297-byte payload after the "DfuSe" signature must be refused. */
	int refused = 0, total = 0;
	char first_bad[700] = "";
	for (size_t k = 5; k < 297; k++) {
		struct dfu_image img;
		struct rs_error err = { 0 };
		size_t len = cut_example2(f, k);
		/* Heap copy of exactly len bytes so ASan catches any read past the end. */
		uint8_t *exact = malloc(len);
		memcpy(exact, f, len);
		int rc = dfu_file_parse(exact, len, &img, &err);
		free(exact);
		total++;
		if (rc == RS_E_INPUT && strstr(err.msg, "truncated"))
			refused++;
		else if (!first_bad[0])
			snprintf(first_bad, sizeof first_bad, "cut at %zu: rc %d %s", k, rc, err.msg);
	}
	tap_ok(refused == total, "all %d truncations of worked example 2 say \"truncated\" %s",
	       total, first_bad);

	size_t len = build_example2(f);
	f[5] = 2;
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "version 2", "DfuSe format version 2");

	build_example2(f);
	f[0x0b] = 't';
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "\"Target\"", "a target without the \"Target\" signature");

	build_example2(f);
	f[0x0a] = 2; /* bTargets 2, only one present */
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "target 2", "bTargets larger than the targets present");

	build_example2(f);
	put32(f + 0x121, 5); /* element claims 5 bytes, 4 present */
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "claims 5 bytes", "an element longer than the file");

	build_example2(f);
	put32(f + 0x119, 2); /* two elements announced, one present */
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "element 2", "dwNbElements larger than the elements present");

	build_example2(f);
	put32(f + 0x119, 0xFFFFFFFF); /* absurd element count: must stop at the buffer end */
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "truncated", "dwNbElements 0xFFFFFFFF");

	build_example2(f);
	put32(f + 0x11d, 0xFFFFFFFE); /* 4 bytes from 0xFFFFFFFE wrap past 4 GiB */
	len = add_suffix(f, 297, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	expect_input_error(f, len, "32-bit address space", "an element that wraps the address space");

	/* Extra bytes after the last target are reported, not refused (dfu-util warns). */
	build_example2(f);
	memset(f + 297, 0x5A, 3);
	len = add_suffix(f, 300, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	struct dfu_image img;
	tap_ok(dfu_file_parse(f, len, &img, NULL) == RS_OK && img.trailing_len == 3,
	       "3 bytes after the last target are counted in trailing_len");

	/* A DfuSe file with zero targets is valid and yields none. */
	memcpy(f, "DfuSe\x01\0\0\0\0\0", 11);
	len = add_suffix(f, 11, 0x0483, 0xdf11, DFU_BCD_DFUSE, 16);
	size_t tpos = 0;
	struct dfuse_target t;
	tap_ok(dfu_file_parse(f, len, &img, NULL) == RS_OK && img.is_dfuse &&
	       !dfuse_file_next_target(&img, &tpos, &t),
	       "a DfuSe file with no targets parses and iterates nothing");
}

static void test_two_targets(void)
{
	/* Two targets (alt 0 with two elements, alt 1 with one), built by hand. */
	uint8_t f[1024] = { 0 };
	size_t o = 0;
	memcpy(f, "DfuSe\x01\0\0\0\0\x02", 11);
	o = 11;
	memcpy(f + o, "Target", 6);
	f[o + 6] = 0;
	put32(f + o + 270, 2);
	o += 274;
	put32(f + o, 0x08000000);
	put32(f + o + 4, 3);
	memcpy(f + o + 8, "abc", 3);
	o += 11;
	put32(f + o, 0x08020000);
	put32(f + o + 4, 0);
	o += 8;
	memcpy(f + o, "Target", 6);
	f[o + 6] = 1;
	put32(f + o + 270, 1);
	o += 274;
	put32(f + o, 0x90000000);
	put32(f + o + 4, 2);
	memcpy(f + o + 8, "xy", 2);
	o += 10;
	size_t len = add_suffix(f, o, 0x2341, 0x035b, DFU_BCD_DFUSE, 16);

	struct dfu_image img;
	struct rs_error err = { 0 };
	int rc = dfu_file_parse(f, len, &img, &err);
	size_t tpos = 0, epos;
	struct dfuse_target t;
	struct dfuse_element e;
	unsigned seen = 0;
	bool shape_ok = rc == RS_OK;
	while (shape_ok && dfuse_file_next_target(&img, &tpos, &t)) {
		epos = 0;
		unsigned n = 0;
		while (dfuse_target_next_element(&t, &epos, &e))
			n++;
		shape_ok = shape_ok && t.alt == seen && n == t.n_elements && !t.named;
		seen++;
	}
	tap_ok(shape_ok && seen == 2, "two targets (alts 0 and 1) with 2 and 1 elements (%s)",
	       err.msg);
}

int main(void)
{
	test_crc();
	test_example1();
	test_example2();
	test_suffix_faults();
	test_dfuse_faults();
	test_two_targets();
	return tap_done();
}
