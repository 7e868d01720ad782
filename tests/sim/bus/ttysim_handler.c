/*
 * ttysim's event bookkeeping and its umockdev ioctl handler, which runs on the testbed's
 * worker thread: it emulates TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC (a pty has no modem lines),
 * passes every other ioctl to the real pty, and turns opens, closes, DTR/RTS edges and
 * line-coding changes into events for the port thread (reference
 * test-harness-umockdev-libvterm.md §C.2).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ttysim_internal.h"

uint64_t ttysim_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void ttysim_wake_thread(struct ttysim *s)
{
    char c = 1;
    if (write(s->wake[1], &c, 1) < 0) {
        /* Pipe full: the thread is already due to wake up. */
    }
}

/* --- events (called with the lock held) --------------------------------------------- */

void ttysim_push_event_locked(struct ttysim *s, enum ttysim_event_type type)
{
    bool on_thread = pthread_equal(pthread_self(), s->thread);
    while (s->q_len == TTYSIM_QUEUE_LEN && !s->thread_done && !on_thread)
        pthread_cond_wait(&s->cond, &s->lock);
    if (s->q_len == TTYSIM_QUEUE_LEN || s->thread_done)
        return; /* nobody left to deliver it to */
    struct ttysim_event *ev = &s->queue[(s->q_head + s->q_len) % TTYSIM_QUEUE_LEN];
    ev->type = type;
    ev->dtr = s->dtr;
    ev->rts = s->rts;
    ev->baud = s->baud;
    ev->clients = s->clients;
    ev->time_us = ttysim_now_us();
    s->q_len++;
    s->enqueued++;
    if (type == TTYSIM_EV_TOUCH_1200)
        s->touches++;
    ttysim_wake_thread(s);
}

/* Reads the line coding off the pty; emits BAUD when it changed. Returns HUPCL. */
bool ttysim_sample_termios_locked(struct ttysim *s)
{
    unsigned baud;
    bool hupcl = true;
    if (s->master < 0 || ttysim_pty_termios(s->master, &baud, &hupcl) < 0)
        return hupcl;
    if (baud != s->baud) {
        s->baud = baud;
        ttysim_push_event_locked(s, TTYSIM_EV_BAUD);
    }
    return hupcl;
}

void ttysim_set_lines_locked(struct ttysim *s, bool dtr, bool rts)
{
    if (dtr == s->dtr && rts == s->rts)
        return;
    bool dtr_fell = s->dtr && !dtr;
    s->dtr = dtr;
    s->rts = rts;
    ttysim_push_event_locked(s, TTYSIM_EV_LINES);
    /* The 1200-baud touch: DTR dropped while the line coding is 1200 bps
     * (dfu-dfuse-picoboot-samba.md §3.1). */
    if (dtr_fell && s->baud == 1200)
        ttysim_push_event_locked(s, TTYSIM_EV_TOUCH_1200);
}

/* Keeps the calling (worker) thread until the port thread has run every queued event. */
void ttysim_wait_dispatched_locked(struct ttysim *s)
{
    uint64_t target = s->enqueued;
    while (s->dispatched < target && !s->thread_done)
        pthread_cond_wait(&s->cond, &s->lock);
}

/* --- umockdev handler (testbed worker thread) ------------------------------------- */

static void complete(UMockdevIoctlClient *c, long res, int err)
{
    umockdev_ioctl_client_complete(c, res, err);
}

static void forward(UMockdevIoctlClient *c, int *res, int *err)
{
    GError *gerr = NULL;
    *res = umockdev_ioctl_client_execute(c, err, &gerr);
    if (gerr) {
        *res = -1;
        *err = EIO;
        g_error_free(gerr);
    }
}

static void modem_ioctl(struct ttysim *s, UMockdevIoctlClient *c, unsigned long req)
{
    GError *gerr = NULL;
    UMockdevIoctlData *d = umockdev_ioctl_data_resolve(umockdev_ioctl_client_get_arg(c), 0,
                                                       sizeof(int), &gerr);
    if (!d) {
        g_clear_error(&gerr);
        complete(c, -1, EFAULT);
        return;
    }
    int *bits = (int *)d->data;
    pthread_mutex_lock(&s->lock);
    ttysim_sample_termios_locked(s);
    if (req == TIOCMGET) {
        /* cdc_acm always reports CTS; DSR/RI/CD would come from the device's serial-state
         * notifications, which these models never send. */
        *bits = (s->dtr ? TIOCM_DTR : 0) | (s->rts ? TIOCM_RTS : 0) |
                (s->cfg.driver == TTYSIM_CDC_ACM ? TIOCM_CTS : 0);
    } else {
        bool dtr = s->dtr, rts = s->rts;
        int b = *bits;
        if (req == TIOCMSET) {
            dtr = b & TIOCM_DTR;
            rts = b & TIOCM_RTS;
        } else {
            bool set = req == TIOCMBIS;
            if (b & TIOCM_DTR)
                dtr = set;
            if (b & TIOCM_RTS)
                rts = set;
        }
        ttysim_set_lines_locked(s, dtr, rts);
    }
    ttysim_wait_dispatched_locked(s);
    pthread_mutex_unlock(&s->lock);
    complete(c, 0, 0);
    g_object_unref(d);
}

gboolean ttysim_on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data)
{
    (void)h;
    struct ttysim *s = data;
    unsigned long req = umockdev_ioctl_client_get_request(c);
    int res, err;

    pthread_mutex_lock(&s->lock);
    bool removed = s->removed;
    pthread_mutex_unlock(&s->lock);
    if (removed) {
        /* A hung-up tty fails ioctls with EIO, as after a USB disconnect. */
        complete(c, -1, EIO);
        return TRUE;
    }
    if (req == TIOCMGET || req == TIOCMSET || req == TIOCMBIS || req == TIOCMBIC) {
        modem_ioctl(s, c, req);
        return TRUE;
    }
    forward(c, &res, &err);
    if (ttysim_req_sets_termios(req)) {
        /* termios2 requests (non-standard rates) arrive here rather than via packet mode. */
        pthread_mutex_lock(&s->lock);
        ttysim_sample_termios_locked(s);
        ttysim_wait_dispatched_locked(s);
        pthread_mutex_unlock(&s->lock);
    }
    complete(c, res, err);
    return TRUE;
}

void ttysim_on_client_connected(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data)
{
    (void)h;
    struct ttysim *s = data;
    pthread_mutex_lock(&s->lock);
    if (!s->removed) {
        g_ptr_array_add(s->open_clients, g_object_ref(c));
        ttysim_wake_thread(s); /* start watching it */
        /* A device's IN data is not buffered while the port is closed: drop leftovers. */
        if (s->clients++ == 0 && s->slave >= 0)
            ttysim_pty_flush_input(s->slave);
        ttysim_sample_termios_locked(s);
        ttysim_push_event_locked(s, TTYSIM_EV_OPEN);
        /* Opening raises DTR and RTS unless the speed is B0 (tty_port_block_til_ready). */
        if (s->baud != 0)
            ttysim_set_lines_locked(s, true, true);
    }
    pthread_mutex_unlock(&s->lock);
}

/* Counts clients whose umockdev stream closed (the program closed its descriptor). */
void ttysim_reap_closed_clients_locked(struct ttysim *s)
{
    for (guint i = 0; i < s->open_clients->len;) {
        UMockdevIoctlClient *c = g_ptr_array_index(s->open_clients, i);
        if (umockdev_ioctl_client_get_connected(c)) {
            i++;
            continue;
        }
        g_ptr_array_remove_index_fast(s->open_clients, i);
        if (s->removed || s->clients == 0)
            continue;
        s->clients--;
        bool hupcl = ttysim_sample_termios_locked(s);
        ttysim_push_event_locked(s, TTYSIM_EV_CLOSE);
        /* Last close with HUPCL lowers DTR and RTS (the kernel's tty_port_close). The line
         * coding stays what the program left, so this may be a 1200-baud touch. */
        if (s->clients == 0 && hupcl)
            ttysim_set_lines_locked(s, false, false);
    }
}
