/* widgets.c — see widgets.h. */
#include "widgets.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static attr_t styles[UI_STYLE_COUNT];
/* where a text field wants the cursor this frame; curs_set() only on a change, since every
 * call writes to the terminal */
static int cursor_y = -1, cursor_x, cursor_shown = -1;

void ui_init_style(void)
{
	/* Monochrome and NO_COLOR (https://no-color.org) get attributes only. */
	styles[UI_NORMAL] = A_NORMAL;
	styles[UI_TITLE] = A_BOLD;
	styles[UI_SELECTED] = A_REVERSE;
	styles[UI_DISABLED] = A_DIM;
	styles[UI_HEADING] = A_BOLD | A_UNDERLINE;
	styles[UI_GOOD] = A_BOLD;
	styles[UI_BAD] = A_BOLD;
	styles[UI_WARN] = A_BOLD;
	styles[UI_KEY] = A_BOLD;
	const char *nc = getenv("NO_COLOR");
	if ((nc && nc[0]) || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	init_pair(1, COLOR_CYAN, -1);
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_RED, -1);
	init_pair(4, COLOR_YELLOW, -1);
	styles[UI_TITLE] = A_BOLD | COLOR_PAIR(1);
	styles[UI_HEADING] = A_BOLD | COLOR_PAIR(1);
	styles[UI_GOOD] = A_BOLD | COLOR_PAIR(2);
	styles[UI_BAD] = A_BOLD | COLOR_PAIR(3);
	styles[UI_WARN] = A_BOLD | COLOR_PAIR(4);
	styles[UI_KEY] = A_BOLD | COLOR_PAIR(1);
}

int ui_top(void) { return 2; }
int ui_bottom(void) { return LINES - 5; }
int ui_left(void) { return 2; }
int ui_width(void) { return COLS - 4; }

void ui_frame(const char *title, const char *keys)
{
	cursor_y = -1;
	erase();
	box(stdscr, 0, 0);
	char t[200];
	snprintf(t, sizeof t, " %s ", title);
	ui_text(0, 2, COLS - 4, UI_TITLE, t);
	mvaddch(LINES - 3, 0, ACS_LTEE);
	mvhline(LINES - 3, 1, ACS_HLINE, COLS - 2);
	mvaddch(LINES - 3, COLS - 1, ACS_RTEE);
	/* the key line: words between keys in normal style, keys in bold */
	int x = 2;
	const char *s = keys;
	while (*s && x < COLS - 2) {
		const char *sp = strstr(s, "  ");
		int len = sp ? (int)(sp - s) : (int)strlen(s);
		const char *gap = memchr(s, ' ', (size_t)len);
		int keylen = gap ? (int)(gap - s) : len;
		char buf[100];
		snprintf(buf, sizeof buf, "%.*s", keylen, s);
		x += ui_text(LINES - 2, x, COLS - 2 - x, UI_KEY, buf);
		snprintf(buf, sizeof buf, "%.*s", len - keylen, s + keylen);
		x += ui_text(LINES - 2, x, COLS - 2 - x, UI_NORMAL, buf);
		s += len;
		while (*s == ' ') {
			s++;
			x++;
		}
		x++;
	}
}

void ui_status(const char *msg, enum ui_style style)
{
	if (msg && msg[0])
		ui_text(LINES - 4, 2, COLS - 4, style, msg);
}

int ui_text(int y, int x, int w, enum ui_style style, const char *s)
{
	if (w <= 0 || y < 0 || y >= LINES)
		return 0;
	int len = (int)strlen(s);
	if (len > w)
		len = w;
	attrset(styles[style]);
	mvaddnstr(y, x, s, len);
	attrset(A_NORMAL);
	return len;
}

int ui_wrap(int y, int x, int w, int maxrows, enum ui_style style, const char *s)
{
	int rows = 0;
	if (w <= 0)
		return 0;
	while (*s) {
		int len = (int)strcspn(s, "\n");
		int cut = len;
		if (cut > w) {
			cut = w;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = w;
		}
		if (maxrows > 0) {
			if (rows >= maxrows)
				break;
			char buf[512];
			snprintf(buf, sizeof buf, "%.*s", cut, s);
			ui_text(y + rows, x, w, style, buf);
		}
		rows++;
		s += cut;
		if (*s == ' ' || *s == '\n')
			s++;
	}
	return rows;
}

int ui_menu_move(const struct ui_item *items, int n, int sel, int delta)
{
	int step = delta > 0 ? 1 : -1, left = abs(delta), best = sel;
	for (int i = sel + step; i >= 0 && i < n && left > 0; i += step)
		if (!items[i].heading) {
			best = i;
			left--;
		}
	return best;
}

void ui_menu(int y, int x, int w, int h, const struct ui_item *items, int n, int sel, int *top)
{
	if (h <= 0)
		return;
	if (sel < 0 || sel >= n) /* nothing of this menu is selected */
		sel = -1;
	else if (sel < *top)
		*top = sel;
	/* keep the heading just above the first visible item when it fits */
	if (sel >= 0 && *top > 0 && items[*top - 1].heading && sel - (*top - 1) < h)
		(*top)--;
	if (sel >= 0 && sel >= *top + h)
		*top = sel - h + 1;
	if (*top > n - h)
		*top = n - h > 0 ? n - h : 0;
	for (int r = 0; r < h && *top + r < n; r++) {
		const struct ui_item *it = &items[*top + r];
		char line[300];
		enum ui_style st = it->heading ? UI_HEADING : it->disabled ? UI_DISABLED : UI_NORMAL;
		if (*top + r == sel)
			st = UI_SELECTED;
		if (it->heading)
			snprintf(line, sizeof line, "%s", it->label);
		else
			snprintf(line, sizeof line, " %s %-*s", *top + r == sel ? ">" : " ", w - 3, it->label);
		ui_text(y + r, x, w, st, line);
	}
	if (*top > 0)
		ui_text(y, x + w - 1, 1, UI_KEY, "^");
	if (*top + h < n)
		ui_text(y + h - 1, x + w - 1, 1, UI_KEY, "v");
}

void ui_human_size(uint64_t v, char *buf, int n)
{
	if (v >= 1024 * 1024)
		snprintf(buf, (size_t)n, "%.1f MiB", (double)v / (1024.0 * 1024.0));
	else if (v >= 1024)
		snprintf(buf, (size_t)n, "%.1f KiB", (double)v / 1024.0);
	else
		snprintf(buf, (size_t)n, "%" PRIu64 " bytes", v);
}

void ui_progress_bar(int y, int x, int w, uint64_t done, uint64_t total)
{
	int pct = total ? (int)(done * 100 / total) : 0;
	if (pct > 100)
		pct = 100;
	int inner = w - 8;
	if (inner < 4)
		return;
	int fill = inner * pct / 100;
	char buf[400];
	int k = 0;
	buf[k++] = '[';
	for (int i = 0; i < inner && k < (int)sizeof buf - 10; i++)
		buf[k++] = i < fill ? '#' : '.';
	snprintf(buf + k, sizeof buf - (size_t)k, "] %3d%%", pct);
	ui_text(y, x, w, UI_NORMAL, buf);
	if (fill > 0)
		ui_text(y, x + 1, fill, UI_GOOD, buf + 1);
}

void ui_message_box(const char *title, const char *text, const char *keys)
{
	int w = COLS - 16 > 64 ? 64 : COLS - 16;
	if (w < 20)
		w = COLS - 2;
	int rows = ui_wrap(0, 0, w - 4, 0, UI_NORMAL, text);
	int h = rows + 4;
	if (h > LINES - 2)
		h = LINES - 2;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	cursor_y = -1; /* the box covers any text field */
	for (int r = 0; r < h; r++)
		mvhline(y + r, x, ' ', w);
	/* the box outline with ACS characters, as the frame */
	mvaddch(y, x, ACS_ULCORNER);
	mvhline(y, x + 1, ACS_HLINE, w - 2);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	char t[120];
	snprintf(t, sizeof t, " %s ", title);
	ui_text(y, x + 2, w - 4, UI_TITLE, t);
	ui_wrap(y + 1, x + 2, w - 4, h - 3, UI_NORMAL, text);
	ui_text(y + h - 2, x + 2, w - 4, UI_KEY, keys);
}

void ui_field(int y, int x, int w, const char *text)
{
	int len = (int)strlen(text);
	const char *shown = len > w - 2 ? text + len - (w - 2) : text;
	char buf[600];
	int k = (int)strlen(shown);
	if (w > (int)sizeof buf - 1)
		w = (int)sizeof buf - 1;
	if (k > w)
		k = w;
	memcpy(buf, shown, (size_t)k);
	memset(buf + k, ' ', (size_t)(w - k)); /* the field's width, in reverse video */
	buf[w] = '\0';
	ui_text(y, x, w, UI_SELECTED, buf);
	cursor_y = y;
	cursor_x = x + (int)strlen(shown);
}

void ui_finish(void)
{
	int want = cursor_y >= 0;
	if (want != cursor_shown) {
		curs_set(want);
		cursor_shown = want;
	}
	if (want)
		move(cursor_y, cursor_x);
	refresh();
}

bool ui_field_key(char *buf, int size, int ch)
{
	int len = (int)strlen(buf);
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len > 0)
			buf[len - 1] = '\0';
		return true;
	}
	if (ch == 21) { /* Ctrl-U clears the line, as in a shell */
		buf[0] = '\0';
		return true;
	}
	if (ch >= 32 && ch < 127 && len < size - 1) {
		buf[len] = (char)ch;
		buf[len + 1] = '\0';
		return true;
	}
	return false;
}
