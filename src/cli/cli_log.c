/* cli_log.c — "--log FILE": the command line's session log, written by the same functions as
 * the wizard's (src/run/session_log.h).  FILE is created new (never over an existing file, never
 * through a symbolic link), mode 0600, before anything is checked or touched, and written
 * when the command ends, whatever the outcome. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "session_log.h"

static struct session_log cli_session;
static int cli_log_fd = -1;
static char cli_log_path[PATH_MAX];

int cli_log_open(const char *file, const char *command_line)
{
	int fd = slog_create(file);
	if (fd < 0) {
		fprintf(stderr, "openmv-rescue: the log %s cannot be created (%s)%s; nothing was touched\n",
		        file, strerror(-fd), fd == -EEXIST ? ": a log is never written over, name a new file" : "");
		return -1;
	}
	cli_log_fd = fd;
	if (!realpath(file, cli_log_path))
		snprintf(cli_log_path, sizeof cli_log_path, "%s", file);
	slog_header(&cli_session, "command line");
	slog_add(&cli_session, "command: %s", command_line);
	return 0;
}

struct session_log *cli_log(void)
{
	return cli_log_fd >= 0 ? &cli_session : NULL;
}

void cli_log_close(int status)
{
	if (cli_log_fd < 0)
		return;
	slog_add(&cli_session, "exit status %d", status);
	int r = slog_write_fd(&cli_session, cli_log_fd);
	cli_log_fd = -1;
	if (r)
		fprintf(stderr, "openmv-rescue: the log %s could not be written (%s)\n", cli_log_path, strerror(-r));
	else
		fprintf(stderr, "Log saved to %s\n", cli_log_path);
	slog_free(&cli_session);
}
