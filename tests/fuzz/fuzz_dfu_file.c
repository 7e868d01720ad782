/* fuzz_dfu_file.c — libFuzzer target for the .dfu parser (src/proto/dfu_file.c).
 *
 * Input: one mode byte, then the file.  With mode bit 0 set the last 4 bytes are replaced
 * by the correct CRC, so the fuzzer reaches the DfuSe prefix, targets and elements instead
 * of stopping at the checksum.  Every byte the parser hands back is read, so
 * AddressSanitizer catches any pointer or length outside the input.
 */
#include <stdlib.h>
#include <string.h>

#include "dfu_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned sink;

static void touch(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sink += p[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t mode = data[0];
	size_t len = size - 1;
	uint8_t *buf = malloc(len ? len : 1); /* exactly len bytes: reads past them are caught */
	memcpy(buf, data + 1, len);
	if ((mode & 1) && len >= 16) {
		uint32_t crc = dfu_crc(buf, len - 4);
		for (int i = 0; i < 4; i++)
			buf[len - 4 + i] = (uint8_t)(crc >> (8 * i));
	}

	struct dfu_image img;
	struct rs_error err = { 0 };
	int rc = dfu_file_parse(buf, len, &img, &err);
	if (rc == RS_OK) {
		if (img.payload_len > len || (img.payload_len && img.payload != buf))
			abort();
		touch(img.payload, img.payload_len);
		dfu_file_check_ids(&img, 0x0483, 0xdf11, &err);
		size_t tpos = 0;
		struct dfuse_target t;
		unsigned targets = 0;
		while (dfuse_file_next_target(&img, &tpos, &t)) {
			targets++;
			if (strlen(t.name) > DFUSE_TARGET_NAME_LEN)
				abort();
			size_t epos = 0;
			struct dfuse_element e;
			uint32_t elements = 0;
			while (dfuse_target_next_element(&t, &epos, &e)) {
				elements++;
				touch(e.data, e.size);
			}
			if (elements != t.n_elements)
				abort(); /* parse accepted a count that iteration cannot reach */
		}
		if (img.is_dfuse && targets != img.n_targets)
			abort();
	} else if (rc != RS_E_INPUT || err.msg[0] == '\0') {
		abort(); /* every refusal is RS_E_INPUT with a reason */
	}
	free(buf);
	return 0;
}
