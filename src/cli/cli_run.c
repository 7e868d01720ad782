/* cli_run.c — "openmv-rescue ACTION --board TARGET ...": plan, check, then dry-run or run,
 * with the command line's implementation of the runner's event interface. */
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_internal.h"
#include "detect.h"
#include "cli_transcript.h"
#include "images.h"
#include "n6_loaders.h"
#include "release_src.h"
#include "prompts.h"
#include "runner.h"
#include "session_log.h"

/* The signal that asked to stop (SIGINT: Ctrl-C; SIGHUP: the SSH session dropped; SIGTERM).
 * The run stops at its next safe point: the executors ask should_stop between blocks. */
static volatile sig_atomic_t interrupted;

static void on_stop_signal(int sig)
{
	interrupted = sig;
}

struct cli_ui {
	bool interactive;
	int last_pct;
	time_t prompt_started;
	int prompt_timeout_s;
	bool announced_found;
	bool prompt_waits;      /* the prompt waits for a device to appear */
	bool last_step;         /* the step running is the plan's last */
	bool told_waiting;      /* Enter was pressed once while the device was not there yet */
	char waiting_for[160];  /* what the open prompt waits for */
	bool verify_only;       /* verify: the writes are read-back comparisons */
	char prompt_id[32];     /* the open prompt, for what a device seen instead means */
	/* why a run stopped early: only the person's own stop is "cancelled" (exit 3) */
	bool person_stopped, timed_out, no_terminal;
};

static void ui_step_begin(void *ctx, const struct plan *p, int i)
{
	struct cli_ui *ui = ctx;
	char what[600];
	step_describe(p, &p->steps[i], what, sizeof what);
	if (ui->verify_only && !strncmp(what, "Write ", 6)) { /* verify: say what really happens */
		char was[sizeof what];
		snprintf(was, sizeof was, "%s", what + 6);
		snprintf(what, sizeof what, "Compare with the camera, writing nothing: %.500s", was);
	}
	ui->last_pct = -1;
	ui->last_step = i == p->nsteps - 1;
	if (cli_log())
		slog_step_begin(cli_log(), p, i);
	cli_record_step(i + 1, p->nsteps, what);
	printf("[%d/%d] %s\n", i + 1, p->nsteps, what);
	transcript_add("[%d/%d] %s", i + 1, p->nsteps, what);
	fflush(stdout);
}

static void ui_step_end(void *ctx, const struct plan *p, int i, int rc, const char *msg)
{
	/* a failure is printed once, by cli_action, when the run ends */
	(void)ctx;
	(void)p;
	if (cli_log())
		slog_step_end(cli_log(), i, rc, msg);
	if (rc && msg)
		transcript_add("       failed: %s", msg);
}

static void ui_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct cli_ui *ui = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;
	if (ui->interactive) {
		if (pct != ui->last_pct)
			fprintf(stderr, "\r       %3d%%  %" PRIu64 " of %" PRIu64 " bytes%s", pct, done, total,
			        done >= total ? "\n" : "");
	} else if (pct / 25 != ui->last_pct / 25 || (done >= total && ui->last_pct != 100)) {
		fprintf(stderr, "       %3d%%  %" PRIu64 " of %" PRIu64 " bytes\n", pct, done, total);
	}
	ui->last_pct = pct;
}

static void ui_prompt_show(void *ctx, const char *id, const char *waiting_for)
{
	struct cli_ui *ui = ctx;
	const struct prompt_def *d = prompt_find(id);
	snprintf(ui->prompt_id, sizeof ui->prompt_id, "%s", id);
	if (cli_log())
		slog_add(cli_log(), "prompt: %s%s%s", d ? d->title : id, waiting_for ? "; waiting for " : "",
		         waiting_for ? waiting_for : "");
	printf("\n  >>> %s\n", d ? d->title : id);
	/* without a terminal, the prompt that closes a run is for after it: nobody to wait for */
	if (waiting_for && !ui->interactive && ui->last_step)
		waiting_for = NULL;
	if (waiting_for)
		printf("      Waiting for %s ...%s\n", waiting_for,
		       ui->interactive ? " (or press Enter when done)" : "");
	else if (ui->interactive)
		printf("      Press Enter when done.\n");
	fflush(stdout);
	ui->prompt_started = time(NULL);
	ui->announced_found = false;
	ui->told_waiting = false;
	ui->prompt_waits = waiting_for != NULL;
	snprintf(ui->waiting_for, sizeof ui->waiting_for, "%s", waiting_for ? waiting_for : "");
}

static enum prompt_answer ui_prompt_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	struct cli_ui *ui = ctx;
	if (interrupted) {
		ui->person_stopped = true;
		return PROMPT_CANCEL;
	}
	if (present) {
		if (cli_log())
			slog_add(cli_log(), "  found %s", ui->waiting_for);
		printf("      ... found.\n");
		return PROMPT_DONE;
	}
	if (!ui->interactive && !ui->prompt_waits) {
		/* no terminal to answer on and no device to watch for (the last prompt of a
		 * restore): it is an instruction for after the run, not something to wait on */
		printf("      (do this once the run has finished)\n");
		return PROMPT_DONE;
	}
	if (other && !ui->announced_found) {
		/* in the wizard's words: assets/prompts/prompts.ini */
		char line[600];
		prompt_seen_instead(ui->prompt_id, other->mode, other->text, line, sizeof line);
		printf("      %s\n", line);
		ui->announced_found = true;
	}
	if (ui->interactive) {
		struct pollfd pfd = {.fd = 0, .events = POLLIN};
		if (poll(&pfd, 1, 0) == 1) {
			char line[64];
			if (!fgets(line, sizeof line, stdin)) {
				ui->person_stopped = true; /* end of input (Ctrl-D) */
				return PROMPT_CANCEL;
			}
			if (ui->prompt_waits && !ui->told_waiting) {
				/* the step moves on when the device appears: say what it still waits for */
				printf("      Still waiting for %s: not seen yet. Press Enter again to go on without "
				       "it, or Ctrl-C to stop.\n", ui->waiting_for);
				fflush(stdout);
				ui->told_waiting = true;
				return PROMPT_WAIT;
			}
			return PROMPT_DONE;
		}
	}
	if (time(NULL) - ui->prompt_started > ui->prompt_timeout_s) {
		if (ui->last_step) { /* the run's work is done: the prompt is for after it */
			printf("      Not seen within %d s; everything else is done.\n", ui->prompt_timeout_s);
			return PROMPT_DONE;
		}
		ui->timed_out = true;
		return PROMPT_CANCEL;
	}
	return PROMPT_WAIT;
}

static bool ui_confirm(void *ctx, const char *question, const char *typed_word)
{
	struct cli_ui *ui = ctx;
	if (!ui->interactive) {
		fprintf(stderr, "%s\n", question);
		ui->no_terminal = true;
		return false;
	}
	printf("%s %s", question, typed_word ? "> " : "[y/N] ");
	fflush(stdout);
	char line[64];
	bool yes = false;
	if (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = '\0';
		yes = typed_word ? !strcmp(line, typed_word) : line[0] == 'y' || line[0] == 'Y';
	}
	ui->person_stopped = !yes;
	return yes;
}

/* Several devices match: a numbered list, the person types the number (interactive only;
 * otherwise the device layer says to use --serial). */
static int ui_choose(void *ctx, const char *const *labels, int n)
{
	struct cli_ui *ui = ctx;
	printf("Several matching devices are connected:\n");
	for (int i = 0; i < n; i++)
		printf("  %d. %s\n", i + 1, labels[i]);
	printf("Which one? [1-%d] ", n);
	fflush(stdout);
	char line[32];
	if (!fgets(line, sizeof line, stdin)) {
		ui->person_stopped = true;
		return -1;
	}
	int k = atoi(line);
	if (k < 1 || k > n) {
		ui->person_stopped = true;
		return -1;
	}
	return k - 1;
}

static void ui_log(void *ctx, enum run_log level, const char *msg)
{
	(void)ctx;
	if (cli_log())
		slog_run_log(cli_log(), level, msg);
	fprintf(stderr, "       %s%s\n", level == RUN_LOG_WARN ? "warning: " : "", msg);
	transcript_add("       %s%s", level == RUN_LOG_WARN ? "warning: " : "", msg);
}

static bool ui_should_stop(void *ctx)
{
	struct cli_ui *ui = ctx;
	if (interrupted)
		ui->person_stopped = true;
	return interrupted != 0;
}

/* A device of another board, and none of this one, after a run that found no device: the
 * person may have named the wrong board ("an OpenMV Cam H7 Plus is connected: did you mean --board OPENMV4P?"). */
static void warn_other_board(const struct boarddb *db, const struct board *b)
{
	struct detected d[DETECT_MAX];
	int n = detect_scan(db, d, DETECT_MAX);
	const struct board *other = NULL;
	for (int i = 0; i < n; i++) {
		if (d[i].nmatch > DETECT_MATCHES)
			return; /* shared by more boards than we were told: it may be this one */
		for (int m = 0; m < d[i].nmatch; m++)
			if (d[i].match[m].board == b)
				return;
		if (d[i].nmatch == 1 && !other)
			other = d[i].match[0].board;
	}
	if (other)
		fprintf(stderr, "openmv-rescue: no %s is connected; an %s is connected: did you mean --board %s?\n",
		        b->name, other->name, other->target);
}

/* The one line of a failed run, and its exit status: 3 only when the person stopped it. */
static int run_failed(const struct cli_ui *ui, int rc, const struct rs_error *err)
{
	if (rc != RS_E_CANCELLED || ui->person_stopped) {
		fprintf(stderr, "openmv-rescue: %s\n", err->msg);
		return rs_exit_status(rc);
	}
	if (ui->no_terminal) {
		fprintf(stderr, "openmv-rescue: this step needs your yes and there is no terminal to answer "
		        "on; nothing was written by it. Run the same command with --yes to go ahead.\n");
		return 2;
	}
	if (ui->timed_out)
		fprintf(stderr, "openmv-rescue: %s did not appear within %d s; nothing was written after "
		        "the prompt. Check the cable and the steps of the prompt, then run the same command "
		        "again (--timeout SECONDS waits longer).\n",
		        ui->waiting_for[0] ? ui->waiting_for : "the device", ui->prompt_timeout_s);
	else
		fprintf(stderr, "openmv-rescue: %s\n", err->msg);
	return 1;
}

/* Each problem, then the command-line advice its hint calls for (the lines name no flags). */
static void print_problems(const struct image_problems *probs, const struct board *b)
{
	for (int i = 0; i < probs->n; i++) {
		fprintf(stderr, "openmv-rescue: %s\n", probs->line[i]);
		if (cli_log())
			slog_add(cli_log(), "refused: %s", probs->line[i]);
		switch (probs->hint[i]) {
		case IMAGE_HINT_GIVE_FILE:
			fprintf(stderr, "  (give it with --file, --firmware, --romfs, --image NAME=FILE or --dir)\n");
			break;
		case IMAGE_HINT_ACCEPT_COMBINED:
			fprintf(stderr, "  (to write the combined image on purpose, add --accept-combined)\n");
			break;
		case IMAGE_HINT_RESTORE_BOOTLOADER:
			fprintf(stderr, "  (to restore the bootloader with it: openmv-rescue restore-bootloader "
			        "--board %s --file FILE)\n", b->target);
			break;
		case IMAGE_HINT_NONE:
			break;
		}
	}
}

/* Stopped by a signal at a safe point: leave the transcript where the person finds it
 * (after SIGHUP nobody may be reading the terminal) and exit 3, "cancelled". */
static int stopped_by_signal(int rc)
{
	int sig = interrupted;
	transcript_add("openmv-rescue: stopped by %s at a block boundary",
	               sig == SIGHUP ? "SIGHUP (the terminal went away)" : sig == SIGTERM ? "SIGTERM" : "Ctrl-C");
	char path[512];
	if (sig != SIGINT && transcript_save(path, sizeof path) == 0)
		fprintf(stderr, "openmv-rescue: stopped by %s; what happened is in %s\n",
		        sig == SIGHUP ? "SIGHUP" : "SIGTERM", path);
	return sig == SIGINT ? rs_exit_status(rc) : 3;
}

/* --from: every image the plan picked, with its verdict, before anything starts. */
static void print_picks(const struct plan *p, const struct image_problems *probs, const char *what)
{
	printf("Images from %s:\n", what);
	for (int i = 0; i < p->nimages; i++) {
		const struct plan_image *im = &p->images[i];
		if (im->generated)
			continue;
		const char *verdict = "ok";
		for (int k = 0; k < probs->n; k++)
			if (strstr(probs->line[k], im->path))
				verdict = strstr(probs->line[k], "no such file") ? "not there" : "refused";
		const char *name = strrchr(im->path, '/');
		printf("  %-24s %10" PRIu64 " bytes  %s\n", name ? name + 1 : im->path, im->size, verdict);
		if (cli_log())
			slog_add(cli_log(), "picked %s: %s", im->path, verdict);
	}
	fflush(stdout);
}

/* verify: the verdict over every image compared (exec_dfu_compare logged each one). */
static int verify_verdict(const struct run_result *res)
{
	int n = res->images_equal + res->images_differ;
	if (res->images_differ) {
		fprintf(stderr, "openmv-rescue: %d of %d image%s differ%s from the camera; nothing was "
		        "written\n", res->images_differ, n, n == 1 ? "" : "s", res->images_differ == 1 ? "s" : "");
		return 1;
	}
	printf("Verified: the camera holds %s %d image%s; nothing was written\n", n == 1 ? "the" : "all",
	       n, n == 1 ? "" : "s");
	return 0;
}

/* "Done: ...", what was written, then the plan's notes. */
static void print_done(const struct plan *p, const struct run_result *res)
{
	printf("Done: %s\n", res->summary);
	if (res->written[0])
		printf("%s\n", res->written);
	for (int i = 0; i < p->nnotes; i++)
		cli_print_note(stdout, "", p, i);
}

static int action_run(const struct cli_args *a, const struct boarddb *db, const struct board *b,
                      enum action action, const char *from_what)
{
	static struct plan p;
	struct rs_error err = {0};
	int rc = plan_build(b, action, &a->files, &p, &err);
	if (rc) {
		fprintf(stderr, "openmv-rescue: %s\n", err.msg);
		if (cli_log())
			slog_add(cli_log(), "error: %s", err.msg);
		return 2;
	}
	struct image_problems probs;
	int nprob = images_check(&p, a->files.accept_combined, &probs);
	if (from_what)
		print_picks(&p, &probs, from_what);
	if (cli_log())
		slog_plan(cli_log(), &p);
	slog_record_inputs(&p); /* --record: the inputs by size and SHA-256 */
	if (a->dry_run) {
		cli_print_plan(stdout, &p);
		print_problems(&probs, b);
		if (nprob)
			fprintf(stderr, "openmv-rescue: %d problem%s with the input files; nothing was touched.\n",
			        nprob, nprob == 1 ? "" : "s");
		return nprob ? 2 : 0;
	}
	if (nprob) {
		print_problems(&probs, b);
		fprintf(stderr, "openmv-rescue: nothing was touched.\n");
		return 2;
	}
	char why[300]; /* read with boards.ini already; only a failure is news */
	if (prompts_load_beside(db->path, why, sizeof why) && cli_log())
		slog_add(cli_log(), "%s", why);
	if (a->all) /* every camera of the board at once: the same plan, one run each */
		return cli_all_run(a, db, &p);
	struct cli_ui ui = {.interactive = isatty(0) && isatty(1) && !a->yes, .verify_only = a->verify_only,
	                    .prompt_timeout_s = a->timeout_s ? a->timeout_s : 300};
	struct run_events ev = {
		.ctx = &ui, .step_begin = ui_step_begin, .step_end = ui_step_end, .progress = ui_progress,
		.prompt_show = ui_prompt_show, .prompt_poll = ui_prompt_poll, .confirm = ui_confirm,
		.log = ui_log, .should_stop = ui_should_stop,
		.choose = ui.interactive ? ui_choose : NULL,
	};
	struct run_options opts = {.assume_yes = a->yes, .allow_irreversible = a->allow_irreversible,
	                           .no_verify = a->no_verify, .full = a->full, .verify_only = a->verify_only, .device_timeout_ms = a->timeout_s * 1000,
	                           .serial = a->serial, .use_cubeprogrammer = a->use_cubeprogrammer,
	                           .n6_nor_addressing = a->n6_nor_addressing};
	struct run_result res;
	struct sigaction sa = {.sa_handler = on_stop_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a dropped SSH session takes the terminal with it: writes to it must not kill us */
	signal(SIGPIPE, SIG_IGN);
	rc = runner_run(&p, &opts, &ev, &res, &err);
	if (cli_log())
		slog_run_end(cli_log(), rc, err.msg, &res);
	if (rc) {
		transcript_add("openmv-rescue: %s", err.msg);
		if (interrupted == SIGHUP || interrupted == SIGTERM) {
			fprintf(stderr, "openmv-rescue: %s\n", err.msg);
			return stopped_by_signal(rc);
		}
		int status = run_failed(&ui, rc, &err);
		/* after the run, not before: a scan at start-up would eat into the ~1.5 s window
		 * of a bootloader caught at power-up (tests/e2e/cli_window.sh) */
		if (status == 1 && (rc == RS_E_TIMEOUT || rc == RS_E_NOT_FOUND || rc == RS_E_CANCELLED))
			warn_other_board(db, b);
		return status;
	}
	if (a->verify_only)
		return verify_verdict(&res);
	print_done(&p, &res);
	return 0;
}

/* The action itself, with --from's release opened around it. */
static int action_from(const struct cli_args *a, const struct boarddb *db, const struct board *b,
                       enum action action)
{
	n6_loaders_set_dir(a->n6_loaders);
	if (!a->from)
		return action_run(a, db, b, action, NULL);
	static struct release_src rs;
	struct rs_error err = {0};
	if (a->files.dir) {
		fprintf(stderr, "openmv-rescue: give --from or --dir, not both\n");
		return 2;
	}
	if (release_open(a->from, b->target, &rs, &err)) {
		fprintf(stderr, "openmv-rescue: %s\n", err.msg);
		if (cli_log())
			slog_add(cli_log(), "refused: %s", err.msg);
		return 2;
	}
	struct cli_args with_dir = *a; /* the picks are found by name, as with --dir */
	with_dir.files.dir = rs.dir;
	int status = action_run(&with_dir, db, b, action, rs.what);
	release_close(&rs);
	return status;
}

int cli_action(const struct cli_args *a, const struct boarddb *db, const struct board *b,
               enum action action)
{
	if (a->log_file && cli_log_open(a->log_file, a->command_line))
		return 2;
	if (a->record_file && cli_record_open(a, b, action)) {
		cli_log_close(2);
		return 2;
	}
	int status = action_from(a, db, b, action);
	cli_record_close(status);
	cli_log_close(status);
	return status;
}
