/* download_job.h — the wizard's download offer, run in a thread of its own so that the
 * screens keep drawing: first ask the releases API what there is (dl_find), then wait for
 * the person's yes, then fetch and check it (dl_fetch) with progress.  The screens call
 * these functions only; they never see HTTP (download.h does it).  Every change of state
 * writes one byte to wake_fd (the wizard's wake-up pipe), as the run worker does. */
#ifndef RESCUE_DOWNLOAD_JOB_H
#define RESCUE_DOWNLOAD_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "release_json.h"

enum dl_job_state {
	DLJ_LOOKING,    /* asking the releases API */
	DLJ_OFFER,      /* the release is known: waiting for dl_job_accept */
	DLJ_FETCHING,   /* downloading (or checking the kept copy) */
	DLJ_DONE,       /* path holds the checked zip */
	DLJ_FAILED,     /* error says why; nothing kept */
};

struct dl_job_view {
	enum dl_job_state state;
	struct release_pick pick;   /* from DLJ_OFFER on */
	bool offline;               /* the release as the server said it last time */
	bool from_cache;            /* DLJ_DONE: it was already downloaded */
	uint64_t done, total;       /* DLJ_FETCHING */
	char path[1024];            /* DLJ_DONE */
	struct rs_error error;      /* DLJ_FAILED */
};

struct dl_job;

/* Start looking up the latest release for board target (mirror NULL: $OPENMV_RESCUE_MIRROR,
 * else GitHub).  NULL when the thread cannot start. */
struct dl_job *dl_job_start(const char *mirror, const char *target, int wake_fd);

/* What the job is doing now (a copy). */
void dl_job_view(struct dl_job *j, struct dl_job_view *out);

/* The person said yes to the offer: fetch it. */
void dl_job_accept(struct dl_job *j);

/* Stop (a transfer ends at its next progress call), wait for the thread, free.  NULL is
 * allowed. */
void dl_job_free(struct dl_job *j);

#endif
