/* release_src.c — see release_src.h: folders, the IDE's install places, and the private
 * folder a zip is copied into (release_zip.c reads the zip). */
#include "release_src.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int release_zip_extract_file(const char *path, const char *target, const char *dir,
                             struct release_src *out, struct rs_error *err);

static bool is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

int release_ide_dirs(char dirs[][512], int max)
{
	/* [I] OpenMV IDE's Linux installer unpacks to a folder openmvide (the same places
	 * alif_package.c searches); its resources are share/qtcreator/ and the firmware is
	 * share/qtcreator/firmware/<TARGET>/ (openmv/qt-creator share/qtcreator/firmware/) */
	static const char *const roots[] = {"$HOME/openmvide", "/opt/openmvide", "/usr/local/openmvide",
	                                    "/usr/share/openmvide"};
	const char *home = getenv("HOME");
	int n = 0;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0] && n < max; i++) {
		if (!strncmp(roots[i], "$HOME", 5)) {
			if (!home)
				continue;
			snprintf(dirs[n], 512, "%s%s/share/qtcreator/firmware", home, roots[i] + 5);
		} else
			snprintf(dirs[n], 512, "%s/share/qtcreator/firmware", roots[i]);
		if (is_dir(dirs[n]))
			n++;
	}
	return n;
}

/* The sub-folders of dir named like a TARGET (capitals, digits, '_'), for "it has: ...". */
static void target_folders(const char *dir, char *out, size_t n)
{
	out[0] = '\0';
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		if (!s[0] || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(s))
			continue;
		char sub[1024];
		snprintf(sub, sizeof sub, "%s/%s", dir, s);
		size_t used = strlen(out);
		if (is_dir(sub) && used + strlen(s) + 3 < n)
			snprintf(out + used, n - used, "%s%s", used ? ", " : "", s);
	}
	closedir(d);
}

/* A folder: TARGET/ in it (an unpacked release), the IDE's firmware/TARGET/, or the folder
 * itself (build/<TARGET>/bin, an unpacked per-board zip). */
static int open_folder(const char *path, const char *target, struct release_src *out,
                       struct rs_error *err)
{
	static const char *const sub[] = {"%s/%s", "%s/share/qtcreator/firmware/%s", "%s/firmware/%s"};
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		char d[512];
		if ((size_t)snprintf(d, sizeof d, sub[i], path, target) >= sizeof d)
			continue;
		if (is_dir(d)) {
			snprintf(out->dir, sizeof out->dir, "%s", d);
			snprintf(out->what, sizeof out->what, "the folder %s", d);
			return 0;
		}
	}
	char has[400];
	target_folders(path, has, sizeof has);
	if (has[0])
		return rs_fail(err, RS_E_NOT_FOUND, "%s has no folder for %s; it has: %s", path, target, has);
	snprintf(out->dir, sizeof out->dir, "%s", path);
	snprintf(out->what, sizeof out->what, "the folder %s", path);
	return 0;
}

static int open_ide(const char *target, struct release_src *out, struct rs_error *err)
{
	char dirs[4][512];
	int n = release_ide_dirs(dirs, 4);
	if (!n)
		return rs_fail(err, RS_E_NOT_FOUND, "no OpenMV IDE found (looked in ~/openmvide, "
		               "/opt/openmvide, /usr/local/openmvide, /usr/share/openmvide); "
		               "give its folder: --from PATH/openmvide");
	for (int i = 0; i < n; i++) {
		char d[1024];
		snprintf(d, sizeof d, "%s/%s", dirs[i], target);
		if (!is_dir(d) || strlen(d) >= sizeof out->dir)
			continue;
		snprintf(out->dir, sizeof out->dir, "%s", d);
		int w = snprintf(out->what, sizeof out->what, "OpenMV IDE, %s", d);
		for (int k = 0; k < n && w > 0 && (size_t)w < sizeof out->what; k++)
			if (k != i)
				w += snprintf(out->what + w, sizeof out->what - (size_t)w, "%s%s",
				              w && strstr(out->what, "also found") ? ", " : " (also found: ", dirs[k]);
		if (n > 1 && w > 0 && (size_t)w + 2 < sizeof out->what)
			strcat(out->what, ")");
		return 0;
	}
	return rs_fail(err, RS_E_NOT_FOUND, "OpenMV IDE at %s has no firmware for %s", dirs[0], target);
}

static int open_zip(const char *path, const char *target, struct release_src *out,
                    struct rs_error *err)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(out->tmpdir, sizeof out->tmpdir, "%s/openmv-rescue-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(out->tmpdir)) { /* mode 0700: only this user reads the copies */
		int e = errno;
		out->tmpdir[0] = '\0';
		return rs_fail(err, RS_E_IO, "no private folder for the zip's files (%s)", strerror(e));
	}
	int rc = release_zip_extract_file(path, target, out->tmpdir, out, err);
	if (rc) {
		char why[sizeof err->msg];
		snprintf(why, sizeof why, "%s", err->msg);
		release_close(out);
		return rs_fail(err, rc, "%s: %s; nothing was copied or written", path, why);
	}
	char part[64];
	snprintf(part, sizeof part, "%.63s", out->what);
	snprintf(out->dir, sizeof out->dir, "%s", out->tmpdir);
	snprintf(out->what, sizeof out->what, "the zip %s (%s%s%s)", base_of(path), part,
	         strcmp(part, "its folder") ? "" : " ", strcmp(part, "its folder") ? "" : target);
	return 0;
}

int release_open(const char *path, const char *target, struct release_src *out, struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	struct stat st;
	if (stat(path, &st)) {
		if (errno == ENOENT && !strcmp(path, "ide"))
			return open_ide(target, out, err);
		return rs_fail(err, RS_E_INPUT, "%s: %s (--from takes a release zip, a folder, or 'ide')",
		               path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return open_folder(path, target, out, err);
	if (!S_ISREG(st.st_mode))
		return rs_fail(err, RS_E_INPUT, "%s: not a file or folder", path);
	return open_zip(path, target, out, err);
}

void release_close(struct release_src *rs)
{
	if (!rs->tmpdir[0])
		return;
	char f[1024];
	for (int i = 0; i < rs->nnames; i++) {
		snprintf(f, sizeof f, "%s/%s", rs->tmpdir, rs->names[i]);
		unlink(f);
	}
	rmdir(rs->tmpdir);
	rs->tmpdir[0] = '\0';
	rs->nnames = 0;
}
