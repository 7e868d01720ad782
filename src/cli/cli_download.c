/* cli_download.c — openmv-rescue download [--board TARGET] [--release TAG] [--to DIR]: an
 * official OpenMV release fetched and checked (download.c), kept in the cache, optionally
 * copied into DIR, then opened as --from would open it to show that it holds the board's
 * images, and the flash command that uses it printed.  It never opens a device. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli_internal.h"
#include "download.h"
#include "download_cache.h"
#include "release_src.h"

struct progress {
	bool tty;
	int last;          /* the last percentage (tty) or quarter (not a tty) shown */
};

/* bytes/total on stderr: redrawn in place on a terminal, every quarter otherwise */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	int pct = total ? (int)(done * 100 / total) : 0;
	int mark = p->tty ? pct : pct / 25;
	if (mark == p->last || pct > 100)
		return;
	p->last = mark;
	fprintf(stderr, "%sreceived %llu of %llu bytes (%d%%)%s", p->tty ? "\r" : "",
	        (unsigned long long)done, (unsigned long long)total, pct, p->tty ? "" : "\n");
}

/* Ctrl-C, SIGTERM, SIGHUP: the transfer stops at its next progress call and the temporary
 * file is removed (download.c), so nothing half-downloaded stays in the cache */
static int stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	__atomic_store_n(&stop_requested, 1, __ATOMIC_RELAXED);
}

static void catch_stop_signals(void)
{
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* path as one shell word (quoted when it needs to be) */
static void shell_word(const char *path, char *out, size_t n)
{
	if (!strpbrk(path, " \t'\"\\$`*?[]{}();&|<>!#~")) {
		snprintf(out, n, "%s", path);
		return;
	}
	size_t o = 0;
	out[o++] = '\'';
	for (const char *s = path; *s && o + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else
			out[o++] = *s;
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* Open the zip as flash --from would: does it hold the board's images? */
static int check_board(const char *zip, const struct board *b)
{
	struct release_src rs;
	struct rs_error err = {0};
	if (release_open(zip, b->target, &rs, &err)) {
		fprintf(stderr, "openmv-rescue: %s\n", err.msg);
		return 2;
	}
	printf("It holds the %s's images:", b->name);
	for (int i = 0; i < rs.nnames; i++)
		printf("%s %s", i ? "," : "", rs.names[i]);
	printf("\n");
	release_close(&rs);
	return 0;
}

static int fail(const struct rs_error *err)
{
	fprintf(stderr, "openmv-rescue: %s\n", err->msg);
	int st = rs_exit_status(err->code);
	return st ? st : 1;
}

/* The release and the zip: the lines about where they came from. */
static int fetch(const struct cli_args *a, const struct board *b, char *path, size_t n)
{
	struct progress pr = {.tty = isatty(2), .last = -1};
	struct dl_request rq = {.mirror = a->mirror, .release = a->release, .target = b ? b->target : NULL,
	                        .no_digest = a->no_digest, .progress = show_progress, .ctx = &pr,
	                        .cancel = &stop_requested};
	struct dl_release rel;
	struct rs_error err = {0};
	if (dl_find(&rq, &rel, &err))
		return fail(&err);
	const struct release_pick *p = &rel.pick;
	if (rel.offline)
		printf("No connection to %s: using what it said about release %s when last asked.\n",
		       dl_base(&rq), p->tag);
	printf("Release %s: %s, %llu bytes, SHA-256 %s\n", p->tag, p->name, (unsigned long long)p->size,
	       p->has_digest ? p->sha256 : "not reported (--no-digest: unchecked)");
	bool cached;
	if (dl_fetch(&rq, &rel, path, n, &cached, &err)) {
		if (pr.tty && pr.last >= 0)
			fprintf(stderr, "\n");
		return fail(&err);
	}
	if (pr.tty && pr.last >= 0)
		fprintf(stderr, "\n");
	printf("%s %s%s\n", cached ? "Already downloaded:" : "Downloaded:", path,
	       !p->has_digest ? " (not checked: no digest reported)"
	       : cached ? " (its SHA-256 checked again: it matches)" : " (its SHA-256 matches)");
	return 0;
}

int cli_cmd_download(void *ctx)
{
	const struct cli_ctx *c = ctx;
	const struct cli_args *a = c->args;
	if (a->operand) {
		fprintf(stderr, "openmv-rescue: unexpected argument %s (see openmv-rescue help download)\n",
		        a->operand);
		return 2;
	}
	const struct board *b = NULL;
	if (a->board && !(b = boarddb_find(c->db, a->board))) {
		cli_unknown_board(c->db, "unknown board", a->board);
		return 2;
	}
	char path[1024], copy[1024];
	catch_stop_signals();
	int st = fetch(a, b, path, sizeof path);
	if (st)
		return st;
	if (a->to_dir) {
		struct rs_error err = {0};
		const char *base = strrchr(path, '/') + 1;
		if (dlc_copy_to(path, a->to_dir, base, copy, sizeof copy, &err))
			return fail(&err);
		printf("Copied to %s\n", copy);
		snprintf(path, sizeof path, "%s", copy);
	}
	if (!b)
		return 0;
	if ((st = check_board(path, b)))
		return st;
	char word[2100];
	shell_word(path, word, sizeof word);
	printf("Next: openmv-rescue flash --board %s --from %s\n", b->target, word);
	return 0;
}
