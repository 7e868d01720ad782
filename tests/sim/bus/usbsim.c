/* usbsim: the virtual bus — testbed, sim thread, plugging and unplugging.
 * The usbfs ioctls themselves are in usbsim_ioctl.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "usbsim_priv.h"

/* ---- the sim thread: runs plug/unplug and timers, in order ------------------------ */

static gpointer sim_thread_main(gpointer arg)
{
	struct usbsim *sim = arg;

	g_main_context_push_thread_default(sim->ctx);
	g_main_loop_run(sim->loop);
	g_main_context_pop_thread_default(sim->ctx);
	return NULL;
}

static bool on_sim_thread(const struct usbsim *sim)
{
	return g_main_context_is_owner(sim->ctx);
}

struct job {
	struct usbsim *sim;
	unsigned id;
	void (*fn)(void *);
	void *arg;
};

static gboolean job_run(gpointer data)
{
	struct job *j = data;
	struct usbsim *sim = j->sim;

	g_rec_mutex_lock(&sim->lock);
	/* A job cancelled after its source was dispatched is no longer in the table. */
	bool live = g_hash_table_remove(sim->jobs, GUINT_TO_POINTER(j->id));
	if (live)
		j->fn(j->arg);
	g_rec_mutex_unlock(&sim->lock);
	return G_SOURCE_REMOVE;
}

static unsigned attach_job(struct usbsim *sim, GMainContext *ctx, GSource *src, void (*fn)(void *), void *arg)
{
	struct job *j = g_new0(struct job, 1);

	/* One priority for everything on the sim thread: ready sources then run in the
	 * order they were queued (an unplug before the plug that follows it). */
	g_source_set_priority(src, G_PRIORITY_DEFAULT);

	g_rec_mutex_lock(&sim->lock);
	j->sim = sim;
	j->id = ++sim->next_job;
	j->fn = fn;
	j->arg = arg;
	g_source_set_callback(src, job_run, j, g_free);
	g_source_attach(src, ctx);
	g_hash_table_insert(sim->jobs, GUINT_TO_POINTER(j->id), src); /* the table owns our reference */
	g_rec_mutex_unlock(&sim->lock);
	return j->id;
}

unsigned usbsim_schedule(struct usbsim *sim, unsigned delay_ms, void (*fn)(void *), void *arg)
{
	return attach_job(sim, sim->ctx, delay_ms ? g_timeout_source_new(delay_ms) : g_idle_source_new(), fn, arg);
}

unsigned long long usbsim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* A source that is ready when its timerfd expires.  GLib's own timeouts wake the loop by
 * poll()'s timeout, which it rounds up to whole milliseconds (gmain.c, "always round up"):
 * a reply due in 3.29 ms would wait 4.  A timerfd is polled like any fd and becomes
 * readable at its nanosecond expiry. */
struct timer_source {
	GSource base;
	int fd;
	unsigned long long due_ns;
};

/* How much earlier than the reply is due the timerfd wakes the thread, which then waits
 * the rest on the clock: waking a sleeping thread takes of the order of 100 us on a loaded
 * or virtual machine (measured: 120 us on average, two cores), and a reply that late on
 * every transfer adds up to seconds over a 4 MiB download. */
#define TIMER_EARLY_NS 200000ull

static gboolean timer_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
	unsigned long long due = ((struct timer_source *)src)->due_ns;

	while (usbsim_now_ns() < due)
		;
	return cb(data);
}

static void timer_finalize(GSource *src)
{
	close(((struct timer_source *)src)->fd);
}

static GSourceFuncs timer_funcs = {NULL, NULL, timer_dispatch, timer_finalize, NULL, NULL};

static unsigned schedule_at(struct usbsim *sim, GMainContext *ctx, unsigned long long when_ns,
			    void (*fn)(void *), void *arg)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	unsigned long long wake = when_ns > TIMER_EARLY_NS ? when_ns - TIMER_EARLY_NS : 0;
	struct itimerspec at = {.it_value = {(time_t)(wake / 1000000000ull), (long)(wake % 1000000000ull)}};

	if (at.it_value.tv_sec == 0 && at.it_value.tv_nsec == 0)
		at.it_value.tv_nsec = 1; /* 0 would disarm it: the past is "now" */
	if (fd < 0 || timerfd_settime(fd, TFD_TIMER_ABSTIME, &at, NULL) < 0) {
		if (fd >= 0)
			close(fd);
		unsigned long long now = usbsim_now_ns();
		unsigned ms = when_ns > now ? (unsigned)((when_ns - now + 999999) / 1000000) : 0;
		return usbsim_schedule(sim, ms, fn, arg);
	}
	GSource *src = g_source_new(&timer_funcs, sizeof(struct timer_source));
	((struct timer_source *)src)->fd = fd;
	((struct timer_source *)src)->due_ns = when_ns;
	g_source_add_unix_fd(src, fd, G_IO_IN);
	return attach_job(sim, ctx, src, fn, arg);
}

unsigned usbsim_schedule_at(struct usbsim *sim, unsigned long long when_ns, void (*fn)(void *), void *arg)
{
	return schedule_at(sim, sim->ctx, when_ns, fn, arg);
}

unsigned usbsim_schedule_reply(struct usbsim *sim, unsigned long long when_ns, void (*fn)(void *), void *arg)
{
	return schedule_at(sim, sim->ioctl_ctx ? sim->ioctl_ctx : sim->ctx, when_ns, fn, arg);
}

void usbsim_cancel(struct usbsim *sim, unsigned id)
{
	g_rec_mutex_lock(&sim->lock);
	GSource *src = g_hash_table_lookup(sim->jobs, GUINT_TO_POINTER(id));
	if (src) {
		g_source_destroy(src);
		g_hash_table_remove(sim->jobs, GUINT_TO_POINTER(id));
	}
	g_rec_mutex_unlock(&sim->lock);
}

struct sync_wait {
	GMutex m;
	GCond c;
	bool done;
	void (*fn)(void *);
	void *arg;
};

static gboolean sync_run(gpointer data)
{
	struct sync_wait *w = data;

	if (w->fn)
		w->fn(w->arg);
	g_mutex_lock(&w->m);
	w->done = true;
	g_cond_signal(&w->c);
	g_mutex_unlock(&w->m);
	return G_SOURCE_REMOVE;
}

/* Run fn on the sim thread (inline when already there) and wait for it. */
static void run_on_sim_thread(struct usbsim *sim, void (*fn)(void *), void *arg)
{
	if (on_sim_thread(sim)) {
		if (fn)
			fn(arg);
		return;
	}
	struct sync_wait w = {.fn = fn, .arg = arg};
	g_mutex_init(&w.m);
	g_cond_init(&w.c);
	GSource *src = g_idle_source_new();
	g_source_set_priority(src, G_PRIORITY_DEFAULT);
	g_source_set_callback(src, sync_run, &w, NULL);
	g_source_attach(src, sim->ctx);
	g_source_unref(src);
	g_mutex_lock(&w.m);
	while (!w.done)
		g_cond_wait(&w.c, &w.m);
	g_mutex_unlock(&w.m);
	g_mutex_clear(&w.m);
	g_cond_clear(&w.c);
}

void usbsim_sync(struct usbsim *sim)
{
	/* Idle sources of the same priority run in order: everything queued before has run. */
	run_on_sim_thread(sim, NULL, NULL);
}

/* ---- the bus ---------------------------------------------------------------------- */

struct usbsim *usbsim_new(char *why, size_t why_len)
{
	struct usbsim *sim = g_new0(struct usbsim, 1);

	/* Before any thread exists (threads inherit it): a timer slack of 1 ns instead of the
	 * default 50 us, so that the sim thread wakes for a reply when it is due, not up to
	 * 50 us later on every transfer (prctl(2), PR_SET_TIMERSLACK). */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	usbsim_uevent_guard_init();
	sim->tb = umockdev_testbed_new();
	/* Ask only after the testbed exists: the answer is cached (harness reference A.6.1). */
	if (!umockdev_in_mock_environment()) {
		snprintf(why, why_len, "umockdev preload not active (link libumockdev-preload)");
		g_object_unref(sim->tb);
		g_free(sim);
		return NULL;
	}
	sim->root = umockdev_testbed_get_root_dir(sim->tb);
	g_rec_mutex_init(&sim->lock);
	sim->ctx = g_main_context_new();
	sim->loop = g_main_loop_new(sim->ctx, FALSE);
	sim->jobs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)g_source_unref);
	sim->next_devnum = 2; /* 1 is the root hub on a real bus */
	const char *t = getenv("USBSIM_TRACE");
	sim->trace = t && *t && strcmp(t, "0") != 0;
	sim->thread = g_thread_new("usbsim", sim_thread_main, sim);
	return sim;
}

static gboolean quit_loop(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_REMOVE;
}

static void dev_free(struct usbsim_dev *dev)
{
	usbsim_client_free_all(dev);
	while (dev->inq) {
		struct usbsim_inq *q = dev->inq;
		dev->inq = q->next;
		g_free(q);
	}
	for (int i = 0; i < USBSIM_MAX_STRINGS; i++)
		g_free((char *)dev->id.strings[i]);
	for (int i = 0; i < USBSIM_MAX_INTERFACES; i++)
		g_free((char *)dev->id.kernel_driver[i]);
	g_free(dev->config);
	g_free((uint8_t *)dev->id.hid_report_desc);
	if (dev->handler)
		g_object_unref(dev->handler);
	g_free(dev);
}

void usbsim_free(struct usbsim *sim)
{
	if (!sim)
		return;
	/* Unplug what is left so that the testbed holds no handler of ours. */
	for (struct usbsim_dev *d = sim->devs; d; d = d->next)
		if (d->present)
			usbsim_unplug(d);
	usbsim_sync(sim);

	g_rec_mutex_lock(&sim->lock);
	GHashTableIter it;
	gpointer key, val;
	g_hash_table_iter_init(&it, sim->jobs);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_source_destroy(val);
	g_hash_table_remove_all(sim->jobs);
	g_rec_mutex_unlock(&sim->lock);

	GSource *src = g_idle_source_new();
	g_source_set_callback(src, quit_loop, sim->loop, NULL);
	g_source_attach(src, sim->ctx);
	g_source_unref(src);
	g_thread_join(sim->thread);

	/* Dropping the last reference removes $TMPDIR/umockdev.XXXXXX (reference A.6.12). */
	g_object_unref(sim->tb);
	while (sim->devs) {
		struct usbsim_dev *d = sim->devs;
		sim->devs = d->next;
		dev_free(d);
	}
	g_hash_table_destroy(sim->jobs);
	g_main_loop_unref(sim->loop);
	g_main_context_unref(sim->ctx);
	g_rec_mutex_clear(&sim->lock);
	if (sim->ioctl_ctx)
		g_main_context_unref(sim->ioctl_ctx);
	g_free(sim->root);
	g_free(sim);
}

const char *usbsim_root(const struct usbsim *sim) { return sim->root; }
void usbsim_lock(struct usbsim *sim) { g_rec_mutex_lock(&sim->lock); }
void usbsim_unlock(struct usbsim *sim) { g_rec_mutex_unlock(&sim->lock); }
void usbsim_set_trace(struct usbsim *sim, bool on) { sim->trace = on; }
bool usbsim_present(const struct usbsim_dev *dev) { return dev->present; }
int usbsim_devnum(const struct usbsim_dev *dev) { return dev->devnum; }
struct usbsim *usbsim_of(const struct usbsim_dev *dev) { return dev->sim; }
const char *usbsim_syspath(const struct usbsim_dev *dev) { return dev->syspath; }

int usbsim_current_alt(const struct usbsim_dev *dev, int intf)
{
	return (intf >= 0 && intf < dev->n_intf) ? dev->cur_alt[intf] : -1;
}

unsigned usbsim_control_count(const struct usbsim_dev *dev, int type, int req)
{
	unsigned n = 0;

	g_rec_mutex_lock(&dev->sim->lock);
	for (int i = 0; i < dev->n_counts; i++) {
		const struct usbsim_count *c = &dev->counts[i];
		if ((type < 0 || (c->key >> 8) == type) && (req < 0 || (c->key & 0xff) == req))
			n += c->n;
	}
	g_rec_mutex_unlock(&dev->sim->lock);
	return n;
}

/* ---- plugging --------------------------------------------------------------------- */

/* Learn interfaces and alternate settings from the configuration descriptor. */
static void parse_config(struct usbsim_dev *dev)
{
	const uint8_t *p = dev->config, *end = dev->config + dev->id.config_len;

	while (p + 2 <= end && p[0] >= 2 && p + p[0] <= end) {
		if (p[1] == 4 && p[0] >= 9 && p[2] < USBSIM_MAX_INTERFACES) {
			int intf = p[2];
			if (intf + 1 > dev->n_intf)
				dev->n_intf = intf + 1;
			if (p[3] + 1 > dev->n_alts[intf])
				dev->n_alts[intf] = p[3] + 1;
		}
		p += p[0];
	}
}

/* First interface descriptor (alt 0) of interface intf, for the sysfs attributes. */
static const uint8_t *find_intf(const struct usbsim_dev *dev, int intf)
{
	const uint8_t *p = dev->config, *end = dev->config + dev->id.config_len;

	while (p + 2 <= end && p[0] >= 2 && p + p[0] <= end) {
		if (p[1] == 4 && p[0] >= 9 && p[2] == intf && p[3] == 0)
			return p;
		p += p[0];
	}
	return NULL;
}

static void append_hex(GString *s, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(s, "%02x", b[i]);
}

/* The umockdev-record text that creates the device and its interfaces.
 * add_from_string writes everything, then sends "add" (fixed in 0.17.7; harness
 * reference A.6.3), so libusb's hotplug thread never sees a half-made device. */
static char *device_record(const struct usbsim_dev *dev)
{
	const uint8_t *d = dev->id.device_desc;
	unsigned vid = d[8] | d[9] << 8, pid = d[10] | d[11] << 8, bcd = d[12] | d[13] << 8;
	GString *s = g_string_new(NULL);

	g_string_append_printf(s, "P: %s\nN: bus/usb/001/%03d\n", dev->syspath + 4, dev->devnum);
	g_string_append_printf(s,
		"E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
		"E: DEVNAME=/dev/bus/usb/001/%03d\nE: BUSNUM=001\nE: DEVNUM=%03d\n"
		"E: PRODUCT=%x/%x/%x\nE: TYPE=%d/%d/%d\n",
		dev->devnum, dev->devnum, vid, pid, bcd, d[4], d[5], d[6]);
	g_string_append_printf(s,
		"A: busnum=1\nA: devnum=%d\nA: dev=189:%d\nA: idVendor=%04x\nA: idProduct=%04x\n"
		"A: bcdDevice=%04x\nA: bDeviceClass=%02x\nA: bNumConfigurations=1\n"
		"A: bConfigurationValue=1\nA: bMaxPacketSize0=%d\nA: speed=%u\nA: version= 2.00\n"
		"A: devpath=%d\nA: maxchild=0\n",
		dev->devnum, dev->devnum, vid, pid, bcd, d[4], d[7], dev->id.speed_mbps ? dev->id.speed_mbps : 12,
		dev->port);
	static const char *const names[] = {NULL, "manufacturer", "product", "serial"};
	for (int k = 1; k <= 3; k++) {
		int idx = d[13 + k];
		if (idx && idx < USBSIM_MAX_STRINGS && dev->id.strings[idx])
			g_string_append_printf(s, "A: %s=%s\n", names[k], dev->id.strings[idx]);
	}
	g_string_append(s, "H: descriptors=");
	append_hex(s, d, 18);
	append_hex(s, dev->config, dev->id.config_len);
	g_string_append(s, "\n\n");

	for (int i = 0; i < dev->n_intf; i++) {
		const uint8_t *in = find_intf(dev, i);
		if (!in)
			continue;
		g_string_append_printf(s, "P: %s/%s:1.%d\n", dev->syspath + 4,
				       strrchr(dev->syspath, '/') + 1, i);
		g_string_append_printf(s, "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\nE: INTERFACE=%d/%d/%d\n",
				       in[5], in[6], in[7]);
		if (dev->driver[i][0])
			g_string_append_printf(s, "E: DRIVER=%s\n", dev->driver[i]);
		g_string_append_printf(s,
			"A: bInterfaceNumber=%02x\nA: bAlternateSetting= 0\nA: bNumEndpoints=%02x\n"
			"A: bInterfaceClass=%02x\nA: bInterfaceSubClass=%02x\nA: bInterfaceProtocol=%02x\n\n",
			i, in[4], in[5], in[6], in[7]);
	}
	return g_string_free(s, FALSE);
}

struct plug_args {
	struct usbsim_dev *dev;
};

static void unplug_on_sim_thread(void *arg);

static void plug_on_sim_thread(void *arg)
{
	struct usbsim_dev *dev = ((struct plug_args *)arg)->dev;
	struct usbsim *sim = dev->sim;
	GError *err = NULL;

	/* The previous identity on this port must be gone from sysfs first, whatever
	 * order the sim thread's queue ended up in. */
	for (struct usbsim_dev *old = sim->devs; old; old = old->next)
		if (old != dev && old->port == dev->port && !old->present && !old->removed)
			unplug_on_sim_thread(old);
	/* The handler must exist before the node does (harness reference A.6.3). */
	usbsim_attach_handler(dev);
	char *rec = device_record(dev);
	g_rec_mutex_lock(&sim->lock);
	dev->present = true; /* before "add": a fast host may open it at once */
	g_rec_mutex_unlock(&sim->lock);
	if (!umockdev_testbed_add_from_string(sim->tb, rec, &err)) {
		fprintf(stderr, "usbsim: cannot add device: %s\n", err->message);
		g_error_free(err);
		dev->present = false;
	}
	g_free(rec);
	SIM_TRACE(sim, "plugged %s devnum %d %04x:%04x\n", dev->syspath, dev->devnum,
		  dev->id.device_desc[8] | dev->id.device_desc[9] << 8,
		  dev->id.device_desc[10] | dev->id.device_desc[11] << 8);
}

void usbsim_deny_access(struct usbsim_dev *dev)
{
	char path[4200];

	snprintf(path, sizeof path, "%s%s", dev->sim->root, dev->devnode);
	/* writing a 0444 sysctl is EACCES for root too (proc_sys_permission) */
	if (unlink(path) == 0 && symlink("/proc/sys/kernel/ostype", path) != 0)
		fprintf(stderr, "usbsim: cannot deny access to %s\n", path);
}

struct usbsim_dev *usbsim_plug(struct usbsim *sim, int port, const struct usbsim_identity *id,
			       const struct usbsim_model_ops *ops, void *model)
{
	struct usbsim_dev *dev = g_new0(struct usbsim_dev, 1);

	dev->sim = sim;
	dev->id = *id;
	for (int i = 0; i < USBSIM_MAX_STRINGS; i++)
		dev->id.strings[i] = g_strdup(id->strings[i]);
	for (int i = 0; i < USBSIM_MAX_INTERFACES; i++) {
		dev->id.kernel_driver[i] = g_strdup(id->kernel_driver[i]);
		if (id->kernel_driver[i])
			g_strlcpy(dev->driver[i], id->kernel_driver[i], sizeof dev->driver[i]);
	}
	dev->config = g_memdup2(id->config_desc, id->config_len);
	dev->id.config_desc = dev->config;
	dev->id.hid_report_desc = id->hid_report_desc ? g_memdup2(id->hid_report_desc, id->hid_report_len) : NULL;
	dev->ops = ops;
	dev->model = model;
	dev->port = port;
	parse_config(dev);

	g_rec_mutex_lock(&sim->lock);
	dev->devnum = sim->next_devnum++;
	if (sim->next_devnum > 127)
		sim->next_devnum = 2;
	snprintf(dev->syspath, sizeof dev->syspath, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-%d", port);
	snprintf(dev->devnode, sizeof dev->devnode, "/dev/bus/usb/001/%03d", dev->devnum);
	dev->next = sim->devs;
	sim->devs = dev;
	g_rec_mutex_unlock(&sim->lock);

	struct plug_args a = {dev};
	run_on_sim_thread(sim, plug_on_sim_thread, &a);
	return dev;
}

static void unplug_on_sim_thread(void *arg)
{
	struct usbsim_dev *dev = arg;
	struct usbsim *sim = dev->sim;
	const char *name = strrchr(dev->syspath, '/') + 1;
	GError *err = NULL;
	char path[4200];

	if (dev->removed)
		return;
	dev->removed = true;
	/* First hide it from enumeration: the bus links and the node go at once (the
	 * full removal below takes tens of milliseconds, and a tool started meanwhile
	 * must not find a device that only answers ENODEV). */
	for (int i = -1; i < dev->n_intf; i++) {
		if (i < 0)
			snprintf(path, sizeof path, "%s/sys/bus/usb/devices/%s", sim->root, name);
		else
			snprintf(path, sizeof path, "%s/sys/bus/usb/devices/%s:1.%d", sim->root, name, i);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s%s", sim->root, dev->devnode);
	unlink(path);

	/* Children first, as the kernel does; the uevent carries the properties, so it
	 * is sent while the sysfs entry still exists. */
	for (int i = dev->n_intf - 1; i >= 0; i--) {
		snprintf(path, sizeof path, "%s/%s:1.%d", dev->syspath, name, i);
		if (find_intf(dev, i))
			umockdev_testbed_uevent(sim->tb, path, "remove");
	}
	umockdev_testbed_uevent(sim->tb, dev->syspath, "remove");
	for (int i = dev->n_intf - 1; i >= 0; i--) {
		snprintf(path, sizeof path, "%s/%s:1.%d", dev->syspath, name, i);
		if (find_intf(dev, i))
			umockdev_testbed_remove_device(sim->tb, path);
	}
	umockdev_testbed_remove_device(sim->tb, dev->syspath);
	if (!umockdev_testbed_detach_ioctl(sim->tb, dev->devnode, &err)) {
		fprintf(stderr, "usbsim: detach %s: %s\n", dev->devnode, err->message);
		g_error_free(err);
	}
	SIM_TRACE(sim, "unplugged %s devnum %d\n", dev->syspath, dev->devnum);
}

static gboolean unplug_idle(gpointer arg)
{
	unplug_on_sim_thread(arg);
	return G_SOURCE_REMOVE;
}

void usbsim_unplug(struct usbsim_dev *dev)
{
	struct usbsim *sim = dev->sim;

	g_rec_mutex_lock(&sim->lock);
	if (!dev->present) {
		g_rec_mutex_unlock(&sim->lock);
		return;
	}
	dev->present = false;
	usbsim_flush_on_unplug(dev);
	if (dev->ops && dev->ops->unplugged)
		dev->ops->unplugged(dev->model, dev);
	g_rec_mutex_unlock(&sim->lock);

	/* Never inline: the caller may be a model callback on umockdev's worker thread
	 * or a job that holds the lock mid-way (harness reference A.6.6). */
	GSource *src = g_idle_source_new();
	g_source_set_priority(src, G_PRIORITY_DEFAULT);
	g_source_set_callback(src, unplug_idle, dev, NULL);
	g_source_attach(src, sim->ctx);
	g_source_unref(src);
}
