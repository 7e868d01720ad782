/* session_log.h — the plain-text log of one session, for support staff: when and with what
 * (date and time, program, OS and libusb versions), every input file with its size and
 * SHA-256, every step with its classic command, what the device said and read back, and
 * the error in full.  The wizard and the CLI (--log FILE) write it with these functions, so
 * both logs read the same.  Every line says when (seconds since the start) and what. */
#ifndef RESCUE_SESSION_LOG_H
#define RESCUE_SESSION_LOG_H

#include <stddef.h>

#include "plan.h"
#include "runner.h"

struct session_log {
	char *text;
	size_t len, cap;
	double t0;          /* monotonic seconds at the first line */
};

/* Append one line, prefixed with the seconds since the session started. */
void slog_add(struct session_log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The first lines: local date and time with its zone, the program's version and how it was
 * started (front: "wizard", "command line: ..."), the OS (uname, os-release) and libusb. */
void slog_header(struct session_log *l, const char *front);

/* The plan: board and action, then every input file by absolute path with its size and
 * SHA-256 (or why it could not be read). */
void slog_plan(struct session_log *l, const struct plan *p);

/* The runner's events, as both front ends log them. */
void slog_step_begin(struct session_log *l, const struct plan *p, int index);
void slog_step_end(struct session_log *l, int index, int rc, const char *msg);
void slog_run_log(struct session_log *l, enum run_log level, const char *msg);
void slog_run_end(struct session_log *l, int rc, const char *error, const struct run_result *res);

/* One camera's log of a run of several (ACTION --all) as a section of l: a title line, then
 * its lines as they are (their times count from the start of that log). */
void slog_section(struct session_log *l, const char *title, const struct session_log *part);

/* Write the log to dir/openmv-rescue-YYYYmmdd-HHMMSS.log (dir NULL: the current directory,
 * then $HOME), a new file of mode 0600.  Returns 0 with the absolute path in out, or -1
 * with the reason in out. */
int slog_save(const struct session_log *l, const char *dir, char *out, size_t n);

/* Create path as a new file (never following a symbolic link, never over an existing
 * file), mode 0600.  Returns the open descriptor, or -errno. */
int slog_create(const char *path);

/* Write the whole log to fd (from slog_create) and close it; 0 or -errno. */
int slog_write_fd(const struct session_log *l, int fd);

void slog_free(struct session_log *l);

/* The SHA-256 of a file in hex (nettle, FIPS 180-4) and its size; 0, or -errno. */
int file_sha256(const char *path, char hex[65], uint64_t *size);

/* When a recording is being made (--record, the wizard's scratch recording): name every input
 * file of the plan in it by size and SHA-256 (io_record_input); the files are never copied. */
void slog_record_inputs(const struct plan *p);

#endif
