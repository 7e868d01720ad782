/* serialside.c — the layer's life: options, the camera hooks, and the worker thread that acts
 * on the cameras for the models and for the person's hands (see serialside.h). */
#include "serialside_priv.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "camera_priv.h"
#include "model_openmv.h"
#include "samba_tty.h"

#define TICK_MS 10

static volatile sig_atomic_t hands_requested[3];

uint64_t side_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- options ------------------------------------------------------------------------------ */

static int parse_reset(struct serialside_opts *o, const char *v, char *err, size_t n)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", v);
	o->reset = 0;
	o->ignore_reset = false;
	for (char *save = NULL, *w = strtok_r(buf, "+", &save); w; w = strtok_r(NULL, "+", &save)) {
		if (!strcmp(w, "v1"))
			o->reset |= OMV_RESET_V1;
		else if (!strcmp(w, "v2"))
			o->reset |= OMV_RESET_V2;
		else if (!strcmp(w, "touch"))
			o->reset |= OMV_RESET_TOUCH;
		else if (!strcmp(w, "all"))
			o->reset |= OMV_RESET_ALL;
		else if (!strcmp(w, "none"))
			o->ignore_reset = true;
		else
			return snprintf(err, n, "reset=%s: expected v1, v2, touch (joined with +), all or none", v), -1;
	}
	return 1;
}

int serialside_option(struct serialside_opts *o, const char *opt, char *err, size_t n)
{
	if (!strncmp(opt, "reset=", 6))
		return parse_reset(o, opt + 6, err, n);
	if (!strcmp(opt, "se=serom") || !strcmp(opt, "se=seram")) {
		o->se_serom = !strcmp(opt, "se=serom");
		return 1;
	}
	if (!strcmp(opt, "se-silent")) {
		o->se_silent = true;
		return 1;
	}
	if (!strncmp(opt, "se-version=", 11)) {
		int *v = o->se_version;
		if (sscanf(opt + 11, "%d.%d.%d", &v[0], &v[1], &v[2]) != 3 || v[0] < 0 || v[1] < 0 || v[2] < 0)
			return snprintf(err, n, "%s: expected se-version=MAJOR.MINOR.PATCH", opt), -1;
		return 1;
	}
	if (!strcmp(opt, "layout=stock") || !strcmp(opt, "layout=updated")) {
		o->nano_stock_layout = opt[7] == 's';
		return 1;
	}
	if (!strncmp(opt, "se-keys=", 8)) { /* the part's HBK0: see enum alif_se_keys */
		static const char *const keys[] = {"prod", "dev", "blank"};
		for (int k = 0; k < 3; k++)
			if (!strcmp(opt + 8, keys[k]))
				return o->se_keys = k, 1;
		return snprintf(err, n, "%s: expected se-keys=prod, dev or blank", opt), -1;
	}
	if (!strncmp(opt, "nano-fault=", 11)) {
		static const char *const kinds[] = {"", "vanish@", "wrong-reply@", "bad-ack@", "timeout@", "garbage@",
		                                    "replaced@", "vanish-byte@", "stall@", "error-status@"};
		for (int k = 1; k < (int)(sizeof kinds / sizeof kinds[0]); k++) {
			size_t len = strlen(kinds[k]);
			if (!strncmp(opt + 11, kinds[k], len) && sscanf(opt + 11 + len, "%u", &o->nano_fault_at) == 1 &&
			    o->nano_fault_at > 0) {
				o->nano_fault = k;
				return 1;
			}
		}
		return snprintf(err, n, "%s: expected nano-fault=vanish@N, wrong-reply@N, bad-ack@N, timeout@N, garbage@N, "
		                "replaced@N, vanish-byte@N, stall@N or error-status@N", opt), -1;
	}
	if (!strncmp(opt, "se-fault=", 9)) {
		static const char *const kinds[] = {"", "vanish@", "silent@", "nak@", "garbage@", "tty-gone@", "replaced@", "flip@"};
		for (int k = 1; k < (int)(sizeof kinds / sizeof kinds[0]); k++) {
			size_t len = strlen(kinds[k]);
			if (!strncmp(opt + 9, kinds[k], len) && sscanf(opt + 9 + len, "%u", &o->se_fault_at) == 1 &&
			    o->se_fault_at > 0)
				return o->se_fault = k, 1;
		}
		return snprintf(err, n, "%s: expected se-fault=vanish@N, silent@N, nak@N, garbage@N, tty-gone@N, "
		                "replaced@N or flip@N", opt), -1;
	}
	if (!strcmp(opt, "hands=signal") || !strcmp(opt, "hands=auto")) {
		o->hands_signal = opt[6] == 's';
		return 1;
	}
	return 0;
}

bool serialside_mode(struct serialside_opts *o, const char *name, enum camera_mode *mode)
{
	if (!strcmp(name, "se"))
		o->se = true;
	else if (strcmp(name, "off") != 0)
		return false;
	*mode = CAMERA_OFF;
	return true;
}

/* ---- the camera hooks (sim thread, lock held) ----------------------------------------------- */

static struct usbsim_dev *hook_enter(struct camera *cam, enum camera_mode mode, struct usbsim_dev *dev, void *ctx)
{
	struct side_cam *c = ctx;
	(void)cam;
	switch (mode) {
	case CAMERA_FIRMWARE:
		side_fw_enter(c, dev);
		return dev;
	case CAMERA_SAMBA:
		return side_samba_enter(c);
	case CAMERA_BOOTSEL:
		return side_bootsel_enter(c);
	default:
		return dev;
	}
}

static void hook_leave(struct camera *cam, enum camera_mode mode, struct usbsim_dev *dev, void *ctx)
{
	struct side_cam *c = ctx;
	(void)cam;
	(void)dev;
	if (mode == CAMERA_FIRMWARE)
		side_fw_leave(c);
	else if (mode == CAMERA_SAMBA)
		side_samba_leave(c);
	else if (mode == CAMERA_BOOTSEL)
		side_bootsel_leave(c);
}

/* ---- the worker --------------------------------------------------------------------------- */

void side_post(struct side_cam *c, enum side_job_kind kind, struct usbsim_dev *identity, unsigned delay_ms)
{
	struct serialside *s = c->side;
	pthread_mutex_lock(&s->lock);
	if (!s->stopping && s->njobs < SIDE_MAX_JOBS) {
		s->jobs[s->njobs++] = (struct side_job){kind, c, identity, side_now_us() + delay_ms * 1000u};
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
}

/* The person's way into the bootloader, by what the board has. */
static void hands_bootloader(struct side_cam *c)
{
	const struct camera_type *t = camera_type_of(c->cam);
	if (c->se)
		side_se_button(c);
	else if (t->ext_boot == CAM_EXT_SAMBA) /* double-tap RESET (seed 002 §10.7.8) */
		camera_switch(c->cam, CAMERA_SAMBA, camera_boot_delay(c->cam));
	else if (t->ext_boot == CAM_EXT_BOOTSEL) /* BOOTSEL held while plugging (seed 002 §10.7.8) */
		camera_switch(c->cam, CAMERA_BOOTSEL, camera_boot_delay(c->cam));
	else
		camera_reboot(c->cam);
}

static void run_job(const struct side_job *j)
{
	struct side_cam *c = j->c;
	struct usbsim *sim = c->side->sim;
	usbsim_lock(sim);
	bool current = camera_usb(c->cam) == j->identity;
	switch (j->kind) {
	case JOB_REBOOT_TO_BOOTLOADER:
		if (current && camera_mode(c->cam) == CAMERA_FIRMWARE)
			camera_reboot_to_bootloader(c->cam);
		break;
	case JOB_RESET:
		if (current && camera_mode(c->cam) == CAMERA_FIRMWARE)
			camera_reboot(c->cam);
		break;
	case JOB_BOOTLOADER_LEFT:
		if (current)
			camera_bootloader_left(c->cam);
		break;
	case JOB_REPLACED:
		if (current) {
			enum camera_mode m = camera_mode(c->cam);
			camera_switch(c->cam, CAMERA_OFF, 0);
			camera_replace_soon(c->cam, m);
		}
		break;
	case JOB_HANDS_BOOTLOADER:
		hands_bootloader(c);
		break;
	case JOB_SE_BUTTON:
		usbsim_unlock(sim); /* the SE model has its own lock; the camera is not touched */
		side_se_button(c);
		return;
	case JOB_SE_VANISH:
		usbsim_unlock(sim);
		side_se_vanish(c);
		return;
	case JOB_POWER_CYCLE:
	case JOB_SE_POWER_CYCLE:
		if (c->se) {
			usbsim_unlock(sim);
			side_se_power_cycle(c, j->kind == JOB_POWER_CYCLE);
			return;
		}
		camera_reboot(c->cam);
		break;
	}
	usbsim_unlock(sim);
}

static void take_signals(struct serialside *s)
{
	for (int which = 1; which <= 2; which++) {
		if (!hands_requested[which])
			continue;
		hands_requested[which] = 0;
		for (int i = 0; i < s->n; i++) {
			/* a camera given an after-leave mode is replugged into it instead (simhost) */
			if (which == 1 && camera_after_leave(s->cams[i]->cam) != CAMERA_OFF)
				continue;
			side_post(s->cams[i], which == 1 ? JOB_HANDS_BOOTLOADER : JOB_POWER_CYCLE, NULL, 0);
		}
	}
}

static void *worker(void *arg)
{
	struct serialside *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		uint64_t now = side_now_us();
		int due = -1;
		for (int i = 0; i < s->njobs && due < 0; i++)
			if (s->jobs[i].due_us <= now)
				due = i;
		if (due >= 0) {
			struct side_job j = s->jobs[due];
			memmove(&s->jobs[due], &s->jobs[due + 1], (size_t)(s->njobs - due - 1) * sizeof j);
			s->njobs--;
			pthread_mutex_unlock(&s->lock);
			run_job(&j);
			pthread_mutex_lock(&s->lock);
			continue;
		}
		pthread_mutex_unlock(&s->lock);
		take_signals(s);
		for (int i = 0; i < s->n; i++)
			if (s->cams[i]->se)
				side_se_tick(s->cams[i]);
		pthread_mutex_lock(&s->lock);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!s->stopping)
			pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* ---- life --------------------------------------------------------------------------------- */

void serialside_hands(int which)
{
	if (which == 1 || which == 2)
		hands_requested[which] = 1;
}

struct serialside *serialside_new(struct usbsim *sim, char *err, size_t err_len)
{
	struct serialside *s = calloc(1, sizeof *s);
	if (!s)
		return snprintf(err, err_len, "out of memory"), NULL;
	s->sim = sim;
	s->tb = nano_testbed(sim); /* one testbed per process: the tty layer adds to the USB layer's */
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	return s;
}

int serialside_attach(struct serialside *s, struct camera *cam, const struct serialside_opts *o,
                      char *err, size_t err_len)
{
	const struct camera_type *t = camera_type_of(cam);
	if (o->se && t->ext_boot != CAM_EXT_ALIF_SE)
		return snprintf(err, err_len, "%s has no Secure Enclave serial ISP (mode se is the AE3's)", t->name), -1;
	/* the bridge takes port 16 - N of the root hub's 15 (side_se_plug) */
	if (o->se && camera_port(cam) > 7)
		return snprintf(err, err_len, "%s: give the se camera among the first seven", camera_label(cam)), -1;
	if (s->n == SIDE_MAX_CAMS)
		return snprintf(err, err_len, "too many cameras"), -1;
	struct side_cam *c = calloc(1, sizeof *c);
	if (!c)
		return snprintf(err, err_len, "out of memory"), -1;
	c->side = s;
	c->cam = cam;
	c->o = *o;
	s->cams[s->n++] = c;
	if (t->ext_boot == CAM_EXT_SAMBA)
		side_nano_attach(c);
	if (o->se)
		side_se_attach(c);
	struct camera_serial_hooks h = {hook_enter, hook_leave, c};
	camera_set_serial_hooks(cam, &h);
	return 0;
}

int serialside_plug(struct serialside *s, char *err, size_t err_len)
{
	for (int i = 0; i < s->n; i++)
		if (s->cams[i]->o.se && side_se_plug(s->cams[i], err, err_len) < 0)
			return -1;
	/* the worker starts once the cameras are complete: it reads them without a lock */
	s->worker_started = pthread_create(&s->worker, NULL, worker, s) == 0;
	if (!s->worker_started)
		return snprintf(err, err_len, "cannot start the serial side's thread"), -1;
	return 0;
}

void serialside_stop(struct serialside *s)
{
	if (!s || !s->worker_started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	s->njobs = 0;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->worker, NULL);
	s->worker_started = false;
}

void serialside_unplug(struct serialside *s)
{
	for (int i = 0; s && i < s->n; i++)
		side_se_unplug(s->cams[i]);
}

void serialside_free(struct serialside *s)
{
	if (!s)
		return;
	serialside_stop(s);
	for (int i = 0; i < s->n; i++)
		free(s->cams[i]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}
