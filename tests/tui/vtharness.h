/* vtharness.h — run a terminal program under a pseudo-terminal and read its screen with
 * libvterm, as a person would see it.
 *
 * Synchronisation is on "the program is idle", not on text or sleeps: its input queue is
 * empty (FIONREAD on the terminal side), we have read all its output (FIONREAD on our side),
 * and it sleeps in read/poll/select (/proc/PID/syscall) twice in a row.  Waiting for a text
 * alone sees half-drawn frames (reference test-harness-umockdev-libvterm.md §D).  For
 * updates that come from another thread of the program (progress), wait for the text, then
 * for idle.
 *
 * The program must be the direct child (no sh -c, no valgrind wrapper), so that its PID is
 * the one /proc is asked about.
 */
#ifndef RESCUE_VTHARNESS_H
#define RESCUE_VTHARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <termios.h>
#include <vterm.h>

struct vt;

/* Start argv[0] (a path) on a new terminal of rows x cols, in directory cwd (NULL: ours),
 * with the environment changed by env ("NAME=value" sets, "NAME=" with nothing after the '='
 * unsets; NULL-terminated, may be NULL).  ESCDELAY (ms) is read from env to know how long
 * ncurses waits after a lone Esc.  Returns NULL on failure. */
struct vt *vt_spawn(char *const argv[], const char *const env[], const char *cwd, int rows, int cols);

/* Wait until the program is idle (see above).  Returns 0, or -1 on timeout or exit. */
int vt_wait_idle(struct vt *v, int timeout_ms);

/* Wait until text is on the screen, then until the program is idle.  Returns 0 or -1. */
int vt_wait_text(struct vt *v, const char *text, int timeout_ms);

/* Keys, as a terminal sends them (libvterm picks the escape sequences for the current
 * cursor-key mode).  Each waits for the program to be idle afterwards. */
void vt_key(struct vt *v, VTermKey key);
void vt_type(struct vt *v, const char *text);   /* ASCII text, one key per character */
void vt_ctrl(struct vt *v, char c);             /* Ctrl + letter, e.g. 'c' */

/* The screen. */
void vt_row(struct vt *v, int row, char *buf, size_t n);   /* UTF-8, trailing blanks cut */
bool vt_contains(struct vt *v, const char *text);
int vt_find(struct vt *v, const char *text, int *row, int *col); /* 0 found, -1 not */
uint32_t vt_char(struct vt *v, int row, int col);
bool vt_reverse(struct vt *v, int row, int col);
int vt_rows(struct vt *v);
int vt_cols(struct vt *v);
/* The row whose first cell inside the frame is in reverse video (a highlighted menu item),
 * or -1. */
int vt_highlighted_row(struct vt *v);

/* Move the menu highlight with Up/Down until the highlighted row contains text.
 * Returns 0, or -1 when it is not reachable. */
int vt_select(struct vt *v, const char *text);

/* Resize the terminal (the program gets SIGWINCH). */
void vt_resize(struct vt *v, int rows, int cols);

/* Print the screen to out, framed, for a failed test's diagnostics ("# " prefixed). */
void vt_dump(struct vt *v, FILE *out);

/* The program under test's PID (under a host such as the simulator: the host's child). */
int vt_program_pid(const struct vt *v);

/* Send a signal to the program. */
void vt_kill(struct vt *v, int sig);

/* Wait for the program to end.  Returns 0 with its wait status in *status, or -1. */
int vt_wait_exit(struct vt *v, int timeout_ms, int *status);

/* The terminal's modes as the program left them (from our side of the terminal). */
int vt_termios(struct vt *v, struct termios *t);

/* Kill the program if it still runs, close everything. */
/* Watch every screen the program draws from now on for text followed by a letter (" --"
 * finds an option such as --firmware, not a dash); vt_watch_seen returns the first row that
 * showed it, or NULL. */
void vt_watch(struct vt *v, const char *text);
const char *vt_watch_seen(struct vt *v);

void vt_free(struct vt *v);

#endif
