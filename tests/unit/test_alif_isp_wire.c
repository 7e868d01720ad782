/* test_alif_isp_wire.c — the pure Alif SE ISP layer (src/proto/alif_isp_wire.c) against the
 * byte examples of reference alif-isp-openmv-ide-n6.md §1.2 and the layouts of §1.5/§1.6. */
#include <stdio.h>
#include <string.h>

#include "../common/tap.h"
#include "alif_isp.h"

static int same(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	return na == nb && !memcmp(a, b, na);
}

static void test_checksum(void)
{
	/* §1.2: the tools compute ((sum + 1) XOR 0xFF) + 2 mod 256; we compute -sum. */
	int agree = 0;
	for (unsigned sum = 0; sum < 256; sum++) {
		uint8_t b = (uint8_t)sum;
		uint8_t tool = (uint8_t)((((sum + 1) & 0xFF) ^ 0xFF) + 2);
		agree += alif_isp_checksum(&b, 1) == tool;
	}
	ok(agree == 256, "checksum equals the tools' ((sum+1)^0xFF)+2 for all 256 sums (%d)", agree);
	uint8_t pkt[] = {0x0B, 0x08, 0x00, 0x00, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00, 0x5D};
	unsigned sum = 0;
	for (size_t i = 0; i < sizeof pkt; i++)
		sum += pkt[i];
	ok((sum & 0xFF) == 0, "the 8-bit sum of a whole packet is 0 (BURN_MRAM example)");
}

static void test_encode_examples(void)
{
	/* §1.2 worked examples (computed by the reference's author from the confirmed rules) */
	static const struct {
		uint8_t cmd;
		const char *name;
		uint8_t bytes[3];
	} bare[] = {
		{ALIF_CMD_START_ISP, "START_ISP", {0x03, 0x00, 0xFD}},
		{ALIF_CMD_STOP_ISP, "STOP_ISP", {0x03, 0x01, 0xFC}},
		{ALIF_CMD_RESET_DEVICE, "RESET", {0x03, 0x09, 0xF4}},
		{ALIF_CMD_ENQUIRY, "ENQUIRY", {0x03, 0x0F, 0xEE}},
		{ALIF_CMD_SET_MAINTENANCE_FLAG, "SET_MAINTENANCE_FLAG", {0x03, 0x16, 0xE7}},
	};
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		uint8_t out[8];
		size_t n = alif_isp_encode(bare[i].cmd, NULL, 0, out, sizeof out);
		ok(same(out, n, bare[i].bytes, 3), "%s encodes as %02X %02X %02X", bare[i].name,
		   bare[i].bytes[0], bare[i].bytes[1], bare[i].bytes[2]);
	}
	uint8_t out[32];
	uint32_t w = ALIF_GET_BANNER;
	static const uint8_t banner[] = {0x07, 0x14, 0x04, 0x00, 0x00, 0x00, 0xE1};
	ok(same(out, alif_isp_encode_words(ALIF_CMD_GET, &w, 1, out, sizeof out), banner, sizeof banner),
	   "GET banner encodes as 07 14 04 00 00 00 E1");
	w = ALIF_GET_REVISION;
	static const uint8_t rev[] = {0x07, 0x14, 0x02, 0x00, 0x00, 0x00, 0xE3};
	ok(same(out, alif_isp_encode_words(ALIF_CMD_GET, &w, 1, out, sizeof out), rev, sizeof rev),
	   "GET revision encodes as 07 14 02 00 00 00 E3");
	w = 921600;
	static const uint8_t baud[] = {0x07, 0x11, 0x00, 0x10, 0x0E, 0x00, 0xCA};
	ok(same(out, alif_isp_encode_words(ALIF_CMD_SET_BAUD_RATE, &w, 1, out, sizeof out), baud, sizeof baud),
	   "SET_BAUD_RATE 921600 encodes as 07 11 00 10 0E 00 CA (32-bit little-endian)");
	uint32_t burn[2] = {0x80000000u, 0x1000};
	static const uint8_t bm[] = {0x0B, 0x08, 0x00, 0x00, 0x00, 0x80, 0x00, 0x10, 0x00, 0x00, 0x5D};
	ok(same(out, alif_isp_encode_words(ALIF_CMD_BURN_MRAM, burn, 2, out, sizeof out), bm, sizeof bm),
	   "BURN_MRAM 0x80000000 0x1000 encodes as 0B 08 00 00 00 80 00 10 00 00 5D");
}

static void test_encode_limits(void)
{
	uint8_t payload[300] = {0}, out[300];
	ok(alif_isp_encode(ALIF_CMD_DOWNLOAD_DATA, payload, 252, out, sizeof out) == 255 && out[0] == 255,
	   "a 252-byte payload makes a 255-byte packet (LEN is one byte)");
	ok(alif_isp_encode(ALIF_CMD_DOWNLOAD_DATA, payload, 253, out, sizeof out) == 0,
	   "a 253-byte payload is refused: its LEN would not fit in a byte");
	ok(alif_isp_encode(ALIF_CMD_DOWNLOAD_DATA, payload, 242, out, 200) == 0,
	   "encoding into a buffer that is too small is refused");
	ok(alif_isp_encode(ALIF_CMD_DOWNLOAD_DATA, payload, 242, out, sizeof out) == 245,
	   "a DOWNLOAD_DATA of 240 data bytes + 2 pad bytes is a 245-byte packet (§1.7)");
}

static void test_decode(void)
{
	struct alif_isp_packet p;
	static const uint8_t ack[] = {0x03, 0xFE, 0xFF, 0x42};
	ok(alif_isp_decode(ack, sizeof ack, &p) == 3 && p.cmd == ALIF_RSP_ACK && p.len == 0,
	   "ACK 03 FE FF decodes, taking 3 bytes and leaving what follows");
	static const uint8_t nak[] = {0x04, 0xFF, 0xEF, 0x0E};
	ok(alif_isp_decode(nak, sizeof nak, &p) == 4 && p.cmd == ALIF_RSP_NAK && p.len == 1 && p.payload[0] == 0xEF,
	   "NAK with code 0xEF decodes with the code as payload byte 0");
	ok(alif_isp_decode(nak, 3, &p) == 0, "a truncated packet asks for more bytes");
	ok(alif_isp_decode(nak, 0, &p) == 0, "no bytes asks for more bytes");
	static const uint8_t bad[] = {0x04, 0xFF, 0xEF, 0x0F};
	ok(alif_isp_decode(bad, sizeof bad, &p) == RS_E_VERIFY, "a wrong checksum is refused");
	static const uint8_t tiny[] = {0x02, 0xFE};
	ok(alif_isp_decode(tiny, sizeof tiny, &p) == RS_E_PROTOCOL, "LEN below 3 is not a packet (§1.2)");
	uint8_t rt[300];
	uint8_t text[] = "SES B4 v1.104.0";
	size_t n = alif_isp_encode(ALIF_RSP_PRINT_DATA, text, sizeof text, rt, sizeof rt);
	ok(alif_isp_decode(rt, n, &p) == (int)n && p.cmd == ALIF_RSP_PRINT_DATA && p.len == sizeof text &&
	   !memcmp(p.payload, text, sizeof text), "encode then decode gives back command and payload");
}

static size_t data_packet(const uint8_t *payload, size_t len, uint8_t *out)
{
	return alif_isp_encode(ALIF_RSP_DATA, payload, len, out, 300);
}

static void test_enquiry(void)
{
	uint8_t pl[13] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x01, 0, 0, 0};
	uint8_t buf[300];
	struct alif_isp_packet p;
	struct alif_isp_enquiry e;
	alif_isp_decode(buf, data_packet(pl, sizeof pl, buf), &p);
	ok(!alif_isp_parse_enquiry(&p, &e) && e.seram && !e.serom && e.error == 0x44332211u &&
	   e.ext_error == 0x88776655u && e.maintenance,
	   "ENQUIRY: stage bit 1 = SERAM, error and extended error little-endian, maintenance 1");
	pl[0] = 0x01;
	pl[9] = 0;
	alif_isp_decode(buf, data_packet(pl, sizeof pl, buf), &p);
	ok(!alif_isp_parse_enquiry(&p, &e) && e.serom && !e.seram && !e.maintenance,
	   "ENQUIRY: stage bit 0 = SEROM (ROM recovery), maintenance 0");
	pl[9] = 2;
	alif_isp_decode(buf, data_packet(pl, sizeof pl, buf), &p);
	ok(!alif_isp_parse_enquiry(&p, &e) && !e.maintenance, "ENQUIRY: maintenance is on only when the word is 1");
	pl[0] = 0x01;
	alif_isp_decode(buf, data_packet(pl, 9, buf), &p);
	ok(!alif_isp_parse_enquiry(&p, &e) && e.serom && e.error == 0x44332211u && e.ext_error == 0x88776655u &&
	   !e.maintenance, "a SEROM ENQUIRY answer of 9 payload bytes (what the toolkit reads, up to packet byte 10) is accepted");
	pl[0] = 0x02;
	pl[9] = 1;
	alif_isp_decode(buf, data_packet(pl, 12, buf), &p);
	ok(!alif_isp_parse_enquiry(&p, &e) && e.seram && !e.maintenance,
	   "a SERAM ENQUIRY answer without the whole maintenance word does not claim maintenance mode");
	alif_isp_decode(buf, data_packet(pl, 8, buf), &p);
	ok(alif_isp_parse_enquiry(&p, &e) == RS_E_PROTOCOL, "an ENQUIRY answer shorter than the toolkit reads is refused");
}

static void test_revision(void)
{
	uint8_t pkt[136] = {0};
	pkt[0] = 136;
	pkt[1] = ALIF_RSP_DATA;
	pkt[3] = 180; /* "0 180 0 0" = B4 (§1.6) */
	memcpy(pkt + 6, "AE302F80F55D5AE", 15);
	pkt[126] = 0xAB;
	pkt[134] = 1;
	pkt[135] = alif_isp_checksum(pkt, 135);
	struct alif_isp_packet p;
	struct alif_isp_revision r;
	ok(alif_isp_decode(pkt, sizeof pkt, &p) == 136, "a 136-byte revision answer decodes");
	ok(!alif_isp_parse_revision(&p, &r) && !strcmp(r.part, "AE302F80F55D5AE") && r.rev[1] == 180 &&
	   r.hbk0_blank && r.lcs == 1 && r.serial[0] == 0xAB && !strcmp(alif_isp_lcs_name(r.lcs), "DM"),
	   "revision: part AE302F80F55D5AE at [6..21], serial at [126], LCS 1 = DM at [134], blank HBK0");
	ok(!strcmp(r.rev_name, "B4"), "revision bytes 0 180 0 0 read as B4 [I: second byte in hex]");
	pkt[3] = 161;
	pkt[22] = 1;
	pkt[135] = alif_isp_checksum(pkt, 135);
	alif_isp_decode(pkt, sizeof pkt, &p);
	ok(!alif_isp_parse_revision(&p, &r) && !strcmp(r.rev_name, "A1") && !r.hbk0_blank,
	   "revision bytes 0 161 0 0 read as A1 [I]; a set HBK0 byte is not blank");
	uint8_t short_pkt[300];
	alif_isp_decode(short_pkt, data_packet(pkt + 2, 132, short_pkt), &p);
	ok(alif_isp_parse_revision(&p, &r) == RS_E_PROTOCOL, "a revision answer of 135 bytes is refused, as the tools do");
}

static void test_banner(void)
{
	struct alif_isp_version v = {0};
	char word[16];
	ok(!alif_isp_banner_version("SES B4 v1.104.0 Jan 10 2025", &v, word, sizeof word) && v.major == 1 &&
	   v.minor == 104 && v.patch == 0 && !strcmp(word, "B4"),
	   "banner 'SES B4 v1.104.0 ...' gives version 1.104.0 and word B4");
	ok(!alif_isp_banner_version("Alif\nSES A1 v0.82.7\n", &v, NULL, 0) && v.major == 0 && v.minor == 82 &&
	   v.patch == 7, "the pattern is found after other lines");
	ok(alif_isp_banner_version("SES B4 1.104.0", &v, NULL, 0) == -1, "a version without 'v' is not taken");
	ok(alif_isp_banner_version("SES B4 v1.104", &v, NULL, 0) == -1, "a version without a patch number is not taken");
	ok(alif_isp_banner_version("no banner here", &v, NULL, 0) == -1, "a banner without 'SES' has no version");
	ok(alif_isp_banner_version("SES  v1.2.3", &v, NULL, 0) == -1, "'SES' needs a word before the version");
	struct alif_isp_version a = {1, 104, 0}, b = {1, 110, 0}, c = {1, 104, 0};
	ok(alif_isp_version_cmp(&a, &b) < 0 && alif_isp_version_cmp(&b, &a) > 0 && !alif_isp_version_cmp(&a, &c),
	   "versions compare numerically (1.104.0 < 1.110.0)");
	uint8_t pl[] = "SES B4 v1.104.0\x01";
	uint8_t buf[300];
	char text[64];
	struct alif_isp_packet p;
	alif_isp_decode(buf, data_packet(pl, sizeof pl, buf), &p);
	ok(!alif_isp_parse_banner(&p, text, sizeof text) && !strcmp(text, "SES B4 v1.104.0?"),
	   "banner text is copied up to its NUL with control bytes replaced");
	ok(!alif_isp_parse_banner(&p, text, 4) && !strcmp(text, "SES"), "a small buffer gets a truncated banner");
}

static void test_errors(void)
{
	char b[8];
	ok(!strcmp(alif_isp_error_name(0xEF, b, sizeof b), "MRAM_WRITE_FAILED") &&
	   alif_isp_nak_class(0xEF) == ALIF_NAK_MRAM, "0xEF is MRAM_WRITE_FAILED, an MRAM failure (§1.5)");
	ok(!strcmp(alif_isp_error_name(0xFA, b, sizeof b), "CHECKSUM_ERROR") &&
	   alif_isp_nak_class(0xFA) == ALIF_NAK_LINK, "0xFA is CHECKSUM_ERROR, a link problem");
	ok(!strcmp(alif_isp_error_name(0xF2, b, sizeof b), "IMAGE_AUTHENTICATION_FAILED") &&
	   alif_isp_nak_class(0xF2) == ALIF_NAK_REFUSED, "0xF2 is IMAGE_AUTHENTICATION_FAILED, a refusal");
	ok(alif_isp_nak_class(0xED) == ALIF_NAK_ADDRESS && alif_isp_nak_class(0xFC) == ALIF_NAK_UNSUPPORTED,
	   "0xED ILLEGAL_ADDRESS is an address problem, 0xFC UNKNOWN_COMMAND unsupported");
	ok(!strcmp(alif_isp_error_name(0x42, b, sizeof b), "0x42") && alif_isp_nak_class(0x42) == ALIF_NAK_OTHER &&
	   strlen(alif_isp_error_text(0x42)) > 0, "an unknown code is named by its hex value");
	int named = 0;
	for (int c = 0xE3; c <= 0xFF; c++)
		named += strncmp(alif_isp_error_name((uint8_t)c, b, sizeof b), "0x", 2) != 0;
	ok(named == 29, "all 29 error codes 0xE3..0xFF of §1.5 have names (%d)", named);
}

int main(void)
{
	test_checksum();
	test_encode_examples();
	test_encode_limits();
	test_decode();
	test_enquiry();
	test_revision();
	test_banner();
	test_errors();
	return tap_done();
}
