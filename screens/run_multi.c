/* run_multi.c — "all N" in the wizard: the checked plan run on several cameras of one board
 * at once, one run worker each (run_worker.h), each worker's options naming its camera by
 * serial number, so one camera failing or vanishing touches no other.  Their events become
 * one row per camera (struct wiz_cam) and one section per camera of the session log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prompts.h"
#include "run_worker.h"
#include "wiz.h"

int multi_start(struct wiz *w, int wake_fd)
{
	struct wiz_multi *m = &w->multi;
	const struct cli_args *a = w->args;
	slog_plan(&w->log, &w->plan);
	slog_add(&w->log, "all %d cameras of %s at once", m->n, w->plan.board->name);
	m->ok = 0;
	int started = 0;
	for (int i = 0; i < m->n; i++) {
		struct wiz_cam *c = calloc(1, sizeof *c);
		if (!c)
			break;
		m->cam[i] = c;
		wiz_copy(c->serial, sizeof c->serial, m->serial[i]);
		c->plan = w->plan;
		c->step = -1;
		c->t0 = c->t1 = wiz_now();
		slog_add(&c->log, "camera %s", c->serial);
		struct run_options o = {.no_verify = a->no_verify, .device_timeout_ms = a->timeout_s * 1000,
		                        .serial = c->serial};
		/* the person confirmed the plan for all of them on the confirm screen */
		c->worker = worker_start(&c->plan, &o, true, wake_fd);
		if (!c->worker) {
			c->finished = true;
			c->rc = RS_E_NOMEM;
			wiz_copy(c->error, sizeof c->error, "the run could not be started (no thread)");
			continue;
		}
		started++;
	}
	w->run.started = true;
	w->run.step = -1;
	return started ? 0 : -1;
}

/* One camera's event: its row, its log, and the answers nobody else can give. */
static void apply(struct wiz_cam *c, const struct wev *e)
{
	switch (e->kind) {
	case WEV_STEP_BEGIN:
		c->step = e->index;
		c->done = c->total = 0;
		slog_step_begin(&c->log, &c->plan, e->index);
		break;
	case WEV_STEP_END:
		slog_step_end(&c->log, e->index, e->rc, e->text);
		break;
	case WEV_PROGRESS:
		c->done = e->done;
		c->total = e->total;
		break;
	case WEV_PROMPT_SHOW: {
		const struct prompt_def *d = prompt_find(e->id);
		slog_add(&c->log, "prompt: %s%s%s", d ? d->title : e->id, e->text[0] ? "; waiting for " : "",
		         e->text);
		if (!e->text[0]) /* nothing to wait for: an instruction for after the run */
			worker_prompt_done(c->worker, false);
		break;
	}
	case WEV_PROMPT_STATE:
		if (e->present) { /* the device it waits for is there: go on, as a person would */
			slog_add(&c->log, "  found it");
			worker_prompt_done(c->worker, false);
		}
		break;
	case WEV_CONFIRM:
		slog_add(&c->log, "not asked (several cameras, nobody to answer): %s", e->text);
		worker_confirm(c->worker, false);
		break;
	case WEV_CHOOSE:
		worker_choose(c->worker, -1); /* picked by serial number: nothing to choose */
		break;
	case WEV_LOG:
		slog_run_log(&c->log, e->level, e->text);
		break;
	case WEV_DONE:
		c->finished = true;
		c->t1 = wiz_now();
		worker_result(c->worker, &c->rc, &c->res);
		wiz_copy(c->error, sizeof c->error, c->rc ? e->text : "");
		wiz_plain_words(c->error, sizeof c->error);
		slog_run_end(&c->log, c->rc, e->text, &c->res);
		break;
	}
}

/* Every camera is done: the run's outcome is the first failure, the log gets the sections. */
static void all_finished(struct wiz *w)
{
	struct wiz_multi *m = &w->multi;
	struct run_view *v = &w->run;
	v->finished = true;
	v->rc = 0;
	m->ok = 0;
	for (int i = 0; i < m->n; i++) {
		struct wiz_cam *c = m->cam[i];
		if (!c)
			continue;
		m->ok += !c->rc;
		if (c->rc && !v->rc) {
			v->rc = c->rc;
			snprintf(v->error, sizeof v->error, "%.60s: %.400s", c->serial, c->error);
		}
		char title[160];
		snprintf(title, sizeof title, "camera %s: %s", c->serial, c->rc ? "failed" : "ok");
		slog_section(&w->log, title, &c->log);
	}
	slog_add(&w->log, "run ended: %d of %d cameras done", m->ok, m->n);
}

enum go multi_pump(struct wiz *w)
{
	struct wiz_multi *m = &w->multi;
	if (w->run.finished)
		return GO_DONE;
	bool all = true;
	for (int i = 0; i < m->n; i++) {
		struct wiz_cam *c = m->cam[i];
		if (!c)
			continue;
		struct wev e;
		while (c->worker && !c->finished && worker_next(c->worker, &e))
			apply(c, &e);
		all &= c->finished;
	}
	if (!all)
		return GO_RUN;
	all_finished(w);
	return GO_DONE;
}

void multi_free_workers(struct wiz *w)
{
	for (int i = 0; i < w->multi.n; i++)
		if (w->multi.cam[i]) {
			worker_free(w->multi.cam[i]->worker);
			w->multi.cam[i]->worker = NULL;
		}
}

void multi_stop(struct wiz *w)
{
	for (int i = 0; i < w->multi.n; i++)
		if (w->multi.cam[i] && w->multi.cam[i]->worker)
			worker_stop(w->multi.cam[i]->worker);
}

void multi_clear(struct wiz *w)
{
	struct wiz_multi *m = &w->multi;
	multi_free_workers(w);
	for (int i = 0; i < m->n; i++) {
		if (m->cam[i])
			slog_free(&m->cam[i]->log);
		free(m->cam[i]);
		m->cam[i] = NULL;
	}
	m->n = 0;
}

void multi_row(const struct wiz *w, int i, char *buf, size_t n)
{
	const struct wiz_cam *c = w->multi.cam[i];
	if (!c) {
		snprintf(buf, n, "%-26s not started", w->multi.serial[i]);
		return;
	}
	if (c->finished) {
		bool verified = c->res.verified_writes && !c->res.unverified_writes;
		snprintf(buf, n, "%-26s %s  %-12s %5.1f s%s%.300s", c->serial, c->rc ? "FAILED" : "ok    ",
		         c->rc ? "" : verified ? "verified" : "not verified", c->t1 - c->t0, c->rc ? "  " : "",
		         c->rc ? c->error : "");
		return;
	}
	if (c->step < 0) {
		snprintf(buf, n, "%-26s starting", c->serial);
		return;
	}
	int pct = c->total ? (int)(c->done * 100 / c->total) : 0;
	snprintf(buf, n, "%-26s step %d of %d  %3d%%", c->serial, c->step + 1, c->plan.nsteps, pct);
}
