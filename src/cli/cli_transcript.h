/* cli_transcript.h — what a CLI run has said, kept in memory so that a run stopped by a
 * signal (an SSH session dropping: SIGHUP; SIGTERM) can leave it in a file the person finds. */
#ifndef RESCUE_CLI_TRANSCRIPT_H
#define RESCUE_CLI_TRANSCRIPT_H

#include <stddef.h>

/* Append one printf-formatted line (a newline is added); what does not fit is dropped. */
void transcript_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write the transcript to a new file in $TMPDIR (or /tmp), created with mkstemp (O_EXCL:
 * never through a symlink someone planted; mode 0600: it holds serial numbers).  Returns 0
 * and the file's path in path, or -1. */
int transcript_save(char *path, size_t path_len);

#endif
