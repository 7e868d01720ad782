/*
 * ttysim: a virtual USB serial port on umockdev (API and behaviour: ttysim.h).
 *
 * Moving parts:
 *   - a pty owned by ttysim. /dev/<name> in the testbed is a link to its slave, so programs
 *     do real reads, writes, termios and poll on it. ttysim keeps one slave descriptor open
 *     itself: the pty then never reports hang-up between programs, and the termios survive
 *     a close, as a serial port's do. The master runs in packet mode with EXTPROC set, so
 *     each termios change of the slave wakes the port thread (TIOCPKT_IOCTL);
 *   - a umockdev ioctl handler on /dev/<name>, run on the testbed's worker thread. It
 *     emulates TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC, which a pty lacks, and passes every
 *     other ioctl to the real pty (reference test-harness-umockdev-libvterm.md §C.2);
 *   - the port thread: reads the master, runs every model callback, and does the hang-up.
 * Events produced on the worker thread go through a queue to the port thread; the worker
 * keeps the program's ioctl waiting until they are dispatched.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ttysim_internal.h"

#define SEND_TIMEOUT_MS 2000
/* How often open clients are checked for a close. umockdev 0.17.16 relies on GIOStream
 * notifying "closed", which GLib 2.74 does not do, so a close is only visible as the
 * client's stream being closed. */
#define CLOSE_POLL_MS 5

static struct ttysim *port_ref(struct ttysim *s)
{
    atomic_fetch_add(&s->refs, 1);
    return s;
}

static void port_unref(struct ttysim *s)
{
    if (atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->cond);
    g_ptr_array_unref(s->open_clients);
    ttysim_layout_clear(&s->lay);
    for (size_t i = 0; i < G_N_ELEMENTS(s->strs); i++)
        g_free(s->strs[i]);
    g_free(s->node_path);
    g_free(s);
}

static void closure_unref(gpointer data, GClosure *closure)
{
    (void)closure;
    port_unref(data);
}

/* Runs the queued events' callbacks, dropping the lock around each. Port thread only. */
static void drain_locked(struct ttysim *s)
{
    while (s->q_len > 0) {
        struct ttysim_event ev = s->queue[s->q_head];
        s->q_head = (s->q_head + 1) % TTYSIM_QUEUE_LEN;
        s->q_len--;
        pthread_mutex_unlock(&s->lock);
        if (s->cfg.cb.event)
            s->cfg.cb.event(s->cfg.ctx, s, &ev);
        pthread_mutex_lock(&s->lock);
        s->dispatched++;
        pthread_cond_broadcast(&s->cond);
    }
}

/* --- port thread -------------------------------------------------------------------- */

static void hang_up_locked(struct ttysim *s)
{
    /* Closing the last master descriptor hangs up every open slave descriptor. */
    if (s->master >= 0)
        close(s->master);
    if (s->slave >= 0)
        close(s->slave);
    s->master = s->slave = -1;
    pthread_cond_broadcast(&s->cond);
}

static void read_master(struct ttysim *s, int m)
{
    uint8_t buf[4097];
    ssize_t n = read(m, buf, sizeof(buf));
    if (n <= 0)
        return;
    pthread_mutex_lock(&s->lock);
    ttysim_sample_termios_locked(s);
    drain_locked(s);
    unsigned baud = s->baud;
    pthread_mutex_unlock(&s->lock);
    /* Packet mode: byte 0 is TIOCPKT_DATA (0) before data, else a status byte, whose only
     * use here (TIOCPKT_IOCTL: termios changed) was served by the sampling above. */
    if (buf[0] != 0 || n == 1)
        return;
    if (s->cfg.cb.data)
        s->cfg.cb.data(s->cfg.ctx, s, buf + 1, (size_t)n - 1, baud);
    pthread_mutex_lock(&s->lock);
    s->rx_bytes += (uint64_t)n - 1;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

static void *port_thread(void *arg)
{
    struct ttysim *s = arg;
    bool removed_sent = false;

    pthread_mutex_lock(&s->lock);
    for (;;) {
        drain_locked(s);
        if (s->hangup_req && s->master >= 0)
            hang_up_locked(s);
        if (s->sysfs_gone && s->master < 0) {
            if (removed_sent)
                break;
            ttysim_push_event_locked(s, TTYSIM_EV_REMOVED);
            removed_sent = true;
            continue;
        }
        uint64_t now = ttysim_now_us();
        if (s->timer_deadline_us && now >= s->timer_deadline_us) {
            s->timer_deadline_us = 0;
            ttysim_push_event_locked(s, TTYSIM_EV_TIMER);
            continue;
        }
        ttysim_reap_closed_clients_locked(s);
        if (s->q_len)
            continue;
        int timeout = -1;
        if (s->timer_deadline_us)
            timeout = (int)((s->timer_deadline_us - now + 999) / 1000);
        if (s->open_clients->len && (timeout < 0 || timeout > CLOSE_POLL_MS))
            timeout = CLOSE_POLL_MS;
        int m = s->master;
        pthread_mutex_unlock(&s->lock);

        struct pollfd p[2] = {{.fd = s->wake[0], .events = POLLIN}, {.fd = m, .events = POLLIN}};
        int r = poll(p, m >= 0 ? 2 : 1, timeout);
        if (r > 0 && (p[0].revents & POLLIN)) {
            char junk[64];
            while (read(s->wake[0], junk, sizeof(junk)) > 0) {
            }
        }
        if (r > 0 && m >= 0 && (p[1].revents & POLLIN))
            read_master(s, m);
        else if (r > 0 && m >= 0 && (p[1].revents & (POLLHUP | POLLERR)))
            usleep(1000); /* cannot happen while the port holds a slave; never spin */
        pthread_mutex_lock(&s->lock);
    }
    s->thread_done = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* --- public API ---------------------------------------------------------------------- */

static bool index_free(const char *root, const char *prefix, int n)
{
    struct stat st;
    char *node = g_strdup_printf("%s/dev/%s%d", root, prefix, n);
    char *cls = g_strdup_printf("%s/sys/class/tty/%s%d", root, prefix, n);
    bool free_ = lstat(node, &st) < 0 && lstat(cls, &st) < 0;
    g_free(node);
    g_free(cls);
    return free_;
}

static int pick_index(const char *root, const struct ttysim_config *cfg)
{
    const char *prefix = ttysim_driver_prefix(cfg->driver);
    if (cfg->index >= 0)
        return index_free(root, prefix, cfg->index) ? cfg->index : -1;
    for (int n = 0; n < 256; n++)
        if (index_free(root, prefix, n))
            return n;
    return -1;
}

/* A free USB port "<bus>-<p>" for the port's own USB device, and a device number on the
 * bus derived from it (kept clear of the low numbers a USB simulator would hand out). */
static void pick_port_name(struct ttysim *s, const char *root)
{
    unsigned bus = s->cfg.busnum ? s->cfg.busnum : 1;
    for (unsigned p = 2; p < 100; p++) {
        char *path = g_strdup_printf("%s/sys/devices/pci0000:00/0000:00:14.0/usb%u/%u-%u",
                                     root, bus, bus, p);
        bool taken = g_file_test(path, G_FILE_TEST_EXISTS);
        g_free(path);
        if (!taken) {
            g_free(s->strs[4]);
            s->strs[4] = g_strdup_printf("%u-%u", bus, p);
            s->cfg.port_name = s->strs[4];
            if (!s->cfg.devnum)
                s->cfg.devnum = 100 + p;
            return;
        }
    }
}

static void copy_config(struct ttysim *s, const struct ttysim_config *cfg)
{
    s->cfg = *cfg;
    const char **fields[5] = {&s->cfg.manufacturer, &s->cfg.product, &s->cfg.serial,
                              &s->cfg.usb_parent, &s->cfg.port_name};
    for (int i = 0; i < 5; i++) {
        s->strs[i] = g_strdup(*fields[i]);
        *fields[i] = s->strs[i];
    }
}

static bool make_pty(struct ttysim *s, char *pts, size_t pts_len)
{
    char name[128];
    if (openpty(&s->master, &s->slave, name, NULL, NULL) < 0)
        return false;
    g_strlcpy(pts, name, pts_len);
    /* Children (bossac) must not inherit the simulator's side of the pty. */
    fcntl(s->master, F_SETFD, FD_CLOEXEC);
    fcntl(s->slave, F_SETFD, FD_CLOEXEC);
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    if (ttysim_pty_setup(s->master) < 0)
        return false;
    unsigned baud = 0;
    ttysim_pty_termios(s->master, &baud, NULL);
    s->baud = baud;
    return pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) == 0;
}

struct ttysim *ttysim_add(UMockdevTestbed *tb, const struct ttysim_config *cfg)
{
    if (!tb || !cfg || !umockdev_in_mock_environment())
        return NULL;
    char *root = umockdev_testbed_get_root_dir(tb);
    int n = pick_index(root, cfg);
    if (n < 0) {
        g_free(root);
        return NULL;
    }

    struct ttysim *s = g_new0(struct ttysim, 1);
    atomic_init(&s->refs, 1);
    s->tb = tb;
    s->master = s->slave = s->wake[0] = s->wake[1] = -1;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->cond, NULL);
    s->open_clients = g_ptr_array_new_with_free_func(g_object_unref);
    copy_config(s, cfg);
    if (!s->cfg.usb_parent && !s->cfg.port_name)
        pick_port_name(s, root);
    ttysim_layout_init(&s->lay, &s->cfg, n);
    g_snprintf(s->devnode, sizeof(s->devnode), "/dev/%s", s->lay.name);
    s->node_path = g_strconcat(root, s->devnode, NULL);

    char pts[128];
    char *devdir = g_strconcat(root, "/dev", NULL);
    bool ok = make_pty(s, pts, sizeof(pts)) &&
              pthread_create(&s->thread, NULL, port_thread, s) == 0;
    g_free(root);
    if (!ok) {
        g_free(devdir);
        hang_up_locked(s);
        if (s->wake[0] >= 0) {
            close(s->wake[0]);
            close(s->wake[1]);
        }
        port_unref(s);
        return NULL;
    }
    pthread_setname_np(s->thread, "ttysim");

    /* The handler must exist before the node, and the node before the "add" uevent. */
    s->handler = umockdev_ioctl_base_new();
    s->sig_ioctl = g_signal_connect_data(s->handler, "handle-ioctl", G_CALLBACK(ttysim_on_ioctl),
                                         port_ref(s), closure_unref, 0);
    s->sig_connect = g_signal_connect_data(s->handler, "client-connected",
                                           G_CALLBACK(ttysim_on_client_connected),
                                           port_ref(s), closure_unref, 0);
    GError *gerr = NULL;
    ok = s->attached = umockdev_testbed_attach_ioctl(tb, s->devnode, s->handler, &gerr);
    g_clear_error(&gerr);
    ok = ok && g_mkdir_with_parents(devdir, 0755) == 0 && symlink(pts, s->node_path) == 0;
    g_free(devdir);
    if (ok) {
        char *text = ttysim_layout_describe(&s->lay, &s->cfg);
        ok = s->added = umockdev_testbed_add_from_string(tb, text, &gerr);
        g_clear_error(&gerr);
        g_free(text);
    }
    if (!ok) {
        ttysim_free(s);
        return NULL;
    }
    return s;
}

const char *ttysim_devnode(const struct ttysim *port) { return port->devnode; }
const char *ttysim_name(const struct ttysim *port) { return port->lay.name; }
const char *ttysim_tty_syspath(const struct ttysim *port) { return port->lay.tty; }
const char *ttysim_usb_syspath(const struct ttysim *port) { return port->lay.usb; }

long ttysim_send(struct ttysim *s, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t done = 0;
    uint64_t deadline = ttysim_now_us() + SEND_TIMEOUT_MS * 1000u;

    pthread_mutex_lock(&s->lock);
    if (s->removed || s->master < 0) {
        pthread_mutex_unlock(&s->lock);
        return -ENODEV;
    }
    if (s->clients == 0) {
        pthread_mutex_unlock(&s->lock);
        return (long)len;
    }
    while (done < len) {
        if (s->master < 0) {
            pthread_mutex_unlock(&s->lock);
            return -ENODEV;
        }
        ssize_t w = write(s->master, p + done, len - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            int e = errno;
            pthread_mutex_unlock(&s->lock);
            return -e;
        }
        if (ttysim_now_us() > deadline) {
            pthread_mutex_unlock(&s->lock);
            return -ETIMEDOUT;
        }
        /* The program is not reading: wait outside the lock for room in the pty. */
        struct pollfd pf = {.fd = s->master, .events = POLLOUT};
        pthread_mutex_unlock(&s->lock);
        poll(&pf, 1, 10);
        pthread_mutex_lock(&s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return (long)len;
}

void ttysim_set_timer(struct ttysim *s, unsigned delay_ms)
{
    pthread_mutex_lock(&s->lock);
    s->timer_deadline_us = delay_ms ? ttysim_now_us() + (uint64_t)delay_ms * 1000u : 0;
    ttysim_wake_thread(s);
    pthread_mutex_unlock(&s->lock);
}

void ttysim_get_state(struct ttysim *s, struct ttysim_state *st)
{
    pthread_mutex_lock(&s->lock);
    st->dtr = s->dtr;
    st->rts = s->rts;
    st->baud = s->baud;
    st->clients = s->clients;
    st->removed = s->removed;
    st->rx_bytes = s->rx_bytes;
    st->touches = s->touches;
    pthread_mutex_unlock(&s->lock);
}

/* Waits on the port's condition until pred holds or timeout_ms pass. */
static bool wait_until(struct ttysim *s, bool (*pred)(struct ttysim *, uint64_t), uint64_t arg,
                       unsigned timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    bool ok;
    while (!(ok = pred(s, arg)))
        if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT) {
            ok = pred(s, arg);
            break;
        }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static bool rx_reached(struct ttysim *s, uint64_t n) { return s->rx_bytes >= n; }
static bool clients_are(struct ttysim *s, uint64_t n) { return s->clients == n; }
static bool is_gone(struct ttysim *s, uint64_t n) { (void)n; return s->thread_done; }

bool ttysim_wait_rx(struct ttysim *s, uint64_t total, unsigned timeout_ms)
{
    return wait_until(s, rx_reached, total, timeout_ms);
}

bool ttysim_wait_clients(struct ttysim *s, unsigned clients, unsigned timeout_ms)
{
    return wait_until(s, clients_are, clients, timeout_ms);
}

bool ttysim_wait_removed(struct ttysim *s, unsigned timeout_ms)
{
    return wait_until(s, is_gone, 0, timeout_ms);
}

static void remove_sysfs(struct ttysim *s)
{
    /* Children before parents, as the kernel reports a disconnect. */
    const char *paths[5] = {s->lay.tty, s->lay.serial_port, s->lay.data_iface, s->lay.iface,
                            s->lay.own_usb ? s->lay.usb : NULL};
    GError *gerr = NULL;
    for (int i = 0; s->added && i < 5; i++)
        if (paths[i])
            umockdev_testbed_uevent(s->tb, paths[i], "remove");
    for (int i = 0; s->added && i < 5; i++)
        if (paths[i])
            umockdev_testbed_remove_device(s->tb, paths[i]);
    if (s->attached)
        umockdev_testbed_detach_ioctl(s->tb, s->devnode, &gerr);
    g_clear_error(&gerr);
    g_unlink(s->node_path); /* the link, if adding the devices failed */
}

void ttysim_remove(struct ttysim *s)
{
    pthread_mutex_lock(&s->lock);
    if (s->removed) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    s->removed = true;
    if (s->thread_done || pthread_equal(pthread_self(), s->thread)) {
        hang_up_locked(s);
    } else {
        s->hangup_req = true;
        ttysim_wake_thread(s);
        while (s->master >= 0 && !s->thread_done)
            pthread_cond_wait(&s->cond, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);

    remove_sysfs(s);

    pthread_mutex_lock(&s->lock);
    s->sysfs_gone = true;
    ttysim_wake_thread(s);
    pthread_mutex_unlock(&s->lock);
}

void ttysim_free(struct ttysim *s)
{
    if (!s)
        return;
    ttysim_remove(s);
    pthread_join(s->thread, NULL);
    if (s->handler) {
        g_signal_handler_disconnect(s->handler, s->sig_ioctl);
        g_signal_handler_disconnect(s->handler, s->sig_connect);
        g_object_unref(s->handler);
        s->handler = NULL;
    }
    close(s->wake[0]);
    close(s->wake[1]);
    port_unref(s);
}

const char *ttysim_event_name(enum ttysim_event_type type)
{
    switch (type) {
    case TTYSIM_EV_OPEN: return "OPEN";
    case TTYSIM_EV_CLOSE: return "CLOSE";
    case TTYSIM_EV_LINES: return "LINES";
    case TTYSIM_EV_BAUD: return "BAUD";
    case TTYSIM_EV_TOUCH_1200: return "TOUCH_1200";
    case TTYSIM_EV_TIMER: return "TIMER";
    case TTYSIM_EV_REMOVED: return "REMOVED";
    }
    return "?";
}
