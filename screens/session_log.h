/* session_log.h — the plain-text log of one wizard session: the choices, the steps, what the
 * device answered (in summary) and the errors.  Support staff read it, so every line says
 * when and what in words; "save log" writes it to a file. */
#ifndef RESCUE_SESSION_LOG_H
#define RESCUE_SESSION_LOG_H

#include <stddef.h>

struct session_log {
	char *text;
	size_t len, cap;
	double t0;          /* monotonic seconds at the first line */
};

/* Append one line, prefixed with the seconds since the session started. */
void slog_add(struct session_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write the log to dir/openmv-rescue-YYYYmmdd-HHMMSS.log (dir NULL: the current directory,
 * then $HOME).  Returns 0 with the path in out, or -1 with the reason in out. */
int slog_save(const struct session_log *l, const char *dir, char *out, size_t n);

void slog_free(struct session_log *l);

#endif
