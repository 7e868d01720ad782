/* vtharness.c — see vtharness.h. */
#include "vtharness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <utmp.h>

struct vt {
	pid_t pid;
	int master, slave;          /* we keep the slave open for FIONREAD and its termios */
	VTerm *term;
	VTermScreen *screen;
	int rows, cols;
	bool exited;
	int status;
	int escdelay_ms;
	double quiet_until;         /* a lone Esc: ncurses waits this long for more bytes */
	char watch[32];             /* vt_watch: text no screen may ever show */
	char watch_seen[400];       /* the first row that showed it */
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* libvterm's answers (keys, replies to queries) go to the program. */
static void to_program(const char *s, size_t len, void *user)
{
	struct vt *v = user;
	while (len > 0) {
		ssize_t r = write(v->master, s, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		s += r;
		len -= (size_t)r;
	}
}

struct vt *vt_spawn(char *const argv[], const char *const env[], const char *cwd, int rows, int cols)
{
	struct vt *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->rows = rows;
	v->cols = cols;
	v->escdelay_ms = 1000; /* ncurses' default */
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	if (openpty(&v->master, &v->slave, NULL, NULL, &ws)) {
		free(v);
		return NULL;
	}
	for (int i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "ESCDELAY=", 9))
			v->escdelay_ms = atoi(env[i] + 9);
	fflush(NULL);
	v->pid = fork();
	if (v->pid < 0) {
		close(v->master);
		close(v->slave);
		free(v);
		return NULL;
	}
	if (v->pid == 0) {
		close(v->master);
		if (login_tty(v->slave))
			_exit(126);
		for (int i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			if (!eq)
				continue;
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)(eq - env[i]), env[i]);
			if (eq[1])
				setenv(name, eq + 1, 1);
			else
				unsetenv(name);
		}
		if (cwd && chdir(cwd))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	fcntl(v->master, F_SETFL, fcntl(v->master, F_GETFL) | O_NONBLOCK);
	v->term = vterm_new(rows, cols);
	vterm_set_utf8(v->term, 1);
	vterm_output_set_callback(v->term, to_program, v);
	v->screen = vterm_obtain_screen(v->term);
	vterm_screen_enable_altscreen(v->screen, 1);
	vterm_screen_reset(v->screen, 1);
	return v;
}

/* Read whatever the program wrote; returns the bytes read. */
static size_t pump(struct vt *v, int wait_ms)
{
	struct pollfd p = {.fd = v->master, .events = POLLIN};
	size_t total = 0;
	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	char buf[4096];
	for (;;) {
		ssize_t r = read(v->master, buf, sizeof buf);
		if (r <= 0)
			break;
		vterm_input_write(v->term, buf, (size_t)r);
		total += (size_t)r;
	}
	vterm_screen_flush_damage(v->screen);
	for (int row = 0; v->watch[0] && !v->watch_seen[0] && total && row < v->rows; row++) {
		char line[400];
		vt_row(v, row, line, sizeof line);
		for (const char *at = strstr(line, v->watch); at; at = strstr(at + 1, v->watch)) {
			char next = at[strlen(v->watch)];
			if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) { /* a word, not a dash */
				snprintf(v->watch_seen, sizeof v->watch_seen, "%s", line);
				break;
			}
		}
	}
	return total;
}

void vt_watch(struct vt *v, const char *text)
{
	snprintf(v->watch, sizeof v->watch, "%s", text);
	v->watch_seen[0] = '\0';
}

const char *vt_watch_seen(struct vt *v)
{
	return v->watch_seen[0] ? v->watch_seen : NULL;
}

static void reap(struct vt *v)
{
	if (!v->exited && waitpid(v->pid, &v->status, WNOHANG) == v->pid)
		v->exited = true;
}

/* The first child of pid, or 0.  A program run under a host (openmv-rescue-sim -- PROGRAM)
 * is the host's child: the harness watches the whole chain. */
static pid_t first_child(pid_t pid)
{
	char path[80];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
	FILE *f = fopen(path, "r");
	int child = 0;
	if (f) {
		if (fscanf(f, "%d", &child) != 1)
			child = 0;
		fclose(f);
	}
	return (pid_t)child;
}

/* The program under test: the last of the chain of first children. */
static pid_t program_pid(const struct vt *v)
{
	pid_t p = v->pid, c;
	while ((c = first_child(p)) > 0)
		p = c;
	return p;
}

int vt_program_pid(const struct vt *v) { return (int)program_pid(v); }

/* Is the program asleep waiting for input?  /proc/PID/syscall starts with the number of the
 * system call it is blocked in; /proc/PID/stat's third field is its state. */
static bool sleeping_in_wait(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *rp = strrchr(buf, ')');
	if (!rp || rp[1] != ' ' || rp[2] != 'S')
		return false;
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!strncmp(buf, "running", 7))
		return false;
	long nr = strtol(buf, NULL, 10);
	/* x86_64: read 0, poll 7, select 23, pselect6 270, ppoll 271, epoll_wait 232, epoll_pwait 281;
	 * aarch64 has no poll/select: ppoll 73, pselect6 72, read 63, epoll_pwait 22 */
#if defined(__x86_64__)
	return nr == 0 || nr == 7 || nr == 23 || nr == 270 || nr == 271 || nr == 232 || nr == 281;
#elif defined(__aarch64__)
	return nr == 63 || nr == 73 || nr == 72 || nr == 22;
#else
	(void)nr;
	return true; /* unknown architecture: fall back to the queue checks alone */
#endif
}

static bool quiet_now(struct vt *v)
{
	int in = 0, out = 0;
	if (ioctl(v->slave, FIONREAD, &in) || ioctl(v->master, FIONREAD, &out))
		return false;
	if (in || out || now_ms() < v->quiet_until)
		return false;
	/* a host above the program (the simulator) waits for it or serves its USB requests on
	 * other threads: only the program itself is asked */
	return sleeping_in_wait(program_pid(v));
}

int vt_wait_idle(struct vt *v, int timeout_ms)
{
	double end = now_ms() + timeout_ms;
	int quiet = 0;
	while (now_ms() < end) {
		pump(v, 2);
		reap(v);
		if (v->exited) {
			pump(v, 0);
			return -1;
		}
		quiet = quiet_now(v) ? quiet + 1 : 0;
		if (quiet >= 2)
			return 0;
		sleep_ms(1);
	}
	return -1;
}

int vt_wait_text(struct vt *v, const char *text, int timeout_ms)
{
	double end = now_ms() + timeout_ms;
	while (now_ms() < end) {
		pump(v, 10);
		if (vt_contains(v, text))
			return vt_wait_idle(v, (int)(end - now_ms()) + 1) == 0 || v->exited ? 0 : -1;
		reap(v);
		if (v->exited) {
			pump(v, 0);
			return vt_contains(v, text) ? 0 : -1;
		}
	}
	return -1;
}

/* Bytes the program's main thread has read so far (/proc/PID/task/PID/io, "rchar"). */
static unsigned long long main_thread_rchar(pid_t pid)
{
	char path[64], line[128];
	snprintf(path, sizeof path, "/proc/%d/task/%d/io", (int)pid, (int)pid);
	FILE *f = fopen(path, "r");
	unsigned long long v = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "rchar: %llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* A key written to our side reaches the program's input queue through the kernel's flip
 * buffer, a moment later and asynchronously: until then the program still looks idle.  So
 * first wait until the key is seen queued and then gone, or the program has read something,
 * and only then for idle. */
static void wait_consumed(struct vt *v, unsigned long long rchar_before)
{
	double end = now_ms() + 1000;
	bool queued = false;
	while (now_ms() < end) {
		int in = 0;
		ioctl(v->slave, FIONREAD, &in);
		if (in > 0)
			queued = true;
		else if (queued)
			return;
		if (main_thread_rchar(program_pid(v)) > rchar_before)
			return;
		reap(v);
		if (v->exited)
			return;
		pump(v, 0);
		struct timespec ts = {0, 200 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void after_key(struct vt *v, unsigned long long rchar_before)
{
	wait_consumed(v, rchar_before);
	vt_wait_idle(v, 5000);
}

void vt_key(struct vt *v, VTermKey key)
{
	unsigned long long before = main_thread_rchar(program_pid(v));
	vterm_keyboard_key(v->term, key, VTERM_MOD_NONE);
	if (key == VTERM_KEY_ESCAPE)
		v->quiet_until = now_ms() + v->escdelay_ms + 20;
	after_key(v, before);
}

void vt_type(struct vt *v, const char *text)
{
	unsigned long long before = main_thread_rchar(program_pid(v));
	for (; *text; text++)
		vterm_keyboard_unichar(v->term, (uint32_t)(unsigned char)*text, VTERM_MOD_NONE);
	after_key(v, before);
}

void vt_ctrl(struct vt *v, char c)
{
	unsigned long long before = main_thread_rchar(program_pid(v));
	vterm_keyboard_unichar(v->term, (uint32_t)(unsigned char)c, VTERM_MOD_CTRL);
	after_key(v, before);
}

static int put_utf8(char *out, uint32_t c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

uint32_t vt_char(struct vt *v, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = {.row = row, .col = col};
	if (!vterm_screen_get_cell(v->screen, pos, &cell))
		return 0;
	return cell.chars[0];
}

bool vt_reverse(struct vt *v, int row, int col)
{
	VTermScreenCell cell;
	VTermPos pos = {.row = row, .col = col};
	return vterm_screen_get_cell(v->screen, pos, &cell) && cell.attrs.reverse;
}

void vt_row(struct vt *v, int row, char *buf, size_t n)
{
	size_t k = 0, last = 0;
	for (int c = 0; c < v->cols && k + 5 < n; c++) {
		uint32_t ch = vt_char(v, row, c);
		if (ch == (uint32_t)-1)
			continue; /* the second half of a wide character */
		k += (size_t)put_utf8(buf + k, ch ? ch : ' ');
		if (ch && ch != ' ')
			last = k;
	}
	buf[last] = '\0';
}

int vt_find(struct vt *v, const char *text, int *row, int *col)
{
	char line[1024];
	for (int r = 0; r < v->rows; r++) {
		vt_row(v, r, line, sizeof line);
		const char *hit = strstr(line, text);
		if (hit) {
			if (row)
				*row = r;
			if (col) { /* count characters, not bytes */
				int cc = 0;
				for (const char *p = line; p < hit; p++)
					cc += ((unsigned char)*p & 0xC0) != 0x80;
				*col = cc;
			}
			return 0;
		}
	}
	return -1;
}

bool vt_contains(struct vt *v, const char *text)
{
	return vt_find(v, text, NULL, NULL) == 0;
}

int vt_rows(struct vt *v) { return v->rows; }
int vt_cols(struct vt *v) { return v->cols; }

int vt_highlighted_row(struct vt *v)
{
	for (int r = 1; r < v->rows - 1; r++)
		if (vt_reverse(v, r, 3) && vt_reverse(v, r, 10))
			return r;
	return -1;
}

int vt_select(struct vt *v, const char *text)
{
	char line[1024], after[1024];
	int dir = 0; /* when the text is off screen: search down first, then up */
	for (int tries = 0; tries < 128; tries++) {
		int sel = vt_highlighted_row(v), want;
		line[0] = '\0';
		if (sel >= 0) {
			vt_row(v, sel, line, sizeof line);
			if (strstr(line, text))
				return 0;
		}
		bool visible = vt_find(v, text, &want, NULL) == 0;
		bool down = visible ? (sel < 0 || want > sel) : dir == 0;
		vt_key(v, down ? VTERM_KEY_DOWN : VTERM_KEY_UP);
		int now = vt_highlighted_row(v);
		after[0] = '\0';
		if (now >= 0)
			vt_row(v, now, after, sizeof after);
		if (now == sel && !strcmp(after, line)) { /* did not move: an end of the menu */
			if (visible || dir == 1)
				return -1;
			dir = 1;
		}
	}
	return -1;
}

void vt_resize(struct vt *v, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	v->rows = rows;
	v->cols = cols;
	vterm_set_size(v->term, rows, cols);
	unsigned long long before = main_thread_rchar(program_pid(v));
	ioctl(v->master, TIOCSWINSZ, &ws); /* the kernel sends SIGWINCH to the program */
	/* the program reads its wake-up pipe when the signal arrives */
	after_key(v, before);
}

void vt_dump(struct vt *v, FILE *out)
{
	char line[1024];
	for (int r = 0; r < v->rows; r++) {
		vt_row(v, r, line, sizeof line);
		fprintf(out, "# %2d|%s\n", r, line);
	}
}

void vt_kill(struct vt *v, int sig)
{
	if (!v->exited)
		kill(v->pid, sig);
}

int vt_wait_exit(struct vt *v, int timeout_ms, int *status)
{
	double end = now_ms() + timeout_ms;
	while (now_ms() < end) {
		pump(v, 5);
		reap(v);
		if (v->exited) {
			pump(v, 0);
			if (status)
				*status = v->status;
			return 0;
		}
	}
	return -1;
}

int vt_termios(struct vt *v, struct termios *t)
{
	return tcgetattr(v->slave, t);
}

void vt_free(struct vt *v)
{
	if (!v)
		return;
	if (!v->exited) {
		/* politely first: a host such as the simulator passes SIGTERM on to the program
		 * and removes its temporary files before it exits */
		kill(v->pid, SIGTERM);
		if (vt_wait_exit(v, 3000, NULL)) {
			kill(v->pid, SIGKILL);
			waitpid(v->pid, &v->status, 0);
		}
	}
	vterm_free(v->term);
	close(v->master);
	close(v->slave);
	free(v);
}
