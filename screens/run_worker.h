/* run_worker.h — runs a plan in a thread of its own and passes the runner's events to the
 * screens through a small mutex-protected queue; the screens' answers (prompt done, confirm,
 * which device, stop) go back the same way.
 *
 * The worker is the wizard's implementation of struct run_events.  Every event wakes the
 * screens by writing one byte to wake_fd, so the screens never poll faster than they draw.
 */
#ifndef RESCUE_RUN_WORKER_H
#define RESCUE_RUN_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"
#include "runner.h"

enum wev_kind {
	WEV_STEP_BEGIN,   /* index */
	WEV_STEP_END,     /* index, rc, text = message */
	WEV_PROGRESS,     /* done, total (consecutive ones are merged) */
	WEV_PROMPT_SHOW,  /* id, text = what the next step waits for ("" for nothing) */
	WEV_PROMPT_STATE, /* present, mode and text = another device seen instead ("" for none) */
	WEV_CONFIRM,      /* text = question, id = the word to type */
	WEV_CHOOSE,       /* text = labels separated by '\n' */
	WEV_LOG,          /* level, text */
	WEV_DONE,         /* rc, text = error message; see worker_result */
};

struct wev {
	enum wev_kind kind;
	int index, rc, level;
	bool present;
	enum usb_mode mode;      /* WEV_PROMPT_STATE: the mode of the device seen instead */
	uint64_t done, total;
	char id[32];
	char text[1024];
};

struct run_worker;

/* Start running p in a new thread.  A yes/no confirmation (destructive steps) is answered
 * yes when already_confirmed (the person confirmed the plan on the confirm screen); a typed
 * confirmation is always asked.  Returns NULL when the thread cannot start. */
struct run_worker *worker_start(struct plan *p, const struct run_options *o,
                                bool already_confirmed, int wake_fd);

/* Take the next event; false when there is none. */
bool worker_next(struct run_worker *w, struct wev *out);

/* Answers. */
void worker_prompt_done(struct run_worker *w, bool cancel);
void worker_confirm(struct run_worker *w, bool yes);
void worker_choose(struct run_worker *w, int index);
void worker_stop(struct run_worker *w);

/* After WEV_DONE: the runner's result. */
void worker_result(struct run_worker *w, int *rc, struct run_result *res);

/* Stop at the next safe point (if still running), wait for the thread, free. */
void worker_free(struct run_worker *w);

#endif
