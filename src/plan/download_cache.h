/* download_cache.h — where downloaded releases are kept: $XDG_CACHE_HOME/openmv-rescue (or
 * ~/.cache/openmv-rescue, the XDG Base Directory default), one folder per release tag, the
 * verified zips in it, and the last releases-API answer for each release asked for (so that
 * a second run works with no network).  Files only: download.c does the HTTP. */
#ifndef RESCUE_DOWNLOAD_CACHE_H
#define RESCUE_DOWNLOAD_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The cache folder, or its sub-folder sub (NULL: none), created with mode 0700 as needed. */
int dlc_dir(const char *sub, char *out, size_t n, struct rs_error *err);

/* The SHA-256 (nettle, FIPS 180-4) of a file in lower-case hex, and its size. */
int dlc_sha256_file(const char *path, char hex[65], uint64_t *size, struct rs_error *err);

/* A new temporary file for name in dir (mkostemp: O_CREAT|O_EXCL, mode 0600); its path in
 * tmp.  Returns the descriptor, or a negative RS_E_* code. */
int dlc_temp(const char *dir, const char *name, char *tmp, size_t n, struct rs_error *err);

/* Keep the releases-API answer for key ("latest", a tag) in the cache (replaced whole).
 * Best effort: a cache that cannot be written only costs the offline second run. */
void dlc_save_json(const char *key, const char *buf, size_t len);

/* The kept answer for key, malloc'd into *buf; 0, or -1 when there is none. */
int dlc_load_json(const char *key, char **buf, size_t *len);

/* Copy the file src into folder dir as name (through a temporary file, then renamed); the
 * copy's path in out. */
int dlc_copy_to(const char *src, const char *dir, const char *name, char *out, size_t n,
                struct rs_error *err);

#endif
