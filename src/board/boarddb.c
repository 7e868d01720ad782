/* boarddb.c — loads boards.ini (see boarddb.h).
 *
 * Two passes over the file: our own line scan indexes every section and key with its line
 * number (iniparser does not keep them) and catches duplicates; iniparser then supplies the
 * values.  Each key is parsed by boarddb_keys.c; boarddb_check.c validates the board as a
 * whole afterwards.
 */
#include "boarddb.h"

#include <ctype.h>
#include <iniparser.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "boarddb_check.h"
#include "boarddb_keys.h"
#include "inivalue.h"
#include "prompts.h"

#define MAX_KEYS 2048

struct keyline {
	int section;       /* index into sections */
	char key[64];      /* lower-case */
	int line;
};

struct loader {
	const char *path;
	struct rs_error *err;
	dictionary *dict;
	char sections[BOARD_MAX][64]; /* lower-case */
	int section_line[BOARD_MAX];
	int nsections;
	struct keyline *keys;
	int nkeys;
};

static int fail_at(struct loader *L, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *L, int line, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return rs_fail(L->err, RS_E_INPUT, "%s:%d: %s", L->path, line, what);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- pass 1: our own index of sections and keys, with line numbers ---------------------- */

/* A [TARGET] header at lineno (s points at the '['): a new section.  Returns its index, or
 * -1 after fail_at. */
static int scan_header(struct loader *L, char *s, int lineno)
{
	char *close = strchr(s, ']');
	if (!close || close == s + 1)
		return fail_at(L, lineno, "a section header is written [TARGET]");
	*close = '\0';
	if (strlen(s + 1) >= sizeof L->sections[0])
		return fail_at(L, lineno, "section name is too long");
	char name[64];
	snprintf(name, sizeof name, "%s", s + 1);
	lower(name);
	for (int i = 0; i < L->nsections; i++)
		if (!strcmp(L->sections[i], name))
			return fail_at(L, lineno, "[%s] appears twice (first at line %d)", s + 1,
			               L->section_line[i]);
	if (L->nsections == BOARD_MAX)
		return fail_at(L, lineno, "more than %d boards", BOARD_MAX);
	int cur = L->nsections++;
	memcpy(L->sections[cur], name, sizeof name);
	L->section_line[cur] = lineno;
	return cur;
}

/* A KEY = VALUE line of section cur (-1: before the first section, database-wide).
 * Returns 0, or -1 after fail_at. */
static int scan_key(struct loader *L, char *s, int lineno, int cur)
{
	char *eq = strchr(s, '=');
	if (!eq)
		return fail_at(L, lineno, "expected KEY = VALUE, a [TARGET] header or a ; comment");
	*eq = '\0';
	char *k = eq;
	while (k > s && isspace((unsigned char)k[-1]))
		*--k = '\0';
	if (!*s || strlen(s) >= sizeof L->keys[0].key)
		return fail_at(L, lineno, "missing or overlong key name");
	char key[64];
	snprintf(key, sizeof key, "%s", s);
	lower(key);
	for (int i = 0; i < L->nkeys; i++)
		if (L->keys[i].section == cur && !strcmp(L->keys[i].key, key))
			return fail_at(L, lineno, "%s is given twice in [%s] (first at line %d)", s,
			               cur < 0 ? "" : L->sections[cur], L->keys[i].line);
	if (L->nkeys == MAX_KEYS)
		return fail_at(L, lineno, "too many keys");
	struct keyline *kl = &L->keys[L->nkeys++];
	kl->section = cur;
	kl->line = lineno;
	memcpy(kl->key, key, sizeof key);
	return 0;
}

static int scan_lines(struct loader *L)
{
	FILE *f = fopen(L->path, "r");
	if (!f)
		return rs_fail(L->err, RS_E_INPUT, "%s: cannot open the board database", L->path);
	char buf[1100];
	int lineno = 0, cur = -1, rc = 0;
	while (!rc && fgets(buf, sizeof buf, f)) {
		lineno++;
		size_t len = strlen(buf);
		if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
			rc = fail_at(L, lineno, "line is longer than %zu characters", sizeof buf - 2);
			break;
		}
		char *s = buf;
		while (isspace((unsigned char)*s))
			s++;
		char *e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			int next = scan_header(L, s, lineno);
			if (next < 0)
				rc = -1;
			else
				cur = next;
		} else {
			rc = scan_key(L, s, lineno, cur) ? -1 : 0;
		}
	}
	fclose(f);
	if (!rc && L->nsections == 0)
		rc = rs_fail(L->err, RS_E_INPUT, "%s:1: no [TARGET] sections: this is not a board database",
		             L->path);
	return rc;
}

/* The database-wide keys, before the first [TARGET]: ACTION.why only, the reason given for
 * an action a board does not list (the MRAM only special AE3 builds have). */
static int load_defaults(struct loader *L, struct board *defaults)
{
	memset(defaults, 0, sizeof *defaults);
	for (int i = 0; i < L->nkeys; i++) {
		const struct keyline *kl = &L->keys[i];
		if (kl->section >= 0)
			continue;
		size_t len = strlen(kl->key);
		if (len < 5 || strcmp(kl->key + len - 4, ".why"))
			return fail_at(L, kl->line, "only ACTION.why may come before the first [TARGET] "
			               "section (the reason for a board that does not list ACTION)");
		char full[140];
		snprintf(full, sizeof full, ":%s", kl->key); /* iniparser's section "" */
		const char *val = iniparser_getstring(L->dict, full, NULL);
		char why[200];
		if (boarddb_parse_key(defaults, kl->key, val ? val : "", kl->line, why, sizeof why))
			return fail_at(L, kl->line, "%s", why);
	}
	return 0;
}

/* iniparser reports syntax errors through a global callback; keep the first one. */
static char ini_error[300];

static int ini_error_cb(const char *fmt, ...)
{
	if (!ini_error[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ini_error, sizeof ini_error, fmt, ap);
		va_end(ap);
		for (char *p = ini_error; *p; p++)
			if (*p == '\n')
				*p = ' ';
	}
	return 0;
}

static int load_section(struct loader *L, int s, const struct board *defaults, struct board *b)
{
	memset(b, 0, sizeof *b);
	snprintf(b->target, sizeof b->target, "%s", L->sections[s]);
	for (char *p = b->target; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	b->line = L->section_line[s];
	for (int i = 0; i < ACTION_COUNT; i++)
		b->actions[i].alt = -1;
	for (int i = 0; i < L->nkeys; i++) {
		if (L->keys[i].section != s)
			continue;
		char full[140];
		snprintf(full, sizeof full, "%s:%s", L->sections[s], L->keys[i].key);
		const char *val = iniparser_getstring(L->dict, full, NULL);
		char why[200];
		if (boarddb_parse_key(b, L->keys[i].key, val ? val : "", L->keys[i].line, why, sizeof why))
			return fail_at(L, L->keys[i].line, "[%s] %s", b->target, why);
	}
	for (int i = 0; i < ACTION_COUNT; i++) /* not listed: the database-wide reason */
		if (!b->actions[i].line && !b->actions[i].why[0])
			memcpy(b->actions[i].why, defaults->actions[i].why, sizeof b->actions[i].why);
	char why[300];
	int line = boarddb_check_board(b, why, sizeof why);
	if (line)
		return fail_at(L, line, "[%s] %s", b->target, why);
	return 0;
}

int boarddb_load(struct boarddb *db, const char *path, struct rs_error *err)
{
	struct loader L = {.path = path, .err = err};
	memset(db, 0, sizeof *db);
	snprintf(db->path, sizeof db->path, "%s", path);
	L.keys = calloc(MAX_KEYS, sizeof *L.keys);
	if (!L.keys)
		return rs_fail(err, RS_E_NOMEM, "out of memory reading %s", path);
	int rc = scan_lines(&L);
	if (!rc) {
		ini_error[0] = '\0';
		iniparser_set_error_callback(ini_error_cb);
		L.dict = iniparser_load(path);
		iniparser_set_error_callback(NULL);
		if (!L.dict)
			rc = rs_fail(err, RS_E_INPUT, "%s: %s", path,
			             ini_error[0] ? ini_error : "iniparser could not read the file");
	}
	/* the hardware prompts ACTION.prompt names (assets/prompts/prompts.ini); should they be
	 * missing, only a board that names one is refused, by the check, with the reason */
	char why[300];
	if (!rc)
		(void)prompts_load_beside(path, why, sizeof why);
	static struct board defaults;
	if (!rc)
		rc = load_defaults(&L, &defaults);
	for (int s = 0; !rc && s < L.nsections; s++)
		rc = load_section(&L, s, &defaults, &db->boards[s]);
	if (!rc)
		db->n = L.nsections;
	if (L.dict)
		iniparser_freedict(L.dict);
	free(L.keys);
	return rc;
}

int boarddb_default_path(char *buf, size_t n, struct rs_error *err)
{
	if (!buf || n < 2)
		return rs_fail(err, RS_E_INPUT, "internal: no room for the boards.ini path");
	const char *env = getenv("OPENMV_RESCUE_BOARDS");
	if (env && *env) {
		snprintf(buf, n, "%s", env);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			const char *rel[] = {"/boards.ini", "/../share/openmv-rescue/boards.ini"};
			for (size_t i = 0; i < 2; i++) {
				snprintf(buf, n, "%s%s", exe, rel[i]);
				if (access(buf, R_OK) == 0)
					return 0;
			}
		}
	}
	snprintf(buf, n, "%s/boards.ini", RESCUE_DATADIR);
	if (access(buf, R_OK) == 0)
		return 0;
	return rs_fail(err, RS_E_NOT_FOUND,
	               "boards.ini not found beside the program nor in %s; give it with --boards FILE",
	               RESCUE_DATADIR);
}

const struct board *boarddb_find(const struct boarddb *db, const char *target)
{
	for (int i = 0; i < db->n; i++)
		if (!strcasecmp(db->boards[i].target, target))
			return &db->boards[i];
	return NULL;
}

const struct board_alt *board_alt(const struct board *b, int alt)
{
	for (int i = 0; i < b->nalts; i++)
		if (b->alts[i].alt == alt)
			return &b->alts[i];
	return NULL;
}

const struct board_image *board_image(const struct board *b, const char *slot)
{
	for (int i = 0; i < b->nimages; i++)
		if (!strcasecmp(b->images[i].slot, slot))
			return &b->images[i];
	return NULL;
}

const struct board_region *board_region(const struct board *b, const char *name)
{
	for (int i = 0; i < b->nregions; i++)
		if (!strcasecmp(b->regions[i].name, name))
			return &b->regions[i];
	return NULL;
}

bool board_supports(const struct board *b, enum action a)
{
	return b->actions[a].method != METHOD_NONE;
}

int boarddb_match_usb(const struct boarddb *db, uint16_t vid, uint16_t pid,
                      struct board_match *out, int max)
{
	int n = 0;
	for (int i = 0; i < db->n; i++)
		for (int m = 0; m < USB_MODE_COUNT; m++)
			for (int k = 0; k < db->boards[i].usb[m].n; k++) {
				const struct usb_id *id = &db->boards[i].usb[m].id[k];
				if (id->vid != vid || id->pid != pid)
					continue;
				if (n < max) {
					out[n].board = &db->boards[i];
					out[n].mode = (enum usb_mode)m;
				}
				n++;
			}
	return n;
}

const char *action_name(enum action a)
{
	static const char *names[ACTION_COUNT] = {"flash", "erase-fs", "restore-bootloader", "init-mram"};
	return (unsigned)a < ACTION_COUNT ? names[a] : "?";
}

int action_from_name(const char *name)
{
	for (int a = 0; a < ACTION_COUNT; a++)
		if (!strcmp(name, action_name((enum action)a)))
			return a;
	return -1;
}

const char *method_name(enum method m)
{
	static const char *names[METHOD_COUNT] = {"none", "openmv_dfu", "dfuse", "blhost", "samba",
	                                          "picoboot", "st_rom", "stm32prog", "nxp_sdp",
	                                          "alif_isp"};
	return (unsigned)m < METHOD_COUNT ? names[m] : "?";
}

const char *usb_mode_name(enum usb_mode m)
{
	static const char *names[USB_MODE_COUNT] = {
		"firmware", "firmware_legacy", "arduino_sketch", "bootloader", "st_rom", "sdp",
		"flashloader", "arduino_dfu", "samba", "bootsel", "se_bridge"};
	return (unsigned)m < USB_MODE_COUNT ? names[m] : "?";
}

const char *usb_mode_label(enum usb_mode m)
{
	static const char *labels[USB_MODE_COUNT] = {
		"running firmware", "running older firmware", "running an Arduino sketch",
		"OpenMV DFU bootloader", "ST ROM DFU", "NXP SDP ROM", "NXP flashloader",
		"Arduino DFU bootloader", "SAM-BA bootloader", "RP2040 BOOTSEL",
		"Secure Enclave serial port"};
	return (unsigned)m < USB_MODE_COUNT ? labels[m] : "?";
}
