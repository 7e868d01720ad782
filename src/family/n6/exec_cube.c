/* family/n6/exec_cube.c — the N6 restore through ST's STM32_Programmer_CLI, for people who have
 * STM32CubeProgrammer installed and ask for it (--use-cubeprogrammer).  It is started with
 * execve (no shell), as OpenMV IDE starts it: "-c port=USB1 -d FlashLayout.tsv" with
 * STM32_PRG_PATH set to its folder; its progress lines are read like the IDE reads them
 * (reference alif-isp-openmv-ide-n6.md §2.3, seed 003 "OpenMV Cam N6"). */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_n6.h"

#define CUBE_NAME "STM32_Programmer_CLI"

extern char **environ;

bool n6_find_cubeprogrammer(char *buf, size_t n)
{
	const char *path = getenv("PATH");
	if (!path || !n)
		return false;
	while (*path) {
		size_t len = strcspn(path, ":");
		int k = len ? snprintf(buf, n, "%.*s/%s", (int)len, path, CUBE_NAME) : snprintf(buf, n, "./%s", CUBE_NAME);
		struct stat st;
		if (k > 0 && (size_t)k < n && !stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK))
			return true;
		path += len;
		if (*path == ':')
			path++;
	}
	buf[0] = '\0';
	return false;
}

int n6_cubeprogrammer_percent(const char *line)
{
	if (line[0] != '[')
		return -1;
	/* the first "(\d+)%" of the line */
	for (const char *p = line; *p; p++) {
		if (*p != '%' || p == line || !isdigit((unsigned char)p[-1]))
			continue;
		const char *q = p;
		while (q > line && isdigit((unsigned char)q[-1]))
			q--;
		if (p - q > 3)
			return -1;
		int v = atoi(q);
		return v <= 100 ? v : -1;
	}
	return -1;
}

/* The environment for the child: ours, with STM32_PRG_PATH set to the program's folder. */
static char **child_env(const char *prog, char *var, size_t n)
{
	size_t count = 0;
	while (environ && environ[count])
		count++;
	char **env = calloc(count + 2, sizeof *env);
	if (!env)
		return NULL;
	const char *slash = strrchr(prog, '/');
	snprintf(var, n, "STM32_PRG_PATH=%.*s", slash ? (int)(slash - prog) : 1, slash ? prog : ".");
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (strncmp(environ[i], "STM32_PRG_PATH=", 15))
			env[k++] = environ[i];
	env[k++] = var;
	env[k] = NULL;
	return env;
}

/* One line of output: progress, or a log line. */
static void take_line(struct run_ctx *rc, uint64_t total, char *line, char *last, size_t last_n)
{
	size_t len = strlen(line);
	while (len && isspace((unsigned char)line[len - 1]))
		line[--len] = '\0';
	if (!len)
		return;
	int pct = n6_cubeprogrammer_percent(line);
	if (pct >= 0) {
		run_progress(rc, total * (uint64_t)pct / 100, total); /* in bytes, like the native path */
		return;
	}
	run_log(rc, RUN_LOG_DEVICE, "%s", line);
	snprintf(last, last_n, "%s", line);
}

int exec_n6_cubeprogrammer(struct run_ctx *rc, const char *tsv, uint64_t total, struct rs_error *err)
{
	char prog[1024];
	if (!n6_find_cubeprogrammer(prog, sizeof prog))
		return rs_fail(err, RS_E_UNSUPPORTED, CUBE_NAME " is not on PATH: install STM32CubeProgrammer 2.18 or "
		               "newer (the OpenMV SDK includes it) or run without --use-cubeprogrammer");
	char *argv[] = {prog, "-c", "port=USB1", "-d", (char *)tsv, NULL};
	char var[1100];
	char **env = child_env(prog, var, sizeof var);
	int fds[2];
	if (!env || pipe(fds)) {
		free(env);
		return rs_fail(err, RS_E_IO, "cannot start " CUBE_NAME ": %s", strerror(errno));
	}
	run_log(rc, RUN_LOG_INFO, "running %s -c port=USB1 -d %s", prog, tsv);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execve(prog, argv, env);
		_exit(127);
	}
	close(fds[1]);
	free(env);
	if (pid < 0) {
		close(fds[0]);
		return rs_fail(err, RS_E_IO, "cannot start " CUBE_NAME ": %s", strerror(errno));
	}
	char line[1024], last[300] = "";
	size_t used = 0;
	bool stopped = false;
	for (;;) {
		if (!stopped && run_should_stop(rc)) {
			kill(pid, SIGTERM); /* our own child only */
			stopped = true;
		}
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		int pr = poll(&pfd, 1, 100);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		char chunk[512];
		ssize_t got = read(fds[0], chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (ssize_t i = 0; i < got; i++) {
			char c = chunk[i];
			/* progress bars redraw with '\r': a line ends at either */
			if (c == '\n' || c == '\r' || used == sizeof line - 1) {
				line[used] = '\0';
				take_line(rc, total, line, last, sizeof last);
				used = 0;
				if (c == '\n' || c == '\r')
					continue;
			}
			line[used++] = c;
		}
	}
	line[used] = '\0';
	take_line(rc, total, line, last, sizeof last);
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (stopped)
		return rs_fail(err, RS_E_CANCELLED, "stopped " CUBE_NAME "; the camera's flash may be incomplete: "
		               "replug it with the BOOT jumper and run restore-bootloader again");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return rs_fail(err, RS_E_UNSUPPORTED, "%s could not be started", prog);
	return rs_fail(err, RS_E_DEVICE, CUBE_NAME " failed (%s %d)%s%s", WIFEXITED(status) ? "exit status" : "signal",
	               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), last[0] ? ": " : "", last);
}
