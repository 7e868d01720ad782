/* fuzz_alif_isp.c — libFuzzer target for the Alif SE ISP reply parsing: any byte stream is
 * cut into packets the way the session reads it, and every packet is handed to each reply
 * parser; nothing may crash or read out of bounds, and a decoded packet must re-encode to
 * the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alif_isp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	while (off < size) {
		struct alif_isp_packet p;
		int r = alif_isp_decode(data + off, size - off, &p);
		if (r == 0)
			break;
		if (r == RS_E_PROTOCOL) {
			off++;
			continue;
		}
		if (r < 0) {
			off += data[off];
			continue;
		}
		uint8_t again[ALIF_ISP_MAX_PACKET];
		size_t n = alif_isp_encode(p.cmd, p.payload, p.len, again, sizeof again);
		if (n != (size_t)r || memcmp(again, data + off, n))
			abort();
		struct alif_isp_enquiry e;
		struct alif_isp_revision rv;
		char banner[300];
		alif_isp_parse_enquiry(&p, &e);
		alif_isp_parse_revision(&p, &rv);
		if (!alif_isp_parse_banner(&p, banner, sizeof banner)) {
			struct alif_isp_version v;
			char word[8];
			alif_isp_banner_version(banner, &v, word, sizeof word);
		}
		if (p.cmd == ALIF_RSP_NAK && p.len) {
			char b[8];
			alif_isp_error_name(p.payload[0], b, sizeof b);
			alif_isp_error_text(p.payload[0]);
			alif_isp_nak_class(p.payload[0]);
		}
		off += (size_t)r;
	}
	/* the banner pattern on the raw bytes as text, too */
	char *text = malloc(size + 1);
	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		struct alif_isp_version v;
		alif_isp_banner_version(text, &v, NULL, 0);
		free(text);
	}
	return 0;
}
