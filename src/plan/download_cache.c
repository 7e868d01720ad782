/* download_cache.c — see download_cache.h. */
#include "download_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "release_json.h"

/* mkdir that accepts an existing folder */
static int make_dir(const char *path, struct rs_error *err)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return rs_fail(err, RS_E_IO, "cannot create the folder %s: %s", path, strerror(errno));
	return 0;
}

/* mkdir -p: every missing folder of path, each 0700 */
static int make_dirs(const char *path, struct rs_error *err)
{
	char p[512];
	if ((size_t)snprintf(p, sizeof p, "%s", path) >= sizeof p)
		return rs_fail(err, RS_E_INPUT, "the cache folder's path is too long");
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			int rc = make_dir(p, err);
			*s = '/';
			if (rc)
				return rc;
		}
	return make_dir(p, err);
}

int dlc_dir(const char *sub, char *out, size_t n, struct rs_error *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char base[512];
	/* the XDG Base Directory Specification: a relative $XDG_CACHE_HOME is to be ignored */
	if (xdg && xdg[0] == '/')
		snprintf(base, sizeof base, "%s", xdg);
	else if (home && home[0] == '/')
		snprintf(base, sizeof base, "%s/.cache", home);
	else
		return rs_fail(err, RS_E_INPUT, "no cache folder: neither XDG_CACHE_HOME nor HOME is set");
	if ((size_t)snprintf(out, n, "%s/openmv-rescue", base) >= n)
		return rs_fail(err, RS_E_INPUT, "the cache folder's path is too long");
	int rc = make_dirs(out, err);
	if (rc)
		return rc;
	if (!sub)
		return 0;
	if (!release_json_safe_name(sub, 128))
		return rs_fail(err, RS_E_INPUT, "'%s' is not a plain folder name", sub);
	size_t used = strlen(out);
	if ((size_t)snprintf(out + used, n - used, "/%s", sub) >= n - used)
		return rs_fail(err, RS_E_INPUT, "the cache folder's path is too long");
	return make_dir(out, err);
}

int dlc_sha256_file(const char *path, char hex[65], uint64_t *size, struct rs_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return rs_fail(err, RS_E_NOT_FOUND, "cannot read %s: %s", path, strerror(errno));
	struct sha256_ctx ctx;
	unsigned char buf[65536], d[SHA256_DIGEST_SIZE];
	size_t got;
	*size = 0;
	sha256_init(&ctx);
	while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
		sha256_update(&ctx, got, buf);
		*size += got;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad)
		return rs_fail(err, RS_E_IO, "cannot read %s", path);
	sha256_digest(&ctx, sizeof d, d);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return 0;
}

int dlc_temp(const char *dir, const char *name, char *tmp, size_t n, struct rs_error *err)
{
	if ((size_t)snprintf(tmp, n, "%s/.%s.part-XXXXXX", dir, name) >= n)
		return rs_fail(err, RS_E_INPUT, "the path of %s is too long", name);
	int fd = mkostemp(tmp, O_CLOEXEC); /* O_CREAT|O_EXCL, mode 0600 (POSIX mkstemp) */
	if (fd < 0)
		return rs_fail(err, RS_E_IO, "cannot create a file in %s: %s", dir, strerror(errno));
	return fd;
}

static int json_path(const char *key, char *out, size_t n)
{
	char dir[512];
	if (!release_json_safe_name(key, 64) || dlc_dir("releases", dir, sizeof dir, NULL))
		return -1;
	return (size_t)snprintf(out, n, "%s/%s.json", dir, key) < n ? 0 : -1;
}

void dlc_save_json(const char *key, const char *buf, size_t len)
{
	char path[600], tmp[700];
	if (json_path(key, path, sizeof path))
		return;
	char dir[600];
	snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
	int fd = dlc_temp(dir, strrchr(path, '/') + 1, tmp, sizeof tmp, NULL);
	if (fd < 0)
		return;
	bool ok = write(fd, buf, len) == (ssize_t)len;
	ok = !close(fd) && ok;
	if (!ok || rename(tmp, path))
		unlink(tmp);
}

int dlc_load_json(const char *key, char **buf, size_t *len)
{
	char path[600];
	if (json_path(key, path, sizeof path))
		return -1;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	*buf = malloc(RELEASE_JSON_MAX + 1);
	*len = *buf ? fread(*buf, 1, RELEASE_JSON_MAX + 1, fp) : 0;
	fclose(fp);
	if (!*buf || *len > RELEASE_JSON_MAX) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

int dlc_copy_to(const char *src, const char *dir, const char *name, char *out, size_t n,
                struct rs_error *err)
{
	char tmp[1024];
	if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n)
		return rs_fail(err, RS_E_INPUT, "the path %s/%s is too long", dir, name);
	int fd = dlc_temp(dir, name, tmp, sizeof tmp, err);
	if (fd < 0)
		return fd;
	FILE *in = fopen(src, "rb");
	bool ok = in != NULL;
	char buf[65536];
	size_t got;
	while (ok && (got = fread(buf, 1, sizeof buf, in)) > 0)
		ok = write(fd, buf, got) == (ssize_t)got;
	if (in) {
		ok = ok && !ferror(in);
		fclose(in);
	}
	ok = !fsync(fd) && ok;
	ok = !close(fd) && ok;
	if (!ok || rename(tmp, out)) {
		int e = errno;
		unlink(tmp);
		return rs_fail(err, RS_E_IO, "cannot write %s: %s", out, strerror(e));
	}
	return 0;
}
