/*
 * Test support for the tty simulator tests: TAP output, a testbed in mock mode, an event
 * log, a recorder for the models' hooks, and libserialport shortcuts.
 */
#ifndef TTY_TESTLIB_H
#define TTY_TESTLIB_H

#include <libserialport.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "model_common.h"
#include "ttysim.h"

/* TAP: tap_ok, tap_diag, tap_done, tap_skip_all (exit 77) */
#include "../common/tap.h"

/* A new testbed; skips the program when umockdev's preload is not active. */
UMockdevTestbed *test_testbed_new(void);

/* --- event log: plug test_log_event/test_log_data in as ttysim callbacks (ctx = log) -- */
#define TEST_LOG_MAX 4096
struct test_log {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct ttysim_event ev[TEST_LOG_MAX];
    unsigned n;
    uint8_t rx[65536];
    size_t rx_len;
    unsigned rx_baud;            /* baud of the last data chunk */
};
void test_log_init(struct test_log *log);
void test_log_destroy(struct test_log *log);
void test_log_event(void *ctx, struct ttysim *port, const struct ttysim_event *ev);
void test_log_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud);
/* Index of the first event of `type` at or after index `from` (waits up to timeout_ms);
 * -1 if none came. */
int test_log_wait(struct test_log *log, enum ttysim_event_type type, unsigned from,
                  unsigned timeout_ms);
unsigned test_log_count(struct test_log *log);
struct ttysim_event test_log_get(struct test_log *log, unsigned i);

/* --- model hooks recorder ------------------------------------------------------------ */
struct test_host {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned reboots, vanishes;
    char reason[16];
    uint64_t reboot_us;
};
void test_host_init(struct test_host *h);
void test_host_destroy(struct test_host *h);
struct tty_model_hooks test_host_hooks(struct test_host *h);
/* Waits until at least n reboot requests arrived; returns the count seen. */
unsigned test_host_wait_reboots(struct test_host *h, unsigned n, unsigned timeout_ms);

/* --- libserialport -------------------------------------------------------------------- */
/* The listed port named devnode, or NULL (free with sp_free_port). */
struct sp_port *test_find_listed(const char *devnode);
/* Opens devnode read-write (NULL on failure). */
struct sp_port *test_open(const char *devnode);
void test_close(struct sp_port *p);

uint64_t test_now_us(void);
void test_sleep_ms(unsigned ms);

#endif
