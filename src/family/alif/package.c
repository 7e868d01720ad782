/* family/alif/package.c — see alif_package.h. */
#include "alif_package.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static bool is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

/* One file name taken apart: SP-<part>-rev-<rev>[-dev].bin or offset-<tag>-rev-<rev>[-dev].bin. */
struct pkg_name {
	bool sp;                 /* SP-*, else offset-* */
	char part[64];           /* SP: the part; offset: the tag ("58") */
	char rev[16];            /* "b4", "" when the name has no -rev- */
	bool dev;
};

static bool parse_name(const char *name, struct pkg_name *out)
{
	size_t n = strlen(name);
	memset(out, 0, sizeof *out);
	size_t pre;
	if (!strncasecmp(name, "SP-", 3))
		out->sp = true, pre = 3;
	else if (!strncasecmp(name, "offset-", 7))
		pre = 7;
	else
		return false;
	if (n < pre + 5 || strcasecmp(name + n - 4, ".bin"))
		return false;
	char stem[128];
	snprintf(stem, sizeof stem, "%.*s", (int)(n - 4 - pre), name + pre);
	size_t sl = strlen(stem);
	if (sl > 4 && !strcasecmp(stem + sl - 4, "-dev"))
		out->dev = true, stem[sl - 4] = '\0';
	char *rev = strstr(stem, "-rev-");
	if (rev) {
		snprintf(out->rev, sizeof out->rev, "%s", rev + 5);
		*rev = '\0';
	}
	snprintf(out->part, sizeof out->part, "%s", stem);
	return out->part[0] != '\0';
}

/* Names in folder f that parse and match; returns how many, the last one in found. */
static int match(const char *f, bool sp, const char *part, const char *rev, bool dev, char *found, size_t n)
{
	DIR *d = opendir(f);
	if (!d)
		return 0;
	int hits = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		struct pkg_name pn;
		if (!parse_name(e->d_name, &pn) || pn.sp != sp || pn.dev != dev)
			continue;
		if (sp && part && part[0] && strcasecmp(pn.part, part))
			continue;
		if (rev && rev[0] && strcasecmp(pn.rev, rev))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", f, e->d_name);
		if (!is_file(path))
			continue;
		hits++;
		snprintf(found, n, "%s", path);
	}
	closedir(d);
	return hits;
}

bool alif_package_present(const char *dir)
{
	char sub[600], tmp[1024];
	snprintf(sub, sizeof sub, "%s/alif", dir);
	const char *fs[2] = {dir, sub};
	for (int i = 0; i < 2; i++)
		if ((match(fs[i], true, NULL, NULL, false, tmp, sizeof tmp) ||
		     match(fs[i], true, NULL, NULL, true, tmp, sizeof tmp)) &&
		    (match(fs[i], false, NULL, NULL, false, tmp, sizeof tmp) ||
		     match(fs[i], false, NULL, NULL, true, tmp, sizeof tmp)))
			return true;
	return false;
}

static int json_int(const char *text, const char *key, int *out)
{
	char k[40];
	snprintf(k, sizeof k, "\"%s\"", key);
	const char *p = strstr(text, k);
	if (!p)
		return -1;
	p += strlen(k);
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p++ != ':')
		return -1;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '"')
		p++;
	char *end;
	long v = strtol(p, &end, 10);
	if (end == p || v < 0 || v > 100000)
		return -1;
	*out = (int)v;
	return 0;
}

static bool read_version(const char *folder, struct alif_isp_version *v)
{
	char path[700];
	snprintf(path, sizeof path, "%s/version.json", folder);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char text[1024];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	return !json_int(text, "version_major", &v->major) && !json_int(text, "version_minor", &v->minor) &&
	       !json_int(text, "version_patch", &v->patch);
}

static void lower(char *dst, size_t n, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < n; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
	dst[i] = '\0';
}

int alif_package_find(const char *dir, const char *part, const char *rev, bool dev,
                      struct alif_package *out, char *note, size_t note_len, struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	if (note_len)
		note[0] = '\0';
	char rv[16];
	lower(rv, sizeof rv, rev ? rev : "");
	char sub[600];
	snprintf(sub, sizeof sub, "%s/alif", dir);
	const char *fs[2] = {dir, sub};
	for (int i = 0; i < 2; i++) {
		if (!is_dir(fs[i]))
			continue;
		for (int pass = 0; pass < 2; pass++) {
			bool d = pass ? !dev : dev; /* the wanted kind, then the other one */
			int nsp = match(fs[i], true, part, rv, d, out->sp, sizeof out->sp);
			int noff = match(fs[i], false, NULL, rv, d, out->offset, sizeof out->offset);
			if (nsp == 0 && noff == 0)
				continue;
			if (nsp != 1 || noff != 1)
				return rs_fail(err, RS_E_INPUT, "%s holds %d matching SP-*.bin and %d offset-*.bin files "
				               "for part %s revision %s; keep one package in the folder",
				               fs[i], nsp, noff, part && part[0] ? part : "(unknown)", rv[0] ? rv : "(unknown)");
			if (pass && note_len)
				snprintf(note, note_len, "only the %s variant of the system package is there; it is used "
				         "although this Secure Enclave looks like a %s part", d ? "-dev" : "production",
				         dev ? "development" : "production");
			out->dev = d;
			snprintf(out->dir, sizeof out->dir, "%s", fs[i]);
			snprintf(out->sp_sign, sizeof out->sp_sign, "%s.sign", out->sp);
			snprintf(out->offset_sign, sizeof out->offset_sign, "%s.sign", out->offset);
			if (!is_file(out->sp_sign) || !is_file(out->offset_sign))
				out->sp_sign[0] = out->offset_sign[0] = '\0';
			out->have_version = read_version(fs[i], &out->version) || (i == 1 && read_version(dir, &out->version));
			return 0;
		}
	}
	char want[200];
	snprintf(want, sizeof want, "SP-%s-rev-%s%s.bin and offset-*-rev-%s%s.bin", part && part[0] ? part : "*",
	         rv[0] ? rv : "*", dev ? "-dev" : "", rv[0] ? rv : "*", dev ? "-dev" : "");
	return rs_fail(err, RS_E_NOT_FOUND, "no Alif system package in %s (looked for %s there and in its alif folder)",
	               dir, want);
}

int alif_package_ide_dirs(char dirs[][512], int max)
{
	/* [I] where OpenMV IDE keeps its Alif tools: the resource folder alif/<os>/ of an
	 * installation (§1: "resource folder alif/<os>/") and the application-data copy (§1.11) */
	const char *home = getenv("HOME");
	static const char *const rel[] = {
		"openmvide/share/qtcreator/alif/linux", "openmvide/share/qtcreator/alif",
		".config/OpenMV/openmvide/alif", ".local/share/OpenMV/openmvide/alif",
	};
	static const char *const abs[] = {
		"/opt/openmvide/share/qtcreator/alif/linux", "/Applications/OpenMV IDE.app/Contents/Resources/alif/osx",
	};
	int n = 0;
	for (size_t i = 0; home && i < sizeof rel / sizeof rel[0] && n < max; i++) {
		snprintf(dirs[n], 512, "%s/%s", home, rel[i]);
		if (alif_package_present(dirs[n]))
			n++;
	}
	for (size_t i = 0; i < sizeof abs / sizeof abs[0] && n < max; i++) {
		snprintf(dirs[n], 512, "%s", abs[i]);
		if (alif_package_present(dirs[n]))
			n++;
	}
	return n;
}

int alif_file_read(const char *path, size_t max, size_t pad, uint8_t **buf, size_t *len,
                   size_t *orig, struct rs_error *err)
{
	struct stat st;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return rs_fail(err, RS_E_INPUT, "%s: %s", path, errno == ENOENT ? "no such file" : "not a readable file");
	size_t size = (size_t)st.st_size;
	if (!size || (max && size > max))
		return rs_fail(err, RS_E_INPUT, "%s is %zu bytes; it must be 1 to %zu", path, size, max);
	if (pad < 1)
		pad = 1;
	size_t padded = (size + pad - 1) / pad * pad;
	uint8_t *b = calloc(1, padded);
	if (!b)
		return rs_fail(err, RS_E_NOMEM, "out of memory reading %s", path);
	FILE *f = fopen(path, "rb");
	if (!f || fread(b, 1, size, f) != size) {
		if (f)
			fclose(f);
		free(b);
		return rs_fail(err, RS_E_INPUT, "%s cannot be read", path);
	}
	fclose(f);
	*buf = b;
	*len = padded;
	if (orig)
		*orig = size;
	return 0;
}
