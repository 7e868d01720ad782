/* widgets.h — the drawing pieces every screen uses: the frame with its title and key line,
 * wrapped text, a menu with headings and greyed items, a progress bar and a message box.
 *
 * Everything draws on stdscr and works at 80x24 and larger, in colour, in monochrome and
 * with NO_COLOR (the highlighted menu item is always drawn in reverse video), in UTF-8 and in
 * the C locale (lines are ncurses' ACS characters, all texts are ASCII).
 */
#ifndef RESCUE_WIDGETS_H
#define RESCUE_WIDGETS_H

#include <stdbool.h>
#include <stdint.h>

enum ui_style {
	UI_NORMAL,
	UI_TITLE,
	UI_SELECTED,
	UI_DISABLED,
	UI_HEADING,
	UI_GOOD,
	UI_BAD,
	UI_WARN,
	UI_KEY,
	UI_STYLE_COUNT
};

/* Set up colour pairs when the terminal has colours and NO_COLOR is not set. */
void ui_init_style(void);

/* The body area inside the frame: rows [ui_top(), ui_bottom()], columns [ui_left(),
 * ui_left() + ui_width()). */
int ui_top(void);
int ui_bottom(void);
int ui_left(void);
int ui_width(void);

/* Clear the screen and draw the frame: a box, " title " in the top border, and the key
 * line (e.g. "Enter choose  Esc back  ? help  q quit") above the bottom border. */
void ui_frame(const char *title, const char *keys);

/* A one-line message above the key line (errors, "log saved to ..."). */
void ui_status(const char *msg, enum ui_style style);

/* Text at (y, x), cut to width w.  Returns the columns used. */
int ui_text(int y, int x, int w, enum ui_style style, const char *s);

/* Text wrapped at word boundaries into width w, at most maxrows rows; '\n' starts a new
 * row.  Returns the rows used.  With maxrows 0 only counts the rows needed. */
int ui_wrap(int y, int x, int w, int maxrows, enum ui_style style, const char *s);

struct ui_item {
	const char *label;
	bool heading;           /* a group title: never selected */
	bool disabled;          /* shown greyed; may be selected to read why */
};

/* A menu of n items in rows [y, y+h), highlighted item sel (reverse video).  *top is the
 * first visible item; it is moved so that sel is visible. */
void ui_menu(int y, int x, int w, int h, const struct ui_item *items, int n, int sel, int *top);

/* The next selectable item from sel in direction delta (+1/-1, or a page), skipping headings. */
int ui_menu_move(const struct ui_item *items, int n, int sel, int delta);

/* A bar across width w: "[#####.....]  42%". */
void ui_progress_bar(int y, int x, int w, uint64_t done, uint64_t total);

/* A centred box over the screen with a title, wrapped text and a key line. */
void ui_message_box(const char *title, const char *text, const char *keys);

/* A one-line text field at (y, x) of width w showing the end of text, with the cursor. */
void ui_field(int y, int x, int w, const char *text);

/* Edit a line in buf with key ch: printable characters, Backspace.  Returns true when the
 * key was used. */
bool ui_field_key(char *buf, int size, int ch);

/* Put the cursor where the last ui_field() left it (hidden when there was none since
 * ui_frame()), then refresh the terminal. */
void ui_finish(void);

/* "1.6 MiB", "900 KiB", "312 bytes". */
void ui_human_size(uint64_t v, char *buf, int n);

#endif
