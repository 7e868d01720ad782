/* prompts.c — the hardware prompts (see prompts.h), read from assets/prompts/prompts.ini:
 * each prompt's title and what another mode seen during it means.  Their drawings and
 * numbered steps are in assets/prompts/<id>.txt. */
#include "prompts.h"

#include <iniparser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/types.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROMPTS_MAX 32 /* room for twice the prompts the seeds describe */

static struct prompt_def prompts[PROMPTS_MAX];
static char *meanings[PROMPTS_MAX][USB_MODE_COUNT];
static size_t nprompts;
static bool loaded;
static char load_error[300] = "the hardware prompts (assets/prompts/prompts.ini) were not read";

const struct prompt_def *prompt_find(const char *id)
{
	for (size_t i = 0; i < nprompts; i++)
		if (!strcasecmp(prompts[i].id, id))
			return &prompts[i];
	return NULL;
}

const struct prompt_def *prompt_all(size_t *n)
{
	*n = nprompts;
	return prompts;
}

bool prompts_loaded(const char **why)
{
	if (why)
		*why = loaded ? NULL : load_error;
	return loaded;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int prompts_assets_dir(const char *boards_path, char *out, size_t n)
{
	char copy[512], dir[PATH_MAX + 64], exe[PATH_MAX] = "";
	snprintf(copy, sizeof copy, "%s", boards_path);
	snprintf(dir, sizeof dir, "%s/assets", dirname(copy));
	/* beside the program too (a --boards FILE elsewhere), as boarddb_default_path looks */
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[len > 0 ? len : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	const char *beside_exe[] = {"/assets", "/../share/openmv-rescue/assets"};
	for (size_t i = 0; i < 2 && !is_dir(dir) && slash; i++)
		snprintf(dir, sizeof dir, "%s%s", exe, beside_exe[i]);
	if (!is_dir(dir))
		snprintf(dir, sizeof dir, "%s/assets", RESCUE_DATADIR);
	if (!is_dir(dir) || strlen(dir) >= n) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	snprintf(out, n, "%s", dir);
	return 0;
}

static int mode_of(const char *name)
{
	for (int m = 0; m < USB_MODE_COUNT; m++)
		if (!strcmp(name, usb_mode_name((enum usb_mode)m)))
			return m;
	return -1;
}

static void forget(void)
{
	for (size_t p = 0; p < nprompts; p++) {
		free((char *)prompts[p].title);
		for (int m = 0; m < USB_MODE_COUNT; m++)
			free(meanings[p][m]);
	}
	memset(prompts, 0, sizeof prompts);
	memset(meanings, 0, sizeof meanings);
	nprompts = 0;
}

/* One section: [ID] with a title and MODE keys only. */
static int read_section(const dictionary *d, const char *sec, const char *path, char *why, size_t n)
{
	if (nprompts == PROMPTS_MAX || strlen(sec) >= sizeof prompts[0].id || prompt_find(sec)) {
		snprintf(why, n, "%s: [%s]: more than %d prompts, an id over %zu characters or a second "
		         "section of that id", path, sec, PROMPTS_MAX, sizeof prompts[0].id - 1);
		return -1;
	}
	struct prompt_def *p = &prompts[nprompts];
	snprintf(p->id, sizeof p->id, "%s", sec);
	nprompts++;
	int nkeys = iniparser_getsecnkeys(d, sec);
	const char **keys = nkeys > 0 ? calloc((size_t)nkeys, sizeof *keys) : NULL;
	if (nkeys > 0 && (!keys || !iniparser_getseckeys(d, sec, keys)))
		nkeys = 0;
	int rc = 0;
	for (int k = 0; !rc && k < nkeys; k++) {
		const char *key = strchr(keys[k], ':') + 1, *v = iniparser_getstring(d, keys[k], "");
		int mode = mode_of(key);
		if (!strcmp(key, "title") && v[0])
			p->title = strdup(v);
		else if (mode >= 0 && v[0])
			meanings[nprompts - 1][mode] = strdup(v);
		else {
			snprintf(why, n, "%s: [%s] %s: a prompt has a title and, per USB mode of boards.ini "
			         "(usb.MODE), what seeing it means; nothing else, nothing empty", path, sec, key);
			rc = -1;
		}
	}
	free(keys);
	if (!rc && !p->title) {
		snprintf(why, n, "%s: [%s] has no title (the line a dry run shows)", path, sec);
		rc = -1;
	}
	return rc;
}

/* iniparser reports a syntax error through a global callback: keep the first, on one line. */
static char ini_said[200];

static int ini_error_cb(const char *fmt, ...)
{
	if (!ini_said[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ini_said, sizeof ini_said, fmt, ap);
		va_end(ap);
		for (char *p = ini_said; *p; p++)
			if (*p == '\n')
				*p = ' ';
	}
	return 0;
}

int prompts_load(const char *assets_dir, char *why, size_t n)
{
	if (loaded)
		return 0;
	char path[700];
	snprintf(path, sizeof path, "%s/prompts/prompts.ini", assets_dir);
	ini_said[0] = '\0';
	iniparser_set_error_callback(ini_error_cb); /* iniparser would print to stderr */
	dictionary *d = access(path, R_OK) ? NULL : iniparser_load(path);
	iniparser_set_error_callback(NULL);
	if (!d || ini_said[0]) {
		if (d)
			iniparser_freedict(d);
		snprintf(why, n, "%s cannot be read%s%s", path, ini_said[0] ? ": " : "", ini_said);
		snprintf(load_error, sizeof load_error, "%s", why);
		return -1;
	}
	int rc = 0, nsec = iniparser_getnsec(d);
	bool outside = false; /* a key before the first section: iniparser names it ":key" */
	for (ssize_t i = 0; i < d->size; i++)
		outside |= d->key[i] && d->key[i][0] == ':';
	if (outside || nsec <= 0) {
		snprintf(why, n, "%s: every key belongs to a [PROMPT-ID] section", path);
		rc = -1;
	}
	for (int s = 0; !rc && s < nsec; s++)
		rc = read_section(d, iniparser_getsecname(d, s), path, why, n);
	iniparser_freedict(d);
	if (rc) {
		forget();
		snprintf(load_error, sizeof load_error, "%s", why);
	}
	loaded = !rc;
	return rc;
}

int prompts_load_beside(const char *boards_path, char *why, size_t n)
{
	char assets[PATH_MAX];
	if (loaded)
		return 0;
	if (prompts_assets_dir(boards_path, assets, sizeof assets)) {
		snprintf(why, n, "no assets/prompts/prompts.ini beside %s, beside the program or in %s",
		         boards_path, RESCUE_DATADIR);
		snprintf(load_error, sizeof load_error, "%s", why);
		return -1;
	}
	return prompts_load(assets, why, n);
}

void prompt_seen_instead(const char *id, enum usb_mode mode, const char *other, char *buf, size_t n)
{
	const char *meaning = prompt_meaning(id, mode);
	if (meaning)
		snprintf(buf, n, "Seen instead: %s - %s", other, meaning);
	else
		snprintf(buf, n, "Seen instead: %s - the same camera in another mode; it is not what the next "
		         "step needs yet.", other);
}

const char *prompt_meaning(const char *id, enum usb_mode mode)
{
	const struct prompt_def *d = prompt_find(id);
	if (!d || (unsigned)mode >= USB_MODE_COUNT)
		return NULL;
	return meanings[d - prompts][mode];
}
