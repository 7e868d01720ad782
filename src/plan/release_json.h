/* release_json.h — which asset of an OpenMV release to download, from the releases-API JSON.
 *
 * Pure: bytes in, a pick (or one line why not) out; no network, no files (download.c fetches,
 * tests/fuzz/fuzz_release_json.c feeds it any bytes).
 *
 * The JSON is GitHub's "get a release" answer (docs.github.com REST, releases): tag_name, and
 * assets[] with name, size, browser_download_url and digest ("sha256:<64 hex>", reported for
 * every asset since June 2025: GitHub changelog 2025-06-03).  The asset names come from
 * openmv/openmv .github/workflows/firmware.yml and tools/ci.sh: a stable release has one
 * firmware_<tag>.zip with a folder per TARGET; the release tagged "development" has one
 * firmware_<TARGET>.zip per board.
 */
#ifndef RESCUE_RELEASE_JSON_H
#define RESCUE_RELEASE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define RELEASE_JSON_MAX (4u << 20)          /* a release's JSON; OpenMV's are ~100 KiB */
#define RELEASE_ASSET_MAX (512ull << 20)     /* the largest asset we download: a stable
                                              * all-boards zip is tens of MiB (inferred) */
#define RELEASE_DEV_TAG "development"        /* openmv/openmv firmware.yml's rolling release */

struct release_pick {
	char tag[64];           /* "v4.7.0", "development" */
	char name[128];         /* the asset's file name, "firmware_v4.7.0.zip" */
	char url[1024];         /* browser_download_url */
	uint64_t size;          /* bytes, as the release says */
	bool has_digest;        /* the release reported a SHA-256 */
	char sha256[65];        /* lower-case hex, when has_digest */
	bool all_boards;        /* a stable zip with a folder per TARGET */
};

/* Pick the asset for board target (NULL: the all-boards zip of a stable release) from the
 * JSON in buf[0..len).  Returns 0, or RS_E_INPUT / RS_E_NOT_FOUND with one line: a release
 * without this board's asset names the assets it has. */
int release_json_pick(const char *buf, size_t len, const char *target, struct release_pick *out,
                      struct rs_error *err);

/* Is s usable as one file name in the cache (letters, digits, "._-+", not starting with '.',
 * at most max-1 bytes)? Tags and asset names become paths only after this. */
bool release_json_safe_name(const char *s, size_t max);

#endif
