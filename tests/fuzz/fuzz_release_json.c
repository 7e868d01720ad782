/* fuzz_release_json.c — libFuzzer target for the releases-API JSON (src/plan/release_json.c): any
 * bytes must give a pick or one line why not, never crash, leak or read out of bounds; a pick
 * is always a plain file name of the expected form, within the size limit, with a SHA-256 of
 * 64 lower-case hex digits when it has one.  The first byte chooses the board asked for. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "release_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = {"OPENMV4", "OPENMV_AE3", NULL, "../x"};
	if (size < 1)
		return 0;
	const char *target = targets[data[0] % 4];
	struct release_pick p;
	struct rs_error err = {0};
	int rc = release_json_pick((const char *)data + 1, size - 1, target, &p, &err);
	if (rc) {
		if ((rc != RS_E_INPUT && rc != RS_E_NOT_FOUND) || !err.msg[0] || strchr(err.msg, '\n'))
			abort(); /* every refusal is one line */
		return 0;
	}
	if (!release_json_safe_name(p.tag, sizeof p.tag) || !release_json_safe_name(p.name, sizeof p.name))
		abort(); /* tag and name become cache paths */
	if (strncmp(p.name, "firmware_", 9) || strcmp(p.name + strlen(p.name) - 4, ".zip"))
		abort();
	if (!p.size || p.size > RELEASE_ASSET_MAX || !p.url[0])
		abort();
	if (!p.all_boards && (!target || strcmp(p.tag, RELEASE_DEV_TAG)))
		abort();
	if (p.has_digest) {
		if (strlen(p.sha256) != 64)
			abort();
		for (int i = 0; i < 64; i++)
			if (!isxdigit((unsigned char)p.sha256[i]) || isupper((unsigned char)p.sha256[i]))
				abort();
	}
	return 0;
}
