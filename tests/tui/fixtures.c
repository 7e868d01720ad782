/* fixtures.c — starting the wizard on a virtual terminal in a directory of its own, files
 * for it to find, and the checks the flows share (see flows.h). */
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "flows.h"

/* after flows.h: this file is the one that counts, with the shared TAP producer */
#undef ok
#include "../common/tap.h"

const char *program, *terminfo, *sim;
char home[512];

int flow_ok(int cond, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return tap_ok(cond, "%s", msg);
}

const char *flows_skipped;

void flows_skip(const char *why)
{
	flows_skipped = why;
}

int flows_done(void)
{
	if (flows_skipped && tap_count == 0) {
		printf("1..0 # SKIP %s\n", flows_skipped);
		return 0; /* a TAP plan of 0 with SKIP: meson counts the test as skipped */
	}
	return tap_done();
}


static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void mkdirs(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	for (char *p = path + strlen(home) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	mkdir(path, 0755);
}

/* A file of size bytes whose first two words are sp and reset (an STM32 vector table). */
void write_image(const char *rel, uint32_t sp, uint32_t reset, size_t size)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", home, rel);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	for (size_t i = 0; i < size; i++) {
		uint32_t word = i < 4 ? sp : i < 8 ? reset : 0;
		fputc(i < 8 ? (int)((word >> (8 * (i % 4))) & 0xFF) : (int)(i & 0xFF), f);
	}
	fclose(f);
}

/* The H7 (OPENMV4) links its firmware at 0x08040000 with its stack in DTCM (boards.ini
 * check.entry and check.stack). */
void write_h7_firmware(const char *rel) { write_image(rel, 0x20020000u, 0x08040201u, 4096); }

struct vt *start_argv(char *const argv[], const char *lang, const char *const *extra, int rows,
                             int cols, const char *first_text)
{
	char ti[600], h[600], l[64], lc[64];
	snprintf(ti, sizeof ti, "TERMINFO=%s", terminfo);
	snprintf(h, sizeof h, "HOME=%s", home);
	snprintf(l, sizeof l, "LANG=%s", lang);
	snprintf(lc, sizeof lc, "LC_ALL=%s", lang);
	const char *env[16] = {"TERM=xterm-256color", ti, h, l, lc, "ESCDELAY=25", "NO_COLOR="};
	int n = 7;
	for (int i = 0; extra && extra[i] && n < 15; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	struct vt *v = vt_spawn(argv, env, home, rows, cols);
	if (v && vt_wait_text(v, first_text, WAIT_MS))
		vt_dump(v, stdout);
	return v;
}

struct vt *start_env(const char *lang, const char *const *extra, int rows, int cols)
{
	char *argv[] = {(char *)program, NULL};
	return start_argv(argv, lang, extra, rows, cols, "Find the camera");
}

/* The wizard with a virtual camera: openmv-rescue-sim --camera SPEC -- openmv-rescue.
 * first_text: what the detect screen shows once the camera is seen. */
struct vt *start_sim(const char *camera, const char *first_text)
{
	char *argv[] = {(char *)sim, "--camera", (char *)camera, "--", (char *)program, NULL};
	return start_argv(argv, "C.UTF-8", NULL, 24, 80, first_text);
}

struct vt *start(void) { return start_env("C.UTF-8", NULL, 24, 80); }

bool shows(struct vt *v, const char *text)
{
	bool yes = vt_contains(v, text);
	if (!yes) {
		printf("# expected on screen: \"%s\"\n", text);
		vt_dump(v, stdout);
	}
	return yes;
}

bool highlighted(struct vt *v, const char *text)
{
	char line[1024] = "";
	int r = vt_highlighted_row(v);
	if (r >= 0)
		vt_row(v, r, line, sizeof line);
	bool yes = r >= 0 && strstr(line, text);
	if (!yes) {
		printf("# expected highlighted: \"%s\" (row %d: \"%s\")\n", text, r, line);
		vt_dump(v, stdout);
	}
	return yes;
}

void enter(struct vt *v) { vt_key(v, VTERM_KEY_ENTER); }

/* detect -> camera -> action (by their menu texts) */
void to_action(struct vt *v, const char *camera, const char *action)
{
	vt_select(v, "Choose the camera and what to do yourself");
	enter(v);
	vt_select(v, camera);
	enter(v);
	if (action) {
		vt_select(v, action);
		enter(v);
	}
}

bool box_corner(struct vt *v, int row, int col, uint32_t want)
{
	uint32_t c = vt_char(v, row, col);
	if (c != want) {
		printf("# cell %d,%d is U+%04X, expected U+%04X\n", row, col, c, want);
		vt_dump(v, stdout);
	}
	return c == want;
}

bool terminal_restored(struct vt *v)
{
	struct termios t;
	if (vt_termios(v, &t))
		return false;
	return (t.c_lflag & ICANON) && (t.c_lflag & ECHO) && (t.c_lflag & ISIG);
}

void remove_home(void)
{
	nftw(home, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

