/* wiz.h — what the screens share: the person's choices, the run as the screens see it, the
 * screen interface (enter / draw / key / tick) and the outcomes a screen returns to move on.
 *
 * A screen keeps its own cursor and scroll state in its own file; it never reaches into
 * another screen.  Where to go next is decided by the transition table (transitions.c) from
 * the current screen and the outcome, not by the screen itself.
 */
#ifndef RESCUE_WIZ_H
#define RESCUE_WIZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boarddb.h"
#include "cli_args.h"
#include "plan.h"
#include "runner.h"
#include "session_log.h"

enum screen_id {
	SCR_DETECT,   /* live list of connected devices, proposes camera and action */
	SCR_CAMERA,   /* every board of boards.ini, grouped by family */
	SCR_ACTION,   /* what the board supports, with when to use each */
	SCR_FILES,    /* find and check the images the plan needs */
	SCR_CONFIRM,  /* the plan, step by step, before anything is written */
	SCR_PROGRESS, /* step n of m, bytes, rate, ETA */
	SCR_PROMPT,   /* a hardware prompt: drawing, steps, live device presence */
	SCR_ASK,      /* the runner asks: a typed confirmation or which device */
	SCR_RESULT,   /* what was done, verified or not, what next, save log */
	SCR_HELP,     /* help for the screen it was opened from */
	SCR_SYMPTOM,  /* the camera does not boot: what happened, and the action for it */
	SCR_COUNT
};

/* What a screen's key or tick asks for; the transition table turns it into a screen. */
enum go {
	GO_STAY,
	GO_NEXT,      /* the screen's job is done */
	GO_BACK,      /* one step back */
	GO_SKIP,      /* detect: camera and action accepted from a proposal */
	GO_HELP,
	GO_QUIT,      /* asks first (see wizard.c) */
	GO_CANCEL,    /* during a run: asks whether to stop at the next safe point */
	GO_PRACTICE,  /* re-run under the simulator with the chosen camera */
	GO_RUN,       /* the run wants the progress screen */
	GO_PROMPT,    /* the run shows a hardware prompt */
	GO_ASK,       /* the run asks a question */
	GO_DONE,      /* the run ended */
	GO_RESTART,   /* result: start over with another action */
	GO_EXIT,      /* leave now, without asking */
	GO_SYMPTOM,   /* detect: ask what happened to a camera that does not boot */
};

struct wiz;

/* One screen, with every fact about it: its title, its key line, its help text (shown by
 * the help screen) and what it does. */
struct screen {
	const char *title;
	const char *keys;                /* the key line at the bottom */
	const char *help;                /* what the screen is for, for '?' ("" for none) */
	void (*enter)(struct wiz *w);
	void (*draw)(struct wiz *w);
	enum go (*key)(struct wiz *w, int ch);
	enum go (*tick)(struct wiz *w);  /* about every 100 ms */
};

/* One image the chosen action reads, as the files screen found or was given it. */
struct wiz_slot {
	char slot[40];          /* default file name: firmware.bin */
	char path[512];         /* "" when not found */
	char where[40];         /* how it was found: "build/OPENMV4/bin", "OpenMV IDE", "you" */
	char verdict[400];      /* the image check's problem, "" when good */
	bool optional;          /* the plan leaves it out when not given */
};

/* The run as the screens see it, filled from the worker's events (run_view.c). */
struct run_view {
	bool started, finished;
	int step;                       /* current step index, -1 before the first */
	int step_rc[PLAN_MAX_STEPS];    /* 1 not run, 0 done, < 0 failed */
	uint64_t done, total;           /* bytes of the current step */
	double step_t0;                 /* when the current step's transfer started (s) */
	double rate;                    /* bytes per second, smoothed */
	char last_log[3][200];
	/* hardware prompt */
	bool prompt_open, present;
	char prompt_id[32], waiting_for[160], other[200];
	enum usb_mode other_mode;       /* the mode of the device seen instead (USB_MODE_COUNT: none) */
	/* question from the runner */
	bool ask_open;
	char question[600], typed_word[24];
	char labels[8][120];
	int nlabels;                    /* > 0: choose a device */
	/* cancel */
	bool stop_requested;
	/* outcome */
	int rc;
	char error[512];
	struct run_result res;
};

/* "All N" (the detect screen): the same plan on several cameras of one board at once, one
 * worker each, picked by serial number (run_multi.c).  The screens read these; only
 * run_multi.c writes them. */
#define WIZ_MULTI_MAX 8

struct run_worker;

struct wiz_cam {
	char serial[64];
	struct plan plan;               /* this camera's copy of the plan */
	struct run_worker *worker;
	int step;                       /* -1 before its first step */
	uint64_t done, total;
	bool finished;
	int rc;
	char error[512];
	struct run_result res;
	double t0, t1;
	struct session_log log;         /* its section of the session log */
};

struct wiz_multi {
	int n;                          /* cameras chosen with "all N"; 0: one camera */
	char serial[WIZ_MULTI_MAX][64];
	struct wiz_cam *cam[WIZ_MULTI_MAX]; /* their runs, NULL before the start */
	int ok;                         /* how many finished well */
};

struct wiz {
	const struct boarddb *db;
	const struct cli_args *args;    /* the command line, parsed once (cli.c) */
	enum screen_id cur, help_from;
	bool practice;                  /* running under the simulator (--practice) */
	bool practice_setup;            /* the camera screen picks the virtual camera */
	char self_exe[512];
	char assets[512];               /* the assets directory, "" if not found */
	char status[300];               /* a one-line message shown until the next key */
	/* choices */
	const struct board *board;
	enum action action;
	bool action_chosen;
	char dir[512];                  /* a folder the person chose, "" for none */
	bool erase_fs;                  /* flash: erase the internal filesystem too */
	struct wiz_slot slots[PLAN_MAX_IMAGES];
	int nslots;
	struct plan plan;               /* built from the choices; valid when plan_ok */
	bool plan_ok, files_ok;
	char plan_error[512];
	/* run */
	struct run_worker *worker;
	int wake_fd;                    /* the worker writes a byte here on every event */
	struct run_view run;
	struct session_log log;
	struct wiz_multi multi;         /* "all N": several cameras at once */
	int exit_status;
};

/* The screens (one file each). */
extern const struct screen screen_detect, screen_camera, screen_action, screen_files,
	screen_confirm, screen_progress, screen_prompt, screen_ask, screen_result, screen_help,
	screen_symptom;

/* transitions.c: the screen table and where an outcome leads. */
const struct screen *screen_of(enum screen_id id);
/* The screen that outcome g leads to from w->cur, or w->cur when there is none. */
enum screen_id transition(const struct wiz *w, enum go g);

/* Keys every screen treats alike: '?' and F1 help, q quit, Esc/Left/Backspace back.
 * Returns GO_STAY for any other key. */
enum go wiz_common_key(int ch);

/* choices.c: rebuild the plan from the choices and check every image (files_ok). */
void wiz_rebuild_plan(struct wiz *w);
/* Start over with the files of the chosen camera and action: list the images the action
 * reads and look for each (files_find.h), then rebuild the plan. */
void wiz_reset_files(struct wiz *w);
/* Look again for every image the person did not pick by hand (w->dir changed). */
void wiz_find_files(struct wiz *w);
/* Give path for slot i.  A file the image checks refuse is not taken: returns -1 with the
 * reason in why, and the slot keeps what it had. */
int wiz_try_file(struct wiz *w, int i, const char *path, char *why, size_t n);

/* run_view.c: drain the worker's events into w->run and the session log, and say which run
 * screen should be showing: GO_ASK, GO_PROMPT, GO_DONE or GO_RUN. */
enum go run_pump(struct wiz *w);
/* Start the run of w->plan in a worker thread (one per camera with "all N"). */
int run_start(struct wiz *w, int wake_fd);
/* Ask every run under way to stop at its next safe point; stop and free every worker (what
 * the run screens show of them stays). */
void run_stop(struct wiz *w);
void run_free(struct wiz *w);

/* run_multi.c: "all N" — start a worker per camera of w->multi, drain their events (a
 * prompt goes on when its device is there, a typed question is answered no: nobody can
 * answer for several cameras), and one camera's row for the progress and result screens. */
int multi_start(struct wiz *w, int wake_fd);
enum go multi_pump(struct wiz *w);
void multi_stop(struct wiz *w);
void multi_free_workers(struct wiz *w);  /* the rows stay for the result screen */
void multi_clear(struct wiz *w);         /* the rows too: "all N" is over */
void multi_row(const struct wiz *w, int i, char *buf, size_t n);

/* assets.c: the assets directory (beside boards.ini, or the installed data directory) and
 * the text of a hardware prompt (assets/prompts/ID.txt), NULL when missing; free() it. */
void wiz_find_assets(struct wiz *w);
char *wiz_prompt_text(const struct wiz *w, const char *id);

/* practice.c: the simulator program next to this one, or -1 when it is not there. */
int practice_find_sim(const struct wiz *w, char *path, size_t n);
/* The camera types the simulator has models of (openmv-rescue-sim --list): fills names
 * (TARGETs) and returns how many, or -1 when the simulator is not there. */
int practice_models(const struct wiz *w, char names[][40], int max);
/* Make sample images for every image slot of the chosen action (practice_samples.c), valid
 * for the board's checks, in a private folder, and take them.  Returns -1 with why when a
 * slot has no sample for this board. */
int practice_samples(struct wiz *w, char *why, size_t n);
/* The person's hands on the virtual camera: replug it (the simulator's SIGUSR1).  Returns
 * -1 when the wizard is not running under the simulator. */
int practice_replug(const struct wiz *w);
/* Leave the screen and re-run under the simulator with board b as the virtual camera.
 * Returns only on failure, with the reason in why. */
int practice_exec(const struct wiz *w, const struct board *b, char *why, size_t n);

/* plain_words.c: rewrite a back-end message in place so that it names no command-line
 * option (a wizard user has no command line). */
void wiz_plain_words(char *s, size_t n);

/* Copy src into dst of size n, cut if needed, always terminated. */
static inline void wiz_copy(char *dst, size_t n, const char *src)
{
	size_t len = strnlen(src, n - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Seconds since an arbitrary start, monotonic. */
double wiz_now(void);

#endif
