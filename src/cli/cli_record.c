/* cli_record.c — "--record FILE": every exchange of an action with the camera, recorded at the
 * I/O boundary (src/io/io_record.h).  FILE is created new (never over an existing file, never
 * through a symbolic link), mode 0600, before anything is checked or touched; the session log
 * names it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "io/io_record.h"
#include "session_log.h"

int cli_record_open(const struct cli_args *a, const struct board *b, enum action action)
{
	struct io_record_header h = {
		.program_version = "openmv-rescue " RESCUE_VERSION, .board = b ? b->target : NULL,
		.action = action_name(action), .serial = a->serial, .argc = a->argc, .argv = a->argv,
		.payloads = a->record_payloads,
	};
	int r = io_record_start(a->record_file, &h);
	if (r < 0) {
		fprintf(stderr, "openmv-rescue: the recording %s cannot be created (%s)%s; nothing was touched\n",
		        a->record_file, strerror(-r),
		        r == -EEXIST ? ": a recording is never written over, name a new file" : "");
		return -1;
	}
	if (cli_log())
		slog_add(cli_log(), "recording every exchange to %s%s", io_record_path(),
		         a->record_payloads ? " (with payloads)" : "");
	return 0;
}

void cli_record_close(int status)
{
	if (!io_recording())
		return;
	char path[4096];
	snprintf(path, sizeof path, "%s", io_record_path());
	unsigned n = io_record_count();
	int r = io_record_stop(status);
	if (r)
		fprintf(stderr, "openmv-rescue: the recording %s could not be written (%s)\n", path, strerror(-r));
	else
		fprintf(stderr, "Recording saved to %s (%u exchanges)\n", path, n);
	if (cli_log())
		slog_add(cli_log(), "recording %s: %u exchanges%s", path, n, r ? ", not all written" : "");
}

void cli_record_step(int number, int total, const char *what)
{
	if (!io_recording())
		return;
	char note[700];
	snprintf(note, sizeof note, "step %d/%d: %s", number, total, what);
	io_record_note(note);
}
