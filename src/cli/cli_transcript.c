/* cli_transcript.c — the in-memory session transcript of a CLI run (cli_transcript.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_transcript.h"

/* 64 KiB holds every line of the longest plan (a restore of about 20 steps, each with a few
 * log lines and progress marks) many times over. */
static char text[64 * 1024];
static size_t used;

void transcript_add(const char *fmt, ...)
{
	va_list ap;
	if (used + 2 >= sizeof text)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(text + used, sizeof text - used - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	used += (size_t)n < sizeof text - used - 1 ? (size_t)n : sizeof text - used - 2;
	text[used++] = '\n';
	text[used] = '\0';
}

int transcript_save(char *path, size_t path_len)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, path_len, "%s/openmv-rescue-XXXXXX.log", dir) >= path_len)
		return -1;
	/* mkstemps: O_CREAT|O_EXCL (a planted symlink makes it fail, never followed), mode 0600 */
	mode_t old = umask(077);
	int fd = mkstemps(path, 4);
	umask(old);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < used) {
		ssize_t w = write(fd, text + off, used - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) != 0 || off < used)
		return -1;
	return 0;
}
