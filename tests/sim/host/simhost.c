/* openmv-rescue-sim: virtual cameras on a virtual USB bus, for any flashing tool.
 *
 *   openmv-rescue-sim [options] -- COMMAND [ARG...]   run COMMAND against the cameras,
 *                                                     exit with its status
 *   openmv-rescue-sim [options] serve                 print the environment to use and
 *                                                     serve until stdin closes
 * SIGUSR1 replugs every camera into its after-leave mode (a person moving a jumper and
 * plugging the camera in again), at the moment a test chooses.
 * Usage and examples: tests/sim/README.md, or --help. */
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "camera.h"
#include "replay.h"
#include "serialside.h"
#include "simhost_table.h"

extern char **environ;

#define MAX_CAMERAS 8

struct cam_spec {
	const struct camera_type *type;
	enum camera_mode mode;
	struct camera_options opts;
	struct serialside_opts side;
	char label[48];
	char serial[40];
	struct camera *cam;
};

static volatile sig_atomic_t child_pid;

/* SIGUSR1 may arrive on any thread and a handler may not take the bus lock: it only writes
 * a byte to this pipe; a thread of its own reads it and replugs the cameras. */
static int replug_pipe[2] = {-1, -1};

static void want_replug(int sig)
{
	(void)sig;
	char c = 1;
	if (write(replug_pipe[1], &c, 1) < 0) {
		/* nothing to do in a handler: the pipe is closed at shutdown */
	}
}

struct replugger {
	struct cam_spec *cams;
	int n;
	GThread *thread;
};

static gpointer replug_thread(gpointer arg)
{
	struct replugger *r = arg;
	char c;
	ssize_t got;
	while ((got = read(replug_pipe[0], &c, 1)) != 0) {
		if (got < 0 && errno != EINTR)
			break;
		for (int i = 0; got > 0 && i < r->n; i++)
			if (r->cams[i].opts.after_leave != CAMERA_OFF)
				camera_replug(r->cams[i].cam);
	}
	return NULL;
}

static int replug_start(struct replugger *r)
{
	if (pipe2(replug_pipe, O_CLOEXEC) < 0)
		return -1;
	r->thread = g_thread_new("replug", replug_thread, r);
	return 0;
}

static void replug_stop(struct replugger *r)
{
	signal(SIGUSR1, SIG_IGN);
	close(replug_pipe[1]); /* the thread reads the end of the pipe and returns */
	g_thread_join(r->thread);
	close(replug_pipe[0]);
}

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/* The person's hands, for a test that checks a prompt before they move: SIGUSR1 moves a
 * jumper and replugs (cameras with an after-leave mode come back in it; the AE3's SE sees the
 * hard-maintenance switch and the user button: serialside.h), SIGUSR2 is a power cycle. */
static void person_signal(int sig)
{
	serialside_hands(sig == SIGUSR1 ? 1 : 2);
	if (sig == SIGUSR1)
		want_replug(sig);
}

static void usage(FILE *f)
{
	sim_usage(f); /* from the table of simhost_table.c, as the man page is */
}

static void list_types(void)
{
	for (int i = 0; i < camera_type_count; i++) {
		const struct camera_type *t = &camera_types[i];
		printf("%-27s %-27s boot %04X:%04X  firmware %04X:%04X  modes:%s%s%s firmware off\n", t->name,
		       t->display, t->boot_vid, t->boot_pid, t->rt_vid, t->rt_pid,
		       t->n_parts ? " bootloader power-up" : "", t->rom || t->n6_phase_rom ? " st-rom" : "",
		       t->arduino ? " arduino-dfu" : t->nxp ? " sdp flashloader sbl sbl-power-up" :
		       t->n6_phase_rom ? " openbootloader" : t->ext_boot == CAM_EXT_ALIF_SE ? " se" :
		       t->ext_boot == CAM_EXT_SAMBA ? " samba" : t->ext_boot == CAM_EXT_BOOTSEL ? " bootsel" : "");
	}
}

static enum camera_mode default_mode(const struct camera_type *t)
{
	return t->arduino ? CAMERA_ARDUINO_DFU : t->nxp ? CAMERA_SBL : t->ext_boot == CAM_EXT_SAMBA ? CAMERA_SAMBA
	       : t->ext_boot == CAM_EXT_BOOTSEL ? CAMERA_BOOTSEL : CAMERA_BOOTLOADER;
}

/* bl=MAJOR.MINOR.PATCH: the openmv_dfu bootloader's bcdDevice, major<<8 | minor<<4 | patch
 * (openmv/openmv boot/src/common/desc.c). */
static bool parse_bl_version(const char *text, uint16_t *bcd)
{
	int a, b, c;
	if (sscanf(text, "%d.%d.%d", &a, &b, &c) != 3 || a < 0 || a > 255 || b < 0 || b > 15 || c < 0 || c > 15)
		return false;
	*bcd = (uint16_t)(a << 8 | b << 4 | c);
	return true;
}

static int parse_camera(const char *arg, struct cam_spec *s, int index, struct cam_spec *all)
{
	char buf[256], *opt, *save = NULL;

	snprintf(buf, sizeof buf, "%s", arg);
	char *first = strtok_r(buf, ",", &save);
	char *colon = first ? strchr(first, ':') : NULL;
	if (colon)
		*colon = '\0';
	if (!first || !(s->type = camera_type_find(first))) {
		fprintf(stderr, "openmv-rescue-sim: unknown camera type \"%s\" (see --list)\n", first ? first : "");
		return -1;
	}
	s->mode = default_mode(s->type);
	if (colon && !serialside_mode(&s->side, colon + 1, &s->mode)) {
		int m = camera_mode_from_name(colon + 1);
		if (m <= CAMERA_OFF) {
			fprintf(stderr, "openmv-rescue-sim: unknown mode \"%s\"\n", colon + 1);
			return -1;
		}
		s->mode = (enum camera_mode)m;
	}
	while ((opt = strtok_r(NULL, ",", &save))) {
		char why[200];
		int side = serialside_option(&s->side, opt, why, sizeof why);
		if (side < 0) {
			fprintf(stderr, "openmv-rescue-sim: %s\n", why);
			return -1;
		} else if (side > 0) {
			continue;
		} else if (strncmp(opt, "fw=", 3) == 0 && camera_fw_parse(opt + 3, &s->opts.fw)) {
			continue;
		} else if (strncmp(opt, "bl=", 3) == 0 && parse_bl_version(opt + 3, &s->opts.bl_version)) {
			continue;
		} else if (strcmp(opt, "sketch") == 0) {
			s->opts.sketch = true;
		} else if (strcmp(opt, "impostor") == 0) {
			s->opts.impostor = true;
		} else if (strcmp(opt, "no-access") == 0) {
			s->opts.no_access = true;
		} else if (strncmp(opt, "after-leave=", 12) == 0 && camera_mode_from_name(opt + 12) >= 0) {
			s->opts.after_leave = (enum camera_mode)camera_mode_from_name(opt + 12);
		} else if (strncmp(opt, "max-packet=", 11) == 0 && atoi(opt + 11) > 0) {
			s->opts.max_packet = (unsigned)atoi(opt + 11);
		} else if (strcmp(opt, "nor-addressing=layout") == 0 || strcmp(opt, "nor-addressing=set-phase") == 0) {
			s->opts.n6_nor_addressing = opt[15] == 's' ? CAMERA_N6_NOR_SET_PHASE : CAMERA_N6_NOR_LAYOUT;
		} else if (strncmp(opt, "serial=", 7) == 0) {
			snprintf(s->serial, sizeof s->serial, "%s", opt + 7);
			s->opts.serial = s->serial;
		} else {
			fprintf(stderr, "openmv-rescue-sim: unknown camera option \"%s\"\n", opt);
			return -1;
		}
	}
	int same = 0;
	for (int i = 0; i < index; i++)
		same += all[i].type == s->type;
	if (same)
		snprintf(s->label, sizeof s->label, "%s-%d", s->type->name, same + 1);
	else
		snprintf(s->label, sizeof s->label, "%s", s->type->name);
	return 0;
}

/* "[CAMERA:]REST" -> the camera, and REST. */
static struct cam_spec *pick_camera(struct cam_spec *cams, int n, const char *arg, const char **rest)
{
	const char *colon = strchr(arg, ':');

	*rest = arg;
	if (colon)
		for (int i = 0; i < n; i++)
			if (strlen(cams[i].label) == (size_t)(colon - arg) &&
			    strncasecmp(arg, cams[i].label, (size_t)(colon - arg)) == 0) {
				*rest = colon + 1;
				return &cams[i];
			}
	if (colon && n > 0) {
		fprintf(stderr, "openmv-rescue-sim: no camera \"%.*s\"\n", (int)(colon - arg), arg);
		return NULL;
	}
	if (n == 0)
		fprintf(stderr, "openmv-rescue-sim: give --camera first\n");
	return n ? &cams[n - 1] : NULL;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

/* Options applied after the cameras exist (they name a camera). */
struct deferred {
	bool is_fault;
	const char *arg;
	int n_cams; /* cameras given before it: an unlabelled option is for the last of them */
};

static int run_command(char **argv)
{
	/* Children need the preload; this process has it linked in. */
	const char *old = getenv("LD_PRELOAD");
	char *preload = g_strdup_printf("%s%slibumockdev-preload.so.0", old ? old : "", old && *old ? ":" : "");
	setenv("LD_PRELOAD", preload, 1);
	g_free(preload);

	/* The command gets default signal handling back (SIGUSR1/2 are ignored here). */
	posix_spawnattr_t attr;
	sigset_t dfl;
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGUSR1);
	sigaddset(&dfl, SIGUSR2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc != 0) {
		fprintf(stderr, "openmv-rescue-sim: cannot run %s: %s\n", argv[0], strerror(rc));
		return 127;
	}
	child_pid = pid;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	child_pid = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* The exit status of a replay: the command's, but never 0 when a request diverged. */
static int replay_result(const struct replay *r, int rc)
{
	if (!replay_diverged(r)) {
		fprintf(stderr, "openmv-rescue-sim: replay: %u exchanges answered as recorded", replay_answered(r));
		if (replay_left(r))
			fprintf(stderr, ", %u recorded exchanges never asked for", replay_left(r));
		fputc('\n', stderr);
	}
	return replay_diverged(r) && rc == 0 ? 1 : rc;
}

static void serve(const struct usbsim *sim)
{
	char buf[256];

	printf("UMOCKDEV_DIR=%s\nLD_PRELOAD=libumockdev-preload.so.0\n", usbsim_root(sim));
	fflush(stdout);
	while (fread(buf, 1, sizeof buf, stdin) > 0)
		;
}

/* --device-time: what the cameras' memories and the bus took in the timing model, the least
 * time any tool can take for the same work (tests/bench/bench_dfu.sh reads this line). */
static void print_device_time(const struct usbsim *sim, const struct cam_spec *cams, int n)
{
	unsigned long long erase_ms = 0, program_us = 0;
	for (int i = 0; i < n; i++) {
		unsigned long long e, p;
		camera_device_time(cams[i].cam, &e, &p);
		erase_ms += e;
		program_us += p;
	}
	double bus_ms = (double)usbsim_bus_ns(sim) / 1e6;
	fprintf(stderr, "openmv-rescue-sim: device time: erase %llu ms, program %.1f ms, control-transfer "
		"bus time %.1f ms (USB full speed), total %.1f ms\n", erase_ms, (double)program_us / 1000,
		bus_ms, (double)erase_ms + (double)program_us / 1000 + bus_ms);
}

int main(int argc, char **argv)
{
	struct cam_spec cams[MAX_CAMERAS];
	struct deferred later[64];
	int n_cams = 0, n_later = 0, i;
	bool realistic = false, trace = false, serve_mode = false, device_time = false;
	const char *dump_dir = NULL, *replay_file = NULL;
	char **command = NULL;
	char err[512];

	memset(cams, 0, sizeof cams);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(a, "--") == 0) {
			command = argv + i + 1;
			break;
		} else if (strcmp(a, "serve") == 0) {
			serve_mode = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--print-man") == 0) { /* the build writes the man page */
			sim_man(stdout);
			return 0;
		} else if (strcmp(a, "--list") == 0) {
			list_types();
			return 0;
		} else if (strcmp(a, "--trace") == 0) {
			trace = true;
		} else if (strcmp(a, "--device-time") == 0) {
			device_time = true;
		} else if (strcmp(a, "--camera") == 0 && has_value) {
			if (n_cams == MAX_CAMERAS || parse_camera(argv[++i], &cams[n_cams], n_cams, cams) < 0)
				return 2;
			n_cams++;
		} else if ((strcmp(a, "--load") == 0 || strcmp(a, "--fault") == 0) && has_value &&
			   n_later < 64) {
			later[n_later++] = (struct deferred){a[2] == 'f', argv[++i], n_cams};
		} else if (strcmp(a, "--timing") == 0 && has_value) {
			const char *t = argv[++i];
			if (strcmp(t, "fast") != 0 && strcmp(t, "realistic") != 0) {
				fprintf(stderr, "openmv-rescue-sim: --timing fast|realistic\n");
				return 2;
			}
			realistic = strcmp(t, "realistic") == 0;
		} else if (strcmp(a, "--dump") == 0 && has_value) {
			dump_dir = argv[++i];
		} else if (strcmp(a, "--replay") == 0 && has_value) {
			replay_file = argv[++i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if ((n_cams == 0 && !replay_file) || (!command && !serve_mode) || (command && !command[0])) {
		usage(stderr);
		return 2;
	}
	struct replay *replay = NULL;
	if (replay_file && !(replay = replay_load(replay_file, err, sizeof err))) {
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
		return 2;
	}

	struct usbsim *sim = usbsim_new(err, sizeof err);
	if (!sim) {
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
		return 1;
	}
	usbsim_set_trace(sim, trace || getenv("USBSIM_TRACE"));
	usbsim_set_bus_time(sim, realistic);
	int rc = 0;
	struct serialside *side = serialside_new(sim, err, sizeof err);
	if (!side) {
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
		rc = 1;
	}
	for (i = 0; i < n_cams; i++) {
		cams[i].opts.realistic_timing = realistic;
		cams[i].cam = camera_new(sim, cams[i].type, i + 1, cams[i].label, &cams[i].opts);
		if (rc == 0 && serialside_attach(side, cams[i].cam, &cams[i].side, err, sizeof err) < 0) {
			fprintf(stderr, "openmv-rescue-sim: %s\n", err);
			rc = 2;
		}
	}
	for (i = 0; i < n_later && rc == 0; i++) {
		const char *rest;
		struct cam_spec *s = strchr(later[i].arg, ':') && later[i].n_cams
		                         ? pick_camera(cams, n_cams, later[i].arg, &rest)
		                         : pick_camera(cams, later[i].n_cams, later[i].arg, &rest);
		if (!s) {
			rc = 2;
		} else if (later[i].is_fault) {
			if (camera_add_fault(s->cam, rest, err, sizeof err) < 0)
				rc = 2;
		} else {
			const char *eq = strchr(rest, '=');
			size_t len = 0;
			uint8_t *data = eq ? read_file(eq + 1, &len) : NULL;
			char where[64];
			if (!eq || !data) {
				snprintf(err, sizeof err, "--load %s: %s", later[i].arg,
					 eq ? strerror(errno) : "expected WHERE=FILE");
				rc = 2;
			} else {
				snprintf(where, sizeof where, "%.*s", (int)(eq - rest), rest);
				if (camera_load(s->cam, where, data, len, err, sizeof err) < 0)
					rc = 2;
			}
			free(data);
		}
		if (rc)
			fprintf(stderr, "openmv-rescue-sim: %s\n", err);
	}
	for (i = 0; i < n_cams && rc == 0; i++)
		if (camera_plug(cams[i].cam, cams[i].mode, err, sizeof err) < 0) {
			fprintf(stderr, "openmv-rescue-sim: %s\n", err);
			rc = 2;
		}
	if (rc == 0 && serialside_plug(side, err, sizeof err) < 0) {
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
		rc = 1;
	}
	if (rc == 0 && replay && replay_start(replay, sim, err, sizeof err) < 0) {
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
		rc = 2;
	}

	if (rc == 0) {
		struct sigaction sa = {.sa_handler = forward_signal};
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		/* SIGUSR1 and SIGUSR2 are the person's hands (person_signal); nothing else may end a
		 * run on them and leave its testbed behind. */
		struct replugger replugger = {cams, n_cams, NULL};
		bool replugging = replug_start(&replugger) == 0;
		struct sigaction hands = {.sa_handler = person_signal, .sa_flags = SA_RESTART};
		sigaction(SIGUSR1, &hands, NULL);
		sigaction(SIGUSR2, &hands, NULL);
		if (serve_mode)
			serve(sim);
		else
			rc = run_command(command);
		if (replugging)
			replug_stop(&replugger);
	}
	if (replay) {
		replay_stop(replay);
		rc = replay_result(replay, rc);
	}
	/* Off the bus first: the models outside the USB layer hand their memories back then. */
	serialside_stop(side);
	for (i = 0; i < n_cams; i++)
		camera_switch(cams[i].cam, CAMERA_OFF, 0);
	usbsim_sync(sim);
	serialside_unplug(side);
	if (dump_dir)
		for (i = 0; i < n_cams; i++)
			if (camera_dump(cams[i].cam, dump_dir, err, sizeof err) < 0) {
				fprintf(stderr, "openmv-rescue-sim: %s\n", err);
				if (rc == 0)
					rc = 1;
			}
	if (device_time)
		print_device_time(sim, cams, n_cams);
	usbsim_free(sim);
	for (i = 0; i < n_cams; i++)
		camera_free(cams[i].cam);
	serialside_free(side);
	replay_free(replay);
	return rc;
}
