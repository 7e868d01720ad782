/* runner.h — executes a plan's steps in order and reports through one event interface.
 *
 * The screens and the CLI are two implementations of struct run_events; neither knows a
 * protocol.  The runner owns ordering, retries and timeouts; each step kind is carried out
 * by the executor of its kind (step_kinds.h; the executors live in src/family/<name>/).  A step kind
 * without an executor stops the run with a plain "not available yet" message (exit 1).
 */
#ifndef RESCUE_RUNNER_H
#define RESCUE_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include "boarddb.h"
#include "error.h"
#include "plan.h"
#include "progress.h"

enum run_log { RUN_LOG_INFO, RUN_LOG_WARN, RUN_LOG_DEVICE };

/* What the front end answers to a prompt. */
enum prompt_answer { PROMPT_WAIT, PROMPT_DONE, PROMPT_CANCEL };

/* Another device of the same board seen while a prompt waits: its mode, for the front ends
 * to say what it means (assets/prompts/prompts.ini), and its description for the eye. */
struct prompt_seen {
	enum usb_mode mode;
	const char *text;       /* "running firmware 37C5:1204" */
};

struct run_events {
	void *ctx;
	/* A step starts (index 0..n-1 of p->nsteps) and ends (rc 0 or a negative RS_E_*). */
	void (*step_begin)(void *ctx, const struct plan *p, int index);
	void (*step_end)(void *ctx, const struct plan *p, int index, int rc, const char *msg);
	/* Bytes moved within the current step. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	/* Show a hardware prompt.  The runner then calls prompt_poll about every 10 ms with
	 * whether the device the next step needs is present (expected) and what else appeared
	 * (other: its mode and description, or NULL); the front end answers WAIT, DONE or CANCEL. */
	void (*prompt_show)(void *ctx, const char *prompt_id, const char *waiting_for);
	enum prompt_answer (*prompt_poll)(void *ctx, bool expected_present,
	                                  const struct prompt_seen *other);
	/* Ask before a destructive or irreversible step.  typed_word NULL: yes/no; otherwise
	 * the person must type that word.  Returns true to go ahead. */
	bool (*confirm)(void *ctx, const char *question, const char *typed_word);
	/* Several devices match: return the index chosen, or -1 to cancel. */
	int (*choose)(void *ctx, const char *const *labels, int n);
	void (*log)(void *ctx, enum run_log level, const char *msg);
	/* Asked at safe points (between blocks, between steps). */
	bool (*should_stop)(void *ctx);
};

struct run_options {
	bool assume_yes;           /* --yes: destructive steps need no confirmation */
	bool allow_irreversible;   /* --allow-irreversible: with --yes, allow the eFuse write */
	bool no_verify;            /* --no-verify: skip the read-back after writing */
	bool full;                 /* --full: rewrite every unit, even those that hold the image */
	bool verify_only;          /* verify: read back and compare, write nothing */
	int device_timeout_ms;     /* how long to wait for a device to appear (0: default) */
	const char *serial;        /* match only this USB serial number, NULL: any */
	const char *bus_path;      /* match only the device on this port ("1-3.2"), NULL: any */
	bool use_cubeprogrammer;   /* N6 restore: run STM32_Programmer_CLI instead of the native path */
	int n6_nor_addressing;     /* N6 restore: enum stm32prog_nor_addressing (0: the default) */
};

struct run_result {
	int steps_done;
	int verified_writes;       /* writes read back and found equal */
	bool unverified_writes;    /* some writes could not be read back */
	bool stayed_in_bootloader; /* the bootloader did not leave after the last write */
	uint64_t bytes_written;    /* image bytes sent to the device */
	uint64_t bytes_left_alone; /* image bytes already there, not sent again (delta mode) */
	int images_equal, images_differ; /* verify: the images read back equal or not */
	char summary[300];
	char written[160];         /* "Wrote 128.0 KiB; 1.5 MiB ... left alone." or "" (run_written.h) */
};

/* Run every step of p.  Returns 0 or a negative RS_E_* with err filled. */
int runner_run(struct plan *p, const struct run_options *o, const struct run_events *ev,
               struct run_result *res, struct rs_error *err);

/* ---- for executors (exec_*.c) ------------------------------------------------------------ */

struct run_ctx {
	struct plan *plan;
	const struct run_options *opts;
	const struct run_events *ev;
	struct run_result *res;
	int index;                          /* current step */
	uint8_t *generated[PLAN_MAX_IMAGES]; /* images made in memory (erase.bin, key.bin) */
	size_t generated_len[PLAN_MAX_IMAGES];
	void *device;                       /* executor-owned open device, see exec.h */
	void (*device_close)(void *device);
	enum usb_mode device_mode;
};

typedef int (*step_exec_fn)(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* The executor of a step, or NULL when this build cannot carry it out yet. */
step_exec_fn exec_for_step(const struct step *s);

/* Which device this run wants (its serial or bus path, and its chooser): usbdev.h. */
struct usbdev_pick;
void run_usb_pick(const struct run_ctx *rc, struct usbdev_pick *out);

/* Helpers for executors. */
void run_log(struct run_ctx *rc, enum run_log level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void run_progress(struct run_ctx *rc, uint64_t done, uint64_t total);
bool run_should_stop(struct run_ctx *rc);
/* Hold device (closed by close_fn) for the next steps, after closing the one held before. */
void run_hold_device(struct run_ctx *rc, void *device, void (*close_fn)(void *device), enum usb_mode mode);
/* Close the device held, if any: it reset, left the bus, or another is needed. */
void run_drop_device(struct run_ctx *rc);
/* run_should_stop for a callback that takes the run as its void * context. */
bool run_stop_cb(void *rc);
/* A struct rs_progress (proto/progress.h) that reports to and asks this run. */
struct rs_progress run_progress_of(struct run_ctx *rc);
/* How long to wait for a device: --timeout when given, otherwise default_ms. */
int run_device_timeout(const struct run_ctx *rc, int default_ms);
/* Append advice to the message already in err; returns err->code. */
int run_advise(struct rs_error *err, const char *advice);

#endif
