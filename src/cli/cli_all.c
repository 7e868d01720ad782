/* cli_all.c — "openmv-rescue ACTION --board TARGET --all [--serial SN]... [--watch]": see
 * cli_all.h.  The plan was built and its images checked once (cli_run.c); every camera gets
 * a copy and runner_run in a thread of its own, its run options naming that camera alone, so
 * one camera failing or vanishing touches no other.  The events of each run go to that
 * camera's live line and its section of the session log; nothing else is printed while the
 * threads run. */
#include <libusb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_all.h"
#include "cli_internal.h"
#include "io/usb_io.h"
#include "prompts.h"
#include "usbdev.h"

/* Ctrl-C (and SIGHUP, SIGTERM): every run stops at its next safe point, --watch stops
 * waiting for new cameras. */
static volatile sig_atomic_t all_interrupted;

static void on_stop(int sig)
{
	all_interrupted = sig;
}

/* ---- one camera's run: the runner's events ---------------------------------------------- */

static void ev_step_begin(void *ctx, const struct plan *p, int i)
{
	struct all_cam *c = ctx;
	char what[600];
	step_describe(p, &p->steps[i], what, sizeof what);
	slog_step_begin(&c->log, p, i);
	pthread_mutex_lock(&c->all->lock);
	c->step = i;
	c->nsteps = p->nsteps;
	c->pct = -1;
	/* the line keeps the step's first words (the whole line fits 80 columns): the log has
	 * the rest */
	snprintf(c->doing, sizeof c->doing, "%.34s%s", what, strlen(what) > 34 ? "..." : "");
	pthread_mutex_unlock(&c->all->lock);
}

static void ev_step_end(void *ctx, const struct plan *p, int i, int rc, const char *msg)
{
	struct all_cam *c = ctx;
	(void)p;
	slog_step_end(&c->log, i, rc, msg);
}

static void ev_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct all_cam *c = ctx;
	pthread_mutex_lock(&c->all->lock);
	c->pct = total ? (int)(done * 100 / total) : 100;
	pthread_mutex_unlock(&c->all->lock);
}

static void ev_prompt_show(void *ctx, const char *id, const char *waiting_for)
{
	struct all_cam *c = ctx;
	const struct prompt_def *d = prompt_find(id);
	slog_add(&c->log, "prompt: %s%s%s", d ? d->title : id, waiting_for ? "; waiting for " : "",
	         waiting_for ? waiting_for : "");
	pthread_mutex_lock(&c->all->lock);
	snprintf(c->doing, sizeof c->doing, "waiting: %.30s", d ? d->title : id);
	c->pct = -1;
	c->prompt_waits = waiting_for != NULL;
	c->prompt_started = all_now();
	pthread_mutex_unlock(&c->all->lock);
}

/* Nobody answers a prompt of one camera among several: it goes on when the device it
 * waits for is there, and gives up after --timeout (300 s by default, as on the CLI). */
static enum prompt_answer ev_prompt_poll(void *ctx, bool present, const struct prompt_seen *other)
{
	struct all_cam *c = ctx;
	(void)other;
	if (all_interrupted)
		return PROMPT_CANCEL;
	if (present || !c->prompt_waits)
		return PROMPT_DONE;
	int limit = c->all->a->timeout_s ? c->all->a->timeout_s : 300;
	if (all_now() - c->prompt_started > limit) {
		c->timed_out = true;
		return PROMPT_CANCEL;
	}
	return PROMPT_WAIT;
}

/* The person said yes once, for every camera, before the threads started (run_all);
 * a question reaching a camera's thread is one nobody can answer. */
static bool ev_confirm(void *ctx, const char *question, const char *typed_word)
{
	struct all_cam *c = ctx;
	(void)typed_word;
	slog_add(&c->log, "not asked (several cameras, nobody to answer): %s", question);
	return false;
}

static void ev_log(void *ctx, enum run_log level, const char *msg)
{
	struct all_cam *c = ctx;
	slog_run_log(&c->log, level, msg);
}

static bool ev_should_stop(void *ctx)
{
	(void)ctx;
	return all_interrupted != 0;
}

static void *cam_thread(void *arg)
{
	struct all_cam *c = arg;
	struct run_events ev = {
		.ctx = c, .step_begin = ev_step_begin, .step_end = ev_step_end, .progress = ev_progress,
		.prompt_show = ev_prompt_show, .prompt_poll = ev_prompt_poll, .confirm = ev_confirm,
		.log = ev_log, .should_stop = ev_should_stop, .choose = NULL,
	};
	int rc = runner_run(&c->plan, &c->opts, &ev, &c->res, &c->err);
	if (rc && c->timed_out)
		snprintf(c->err.msg, sizeof c->err.msg, "the device did not appear within the prompt's time "
		         "(--timeout SECONDS waits longer)");
	slog_run_end(&c->log, rc, c->err.msg, &c->res);
	pthread_mutex_lock(&c->all->lock);
	c->t1 = all_now();
	c->result = !rc ? CAM_OK : rc == RS_E_CANCELLED && all_interrupted ? CAM_STOPPED : CAM_FAILED;
	pthread_mutex_unlock(&c->all->lock);
	return NULL;
}

/* ---- finding the cameras ---------------------------------------------------------------- */

/* A device seen on the bus that belongs to the board, in one of its modes. */
struct seen_dev {
	char serial[64], bus_path[32];
	char found_as[80];
};

static bool wanted_serial(const struct cli_args *a, const char *serial)
{
	if (!a->nserials)
		return true;
	for (int i = 0; i < a->nserials; i++)
		if (!strcmp(a->serials[i], serial))
			return true;
	return false;
}

static struct all_cam *find_cam(struct all_run *all, const char *key)
{
	for (int i = 0; i < all->n; i++)
		if (!strcmp(all->cam[i]->key, key))
			return all->cam[i];
	return NULL;
}

/* A device on the port of a camera whose run is under way belongs to that run: it is not
 * opened here (a second open's string request could land in the middle of its transfers). */
static bool port_busy(struct all_run *all, const char *bus_path)
{
	bool busy = false;
	pthread_mutex_lock(&all->lock);
	for (int i = 0; i < all->n && !busy; i++)
		busy = all->cam[i]->started && all->cam[i]->result == CAM_RUNNING &&
		       !strcmp(all->cam[i]->bus_path, bus_path);
	pthread_mutex_unlock(&all->lock);
	return busy;
}

/* Is this device one of the board's, in any of its modes?  Its mode's words in found_as. */
static bool board_device(const struct all_run *all, uint16_t vid, uint16_t pid, char *found_as,
                         size_t n)
{
	struct board_match m[BOARD_MAX];
	int k = boarddb_match_usb(all->db, vid, pid, m, BOARD_MAX);
	for (int i = 0; i < k && i < BOARD_MAX; i++)
		if (m[i].board == all->plan->board) {
			snprintf(found_as, n, "%s %04X:%04X", usb_mode_label(m[i].mode), vid, pid);
			return true;
		}
	return false;
}

/* Every device of the board now on the bus, but those on the ports of runs under way. */
static int scan(struct all_run *all, libusb_context *ctx, struct seen_dev *out, int max)
{
	libusb_device **list;
	ssize_t n = usb_io_device_list(ctx, &list);
	int k = 0;
	for (ssize_t i = 0; i < n && k < max; i++) {
		struct libusb_device_descriptor d;
		struct seen_dev *s = &out[k];
		memset(s, 0, sizeof *s);
		if (usb_io_device_descriptor(list[i], &d) ||
		    !board_device(all, d.idVendor, d.idProduct, s->found_as, sizeof s->found_as))
			continue;
		usbdev_bus_path(list[i], s->bus_path, sizeof s->bus_path);
		if (port_busy(all, s->bus_path))
			continue;
		libusb_device_handle *h;
		if (d.iSerialNumber && !usb_io_open(list[i], &h)) {
			usb_io_string_ascii(h, d.iSerialNumber, (unsigned char *)s->serial,
			                    sizeof s->serial);
			usb_io_close(h);
		}
		k++;
	}
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	return k;
}

static struct all_cam *new_cam(struct all_run *all, const char *serial, const char *bus_path,
                               const char *found_as)
{
	if (all->n == ALL_MAX_CAMERAS)
		return NULL;
	struct all_cam *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	snprintf(c->serial, sizeof c->serial, "%s", serial);
	snprintf(c->bus_path, sizeof c->bus_path, "%s", bus_path);
	snprintf(c->found_as, sizeof c->found_as, "%s", found_as);
	if (serial[0])
		snprintf(c->key, sizeof c->key, "%s", serial);
	else
		snprintf(c->key, sizeof c->key, "port %s", bus_path);
	c->all = all;
	c->plan = *all->plan;
	c->pct = -1;
	c->result = CAM_RUNNING;
	const struct cli_args *a = all->a;
	/* the person's yes was given once for all of them (run_all) */
	c->opts = (struct run_options){.assume_yes = true, .allow_irreversible = a->allow_irreversible,
	                               .no_verify = a->no_verify, .device_timeout_ms = a->timeout_s * 1000,
	                               .serial = c->serial[0] ? c->serial : NULL,
	                               .bus_path = c->serial[0] ? NULL : c->bus_path,
	                               .use_cubeprogrammer = a->use_cubeprogrammer,
	                               .n6_nor_addressing = a->n6_nor_addressing};
	pthread_mutex_lock(&all->lock);
	all->cam[all->n++] = c;
	pthread_mutex_unlock(&all->lock);
	return c;
}

static void start_cam(struct all_cam *c)
{
	slog_add(&c->log, "camera %s on port %s, found as %s", c->key, c->bus_path, c->found_as);
	c->t0 = all_now();
	c->t1 = c->t0;
	if (pthread_create(&c->thread, NULL, cam_thread, c)) {
		snprintf(c->err.msg, sizeof c->err.msg, "could not start a thread for it");
		c->result = CAM_FAILED;
		return;
	}
	c->started = true;
}

/* Take every camera of the board not taken yet (and wanted by --serial); returns how many. */
static int take_new(struct all_run *all, libusb_context *ctx)
{
	struct seen_dev seen[ALL_MAX_CAMERAS];
	int n = scan(all, ctx, seen, ALL_MAX_CAMERAS), taken = 0;
	for (int i = 0; i < n; i++) {
		char key[72];
		if (seen[i].serial[0])
			snprintf(key, sizeof key, "%.63s", seen[i].serial);
		else
			snprintf(key, sizeof key, "port %.31s", seen[i].bus_path);
		if (find_cam(all, key) || !wanted_serial(all->a, seen[i].serial))
			continue;
		struct all_cam *c = new_cam(all, seen[i].serial, seen[i].bus_path, seen[i].found_as);
		if (c) {
			start_cam(c);
			taken++;
		}
	}
	return taken;
}

/* ---- the run of them all ---------------------------------------------------------------- */

/* Destructive steps: one yes for every camera, before any is touched (the single-camera
 * run asks the same question: runner.c confirm_step).  Returns 0 to go on, or an exit status. */
static int ask_once(const struct cli_args *a, const struct plan *p, int ncams)
{
	bool destructive = false, irreversible = false;
	for (int i = 0; i < p->nsteps; i++) {
		destructive |= (p->steps[i].flags & STEP_DESTRUCTIVE) != 0;
		irreversible |= (p->steps[i].flags & STEP_IRREVERSIBLE) != 0;
	}
	if (irreversible && !(a->yes && a->allow_irreversible)) {
		fprintf(stderr, "openmv-rescue: a step of this %s can never be undone; on several cameras it "
		        "runs only with --yes --allow-irreversible. Nothing was touched.\n", action_name(p->action));
		return 2;
	}
	if (!destructive || a->yes)
		return 0;
	char q[300];
	snprintf(q, sizeof q, "This %s on %s%d camera%s (%s) will overwrite data on %s. Go ahead?",
	         action_name(p->action), a->watch ? "every camera plugged in, starting with " : "", ncams,
	         ncams == 1 ? "" : "s", p->board->name, ncams == 1 && !a->watch ? "it" : "them");
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "%s\nopenmv-rescue: this needs your yes and there is no terminal to answer "
		        "on; nothing was written. Run the same command with --yes to go ahead.\n", q);
		return 2;
	}
	printf("%s [y/N] ", q);
	fflush(stdout);
	char line[64];
	if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y')) {
		fprintf(stderr, "openmv-rescue: stopped before writing anything\n");
		return 3;
	}
	return 0;
}

static bool all_done(struct all_run *all)
{
	bool done = true;
	pthread_mutex_lock(&all->lock);
	for (int i = 0; i < all->n && done; i++)
		done = all->cam[i]->result != CAM_RUNNING;
	pthread_mutex_unlock(&all->lock);
	return done;
}

/* Draw every 100 ms; with --watch look for new cameras every 250 ms, until Ctrl-C. */
static void follow(struct all_run *all, libusb_context *ctx)
{
	double next_scan = all_now() + 0.25;
	for (;;) {
		all_show_live(all);
		if (all->watching) {
			if (all_interrupted)
				all->watching = false;
			else if (all_now() >= next_scan) {
				take_new(all, ctx);
				next_scan = all_now() + 0.25;
			}
		}
		if (!all->watching && all_done(all))
			break;
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < all->n; i++)
		if (all->cam[i]->started)
			pthread_join(all->cam[i]->thread, NULL);
	all_show_live(all);
}

/* --serial names a camera that was not there: a row of its own. */
static void add_missing(struct all_run *all)
{
	for (int i = 0; i < all->a->nserials; i++)
		if (!find_cam(all, all->a->serials[i])) {
			struct all_cam *c = new_cam(all, all->a->serials[i], "", "-");
			if (c) {
				c->result = CAM_MISSING;
				snprintf(c->err.msg, sizeof c->err.msg, "no camera with this serial number is connected");
			}
		}
}

/* The table, the log's sections, the exit status: 0 only when every camera succeeded. */
static int finish(struct all_run *all)
{
	if (!all->a->watch)
		add_missing(all);
	all_show_table(all, stdout);
	int ok = 0, stopped = 0;
	for (int i = 0; i < all->n; i++) {
		struct all_cam *c = all->cam[i];
		ok += c->result == CAM_OK;
		stopped += c->result == CAM_STOPPED;
		if (cli_log()) {
			char title[160];
			snprintf(title, sizeof title, "camera %s: %s", c->key, all_result_word(c));
			slog_section(cli_log(), title, &c->log);
		}
		slog_free(&c->log);
	}
	printf("%d of %d camera%s done.\n", ok, all->n, all->n == 1 ? "" : "s");
	int status = ok == all->n && all->n ? 0 : ok + stopped == all->n && all->n ? 3 : 1;
	for (int i = 0; i < all->n; i++)
		free(all->cam[i]);
	return status;
}

int cli_all_run(const struct cli_args *a, const struct boarddb *db, const struct plan *p)
{
	static struct all_run all;
	memset(&all, 0, sizeof all);
	all.a = a;
	all.db = db;
	all.plan = p;
	all.tty = isatty(2);
	pthread_mutex_init(&all.lock, NULL);
	libusb_context *ctx;
	if (libusb_init(&ctx)) {
		fprintf(stderr, "openmv-rescue: libusb could not start, so no camera can be found\n");
		return 1;
	}
	/* count first, ask once, then start: take_new opens nothing that a run is using */
	struct seen_dev seen[ALL_MAX_CAMERAS];
	int n = scan(&all, ctx, seen, ALL_MAX_CAMERAS), wanted = 0;
	for (int i = 0; i < n; i++)
		wanted += wanted_serial(a, seen[i].serial);
	if (!wanted && !a->watch) {
		fprintf(stderr, "openmv-rescue: no %s%s is connected (in any of its modes); nothing was done. "
		        "Plug the cameras in, or add --watch to wait for them.\n", p->board->name,
		        a->nserials ? " with the serial numbers given" : "");
		libusb_exit(ctx);
		return 1;
	}
	int status = ask_once(a, p, wanted);
	if (status) {
		libusb_exit(ctx);
		return status;
	}
	struct sigaction sa = {.sa_handler = on_stop};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	all.watching = a->watch;
	if (cli_log())
		slog_add(cli_log(), "--all: %d camera%s of %s%s", wanted, wanted == 1 ? "" : "s",
		         p->board->name, a->watch ? ", and every one plugged in later (--watch)" : "");
	take_new(&all, ctx);
	follow(&all, ctx);
	libusb_exit(ctx);
	status = finish(&all);
	pthread_mutex_destroy(&all.lock);
	return status;
}
