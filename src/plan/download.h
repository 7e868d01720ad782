/* download.h — openmv-rescue download, and the wizard's download offer: an official OpenMV
 * release asset fetched over HTTPS with libcurl, its SHA-256 checked against the digest the
 * releases API reports, and kept in the cache (download_cache.h) only once it matches.
 *
 * The releases API is GitHub's (GET {base}/repos/openmv/openmv/releases/latest and
 * /releases/tags/TAG; docs.github.com REST "releases"); the base is https://api.github.com, or
 * a mirror (--mirror URL, $OPENMV_RESCUE_MIRROR).  Only https:// is fetched, and http:// only
 * from this machine (127.0.0.1, ::1, localhost: the tests' server).  Nothing here knows a
 * camera: a download never writes to one.
 */
#ifndef RESCUE_DOWNLOAD_H
#define RESCUE_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "release_json.h"

#define DL_DEFAULT_BASE "https://api.github.com"
#define DL_REPO "openmv/openmv"
#define DL_MIRROR_ENV "OPENMV_RESCUE_MIRROR"

struct dl_request {
	const char *mirror;   /* the releases API's base URL; NULL: $OPENMV_RESCUE_MIRROR, else
	                       * DL_DEFAULT_BASE */
	const char *release;  /* "latest" or NULL, "development", or a tag such as "v4.7.0" */
	const char *target;   /* the board's TARGET; NULL: a stable release's all-boards zip */
	bool no_digest;       /* accept an asset the release reports no SHA-256 for */
	/* called during the transfer with the bytes so far and the total */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
	const int *cancel;    /* non-zero (read atomically): stop the transfer */
};

struct dl_release {
	struct release_pick pick;
	bool offline;         /* the server could not be reached: the answer kept in the cache */
};

/* Ask the releases API which asset to fetch (falling back to the kept answer when the
 * server cannot be reached).  0, or a negative RS_E_* code with one line. */
int dl_find(const struct dl_request *rq, struct dl_release *rel, struct rs_error *err);

/* The asset of rel in the cache: reused when its digest still matches, else downloaded,
 * checked and renamed into place.  path gets the zip's path; from_cache whether it was
 * already there.  0, or a negative RS_E_* code with one line (nothing kept). */
int dl_fetch(const struct dl_request *rq, const struct dl_release *rel, char *path, size_t n,
             bool *from_cache, struct rs_error *err);

/* The base URL a request uses. */
const char *dl_base(const struct dl_request *rq);

#endif
