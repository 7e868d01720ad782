/* alif_isp_wire.c — the pure half of alif_isp.h: packets, reply layouts, error names.
 * Everything here must be safe on any bytes (it is fuzzed: tests/fuzz/fuzz_alif_isp.c). */
#include "alif_isp.h"

#include <stdio.h>
#include <string.h>

uint8_t alif_isp_checksum(const uint8_t *buf, size_t n)
{
	/* §1.2: the tools compute ((sum + 1) ^ 0xFF) + 2, which is -sum modulo 256 */
	unsigned sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += buf[i];
	return (uint8_t)(0x100 - (sum & 0xFF));
}

size_t alif_isp_encode(uint8_t cmd, const void *payload, size_t len, uint8_t *out, size_t cap)
{
	size_t total = len + 3;
	if (len > ALIF_ISP_MAX_PAYLOAD || cap < total)
		return 0;
	out[0] = (uint8_t)total;
	out[1] = cmd;
	if (len)
		memcpy(out + 2, payload, len);
	out[total - 1] = alif_isp_checksum(out, total - 1);
	return total;
}

size_t alif_isp_encode_words(uint8_t cmd, const uint32_t *words, int n, uint8_t *out, size_t cap)
{
	uint8_t payload[ALIF_ISP_MAX_PAYLOAD];
	if (n < 0 || (size_t)n * 4 > sizeof payload)
		return 0;
	for (int i = 0; i < n; i++)
		for (int b = 0; b < 4; b++)
			payload[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
	return alif_isp_encode(cmd, payload, (size_t)n * 4, out, cap);
}

int alif_isp_decode(const uint8_t *buf, size_t n, struct alif_isp_packet *out)
{
	if (n < 1)
		return 0;
	size_t total = buf[0];
	if (total < 3)
		return RS_E_PROTOCOL;
	if (n < total)
		return 0;
	if (alif_isp_checksum(buf, total - 1) != buf[total - 1])
		return RS_E_VERIFY;
	out->cmd = buf[1];
	out->len = total - 3;
	memcpy(out->payload, buf + 2, out->len);
	return (int)total;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int alif_isp_parse_enquiry(const struct alif_isp_packet *p, struct alif_isp_enquiry *out)
{
	/* §1.6: packet bytes [2] stage, [3..6] error, [7..10] extended error, [11..14]
	 * maintenance: payload offsets 0, 1, 5, 9.  The Security Toolkit reads a SEROM reply only
	 * up to packet byte 10 (isp/isp_core.py isp_enquiry: SEROM has no maintenance mode), so
	 * 9 payload bytes are enough; the maintenance word counts only when it is there. */
	if (p->cmd != ALIF_RSP_DATA || p->len < 9)
		return RS_E_PROTOCOL;
	memset(out, 0, sizeof *out);
	out->stage = p->payload[0];
	out->serom = (out->stage & 1) != 0;
	out->seram = (out->stage & 2) != 0;
	out->error = le32(p->payload + 1);
	out->ext_error = le32(p->payload + 5);
	out->maintenance = p->len >= 13 && le32(p->payload + 9) == 1;
	return 0;
}

int alif_isp_parse_revision(const struct alif_isp_packet *p, struct alif_isp_revision *out)
{
	/* §1.6: exactly 136 bytes on the wire (the tools refuse any other length); packet
	 * offsets [2..5] revision, [6..21] part, [22..37] HBK0, [126..133] serial, [134] LCS */
	if (p->cmd != ALIF_RSP_DATA || p->len != 133)
		return RS_E_PROTOCOL;
	const uint8_t *pl = p->payload;
#define AT(i) (pl + (i) - 2) /* packet byte i, as §1.6 counts, inside the payload */
	memset(out, 0, sizeof *out);
	memcpy(out->rev, AT(2), 4);
	/* "0 180 0 0" = B4, "0 179 0 0" = B3, "0 161 0 0" = A1 (§1.6): the second byte is the
	 * revision written in hex [I: every listed example fits this reading] */
	if (!out->rev[0] && !out->rev[2] && !out->rev[3] && out->rev[1] >= 0xA0)
		snprintf(out->rev_name, sizeof out->rev_name, "%X", out->rev[1]);
	else
		snprintf(out->rev_name, sizeof out->rev_name, "?");
	for (int i = 0; i < 16; i++) {
		uint8_t c = *AT(6 + i);
		if (!c)
			break;
		out->part[i] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
	}
	memcpy(out->hbk0, AT(22), 16);
	out->hbk0_blank = true;
	for (int i = 0; i < 16; i++)
		if (out->hbk0[i])
			out->hbk0_blank = false;
	memcpy(out->serial, AT(126), 8);
	out->lcs = *AT(134);
#undef AT
	return 0;
}

int alif_isp_parse_banner(const struct alif_isp_packet *p, char *buf, size_t n)
{
	if (p->cmd != ALIF_RSP_DATA || !n)
		return RS_E_PROTOCOL;
	size_t k = 0;
	for (size_t i = 0; i < p->len && p->payload[i] && k + 1 < n; i++) {
		uint8_t c = p->payload[i];
		buf[k++] = (c >= 0x20 && c < 0x7F) || c == '\n' ? (char)c : '?';
	}
	buf[k] = '\0';
	return 0;
}

static int number(const char **s)
{
	const char *p = *s;
	long v = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 6)
		v = v * 10 + (*p++ - '0'), digits++;
	if (!digits || (*p >= '0' && *p <= '9'))
		return -1;
	*s = p;
	return (int)v;
}

int alif_isp_banner_version(const char *banner, struct alif_isp_version *v, char *word, size_t n)
{
	for (const char *s = strstr(banner, "SES "); s; s = strstr(s + 1, "SES ")) {
		const char *w = s + 4;
		size_t wl = strcspn(w, " \t\r\n");
		if (!wl)
			continue;
		const char *p = w + wl;
		if (*p != ' ')
			continue;
		while (*p == ' ')
			p++;
		if (*p != 'v')
			continue;
		p++;
		int a = number(&p);
		if (a < 0 || *p++ != '.')
			continue;
		int b = number(&p);
		if (b < 0 || *p++ != '.')
			continue;
		int c = number(&p);
		if (c < 0)
			continue;
		v->major = a;
		v->minor = b;
		v->patch = c;
		if (word && n)
			snprintf(word, n, "%.*s", (int)(wl < n ? wl : n - 1), w);
		return 0;
	}
	return -1;
}

int alif_isp_version_cmp(const struct alif_isp_version *a, const struct alif_isp_version *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

const char *alif_isp_lcs_name(uint8_t lcs)
{
	switch (lcs) { /* §1.6 */
	case 0: return "CM";
	case 1: return "DM";
	case 5: return "SE";
	case 7: return "RMA";
	default: return "unknown";
	}
}

/* §1.5, with a plain sentence and a class for each code. */
static const struct nak_info {
	uint8_t code;
	const char *name;
	const char *text;
	enum alif_isp_nak_class cls;
} naks[] = {
	{0xFF, "ERROR", "a general error", ALIF_NAK_OTHER},
	{0xFE, "READ_TIMEOUT", "it timed out reading the request", ALIF_NAK_LINK},
	{0xFD, "WRITE_TIMEOUT", "it timed out sending its answer", ALIF_NAK_LINK},
	{0xFC, "UNKNOWN_COMMAND", "it does not know this command", ALIF_NAK_UNSUPPORTED},
	{0xFB, "COMMAND_STOP", "the command was stopped", ALIF_NAK_LINK},
	{0xFA, "CHECKSUM_ERROR", "the request arrived with a wrong checksum", ALIF_NAK_LINK},
	{0xF9, "NOT_SUPPORTED", "this request is not supported", ALIF_NAK_UNSUPPORTED},
	{0xF8, "BAD_PACKET_SIZE", "the request had a wrong size", ALIF_NAK_LINK},
	{0xF7, "BAD_DESTINATION_ADDR", "the destination address is not allowed", ALIF_NAK_ADDRESS},
	{0xF6, "UNEXPECTED_COMMAND", "the command came out of order", ALIF_NAK_LINK},
	{0xF5, "HOST_AUTH_FAILED", "the host failed authentication", ALIF_NAK_REFUSED},
	{0xF4, "NOT_ALLOWED", "this is not allowed in its current state", ALIF_NAK_REFUSED},
	{0xF3, "BAD_AUTH_TOKEN", "the authentication token was wrong", ALIF_NAK_REFUSED},
	{0xF2, "IMAGE_AUTHENTICATION_FAILED", "the image's signature was not accepted", ALIF_NAK_REFUSED},
	{0xF1, "IMAGE_VERIFICATION_FAILED", "the image failed verification", ALIF_NAK_REFUSED},
	{0xF0, "SECURE_DEBUG_FAILED", "secure debug failed", ALIF_NAK_REFUSED},
	{0xEF, "MRAM_WRITE_FAILED", "the MRAM write failed", ALIF_NAK_MRAM},
	{0xEE, "UNKNOWN_GET_OBJECT", "it does not know this query", ALIF_NAK_UNSUPPORTED},
	{0xED, "ILLEGAL_ADDRESS", "the address is illegal", ALIF_NAK_ADDRESS},
	{0xEC, "MISALIGNED", "the address or size is misaligned", ALIF_NAK_ADDRESS},
	{0xEB, "MRAM_OFFSET_MISALIGNED", "the MRAM offset is misaligned", ALIF_NAK_ADDRESS},
	{0xEA, "UNKNOWN_MRAM_ERROR", "an unknown MRAM error happened", ALIF_NAK_MRAM},
	{0xE9, "MRAM_LENGTH_TOO_LARGE", "the image is too large for that MRAM area", ALIF_NAK_ADDRESS},
	{0xE8, "UNKNOWN_SET_OBJECT", "it does not know this setting", ALIF_NAK_UNSUPPORTED},
	{0xE7, "CODE_VERIFY_FAILURE", "the written code did not verify", ALIF_NAK_MRAM},
	{0xE6, "INVALID_CODE_SIZE", "the image size is invalid", ALIF_NAK_ADDRESS},
	{0xE5, "MFG_DATA_MISCOMPARE", "its manufacturing data did not compare", ALIF_NAK_OTHER},
	{0xE4, "SERAM_JUMP_FAILED", "it could not start its RAM firmware (SERAM)", ALIF_NAK_OTHER},
	{0xE3, "MRAM_CONTROLLER_ERROR", "the MRAM controller reported an error", ALIF_NAK_MRAM},
};

static const struct nak_info *nak_find(uint8_t code)
{
	for (size_t i = 0; i < sizeof naks / sizeof naks[0]; i++)
		if (naks[i].code == code)
			return &naks[i];
	return NULL;
}

const char *alif_isp_error_name(uint8_t code, char *buf, size_t n)
{
	const struct nak_info *k = nak_find(code);
	if (k)
		return k->name;
	snprintf(buf, n, "0x%02X", code);
	return buf;
}

const char *alif_isp_error_text(uint8_t code)
{
	const struct nak_info *k = nak_find(code);
	return k ? k->text : "an error code this program does not know";
}

enum alif_isp_nak_class alif_isp_nak_class(uint8_t code)
{
	const struct nak_info *k = nak_find(code);
	return k ? k->cls : ALIF_NAK_OTHER;
}
