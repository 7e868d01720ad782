/* download_job.c — see download_job.h: one thread, one mutex, one condition for the yes. */
#include "download_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "download.h"

struct dl_job {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t answer;
	bool accepted;
	int cancel;                  /* read by the transfer through dl_request.cancel */
	int wake_fd;
	char mirror[512], target[48];
	struct dl_job_view view;
};

static void wake(struct dl_job *j)
{
	char c = 'd';
	if (j->wake_fd >= 0 && write(j->wake_fd, &c, 1) < 0) {
		/* a full wake-up pipe already wakes the wizard */
	}
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct dl_job *j = ctx;
	pthread_mutex_lock(&j->lock);
	j->view.done = done;
	j->view.total = total;
	pthread_mutex_unlock(&j->lock);
	wake(j);
}

static void finish(struct dl_job *j, int rc, const struct rs_error *err)
{
	pthread_mutex_lock(&j->lock);
	j->view.state = rc ? DLJ_FAILED : DLJ_DONE;
	if (rc)
		j->view.error = *err;
	pthread_mutex_unlock(&j->lock);
	wake(j);
}

static void *job_main(void *arg)
{
	struct dl_job *j = arg;
	struct dl_request rq = {.mirror = j->mirror[0] ? j->mirror : NULL, .target = j->target,
	                        .progress = on_progress, .ctx = j, .cancel = &j->cancel};
	struct dl_release rel;
	struct rs_error err = {0};
	int rc = dl_find(&rq, &rel, &err);
	if (rc) {
		finish(j, rc, &err);
		return NULL;
	}
	pthread_mutex_lock(&j->lock);
	j->view.pick = rel.pick;
	j->view.offline = rel.offline;
	j->view.state = DLJ_OFFER;
	wake(j);
	while (!j->accepted && !__atomic_load_n(&j->cancel, __ATOMIC_RELAXED))
		pthread_cond_wait(&j->answer, &j->lock);
	bool go = j->accepted && !j->cancel;
	if (go)
		j->view.state = DLJ_FETCHING;
	pthread_mutex_unlock(&j->lock);
	if (!go)
		return NULL;
	char path[1024];
	bool cached = false;
	rc = dl_fetch(&rq, &rel, path, sizeof path, &cached, &err);
	pthread_mutex_lock(&j->lock);
	snprintf(j->view.path, sizeof j->view.path, "%s", rc ? "" : path);
	j->view.from_cache = cached;
	pthread_mutex_unlock(&j->lock);
	finish(j, rc, &err);
	return NULL;
}

struct dl_job *dl_job_start(const char *mirror, const char *target, int wake_fd)
{
	struct dl_job *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->answer, NULL);
	j->wake_fd = wake_fd;
	snprintf(j->mirror, sizeof j->mirror, "%s", mirror ? mirror : "");
	snprintf(j->target, sizeof j->target, "%s", target);
	j->view.state = DLJ_LOOKING;
	if (pthread_create(&j->thread, NULL, job_main, j)) {
		pthread_cond_destroy(&j->answer);
		pthread_mutex_destroy(&j->lock);
		free(j);
		return NULL;
	}
	return j;
}

void dl_job_view(struct dl_job *j, struct dl_job_view *out)
{
	pthread_mutex_lock(&j->lock);
	*out = j->view;
	pthread_mutex_unlock(&j->lock);
}

void dl_job_accept(struct dl_job *j)
{
	pthread_mutex_lock(&j->lock);
	j->accepted = true;
	pthread_cond_signal(&j->answer);
	pthread_mutex_unlock(&j->lock);
}

void dl_job_free(struct dl_job *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->lock);
	__atomic_store_n(&j->cancel, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&j->answer);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->thread, NULL);
	pthread_cond_destroy(&j->answer);
	pthread_mutex_destroy(&j->lock);
	free(j);
}
