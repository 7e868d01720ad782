/* cli_all.h — "openmv-rescue ACTION --board TARGET --all": the same plan run on every
 * connected camera of the board at once, each in a thread of its own with its own libusb
 * context and handle (the runner opens them per run), picked by its USB serial number (or
 * its bus path when it has none).  cli_all.c finds the cameras and runs them; cli_all_show.c
 * draws one live line per camera on stderr and the final table on stdout. */
#ifndef RESCUE_CLI_ALL_H
#define RESCUE_CLI_ALL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "plan.h"
#include "runner.h"
#include "session_log.h"

#define ALL_MAX_CAMERAS 32

/* What a camera's row says once its run is over. */
enum cam_result { CAM_RUNNING, CAM_OK, CAM_FAILED, CAM_STOPPED, CAM_MISSING };

struct all_cam {
	char key[72];             /* the serial number, or "port 1-3.2" without one */
	char serial[64], bus_path[32];
	char found_as[80];        /* the mode it was found in: "running firmware 37C5:1204" */
	struct plan plan;         /* this run's copy of the plan */
	struct run_options opts;
	struct run_result res;
	struct rs_error err;
	struct session_log log;   /* this camera's section of --log */
	pthread_t thread;
	bool started;
	double t0, t1;            /* monotonic seconds: started, finished */
	/* what it is doing, written by its thread and read by the display, under all->lock */
	enum cam_result result;
	int step, nsteps, pct;
	char doing[64];
	char shown[200];          /* the last line printed (no terminal: print only changes) */
	/* the open prompt (one camera's own timeout) */
	bool prompt_waits;
	double prompt_started;
	bool timed_out;
	struct all_run *all;
};

struct all_run {
	const struct cli_args *a;
	const struct boarddb *db;
	const struct plan *plan;
	pthread_mutex_t lock;
	struct all_cam *cam[ALL_MAX_CAMERAS];
	int n;
	bool tty;                 /* stderr is a terminal: redraw the lines in place */
	int drawn;                /* lines drawn last time (tty) */
	bool watching;            /* --watch: one more line says so */
};

/* Monotonic seconds. */
double all_now(void);

/* The live lines (tty: redrawn in place; otherwise a plain line when one changes).  Takes
 * all->lock. */
void all_show_live(struct all_run *all);

/* The final table on out: serial, result, verified, seconds, and why a camera failed. */
void all_show_table(const struct all_run *all, FILE *out);

/* A camera's result word ("ok", "FAILED", ...) and its verified column ("yes", "no", ...). */
const char *all_result_word(const struct all_cam *c);
const char *all_verified_word(const struct all_cam *c);

#endif
