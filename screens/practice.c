/* practice.c — practising a recovery on a virtual camera.
 *
 * The simulator (openmv-rescue-sim, built when umockdev is found, installed in bindir) runs a program with a virtual
 * camera plugged in: "openmv-rescue-sim --camera TARGET:MODE -- PROGRAM ARGS".  The wizard
 * re-runs itself that way with --practice.  The simulator lives next to the program in the
 * build tree (tests/sim/) or beside it once installed.
 */
#include <curses.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wiz.h"

int practice_find_sim(const struct wiz *w, char *path, size_t n)
{
	char copy[512];
	wiz_copy(copy, sizeof copy, w->self_exe);
	const char *dir = dirname(copy);
	const char *const rel[] = {"tests/sim/openmv-rescue-sim", "openmv-rescue-sim"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		char candidate[600];
		snprintf(candidate, sizeof candidate, "%s/%s", dir, rel[i]);
		if (!access(candidate, X_OK)) {
			wiz_copy(path, n, candidate);
			return 0;
		}
	}
	path[0] = '\0';
	return -1;
}

int practice_models(const struct wiz *w, char names[][40], int max)
{
	char sim[600];
	if (practice_find_sim(w, sim, sizeof sim))
		return -1;
	int fd[2];
	if (pipe(fd))
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) { /* "openmv-rescue-sim --list": one camera type per line, its name first */
		int null = open("/dev/null", O_RDWR);
		dup2(fd[1], 1);
		if (null >= 0)
			dup2(null, 2), dup2(null, 0);
		close(fd[0]);
		execl(sim, sim, "--list", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	FILE *f = fdopen(fd[0], "r");
	int n = 0;
	char line[300];
	while (f && fgets(line, sizeof line, f))
		if (n < max && sscanf(line, "%39s", names[n]) == 1)
			n++;
	if (f)
		fclose(f);
	else
		close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? n : -1;
}

int practice_exec(const struct wiz *w, const struct board *b, char *why, size_t n)
{
	char sim[600], camera[80];
	if (practice_find_sim(w, sim, sizeof sim)) {
		snprintf(why, n, "the practice camera is not available: openmv-rescue-sim is not beside this "
		         "program (install the openmv-rescue-sim package, or build with umockdev)");
		return -1;
	}
	/* no mode: the simulator starts each camera in its own bootloader (tests/sim/README.md) */
	snprintf(camera, sizeof camera, "%s", b->target);
	char *argv[] = {sim, "--camera", camera, "--", (char *)w->self_exe, "--practice",
	                "--boards", (char *)w->db->path, NULL};
	endwin();
	execv(sim, argv);
	snprintf(why, n, "could not start %s", sim);
	return -1;
}
