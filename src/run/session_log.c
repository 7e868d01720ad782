/* session_log.c — see session_log.h. */
#include "session_log.h"

#include "io/io_record.h"

#include <errno.h>
#include <fcntl.h>
#include <libusb.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append n bytes (whole lines) and keep the text NUL-terminated. */
static void append(struct session_log *l, const char *bytes, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		while (cap < l->len + n + 1)
			cap *= 2;
		char *t = realloc(l->text, cap);
		if (!t)
			return; /* a log line lost is better than a run stopped */
		l->text = t;
		l->cap = cap;
	}
	memcpy(l->text + l->len, bytes, n);
	l->len += n;
	l->text[l->len] = '\0';
}

void slog_add(struct session_log *l, const char *fmt, ...)
{
	char line[1024];
	double now = now_s();
	if (!l->len)
		l->t0 = now;
	int k = snprintf(line, sizeof line, "[%7.2f] ", now - l->t0);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + k, sizeof line - (size_t)k, fmt, ap);
	va_end(ap);
	size_t len = strlen(line);
	if (len == sizeof line - 1)
		len--; /* a line cut at the buffer's end still ends with its newline */
	line[len] = '\n';
	append(l, line, len + 1);
}

void slog_section(struct session_log *l, const char *title, const struct session_log *part)
{
	slog_add(l, "---- %s ----", title);
	if (part->len)
		append(l, part->text, part->len);
}

/* PRETTY_NAME of os-release(5), or "" */
static void os_release(char *buf, size_t n)
{
	buf[0] = '\0';
	FILE *f = fopen("/etc/os-release", "r");
	if (!f)
		f = fopen("/usr/lib/os-release", "r");
	if (!f)
		return;
	char line[200];
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "PRETTY_NAME=", 12)) {
			char *v = line + 12;
			v[strcspn(v, "\r\n")] = '\0';
			size_t len = strlen(v);
			if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
				v[len - 1] = '\0';
				v++;
			}
			snprintf(buf, n, "%s", v);
		}
	fclose(f);
}

void slog_header(struct session_log *l, const char *front)
{
	char stamp[64];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S %z", &tm);
	slog_add(l, "openmv-rescue %s session log, %s, %s", RESCUE_VERSION, stamp, front);
	struct utsname u;
	char pretty[256];
	os_release(pretty, sizeof pretty);
	if (!uname(&u))
		slog_add(l, "system: %s %s %s%s%s", u.sysname, u.release, u.machine, pretty[0] ? ", " : "", pretty);
	const struct libusb_version *v = libusb_get_version();
	slog_add(l, "libusb %u.%u.%u.%u%s", v->major, v->minor, v->micro, v->nano, v->rc);
}

int file_sha256(const char *path, char hex[2 * SHA256_DIGEST_SIZE + 1], uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	unsigned char buf[65536];
	size_t got;
	*size = 0;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
		sha256_update(&ctx, got, buf);
		*size += got;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return -EIO;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof digest, digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

void slog_plan(struct session_log *l, const struct plan *p)
{
	slog_add(l, "plan: %s (%s), %s, %d steps", p->board->name, p->board->target,
	         action_name(p->action), p->nsteps);
	for (int i = 0; i < p->nimages; i++) {
		const struct plan_image *im = &p->images[i];
		if (im->generated) {
			slog_add(l, "input %s: made by the program", im->slot);
			continue;
		}
		char abs[PATH_MAX], hex[2 * SHA256_DIGEST_SIZE + 1];
		const char *shown = realpath(im->path, abs) ? abs : im->path;
		struct stat st;
		uint64_t size = 0;
		int r;
		if (!stat(im->path, &st) && S_ISDIR(st.st_mode))
			slog_add(l, "input %s: folder %s", im->slot, shown);
		else if ((r = file_sha256(im->path, hex, &size)))
			slog_add(l, "input %s: %s (%s)", im->slot, shown, strerror(-r));
		else
			slog_add(l, "input %s: %s, %llu bytes, SHA-256 %s", im->slot, shown,
			         (unsigned long long)size, hex);
	}
}

void slog_record_inputs(const struct plan *p)
{
	if (!io_recording())
		return;
	for (int i = 0; i < p->nimages; i++) {
		const struct plan_image *im = &p->images[i];
		char hex[2 * SHA256_DIGEST_SIZE + 1];
		uint64_t size = 0;
		struct stat st;
		if (im->generated || !im->path[0] || (!stat(im->path, &st) && S_ISDIR(st.st_mode)))
			continue;
		bool ok = file_sha256(im->path, hex, &size) == 0;
		io_record_input(im->slot, im->path, size, ok ? hex : NULL);
	}
}

void slog_step_begin(struct session_log *l, const struct plan *p, int index)
{
	char what[600], classic[1024];
	step_describe(p, &p->steps[index], what, sizeof what);
	slog_add(l, "step %d of %d: %s", index + 1, p->nsteps, what);
	step_classic(p, &p->steps[index], classic, sizeof classic);
	for (const char *s = classic; *s;) {
		size_t len = strcspn(s, "\n");
		slog_add(l, "  classic: %.*s", (int)len, s);
		s += len + (s[len] == '\n');
	}
}

void slog_step_end(struct session_log *l, int index, int rc, const char *msg)
{
	if (rc)
		slog_add(l, "step %d failed (%s): %s", index + 1, rs_code_name(rc), msg ? msg : "");
	else
		slog_add(l, "step %d done", index + 1);
}

void slog_run_log(struct session_log *l, enum run_log level, const char *msg)
{
	slog_add(l, "  %s%s", level == RUN_LOG_WARN ? "warning: " : level == RUN_LOG_DEVICE ? "device: " : "",
	         msg);
}

void slog_run_end(struct session_log *l, int rc, const char *error, const struct run_result *res)
{
	if (rc)
		slog_add(l, "run ended: %s (%s)", error, rs_code_name(rc));
	else
		slog_add(l, "run ended: %s", res->summary);
	if (!rc && res->written[0])
		slog_add(l, "%s", res->written);
}

int slog_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

int slog_write_fd(const struct session_log *l, int fd)
{
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (l->len)
		fwrite(l->text, 1, l->len, f);
	int bad = ferror(f);
	if (fclose(f) || bad)
		return -EIO;
	return 0;
}

static int write_to(const struct session_log *l, const char *dir, char *out, size_t n)
{
	char stamp[32], abs[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	const char *base = realpath(dir, abs) ? abs : dir;
	int fd = -EEXIST;
	/* a second save in the same second gets its own name: never over an older log */
	for (int k = 0; fd == -EEXIST && k < 100; k++) {
		if (k)
			snprintf(out, n, "%s/openmv-rescue-%s-%d.log", base, stamp, k);
		else
			snprintf(out, n, "%s/openmv-rescue-%s.log", base, stamp);
		fd = slog_create(out);
	}
	return fd < 0 ? fd : slog_write_fd(l, fd);
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
