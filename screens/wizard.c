/* wizard.c — the interactive wizard: sets up the terminal, loops (draw the current screen,
 * wait for a key, a worker event or the next tick, hand it to the screen), moves between
 * screens through the transition table, and restores the terminal on every way out:
 * normal exit, SIGTERM/SIGHUP, and a crash (the signal handlers call endwin()).
 */
#include "wizard.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "run_worker.h"
#include "widgets.h"
#include "wiz.h"

#define TICK_S 0.1
#define MIN_ROWS 24
#define MIN_COLS 80

static volatile sig_atomic_t curses_on, resized, interrupted;
/* SIGHUP (the SSH session dropped) or SIGTERM: stop the run at its next safe point, give the
 * terminal back, leave the session log in a file, exit 3 */
static volatile sig_atomic_t stop_signal;
static int wake_pipe[2] = {-1, -1};

static void wake_up(void)
{
	char c = 1;
	if (wake_pipe[1] >= 0) {
		ssize_t r = write(wake_pipe[1], &c, 1);
		(void)r;
	}
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
	wake_up();
}

static void on_int(int sig)
{
	(void)sig;
	interrupted = 1;
	wake_up();
}

static void on_stop(int sig)
{
	stop_signal = sig;
	wake_up();
}

/* Crash: give the terminal back, then die of the same signal. */
static void on_fatal(int sig)
{
	if (curses_on)
		endwin();
	curses_on = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void restore_terminal(void)
{
	if (curses_on)
		endwin();
	curses_on = 0;
}

/* Can the wizard draw on this terminal?  ncurses' initscr() would print its raw "Error
 * opening terminal" and exit for an unknown TERM, and draw nothing useful on one that cannot
 * move the cursor (TERM=dumb): say so in one line instead. */
static int terminal_usable(char *why, size_t n)
{
	const char *term = getenv("TERM");
	int err = 0;
	if (!term || !term[0]) {
		snprintf(why, n, "the wizard needs to know the terminal, but TERM is not set");
		return -1;
	}
	if (setupterm(NULL, 1, &err) != OK) {
		snprintf(why, n, "the wizard cannot draw on this terminal: TERM=%.60s is not known here "
		         "(no terminfo entry); try TERM=xterm-256color", term);
		return -1;
	}
	const char *cup = tigetstr("cup");
	bool can_move = cup && cup != (char *)-1;
	del_curterm(cur_term);
	if (!can_move) {
		snprintf(why, n, "the wizard cannot draw on this terminal: TERM=%.60s cannot move the cursor; "
		         "run it in a terminal window such as xterm", term);
		return -1;
	}
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa = {0};
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_int;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* the terminal may be gone: writing to it must not kill us */
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	const int fatal[] = {SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
}

/* ---- the question box over any screen: quit, or cancel a run ----------------------------- */

enum overlay { OV_NONE, OV_QUIT, OV_CANCEL };
static enum overlay question;

static bool run_going(const struct wiz *w)
{
	return w->run.started && !w->run.finished;
}

static void draw_overlay(const struct wiz *w)
{
	if (question == OV_QUIT)
		ui_message_box("Quit?", w->run.finished ? "Quit openmv-rescue?"
		               : "Quit openmv-rescue? Nothing has been written to the camera.", "y quit   n stay");
	else if (question == OV_CANCEL)
		ui_message_box("Cancel?", "Stop the run? It stops at the next safe point (between two blocks or "
		               "two steps), never in the middle of a write.", "y stop   n go on");
}

static void overlay_key(struct wiz *w, int ch)
{
	if (ch == 'y' || ch == 'Y') {
		if (question == OV_QUIT) {
			w->exit_status = w->run.finished ? w->exit_status : 3;
			slog_add(&w->log, "quit by the person");
			question = OV_NONE;
			w->cur = SCR_COUNT; /* leave the loop */
			return;
		}
		if (run_going(w)) {
			slog_add(&w->log, "cancel asked: stopping at the next safe point");
			w->run.stop_requested = true;
			run_stop(w);
		}
		question = OV_NONE;
	} else if (ch == 'n' || ch == 'N' || ch == 27 || ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		question = OV_NONE;
	}
}

/* ---- moving between screens ------------------------------------------------------------ */

static void go(struct wiz *w, enum go g)
{
	switch (g) {
	case GO_STAY:
		return;
	case GO_QUIT:
		question = run_going(w) ? OV_CANCEL : OV_QUIT;
		return;
	case GO_CANCEL:
		if (run_going(w) && !w->run.stop_requested)
			question = OV_CANCEL;
		return;
	case GO_EXIT:
		w->cur = SCR_COUNT;
		return;
	case GO_PRACTICE: {
		char why[300];
		slog_add(&w->log, "practice on a virtual %s", w->board->target);
		curses_on = 0;
		practice_exec(w, w->board, why, sizeof why); /* returns only on failure */
		curses_on = 1;
		clearok(curscr, TRUE);
		wiz_copy(w->status, sizeof w->status, why);
		w->practice_setup = false;
		return;
	}
	case GO_HELP:
		if (w->cur == SCR_HELP)
			return;
		w->help_from = w->cur;
		break;
	case GO_RESTART:
		multi_clear(w);
		memset(&w->run, 0, sizeof w->run);
		w->nslots = 0;
		w->action_chosen = false;
		break;
	default:
		break;
	}
	enum screen_id to = transition(w, g);
	if (to == w->cur)
		return;
	enum screen_id from = w->cur;
	w->cur = to;
	if (from != SCR_HELP) /* back from help: the screen is as it was left */
		screen_of(to)->enter(w);
}

static void draw(struct wiz *w)
{
	if (LINES < MIN_ROWS || COLS < MIN_COLS) {
		erase();
		char msg[160];
		snprintf(msg, sizeof msg, "openmv-rescue needs a terminal of at least %dx%d; this one is %dx%d.",
		         MIN_COLS, MIN_ROWS, COLS, LINES);
		mvaddnstr(0, 0, msg, COLS);
		mvaddnstr(1, 0, "Make it larger, or press q to quit.", COLS);
		ui_finish();
		return;
	}
	char title[160];
	snprintf(title, sizeof title, "openmv-rescue%s - %s", w->practice ? " PRACTICE (virtual camera)" : "",
	         screen_of(w->cur)->title);
	ui_frame(title, screen_of(w->cur)->keys);
	screen_of(w->cur)->draw(w);
	ui_status(w->status, strncmp(w->status, "Refused", 7) && strncmp(w->status, "Not ", 4) ? UI_WARN : UI_BAD);
	draw_overlay(w);
	ui_finish();
}

static void handle_key(struct wiz *w, int ch)
{
	if (ch == KEY_RESIZE)
		return; /* redrawn anyway */
	w->status[0] = '\0';
	if (LINES < MIN_ROWS || COLS < MIN_COLS) {
		if (ch == 'q' || ch == 3) {
			w->cur = SCR_COUNT;
			w->exit_status = 3;
		}
		return;
	}
	if (question != OV_NONE)
		overlay_key(w, ch);
	else
		go(w, screen_of(w->cur)->key(w, ch));
}

double wiz_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void loop(struct wiz *w)
{
	double next_tick = wiz_now() + TICK_S;
	while (w->cur != SCR_COUNT) {
		draw(w);
		double left = next_tick - wiz_now();
		struct pollfd fds[2] = {{.fd = 0, .events = POLLIN}, {.fd = wake_pipe[0], .events = POLLIN}};
		int r = poll(fds, 2, left > 0 ? (int)(left * 1000) + 1 : 0);
		bool woken = false;
		if (r > 0 && (fds[1].revents & POLLIN)) {
			char buf[64];
			while (read(wake_pipe[0], buf, sizeof buf) > 0)
				;
			woken = true;
		}
		if (resized) {
			resized = 0;
			struct winsize ws;
			if (!ioctl(1, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col)
				resizeterm(ws.ws_row, ws.ws_col);
		}
		if (stop_signal) {
			slog_add(&w->log, "stopped by %s: stopping at the next safe point",
			         stop_signal == SIGHUP ? "SIGHUP (the terminal went away)" : "SIGTERM");
			if (run_going(w)) {
				w->run.stop_requested = true;
				run_stop(w);
			}
			w->exit_status = 3;
			break;
		}
		if (interrupted) { /* SIGINT from outside: as Ctrl-C on the keyboard */
			interrupted = 0;
			handle_key(w, 3);
		}
		if (r > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			int ch;
			while (w->cur != SCR_COUNT && (ch = getch()) != ERR)
				handle_key(w, ch);
			if (fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN))
				break; /* the terminal went away */
		}
		if (w->cur == SCR_COUNT)
			break;
		if (woken || wiz_now() >= next_tick) {
			go(w, screen_of(w->cur)->tick(w));
			next_tick = wiz_now() + TICK_S;
		}
	}
}

/* "openmv-rescue --practice" typed by a person: start by choosing the virtual camera. */
static void start_practice_setup(struct wiz *w)
{
	char sim[600];
	if (practice_find_sim(w, sim, sizeof sim) == 0) {
		w->cur = SCR_CAMERA;
		w->practice_setup = true;
		screen_of(w->cur)->enter(w);
	} else {
		snprintf(w->status, sizeof w->status, "The practice camera is not available: install the "
		         "openmv-rescue-sim package (or build with umockdev).");
	}
}

int wizard_main(const struct boarddb *db, const struct cli_args *args)
{
	static struct wiz w;
	memset(&w, 0, sizeof w);
	w.db = db;
	w.args = args;
	w.exit_status = 3;
	/* --practice is how practice_exec re-runs the wizard under the simulator (umockdev sets
	 * UMOCKDEV_DIR there).  Typed by a person, outside it, it means "let me practise": the
	 * wizard starts where the detect screen's practice entry leads, choosing the virtual camera. */
	const char *testbed = getenv("UMOCKDEV_DIR");
	bool practice_asked = args->practice && !(testbed && testbed[0]);
	w.practice = args->practice && !practice_asked;
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "openmv-rescue: the wizard needs a terminal; use the command line instead "
		        "(openmv-rescue --help)\n");
		return 2;
	}
	char why[300];
	if (terminal_usable(why, sizeof why)) {
		fprintf(stderr, "openmv-rescue: %s (or use the command line: openmv-rescue --help)\n", why);
		return 2;
	}
	ssize_t len = readlink("/proc/self/exe", w.self_exe, sizeof w.self_exe - 1);
	if (len > 0)
		w.self_exe[len] = '\0';
	else
		wiz_copy(w.self_exe, sizeof w.self_exe, args->argv[0]);
	if (pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC)) {
		fprintf(stderr, "openmv-rescue: %s\n", strerror(errno));
		return 1;
	}
	w.wake_fd = wake_pipe[1];
	slog_header(&w.log, w.practice ? "wizard (practice, virtual camera)" : "wizard");
	slog_add(&w.log, "boards from %s", db->path);
	wiz_find_assets(&w);

	setlocale(LC_ALL, "");
	install_signals();
	atexit(restore_terminal);
	initscr();
	curses_on = 1;
	raw(); /* Ctrl-C arrives as a key: the wizard asks before stopping a run */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	if (!getenv("ESCDELAY"))
		set_escdelay(100);
	ui_init_style();
	w.cur = SCR_DETECT;
	screen_of(w.cur)->enter(&w);
	if (practice_asked)
		start_practice_setup(&w);
	loop(&w);
	restore_terminal();

	run_free(&w); /* waits for a stopped run to reach its safe point */
	if (stop_signal) {
		char path[600];
		slog_add(&w.log, "the run, if any, stopped at a safe point; exit status 3");
		if (slog_save(&w.log, NULL, path, sizeof path) == 0)
			fprintf(stderr, "openmv-rescue: stopped by %s; what happened is in %s\n",
			        stop_signal == SIGHUP ? "SIGHUP" : "SIGTERM", path);
	}
	multi_clear(&w);
	slog_free(&w.log);
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	wake_pipe[0] = wake_pipe[1] = -1;
	return w.exit_status;
}
