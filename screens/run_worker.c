/* run_worker.c — see run_worker.h. */
#include "run_worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/io_record.h"
#include "session_log.h"

#define QUEUE_LEN 64

struct run_worker {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wake_fd;
	struct plan *plan;
	struct run_options opts;
	bool already_confirmed;
	/* events, oldest at head */
	struct wev q[QUEUE_LEN];
	int head, count;
	/* answers */
	int prompt_answer;      /* -1 none yet, else enum prompt_answer */
	int confirm_answer;     /* -1 pending, 0 no, 1 yes */
	int choose_answer;      /* -2 pending, -1 cancel, else index */
	bool stop;
	/* what prompt_poll last reported, to send only changes */
	bool last_present;
	char last_other[200];
	/* outcome */
	bool done;
	int rc;
	struct run_result res;
	struct rs_error err;
};

static void wake(struct run_worker *w)
{
	char c = 1;
	ssize_t r = write(w->wake_fd, &c, 1); /* a full pipe already means "wake up" */
	(void)r;
}

/* Queue an event, waiting while the queue is full (the screens drain it every tick). */
static void push(struct run_worker *w, const struct wev *e)
{
	pthread_mutex_lock(&w->mu);
	if (e->kind == WEV_PROGRESS && w->count > 0) {
		struct wev *last = &w->q[(w->head + w->count - 1) % QUEUE_LEN];
		if (last->kind == WEV_PROGRESS) {
			last->done = e->done;
			last->total = e->total;
			pthread_mutex_unlock(&w->mu);
			wake(w);
			return;
		}
	}
	while (w->count == QUEUE_LEN)
		pthread_cond_wait(&w->cv, &w->mu);
	w->q[(w->head + w->count) % QUEUE_LEN] = *e;
	w->count++;
	pthread_mutex_unlock(&w->mu);
	wake(w);
}

static void push_simple(struct run_worker *w, enum wev_kind k, int index, int rc, const char *text)
{
	struct wev e = {.kind = k, .index = index, .rc = rc};
	if (text)
		snprintf(e.text, sizeof e.text, "%s", text);
	push(w, &e);
}

/* ---- struct run_events, called on the worker thread ----------------------------------- */

static void ev_step_begin(void *ctx, const struct plan *p, int index)
{
	(void)p;
	push_simple(ctx, WEV_STEP_BEGIN, index, 0, NULL);
}

static void ev_step_end(void *ctx, const struct plan *p, int index, int rc, const char *msg)
{
	(void)p;
	push_simple(ctx, WEV_STEP_END, index, rc, msg);
}

static void ev_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct wev e = {.kind = WEV_PROGRESS, .done = done, .total = total};
	push(ctx, &e);
}

static void ev_prompt_show(void *ctx, const char *id, const char *waiting_for)
{
	struct run_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->prompt_answer = -1;
	w->last_present = false;
	w->last_other[0] = '\0';
	pthread_mutex_unlock(&w->mu);
	struct wev e = {.kind = WEV_PROMPT_SHOW};
	snprintf(e.id, sizeof e.id, "%s", id);
	snprintf(e.text, sizeof e.text, "%s", waiting_for ? waiting_for : "");
	push(w, &e);
}

static enum prompt_answer ev_prompt_poll(void *ctx, bool present, const struct prompt_seen *seen)
{
	struct run_worker *w = ctx;
	const char *other = seen ? seen->text : NULL;
	pthread_mutex_lock(&w->mu);
	bool changed = present != w->last_present || strcmp(other ? other : "", w->last_other);
	w->last_present = present;
	snprintf(w->last_other, sizeof w->last_other, "%s", other ? other : "");
	int answer = w->stop ? PROMPT_CANCEL : w->prompt_answer;
	pthread_mutex_unlock(&w->mu);
	if (changed) {
		struct wev e = {.kind = WEV_PROMPT_STATE, .present = present,
		                .mode = seen ? seen->mode : USB_MODE_COUNT};
		snprintf(e.text, sizeof e.text, "%s", other ? other : "");
		push(w, &e);
	}
	/* The expected device is there: move on by itself, as the person would. */
	if (answer < 0 && present)
		return PROMPT_DONE;
	return answer < 0 ? PROMPT_WAIT : (enum prompt_answer)answer;
}

static bool ev_confirm(void *ctx, const char *question, const char *typed_word)
{
	struct run_worker *w = ctx;
	if (!typed_word && w->already_confirmed) {
		char msg[700];
		snprintf(msg, sizeof msg, "%s -- confirmed on the confirm screen", question);
		push_simple(w, WEV_LOG, 0, 0, msg);
		return true;
	}
	pthread_mutex_lock(&w->mu);
	w->confirm_answer = -1;
	pthread_mutex_unlock(&w->mu);
	struct wev e = {.kind = WEV_CONFIRM};
	snprintf(e.text, sizeof e.text, "%s", question);
	snprintf(e.id, sizeof e.id, "%s", typed_word ? typed_word : "");
	push(w, &e);
	pthread_mutex_lock(&w->mu);
	while (w->confirm_answer < 0 && !w->stop)
		pthread_cond_wait(&w->cv, &w->mu);
	bool yes = w->confirm_answer == 1 && !w->stop;
	pthread_mutex_unlock(&w->mu);
	return yes;
}

static int ev_choose(void *ctx, const char *const *labels, int n)
{
	struct run_worker *w = ctx;
	struct wev e = {.kind = WEV_CHOOSE};
	size_t off = 0;
	for (int i = 0; i < n && i < 8 && off < sizeof e.text; i++)
		off += (size_t)snprintf(e.text + off, sizeof e.text - off, "%s%s", i ? "\n" : "", labels[i]);
	pthread_mutex_lock(&w->mu);
	w->choose_answer = -2;
	pthread_mutex_unlock(&w->mu);
	push(w, &e);
	pthread_mutex_lock(&w->mu);
	while (w->choose_answer == -2 && !w->stop)
		pthread_cond_wait(&w->cv, &w->mu);
	int r = w->stop ? -1 : w->choose_answer;
	pthread_mutex_unlock(&w->mu);
	return r < n ? r : -1;
}

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	struct wev e = {.kind = WEV_LOG, .level = (int)level};
	snprintf(e.text, sizeof e.text, "%s", msg);
	push(ctx, &e);
}

static bool ev_should_stop(void *ctx)
{
	struct run_worker *w = ctx;
	pthread_mutex_lock(&w->mu);
	bool s = w->stop;
	pthread_mutex_unlock(&w->mu);
	return s;
}

static void *thread_main(void *arg)
{
	struct run_worker *w = arg;
	struct run_events ev = {
		.ctx = w, .step_begin = ev_step_begin, .step_end = ev_step_end, .progress = ev_progress,
		.prompt_show = ev_prompt_show, .prompt_poll = ev_prompt_poll, .confirm = ev_confirm,
		.choose = ev_choose, .log = ev_log, .should_stop = ev_should_stop,
	};
	struct run_result res;
	struct rs_error err = {0};
	/* every exchange with the camera, in a scratch file the result screen can save for support */
	struct io_record_header rh = {.program_version = "openmv-rescue " RESCUE_VERSION,
	                              .board = w->plan->board ? w->plan->board->target : NULL,
	                              .action = action_name(w->plan->action), .serial = w->opts.serial};
	bool recording = io_record_start_scratch(&rh) == 0;
	if (recording)
		slog_record_inputs(w->plan);
	int rc = runner_run(w->plan, &w->opts, &ev, &res, &err);
	if (recording)
		io_record_stop(rc ? rs_exit_status(rc) : 0);
	pthread_mutex_lock(&w->mu);
	w->rc = rc;
	w->res = res;
	w->err = err;
	pthread_mutex_unlock(&w->mu);
	push_simple(w, WEV_DONE, 0, rc, rc ? err.msg : res.summary);
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct run_worker *worker_start(struct plan *p, const struct run_options *o,
                                bool already_confirmed, int wake_fd)
{
	struct run_worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->wake_fd = wake_fd;
	w->plan = p;
	w->opts = *o;
	w->already_confirmed = already_confirmed;
	w->prompt_answer = -1;
	w->confirm_answer = -1;
	w->choose_answer = -2;
	/* Signals (resize, terminate) belong to the screens' thread: the worker blocks them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&w->thread, NULL, thread_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return NULL;
	}
	return w;
}

bool worker_next(struct run_worker *w, struct wev *out)
{
	pthread_mutex_lock(&w->mu);
	bool got = w->count > 0;
	if (got) {
		*out = w->q[w->head];
		w->head = (w->head + 1) % QUEUE_LEN;
		w->count--;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return got;
}

void worker_prompt_done(struct run_worker *w, bool cancel)
{
	pthread_mutex_lock(&w->mu);
	w->prompt_answer = cancel ? PROMPT_CANCEL : PROMPT_DONE;
	pthread_mutex_unlock(&w->mu);
}

void worker_confirm(struct run_worker *w, bool yes)
{
	pthread_mutex_lock(&w->mu);
	w->confirm_answer = yes;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void worker_choose(struct run_worker *w, int index)
{
	pthread_mutex_lock(&w->mu);
	w->choose_answer = index;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void worker_stop(struct run_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void worker_result(struct run_worker *w, int *rc, struct run_result *res)
{
	pthread_mutex_lock(&w->mu);
	*rc = w->rc;
	*res = w->res;
	pthread_mutex_unlock(&w->mu);
}

void worker_free(struct run_worker *w)
{
	if (!w)
		return;
	worker_stop(w);
	/* drain while joining so a worker blocked on a full queue can finish */
	for (;;) {
		struct wev e;
		while (worker_next(w, &e))
			;
		pthread_mutex_lock(&w->mu);
		bool finished = w->count == 0 && w->done;
		pthread_mutex_unlock(&w->mu);
		if (finished)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
