/* scr_files.c — choose files: the images the plan needs, where each was found (a folder the
 * person chose, build/<TARGET>/bin/, an OpenMV IDE installation), and the image checks'
 * verdict on each.  A file the checks refuse is not taken; nothing can start until every
 * image is good.  When none is found it offers to download the release (files_download.c). */
#include <curses.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "files_download.h"
#include "files_find.h"
#include "release_src.h"
#include "widgets.h"
#include "wiz.h"

/* The items after the images: what each row below them does. */
enum extra { X_FOLDER, X_DOWNLOAD, X_SAMPLES, X_ERASE_FS, X_CONTINUE, X_COUNT };

static struct {
	int sel;              /* 0..nslots-1 a slot, then the extras (extras[]), continue last */
	bool editing;
	bool folder;          /* the field asks for a folder */
	char field[512];
	char refused[700];    /* why the last file given was refused, until the next key */
} f;

static enum extra extras[X_COUNT];
static int nextras;

/* The rows under the images for this camera and action: sample images only in practice,
 * the filesystem erase only for a flash on a board that can erase it. */
static void list_extras(const struct wiz *w)
{
	nextras = 0;
	extras[nextras++] = X_FOLDER;
	if (fdl_offered(w))
		extras[nextras++] = X_DOWNLOAD;
	if (w->practice && w->nslots)
		extras[nextras++] = X_SAMPLES;
	if (w->action == ACTION_FLASH && board_supports(w->board, ACTION_ERASE_FS))
		extras[nextras++] = X_ERASE_FS;
	extras[nextras++] = X_CONTINUE;
}

static int nitems(const struct wiz *w) { return w->nslots + nextras; }

/* What item i is: a slot (-1) or an extra. */
static int extra_of(const struct wiz *w, int i) { return i < w->nslots ? -1 : (int)extras[i - w->nslots]; }

static void enter(struct wiz *w)
{
	fdl_reset_for(w);
	list_extras(w);
	f.editing = false;
	f.refused[0] = '\0';
	f.sel = w->files_ok ? nitems(w) - 1 : 0;
	for (int i = 0; i < w->nslots && !w->files_ok; i++)
		if (w->slots[i].verdict[0]) { /* start on the first image that needs attention */
			f.sel = i;
			break;
		}
}

static void draw_slot(const struct wiz *w, int i, int y, int rows)
{
	const struct wiz_slot *s = &w->slots[i];
	int x = ui_left(), wd = ui_width();
	char line[700], size[32] = "";
	bool sel = f.sel == i;
	const struct plan_image *im = NULL;
	for (int k = 0; k < w->plan.nimages; k++)
		if (s->path[0] && !strcmp(w->plan.images[k].path, s->path))
			im = &w->plan.images[k];
	if (im && im->size)
		ui_human_size(im->size, size, sizeof size);
	const char *state = !s->path[0] ? (s->optional && !s->verdict[0] ? "skipped" : "missing")
	                    : s->verdict[0] ? "PROBLEM" : "OK";
	/* the verdict word starts where the (possibly longer than 22) name and size end */
	int state_col = snprintf(line, sizeof line, " %s %-22s %-10s ", sel ? ">" : " ", s->slot, size);
	snprintf(line + state_col, sizeof line - (size_t)state_col, "%-8s %s%s", state,
	         s->where[0] ? "from " : "", s->where);
	char padded[700];
	snprintf(padded, sizeof padded, "%-*s", wd, line);
	ui_text(y, x, wd, sel ? UI_SELECTED : UI_NORMAL, padded);
	if (!sel && state_col < wd) /* the verdict word in colour */
		ui_text(y, x + state_col, 8, s->verdict[0] ? UI_BAD : s->path[0] ? UI_GOOD : UI_WARN, state);
	if (rows < 2)
		return;
	if (s->verdict[0])
		ui_text(y + 1, x + 5, wd - 5, UI_BAD, s->verdict);
	else if (s->path[0])
		ui_text(y + 1, x + 5, wd - 5, UI_DISABLED, s->path);
	else if (s->optional)
		ui_text(y + 1, x + 5, wd - 5, UI_DISABLED, "optional: left as it is on the camera unless you give it");
}

static void draw(struct wiz *w)
{
	list_extras(w); /* the download offer comes and goes with the images found */
	if (f.sel >= nitems(w))
		f.sel = nitems(w) - 1;
	int y = ui_top(), x = ui_left(), wd = ui_width();
	char head[200];
	snprintf(head, sizeof head, "Files for %s on the %s:", action_name(w->action), w->board->name);
	ui_text(y, x, wd, UI_NORMAL, head);
	y += 2;
	int avail = ui_bottom() - y - nextras - 1;
	int rows = w->nslots * 2 <= avail ? 2 : 1;
	if (w->nslots == 0)
		ui_text(y++, x + 2, wd - 2, UI_NORMAL, "This action needs no files: its image is made in memory.");
	for (int i = 0; i < w->nslots && y + rows <= ui_bottom() - nextras - 1; i++, y += rows)
		draw_slot(w, i, y, rows);
	y++;
	char folder[600];
	snprintf(folder, sizeof folder, "Look in a folder or a release zip...%s%s", w->dir[0] ? "  now: " : "", w->dir);
	struct ui_item items[X_COUNT];
	for (int i = 0; i < nextras; i++) {
		switch (extras[i]) {
		case X_FOLDER: items[i] = (struct ui_item){.label = folder}; break;
		case X_DOWNLOAD: items[i] = (struct ui_item){.label = fdl_label(w)}; break;
		case X_SAMPLES: items[i] = (struct ui_item){.label = "Use sample images (practice: made for this "
		                                           "virtual camera)"}; break;
		case X_ERASE_FS: items[i] = (struct ui_item){.label = w->erase_fs ?
		        "[x] Also erase the internal filesystem (main.py, your files) in this run" :
		        "[ ] Also erase the internal filesystem (main.py, your files) in this run"}; break;
		default: items[i] = (struct ui_item){.label = "Continue", .disabled = !w->files_ok}; break;
		}
	}
	int top = 0;
	ui_menu(y, x, wd, nextras, items, nextras, f.sel - w->nslots, &top);
	y += nextras;
	if (fdl_busy() || (extra_of(w, f.sel) == X_DOWNLOAD && !f.refused[0]))
		fdl_draw(w, y);
	else if (f.refused[0])
		ui_wrap(y, x, wd, 4, UI_BAD, f.refused);
	else if (!w->files_ok && w->plan_error[0])
		ui_wrap(y, x, wd, 2, UI_BAD, w->plan_error);
	else if (f.sel < w->nslots && !f.editing && w->slots[f.sel].path[0]) {
		/* the row of an image is cut to the screen: its whole path and verdict, wrapped */
		const struct wiz_slot *s = &w->slots[f.sel];
		char about[1000];
		snprintf(about, sizeof about, "%s%s%s", s->path, s->path[0] && s->verdict[0] ? ": " : "", s->verdict);
		ui_wrap(y, x, wd, ui_bottom() - y + 1, s->verdict[0] ? UI_BAD : UI_DISABLED, about);
	}
	if (f.editing) {
		char label[120];
		if (f.folder)
			snprintf(label, sizeof label, "Folder (Tab completes, Enter takes it, Esc cancels):");
		else
			snprintf(label, sizeof label, "File or folder for %s (Tab completes, Enter, Esc):",
			         w->slots[f.sel].slot);
		ui_text(ui_bottom() - 1, x, wd, UI_TITLE, label);
		ui_field(ui_bottom(), x, wd, f.field);
	}
}

/* Complete the field like a shell would when exactly one name fits, or up to the common part. */
static void complete(void)
{
	char pattern[600], path[512];
	files_expand_home(f.field, path, sizeof path);
	snprintf(pattern, sizeof pattern, "%s*", path);
	glob_t g;
	if (glob(pattern, GLOB_MARK, NULL, &g) == 0 && g.gl_pathc > 0) {
		size_t common = strlen(g.gl_pathv[0]);
		for (size_t i = 1; i < g.gl_pathc; i++) {
			size_t k = 0;
			while (k < common && g.gl_pathv[i][k] == g.gl_pathv[0][k])
				k++;
			common = k;
		}
		if (common >= strlen(path))
			snprintf(f.field, sizeof f.field, "%.*s", (int)common, g.gl_pathv[0]);
	}
	globfree(&g);
}

/* The slot a file given through "look in a folder" belongs to: by its name, else the first
 * image still missing. */
static int slot_for_file(const struct wiz *w, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (int i = 0; i < w->nslots; i++)
		if (!strcmp(w->slots[i].slot, base))
			return i;
	for (int i = 0; i < w->nslots; i++)
		if (!w->slots[i].path[0] || w->slots[i].verdict[0])
			return i;
	return w->nslots ? 0 : -1;
}

/* The release zip or folder the images come from; a zip's private copy lives until the
 * wizard ends. */
static struct release_src from;

static void close_from(void)
{
	release_close(&from);
}

/* A release zip, an unpacked release, OpenMV IDE or a bin folder (release_src.h); say so
 * in the status line when tell. */
static void take_release(struct wiz *w, const char *path, bool tell)
{
	static bool cleanup_set;
	if (!cleanup_set)
		cleanup_set = !atexit(close_from);
	struct rs_error err = {0};
	release_close(&from);
	if (release_open(path, w->board->target, &from, &err)) {
		slog_add(&w->log, "refused %s: %s", path, err.msg);
		snprintf(f.refused, sizeof f.refused, "Refused: %.680s", err.msg);
		return;
	}
	wiz_copy(w->dir, sizeof w->dir, from.dir);
	slog_add(&w->log, "folder: %s (%s)", from.dir, from.what);
	wiz_find_files(w);
	list_extras(w);
	f.sel = w->files_ok ? nitems(w) - 1 : 0;
	if (tell)
		snprintf(w->status, sizeof w->status, "Looked for the images in %.200s.",
		         from.tmpdir[0] ? from.what : from.dir);
}

static void take_field(struct wiz *w)
{
	char path[512];
	files_expand_home(f.field, path, sizeof path);
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	if (!path[0])
		return;
	size_t plen = strlen(path);
	if (files_is_dir(path) || (plen > 4 && !strcasecmp(path + plen - 4, ".zip"))) {
		take_release(w, path, true);
		return;
	}
	int i = f.folder ? slot_for_file(w, path) : f.sel;
	if (i < 0) {
		snprintf(w->status, sizeof w->status, "This action reads no files.");
		return;
	}
	char why[600];
	if (wiz_try_file(w, i, path, why, sizeof why)) {
		slog_add(&w->log, "refused %s for %s: %s", path, w->slots[i].slot, why);
		snprintf(f.refused, sizeof f.refused, "Refused: %s", why);
		return;
	}
	slog_add(&w->log, "file: %s = %s", w->slots[i].slot, path);
	snprintf(w->status, sizeof w->status, "%s: taken.", w->slots[i].slot);
}

static enum go edit_key(struct wiz *w, int ch)
{
	switch (ch) {
	case 27: f.editing = false; return GO_STAY;
	case '\t': complete(); return GO_STAY;
	case '\n': case '\r': case KEY_ENTER:
		f.editing = false;
		take_field(w);
		return GO_STAY;
	default:
		ui_field_key(f.field, sizeof f.field, ch);
		return GO_STAY;
	}
}

static enum go key(struct wiz *w, int ch)
{
	if (!f.editing)
		f.refused[0] = '\0';
	if (f.editing)
		return edit_key(w, ch);
	if (fdl_busy()) { /* the offer's question or its transfer has the keys */
		fdl_key(w, ch);
		return GO_STAY;
	}
	switch (ch) {
	case KEY_UP: case 'k': if (f.sel > 0) f.sel--; return GO_STAY;
	case KEY_DOWN: case 'j': if (f.sel < nitems(w) - 1) f.sel++; return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT:
		if (extra_of(w, f.sel) == X_CONTINUE) {
			if (w->files_ok)
				return GO_NEXT;
			snprintf(w->status, sizeof w->status, "Not yet: every image needs a good file first.");
			return GO_STAY;
		}
		if (extra_of(w, f.sel) == X_ERASE_FS) {
			w->erase_fs = !w->erase_fs;
			slog_add(&w->log, "erase the filesystem too: %s", w->erase_fs ? "yes" : "no");
			wiz_rebuild_plan(w);
			return GO_STAY;
		}
		if (extra_of(w, f.sel) == X_DOWNLOAD) {
			fdl_start(w);
			return GO_STAY;
		}
		if (extra_of(w, f.sel) == X_SAMPLES) {
			char why[400];
			if (practice_samples(w, why, sizeof why))
				snprintf(f.refused, sizeof f.refused, "%s", why);
			else
				snprintf(w->status, sizeof w->status, "Sample images made for the virtual %s.", w->board->name);
			return GO_STAY;
		}
		f.editing = true;
		f.folder = f.sel == w->nslots;
		if (f.folder)
			wiz_copy(f.field, sizeof f.field, w->dir[0] ? w->dir : "");
		else
			wiz_copy(f.field, sizeof f.field, w->slots[f.sel].path);
		return GO_STAY;
	default:
		return wiz_common_key(ch);
	}
}

static enum go tick(struct wiz *w)
{
	char zip[1024];
	if (fdl_tick(w, zip, sizeof zip))
		take_release(w, zip, false);
	return GO_STAY;
}

const struct screen screen_files = {
	.title = "Choose the files",
	.keys = "Enter choose  Esc back  ? help  q quit",
	.help = "The images this action writes. They are looked for in a folder you choose, in the firmware "
	        "build tree (build/TARGET/bin) and in an OpenMV IDE installation.\n\nEnter on an image types a "
	        "file or folder for it (Tab completes). A file that is not an image for this board is refused "
	        "here, before anything is written. Continue is possible once every image is good.\n\n"
	        "On a flash you can also erase the internal filesystem in the same run (when a bad main.py "
	        "stops the camera from booting). In practice mode, sample images stand in for your own.\n\n"
	        "When no image is found, you can download the official OpenMV release: the wizard asks "
	        "which is the latest, offers it with its size, and keeps it only when its SHA-256 matches "
	        "the one the release publishes. Nothing goes on the network unless you pick it.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
