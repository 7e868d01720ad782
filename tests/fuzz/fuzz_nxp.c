/* fuzz_nxp.c — libFuzzer target for everything that parses what an NXP device sends:
 * HID report descriptors, mboot report framing and packets, SDP answer words, and the SDP
 * and mboot exchanges themselves fed with arbitrary IN reports.
 *
 * The exchanges run against the device made of the fuzz input (fuzz_device.h): each
 * report or transfer takes a selector byte (a length, or a USB error), then its bytes.
 * Input layout: byte 0 picks the operation, the rest is the device.
 */
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_device.h"
#include "proto/hidio.h"
#include "proto/mboot.h"
#include "proto/sdp.h"

static void pure_parsers(const uint8_t *d, size_t n)
{
	struct hidio_layout l;
	hidio_parse_report_desc(d, n, &l);
	uint8_t id;
	const uint8_t *payload;
	size_t plen;
	struct mboot_packet p;
	if (!mboot_unframe(d, n, &id, &payload, &plen))
		mboot_packet_decode(payload, plen, &p);
	mboot_packet_decode(d, n, &p);
	mboot_status_name(n >= 4 ? (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 : 0);
	struct sdp_cmd c;
	uint32_t w;
	struct rs_error err;
	sdp_cmd_decode(d, n, &c);
	sdp_parse_word(d, n, n ? d[0] : 3, &w, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	pure_parsers(data + 1, size - 1);
	fuzz_device_begin(data + 1, size - 1);
	struct rs_error err;
	struct mboot_dev m = {.io = {.ep_in = 0x81, .ep_out = 0x01}, .timeout_ms = 10, .max_packet = 60};
	struct sdp_dev s = {.io = {.ep_in = 0x81}, .timeout_ms = 10};
	uint8_t buf[3000], file[2100];
	memset(file, 0x5A, sizeof file);
	uint32_t values[8], word;
	int n;
	switch (data[0] % 10) {
	case 0: mboot_get_property(&m, 1, 0, values, 8, &n, &err); break;
	case 1: mboot_read_memory(&m, 0x60000000, buf, 1 + data[0] * 11u, 0, NULL, &err); break;
	case 2: mboot_write_memory(&m, 0x60000000, file, 1 + data[0] * 8u, 0, NULL, &err); break;
	case 3: mboot_query_max_packet(&m, &err); break;
	case 4: mboot_efuse_read_once(&m, 6, &word, &err); break;
	case 5: mboot_reset(&m, &err); break;
	case 6: sdp_write_file(&s, 0x20001C00, file, 1 + data[0] * 8u, NULL, &err); break;
	case 7: sdp_read_register(&s, 0x20001C00, 32, buf, 1 + data[0] * 11u, &err); break;
	case 8: sdp_jump_address(&s, 0x20001C00, &err); break;
	default: sdp_error_status(&s, &word, &err); break;
	}
	fuzz_device_end();
	return 0;
}
