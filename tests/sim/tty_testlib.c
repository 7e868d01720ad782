/*
 * Test support for the tty simulator tests (see tty_testlib.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "tty_testlib.h"

UMockdevTestbed *test_testbed_new(void)
{
    UMockdevTestbed *tb = umockdev_testbed_new();
    /* Only true once UMOCKDEV_DIR is set, i.e. after the testbed exists (reference §A.6). */
    if (!umockdev_in_mock_environment()) {
        g_object_unref(tb);
        tap_skip_all("umockdev preload not active");
    }
    return tb;
}

uint64_t test_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void test_sleep_ms(unsigned ms)
{
    g_usleep((gulong)ms * 1000);
}

static void deadline_in(struct timespec *ts, unsigned ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

void test_log_init(struct test_log *log)
{
    memset(log, 0, sizeof(*log));
    pthread_mutex_init(&log->lock, NULL);
    pthread_cond_init(&log->cond, NULL);
}

void test_log_destroy(struct test_log *log)
{
    pthread_mutex_destroy(&log->lock);
    pthread_cond_destroy(&log->cond);
}

void test_log_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev)
{
    (void)port;
    struct test_log *log = ctx;
    pthread_mutex_lock(&log->lock);
    if (log->n < TEST_LOG_MAX)
        log->ev[log->n++] = *ev;
    pthread_cond_broadcast(&log->cond);
    pthread_mutex_unlock(&log->lock);
}

void test_log_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
    (void)port;
    struct test_log *log = ctx;
    pthread_mutex_lock(&log->lock);
    size_t room = sizeof(log->rx) - log->rx_len;
    memcpy(log->rx + log->rx_len, buf, len < room ? len : room);
    log->rx_len += len < room ? len : room;
    log->rx_baud = baud;
    pthread_cond_broadcast(&log->cond);
    pthread_mutex_unlock(&log->lock);
}

int test_log_wait(struct test_log *log, enum ttysim_event_type type, unsigned from,
                  unsigned timeout_ms)
{
    struct timespec ts;
    deadline_in(&ts, timeout_ms);
    pthread_mutex_lock(&log->lock);
    for (;;) {
        for (unsigned i = from; i < log->n; i++)
            if (log->ev[i].type == type) {
                pthread_mutex_unlock(&log->lock);
                return (int)i;
            }
        from = log->n;
        if (pthread_cond_timedwait(&log->cond, &log->lock, &ts) != 0)
            break;
    }
    for (unsigned i = from; i < log->n; i++)
        if (log->ev[i].type == type) {
            pthread_mutex_unlock(&log->lock);
            return (int)i;
        }
    pthread_mutex_unlock(&log->lock);
    return -1;
}

unsigned test_log_count(struct test_log *log)
{
    pthread_mutex_lock(&log->lock);
    unsigned n = log->n;
    pthread_mutex_unlock(&log->lock);
    return n;
}

struct ttysim_event test_log_get(struct test_log *log, unsigned i)
{
    pthread_mutex_lock(&log->lock);
    struct ttysim_event ev = log->ev[i];
    pthread_mutex_unlock(&log->lock);
    return ev;
}

void test_host_init(struct test_host *h)
{
    memset(h, 0, sizeof(*h));
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->cond, NULL);
}

void test_host_destroy(struct test_host *h)
{
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->cond);
}

static void host_reboot(void *ctx, const char *reason)
{
    struct test_host *h = ctx;
    pthread_mutex_lock(&h->lock);
    h->reboots++;
    h->reboot_us = test_now_us();
    g_strlcpy(h->reason, reason, sizeof(h->reason));
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

static void host_vanished(void *ctx)
{
    struct test_host *h = ctx;
    pthread_mutex_lock(&h->lock);
    h->vanishes++;
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->lock);
}

struct tty_model_hooks test_host_hooks(struct test_host *h)
{
    struct tty_model_hooks hooks = {
        .request_reboot_to_bootloader = host_reboot, .vanished = host_vanished, .ctx = h};
    return hooks;
}

unsigned test_host_wait_reboots(struct test_host *h, unsigned n, unsigned timeout_ms)
{
    struct timespec ts;
    deadline_in(&ts, timeout_ms);
    pthread_mutex_lock(&h->lock);
    while (h->reboots < n)
        if (pthread_cond_timedwait(&h->cond, &h->lock, &ts) != 0)
            break;
    unsigned got = h->reboots;
    pthread_mutex_unlock(&h->lock);
    return got;
}

struct sp_port *test_find_listed(const char *devnode)
{
    struct sp_port **list = NULL, *found = NULL;
    if (sp_list_ports(&list) != SP_OK)
        return NULL;
    for (int i = 0; list[i]; i++)
        if (strcmp(sp_get_port_name(list[i]), devnode) == 0)
            sp_copy_port(list[i], &found);
    sp_free_port_list(list);
    return found;
}

struct sp_port *test_open(const char *devnode)
{
    struct sp_port *p = NULL;
    if (sp_get_port_by_name(devnode, &p) != SP_OK)
        return NULL;
    if (sp_open(p, SP_MODE_READ_WRITE) != SP_OK) {
        sp_free_port(p);
        return NULL;
    }
    return p;
}

void test_close(struct sp_port *p)
{
    if (!p)
        return;
    sp_close(p);
    sp_free_port(p);
}
