/* release_zip.c — this board's files out of an OpenMV release zip (see release_src.h).
 *
 * Two passes over the central directory: the first judges every entry and picks this
 * board's, the second copies the picked ones.  Nothing is written unless the whole zip
 * passed, and every file is created new (O_EXCL, O_NOFOLLOW) in the private folder, named
 * by its checked base name only.
 */
#include "release_src.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

struct pick {
	zip_uint64_t index[RELEASE_MAX_FILES];
	char base[RELEASE_MAX_FILES][64];
	int n;
};

/* A base name we would create: letters, digits, '.', '_', '-', not hidden, short. */
static bool safe_base(const char *s, size_t n)
{
	if (!n || n >= 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", s[i]))
			return false;
	return true;
}

/* An entry's name as it may be shown: printable ASCII only, at most 80 characters (a name
 * is the zip's to choose: a newline in it must not forge a line of our output). */
static const char *shown(const char *name, char out[84])
{
	size_t i = 0;
	for (; name[i] && i < 80; i++)
		out[i] = name[i] >= 0x20 && name[i] < 0x7F ? name[i] : '?';
	out[i] = '\0';
	return out;
}

/* Does the entry's name leave its folder ("..", an absolute path, a drive or backslash)? */
static bool escapes(const char *name)
{
	if (name[0] == '/' || strchr(name, '\\') || strchr(name, ':'))
		return true;
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n + (p[n] == '/');
	}
	return false;
}

static void add_board(char *boards, size_t cap, const char *name, size_t n)
{
	char folder[64];
	if (!safe_base(name, n)) /* only names a board folder could have are listed */
		return;
	snprintf(folder, sizeof folder, "%.*s", (int)n, name);
	char key[70];
	snprintf(key, sizeof key, " %s,", folder);
	if (strstr(boards, key))
		return;
	size_t used = strlen(boards);
	if (used + strlen(key) + 1 < cap)
		snprintf(boards + used, cap - used, "%s", key);
}

/* Pass one: judge every entry; pick this board's files (TARGET/name) or, in a per-board
 * zip, the files at its root. */
static int judge(zip_t *za, const char *target, struct pick *board, struct pick *root,
                 char *boards, size_t cap, struct rs_error *err)
{
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		struct zip_stat st;
		char sh[84];
		zip_uint8_t opsys;
		zip_uint32_t attr;
		if (!name || zip_stat_index(za, (zip_uint64_t)i, 0, &st) ||
		    zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &opsys, &attr))
			return rs_fail(err, RS_E_INPUT, "entry %lld cannot be read: %s", (long long)i,
			               zip_strerror(za));
		if (escapes(name))
			return rs_fail(err, RS_E_INPUT, "the entry '%s' points outside its folder", shown(name, sh));
		/* a Unix mode in the upper 16 bits of the external attributes (APPNOTE 4.4.15) */
		if (opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK)
			return rs_fail(err, RS_E_INPUT, "the entry '%s' is a symbolic link", shown(name, sh));
		if ((st.valid & ZIP_STAT_SIZE) && st.size > RELEASE_MAX_ENTRY)
			return rs_fail(err, RS_E_INPUT, "the entry '%.80s' is %llu bytes, more than any "
			               "camera holds (%u MiB)", shown(name, sh), (unsigned long long)st.size,
			               RELEASE_MAX_ENTRY >> 20);
		size_t len = strlen(name);
		if (!len || name[len - 1] == '/')
			continue; /* a folder entry */
		const char *slash = strrchr(name, '/');
		const char *base = slash ? slash + 1 : name;
		if (!safe_base(base, strlen(base)))
			continue; /* not a name any image of ours has */
		struct pick *to = NULL;
		if (!slash)
			to = root;
		else if (!memchr(name, '/', (size_t)(slash - name))) { /* exactly FOLDER/name */
			size_t fl = (size_t)(slash - name);
			add_board(boards, cap, name, fl);
			if (fl == strlen(target) && !strncmp(name, target, fl))
				to = board;
		}
		if (!to)
			continue;
		if (to->n == RELEASE_MAX_FILES)
			return rs_fail(err, RS_E_INPUT, "more than %d files for one board", RELEASE_MAX_FILES);
		for (int k = 0; k < to->n; k++)
			if (!strcmp(to->base[k], base))
				return rs_fail(err, RS_E_INPUT, "the entry '%s' is there twice", shown(name, sh));
		to->index[to->n] = (zip_uint64_t)i;
		snprintf(to->base[to->n++], 64, "%s", base);
	}
	return 0;
}

/* Copy one entry into dirfd/base, created new; at most RELEASE_MAX_ENTRY bytes. */
static int copy_entry(zip_t *za, zip_uint64_t index, int dirfd, const char *base, uint64_t *total,
                      struct rs_error *err)
{
	zip_file_t *zf = zip_fopen_index(za, index, 0);
	if (!zf)
		return rs_fail(err, RS_E_INPUT, "%s cannot be read: %s", base, zip_strerror(za));
	int fd = openat(dirfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		zip_fclose(zf);
		return rs_fail(err, RS_E_INPUT, "%s cannot be created in the private folder (%s)", base,
		               strerror(errno));
	}
	static char buf[64 * 1024];
	uint64_t size = 0;
	int rc = 0;
	for (;;) {
		zip_int64_t got = zip_fread(zf, buf, sizeof buf);
		if (got < 0) { /* libzip checks the CRC at the end */
			rc = rs_fail(err, RS_E_INPUT, "%s is damaged in the zip: %s", base,
			             zip_file_strerror(zf));
			break;
		}
		if (got == 0)
			break;
		size += (uint64_t)got;
		*total += (uint64_t)got;
		if (size > RELEASE_MAX_ENTRY || *total > RELEASE_MAX_TOTAL) {
			rc = rs_fail(err, RS_E_INPUT, "%s unpacks to more than %u MiB", base,
			             (size > RELEASE_MAX_ENTRY ? RELEASE_MAX_ENTRY : RELEASE_MAX_TOTAL) >> 20);
			break;
		}
		if (write(fd, buf, (size_t)got) != got) {
			rc = rs_fail(err, RS_E_IO, "%s cannot be written (%s)", base, strerror(errno));
			break;
		}
	}
	zip_fclose(zf);
	if (close(fd) && !rc)
		rc = rs_fail(err, RS_E_IO, "%s cannot be written (%s)", base, strerror(errno));
	return rc;
}

static int extract(zip_t *za, const char *target, const char *dir, struct release_src *out,
                   struct rs_error *err)
{
	static struct pick board, root;
	board.n = root.n = 0;
	char boards[600] = "";
	int rc = judge(za, target, &board, &root, boards, sizeof boards, err);
	if (rc)
		return rc;
	const struct pick *p = board.n ? &board : NULL;
	if (!p && !boards[0] && root.n)
		p = &root; /* a per-board zip: its files at the root (ci.sh: zip -j) */
	if (!p) {
		size_t bl = strlen(boards);
		if (bl && boards[bl - 1] == ',')
			boards[bl - 1] = '\0';
		return rs_fail(err, RS_E_NOT_FOUND, "it has no folder for %s%s%s", target,
		               boards[0] ? "; it has:" : " (no board folders at all)", boards);
	}
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return rs_fail(err, RS_E_IO, "%s: %s", dir, strerror(errno));
	uint64_t total = 0;
	out->nnames = 0;
	for (int i = 0; i < p->n && !rc; i++) {
		/* named before the copy: a failed copy may have left a part of the file */
		snprintf(out->names[out->nnames++], sizeof out->names[0], "%s", p->base[i]);
		rc = copy_entry(za, p->index[i], dirfd, p->base[i], &total, err);
	}
	if (rc) /* nothing half-copied stays */
		for (int i = 0; i < out->nnames; i++)
			unlinkat(dirfd, out->names[i], 0);
	if (rc)
		out->nnames = 0;
	close(dirfd);
	if (!rc)
		snprintf(out->what, sizeof out->what, "%s", p == &board ? "its folder" : "its files");
	return rc;
}

int release_zip_extract_buffer(const void *buf, size_t len, const char *target, const char *dir,
                               struct release_src *out, struct rs_error *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	}
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!za) {
		int rc = rs_fail(err, RS_E_INPUT, "not a zip file (%s)", zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	int rc = extract(za, target, dir, out, err);
	zip_discard(za);
	return rc;
}

/* The zip at path (release_src.c opens it through here). */
int release_zip_extract_file(const char *path, const char *target, const char *dir,
                             struct release_src *out, struct rs_error *err);
int release_zip_extract_file(const char *path, const char *target, const char *dir,
                             struct release_src *out, struct rs_error *err)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		int rc = rs_fail(err, RS_E_INPUT, "not a zip file (%s)", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	int rc = extract(za, target, dir, out, err);
	zip_discard(za);
	return rc;
}
