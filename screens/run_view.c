/* run_view.c — turns the worker's events into what the run screens show (struct run_view)
 * and into lines of the session log, and says which run screen should be up. */
#include <stdio.h>
#include <string.h>

#include "prompts.h"
#include "run_worker.h"
#include "wiz.h"

void run_stop(struct wiz *w)
{
	if (w->worker)
		worker_stop(w->worker);
	multi_stop(w);
}

void run_free(struct wiz *w)
{
	worker_free(w->worker); /* waits for a stopped run to reach its safe point */
	w->worker = NULL;
	multi_free_workers(w);
}

int run_start(struct wiz *w, int wake_fd)
{
	struct run_view *v = &w->run;
	memset(v, 0, sizeof *v);
	v->step = -1;
	for (int i = 0; i < PLAN_MAX_STEPS; i++)
		v->step_rc[i] = 1;
	if (w->multi.n > 1)
		return multi_start(w, wake_fd);
	/* the options of the command line that shape a run, as the CLI passes them (cli_run.c) */
	const struct cli_args *a = w->args;
	struct run_options o = {.no_verify = a->no_verify, .full = a->full, .device_timeout_ms = a->timeout_s * 1000,
	                        .serial = a->serial};
	slog_plan(&w->log, &w->plan);
	if (o.no_verify || o.full || o.device_timeout_ms || o.serial) {
		char opts[200] = "", timeout[24] = "";
		if (a->timeout_s)
			snprintf(timeout, sizeof timeout, " --timeout %d", a->timeout_s);
		snprintf(opts, sizeof opts, "%s%.100s%s%s%s", o.serial ? " --serial " : "",
		         o.serial ? o.serial : "", timeout, o.no_verify ? " --no-verify" : "",
		         o.full ? " --full" : "");
		slog_add(&w->log, "run options:%s", opts);
	}
	w->worker = worker_start(&w->plan, &o, true, wake_fd);
	if (!w->worker) {
		v->finished = true;
		v->rc = RS_E_NOMEM;
		snprintf(v->error, sizeof v->error, "the run could not be started (no thread)");
		slog_add(&w->log, "error: %s", v->error);
		return -1;
	}
	v->started = true;
	return 0;
}

static void add_log_line(struct run_view *v, const char *s)
{
	memmove(v->last_log[0], v->last_log[1], sizeof v->last_log[0] * 2);
	wiz_copy(v->last_log[2], sizeof v->last_log[2], s);
}

static void apply_progress(struct run_view *v, const struct wev *e)
{
	double now = wiz_now();
	if (v->done == 0 && e->done > 0)
		v->step_t0 = now; /* time the transfer, not the wait for the device */
	v->done = e->done;
	v->total = e->total;
	double dt = now - v->step_t0;
	if (dt > 0.05)
		v->rate = (double)v->done / dt;
	/* no byte count from progress: it weighs erasing and reading back too; the
	 * executors log what they wrote and read */
}

/* A hardware prompt opens, or what it waits for changes. */
static void apply_prompt(struct wiz *w, const struct wev *e)
{
	struct run_view *v = &w->run;
	if (e->kind == WEV_PROMPT_SHOW) {
		const struct prompt_def *d = prompt_find(e->id);
		v->prompt_open = true;
		v->present = false;
		v->other[0] = '\0';
		v->other_mode = USB_MODE_COUNT;
		wiz_copy(v->prompt_id, sizeof v->prompt_id, e->id);
		wiz_copy(v->waiting_for, sizeof v->waiting_for, e->text);
		slog_add(&w->log, "prompt: %s%s%s", d ? d->title : e->id, e->text[0] ? "; waiting for " : "",
		         e->text);
		return;
	}
	v->present = e->present;
	v->other_mode = e->mode;
	wiz_copy(v->other, sizeof v->other, e->text);
	if (e->present)
		slog_add(&w->log, "  found %s", v->waiting_for);
	else if (e->text[0])
		slog_add(&w->log, "  seen instead: %s", e->text);
}

/* Several devices match: the labels come one a line. */
static void apply_choose(struct wiz *w, const struct wev *e)
{
	struct run_view *v = &w->run;
	v->ask_open = true;
	v->typed_word[0] = '\0';
	snprintf(v->question, sizeof v->question, "Several devices match. Which one?");
	v->nlabels = 0;
	const char *s = e->text;
	while (*s && v->nlabels < 8) {
		size_t len = strcspn(s, "\n");
		snprintf(v->labels[v->nlabels++], sizeof v->labels[0], "%.*s", (int)len, s);
		s += len + (s[len] == '\n');
	}
	slog_add(&w->log, "asked which of %d devices", v->nlabels);
}

static void apply(struct wiz *w, const struct wev *e)
{
	struct run_view *v = &w->run;
	switch (e->kind) {
	case WEV_STEP_BEGIN:
		v->step = e->index;
		v->done = v->total = 0;
		v->rate = 0;
		v->step_t0 = wiz_now();
		slog_step_begin(&w->log, &w->plan, e->index);
		break;
	case WEV_STEP_END:
		if (e->index >= 0 && e->index < PLAN_MAX_STEPS)
			v->step_rc[e->index] = e->rc;
		slog_step_end(&w->log, e->index, e->rc, e->text);
		break;
	case WEV_PROGRESS:
		apply_progress(v, e);
		break;
	case WEV_PROMPT_SHOW:
	case WEV_PROMPT_STATE:
		apply_prompt(w, e);
		break;
	case WEV_CONFIRM:
		v->ask_open = true;
		v->nlabels = 0;
		wiz_copy(v->question, sizeof v->question, e->text);
		wiz_copy(v->typed_word, sizeof v->typed_word, e->id);
		slog_add(&w->log, "asked: %s", e->text);
		break;
	case WEV_CHOOSE:
		apply_choose(w, e);
		break;
	case WEV_LOG: {
		char text[sizeof e->text];
		wiz_copy(text, sizeof text, e->text);
		wiz_plain_words(text, sizeof text);
		add_log_line(v, text);
		slog_run_log(&w->log, e->level, e->text);
		break;
	}
	case WEV_DONE:
		v->finished = true;
		v->prompt_open = v->ask_open = false;
		worker_result(w->worker, &v->rc, &v->res);
		wiz_copy(v->error, sizeof v->error, v->rc ? e->text : "");
		wiz_plain_words(v->error, sizeof v->error);
		slog_run_end(&w->log, v->rc, e->text, &v->res);
		break;
	}
}

enum go run_pump(struct wiz *w)
{
	struct run_view *v = &w->run;
	if (w->multi.n > 1)
		return multi_pump(w);
	if (w->worker) {
		struct wev e;
		/* a prompt that has been answered closes when the next step begins */
		while (worker_next(w->worker, &e)) {
			if (e.kind == WEV_STEP_BEGIN || e.kind == WEV_STEP_END)
				v->prompt_open = false;
			apply(w, &e);
		}
	}
	if (v->finished)
		return GO_DONE;
	if (v->ask_open)
		return GO_ASK;
	if (v->prompt_open)
		return GO_PROMPT;
	return GO_RUN;
}
