/* session_log.c — see session_log.h. */
#include "session_log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wiz.h"

void slog_add(struct session_log *l, const char *fmt, ...)
{
	char line[1024];
	double now = wiz_now();
	if (!l->len)
		l->t0 = now;
	int k = snprintf(line, sizeof line, "[%7.2f] ", now - l->t0);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
	va_end(ap);
	size_t add = strlen(line) + 1;
	if (l->len + add + 1 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		while (cap < l->len + add + 1)
			cap *= 2;
		char *t = realloc(l->text, cap);
		if (!t)
			return; /* a log line lost is better than a wizard stopped */
		l->text = t;
		l->cap = cap;
	}
	memcpy(l->text + l->len, line, add - 1);
	l->len += add;
	l->text[l->len - 1] = '\n';
	l->text[l->len] = '\0';
}

static int write_to(const struct session_log *l, const char *dir, char *out, size_t n)
{
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	/* a new file only (O_EXCL), never through a symlink (O_NOFOLLOW), 0600: it holds serial
	 * numbers; a second log within the same second gets -2, -3, ... */
	int fd = -1;
	for (int k = 1; fd < 0 && k < 100; k++) {
		if (k == 1)
			snprintf(out, n, "%s/openmv-rescue-%s.log", dir, stamp);
		else
			snprintf(out, n, "%s/openmv-rescue-%s-%d.log", dir, stamp, k);
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return -e;
	}
	fprintf(f, "openmv-rescue %s session log\n", RESCUE_VERSION);
	if (l->len)
		fwrite(l->text, 1, l->len, f);
	if (fclose(f))
		return -errno;
	return 0;
}

int slog_save(const struct session_log *l, const char *dir, char *out, size_t n)
{
	int r;
	if (dir)
		r = write_to(l, dir, out, n);
	else {
		r = write_to(l, ".", out, n);
		const char *home = getenv("HOME");
		if (r && home && home[0])
			r = write_to(l, home, out, n);
	}
	if (r) {
		snprintf(out, n, "the log could not be written (%s)", strerror(-r));
		return -1;
	}
	return 0;
}

void slog_free(struct session_log *l)
{
	free(l->text);
	memset(l, 0, sizeof *l);
}
