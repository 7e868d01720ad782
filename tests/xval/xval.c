/* Runs the cross-check cases of one group (TAP): each case in a fresh directory
 * under $TMPDIR, through openmv-rescue-sim, with dfu-util from $PATH.
 *   xval OPENMV-RESCUE-SIM GROUP */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/tap.h"
#include "xval.h"

static uint8_t *slurp(const char *dir, const char *name, size_t *len)
{
	char path[8300];
	FILE *f;
	uint8_t *buf = NULL;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "rb")))
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	*len = fread(buf, 1, (size_t)(n > 0 ? n : 0), f);
	fclose(f);
	return buf;
}

/* Deterministic pseudo-random content (xorshift64*), seeded by the file name. */
static int make_image(const char *dir, const struct xval_image *im)
{
	char path[8300];
	uint64_t x = 0x9E3779B97F4A7C15ull;
	uint8_t *b = malloc(im->size ? im->size : 1);

	for (const char *p = im->name; *p; p++)
		x = (x ^ (uint8_t)*p) * 0x100000001B3ull;
	for (size_t i = 0; i < im->size; i++) {
		x ^= x >> 12, x ^= x << 25, x ^= x >> 27;
		b[i] = im->fill >= 0 ? (uint8_t)im->fill : (uint8_t)((x * 0x2545F4914F6CDD1Dull) >> 56);
	}
	if (im->fill == XVAL_AE3_KEY) { /* key.bin: the 16-byte key, then zeros (ref alif-isp §3) */
		static const uint8_t key[16] = {0x15, 0x9E, 0x7D, 0x42, 0x96, 0x1A, 0x71, 0xEB,
						0x73, 0xA3, 0x26, 0x29, 0x2B, 0x08, 0x09, 0x0E};
		memset(b, 0, im->size);
		memcpy(b, key, im->size < 16 ? im->size : 16);
	}
	snprintf(path, sizeof path, "%s/%s", dir, im->name);
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(b, 1, im->size, f) == im->size;
	if (f)
		fclose(f);
	free(b);
	return ok ? 0 : -1;
}

static const struct xval_image *image_of(const struct xval_case *c, const char *name)
{
	for (int i = 0; i < 7 && c->images[i].name; i++)
		if (strcmp(c->images[i].name, name) == 0)
			return &c->images[i];
	return NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Run openmv-rescue-sim in dir; returns its exit status, or -1 on timeout. */
static int run_sim(const char *simhost, const char *dir, const struct xval_case *c)
{
	char script[8192] = "";
	const char *argv[40];
	int n = 0;

	for (int i = 0; i < 6 && c->cmds[i].line; i++) {
		size_t len = strlen(script);
		snprintf(script + len, sizeof script - len, "%s; echo \"xval-status: $?\"\n", c->cmds[i].line);
	}
	argv[n++] = simhost;
	for (int i = 0; i < 12 && c->sim_args[i]; i++)
		argv[n++] = c->sim_args[i];
	argv[n++] = "--dump";
	argv[n++] = ".";
	argv[n++] = "--";
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n] = NULL;

	pid_t pid = fork();
	if (pid == 0) {
		int fd;
		setpgid(0, 0); /* one group for the host and its tools: see the cleanup below */
		if (chdir(dir) != 0 || (fd = open("log", O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			_exit(126);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(simhost, (char **)argv);
		_exit(127);
	}
	unsigned limit_ms = (c->timeout_s ? c->timeout_s : 40) * 1000, waited = 0;
	int status;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (waited == limit_ms)
			kill(pid, SIGTERM); /* forwarded to the command; the host then cleans up */
		if (waited == limit_ms + 5000)
			kill(pid, SIGKILL);
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
		waited += 20;
	}
	/* Whatever the host left running (a dfu-util -w waiting forever after the host
	 * died) goes with it. */
	kill(-pid, SIGKILL);
	if (waited > limit_ms)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static bool check_statuses(const struct xval_case *c, const char *log, char *why, size_t len)
{
	const char *p = log;

	for (int i = 0; i < 6 && c->cmds[i].line; i++) {
		const struct xval_cmd *cmd = &c->cmds[i];
		int st = -1;
		if (!(p = strstr(p, "xval-status: ")) || sscanf(p, "xval-status: %d", &st) != 1) {
			snprintf(why, len, "command %d did not finish", i + 1);
			return false;
		}
		p += 13;
		bool ok = false;
		for (int k = 0; k < (cmd->n_ok ? cmd->n_ok : 1); k++)
			ok |= st == cmd->ok[k];
		if (!ok) {
			snprintf(why, len, "command %d (%s) exited %d", i + 1, cmd->line, st);
			return false;
		}
	}
	return true;
}

static bool run_check(const char *dir, const struct xval_case *c, const struct xval_check *k, char *why,
		      size_t len)
{
	char name[256];
	size_t dlen = 0, flen = 0;
	bool ok = false;

	snprintf(name, sizeof name, "%s.bin", k->dump);
	uint8_t *dump = slurp(dir, name, &dlen);
	uint8_t *file = k->kind == XC_FILL ? NULL : slurp(dir, k->what, &flen);
	if (!dump || (k->kind != XC_FILL && !file)) {
		snprintf(why, len, "missing %s or %s", name, k->what ? k->what : "-");
		goto out;
	}
	switch (k->kind) {
	case XC_IMAGE: {
		const struct xval_image *im = image_of(c, k->what);
		ok = im && k->offset + flen <= dlen && memcmp(dump + k->offset, file, flen) == 0;
		if (!ok)
			snprintf(why, len, "%s at %s+0x%X differs from what was sent", k->what, k->dump, k->offset);
		break;
	}
	case XC_FILL:
		ok = k->offset + k->len <= dlen;
		for (uint32_t i = 0; ok && i < k->len; i++)
			ok = dump[k->offset + i] == k->byte;
		if (!ok)
			snprintf(why, len, "%s+0x%X..+0x%X is not all 0x%02X", k->dump, k->offset, k->len, k->byte);
		break;
	case XC_UPLOAD:
		ok = flen == (size_t)k->len + k->tail && k->offset + k->len <= dlen &&
		     memcmp(file, dump + k->offset, k->len) == 0;
		for (uint32_t i = 0; ok && i < k->tail; i++)
			ok = file[k->len + i] == k->byte;
		if (!ok)
			snprintf(why, len, "%s (%zu bytes) is not %s+0x%X (%u bytes) + %u x 0x%02X", k->what, flen,
				 k->dump, k->offset, k->len, k->tail, k->byte);
		break;
	}
out:
	free(dump);
	free(file);
	return ok;
}

static void run_case(const char *simhost, const struct xval_case *c)
{
	char dir[4096], why[512] = "";
	const char *tmp = getenv("TMPDIR");
	size_t loglen = 0;

	snprintf(dir, sizeof dir, "%s/xval.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		tap_check(false, c->name, "mkdtemp: %s", strerror(errno));
		return;
	}
	bool ok = true;
	for (int i = 0; i < 7 && c->images[i].name && ok; i++)
		if (make_image(dir, &c->images[i]) < 0) {
			snprintf(why, sizeof why, "cannot write %s", c->images[i].name);
			ok = false;
		}
	int rc = ok ? run_sim(simhost, dir, c) : -2;
	char *log = (char *)slurp(dir, "log", &loglen);
	if (log)
		log[loglen ? loglen - 1 : 0] = '\0';
	if (ok && rc != 0) {
		snprintf(why, sizeof why, rc == -1 ? "timed out" : "openmv-rescue-sim exited %d", rc);
		ok = false;
	}
	if (ok && (!log || !check_statuses(c, log, why, sizeof why)))
		ok = false;
	for (int i = 0; ok && i < 3 && c->log_has[i]; i++)
		if (!strstr(log, c->log_has[i])) {
			snprintf(why, sizeof why, "log lacks \"%s\"", c->log_has[i]);
			ok = false;
		}
	if (ok && c->log_repeats && count_of(log, c->log_repeats) < 2) {
		snprintf(why, sizeof why, "log shows \"%s\" %d times", c->log_repeats, count_of(log, c->log_repeats));
		ok = false;
	}
	for (int i = 0; ok && i < 8 && c->checks[i].dump; i++)
		ok = run_check(dir, c, &c->checks[i], why, sizeof why);
	if (!ok && log) { /* the end of the log, without dfu-util's progress bars */
		char *w = log;
		for (char *r = log; *r;) {
			char *end = r[0] == '\t' && r[1] == '[' ? strstr(r, "bytes") : NULL;
			if (end) {
				r = end + 5;
				continue;
			}
			*w++ = *r++;
		}
		*w = '\0';
		size_t n = strlen(log);
		fprintf(stderr, "---- %s: log tail ----\n%s\n", c->name, log + (n > 6000 ? n - 6000 : 0));
	}
	tap_check(ok, c->name, "%s", why);
	free(log);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xval OPENMV-RESCUE-SIM GROUP\n");
		return 2;
	}
	if (system("command -v dfu-util >/dev/null 2>&1") != 0) {
		tap_skip_plan("dfu-util not installed");
		return 77;
	}
	int n = 0;
	for (int i = 0; i < xval_case_count; i++)
		n += strcmp(xval_cases[i].group, argv[2]) == 0;
	if (n == 0) {
		fprintf(stderr, "xval: no cases in group %s\n", argv[2]);
		return 2;
	}
	char simhost[4096];
	if (!realpath(argv[1], simhost)) { /* the cases run in their own directories */
		fprintf(stderr, "xval: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	tap_plan(n);
	for (int i = 0; i < xval_case_count; i++)
		if (strcmp(xval_cases[i].group, argv[2]) == 0)
			run_case(simhost, &xval_cases[i]);
	return tap_exit();
}
