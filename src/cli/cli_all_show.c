/* cli_all_show.c — see cli_all.h: the live line of every camera of a --all run, and the table
 * of their results. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_all.h"

double all_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *all_result_word(const struct all_cam *c)
{
	switch (c->result) {
	case CAM_OK: return "ok";
	case CAM_FAILED: return "FAILED";
	case CAM_STOPPED: return "stopped";
	case CAM_MISSING: return "missing";
	case CAM_RUNNING: break;
	}
	return "running";
}

const char *all_verified_word(const struct all_cam *c)
{
	if (c->result == CAM_MISSING || c->result == CAM_RUNNING)
		return "-";
	if (c->res.verified_writes && !c->res.unverified_writes)
		return "yes";
	if (c->res.verified_writes)
		return "partly";
	return c->res.unverified_writes ? "not read back" : "no";
}

/* One camera's line; no terminal: the percent in steps of 25, so a log reads calmly. */
static void live_line(const struct all_cam *c, bool tty, char *out, size_t n)
{
	if (c->result != CAM_RUNNING) {
		snprintf(out, n, "%-26s %s%s%.100s", c->key, all_result_word(c),
		         c->result == CAM_OK ? (c->res.verified_writes && !c->res.unverified_writes ?
		                                ", every write verified" : "") : ": ",
		         c->result == CAM_OK ? "" : c->err.msg);
		return;
	}
	if (!c->nsteps) {
		snprintf(out, n, "%-26s starting (%s)", c->key, c->found_as);
		return;
	}
	int pct = c->pct < 0 ? -1 : tty ? c->pct : c->pct / 25 * 25;
	char p[16] = "";
	if (pct >= 0)
		snprintf(p, sizeof p, " %3d%%", pct);
	snprintf(out, n, "%-26s [%d/%d] %s%s", c->key, c->step + 1, c->nsteps, c->doing, p);
}

void all_show_live(struct all_run *all)
{
	pthread_mutex_lock(&all->lock);
	if (all->tty && all->drawn)
		fprintf(stderr, "\033[%dA", all->drawn); /* ECMA-48 CUU: back to the first line */
	int lines = 0;
	for (int i = 0; i < all->n; i++) {
		struct all_cam *c = all->cam[i];
		char line[200];
		live_line(c, all->tty, line, sizeof line);
		if (all->tty) {
			/* ECMA-48 EL (erase in line), the line cut to a terminal's 80 columns */
			fprintf(stderr, "\r\033[K%.79s\n", line);
			lines++;
		} else if (strcmp(line, c->shown)) {
			fprintf(stderr, "%s\n", line);
		}
		snprintf(c->shown, sizeof c->shown, "%s", line);
	}
	if (all->tty && all->watching) {
		fprintf(stderr, "\r\033[K%d camera%s so far; waiting for more (Ctrl-C to stop)\n", all->n,
		        all->n == 1 ? "" : "s");
		lines++;
	}
	all->drawn = lines;
	fflush(stderr);
	pthread_mutex_unlock(&all->lock);
}

void all_show_table(const struct all_run *all, FILE *out)
{
	fprintf(out, "%-26s %-8s %-13s %8s  %s\n", "SERIAL", "RESULT", "VERIFIED", "SECONDS", "WHY");
	for (int i = 0; i < all->n; i++) {
		const struct all_cam *c = all->cam[i];
		char secs[16] = "-";
		if (c->started)
			snprintf(secs, sizeof secs, "%.1f", c->t1 - c->t0);
		fprintf(out, "%-26s %-8s %-13s %8s  %s\n", c->key, all_result_word(c), all_verified_word(c),
		        secs, c->result == CAM_OK ? "" : c->err.msg);
	}
	fflush(out);
}
