/*
 * Shared behaviour of the running-firmware models (see model_common.h).
 */
#include <string.h>
#include <time.h>

#include <glib.h>

#include "model_common.h"

uint64_t tty_model_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void tty_model_base_init(struct tty_model_base *b, enum tty_fault fault,
                         const struct tty_model_hooks *hooks)
{
    memset(b, 0, sizeof(*b));
    b->fault = fault;
    if (hooks)
        b->hooks = *hooks;
    b->noise = 0x2545f491u;
    pthread_mutex_init(&b->lock, NULL);
}

void tty_model_base_destroy(struct tty_model_base *b)
{
    pthread_mutex_destroy(&b->lock);
}

bool tty_model_data_fault(struct tty_model_base *b, size_t len)
{
    pthread_mutex_lock(&b->lock);
    if (b->dead) {
        pthread_mutex_unlock(&b->lock);
        return true;
    }
    if (b->fault == TTY_FAULT_VANISH_MID_WRITE) {
        b->dead = true;
        b->stats.vanished = true;
        pthread_mutex_unlock(&b->lock);
        ttysim_remove(b->port);
        if (b->hooks.vanished)
            b->hooks.vanished(b->hooks.ctx);
        return true;
    }
    if (b->fault != TTY_FAULT_GARBAGE) {
        pthread_mutex_unlock(&b->lock);
        return false;
    }
    uint8_t *junk = g_malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        /* xorshift32: any deterministic noise will do */
        b->noise ^= b->noise << 13;
        b->noise ^= b->noise >> 17;
        b->noise ^= b->noise << 5;
        junk[i] = (uint8_t)b->noise;
    }
    b->stats.garbage_replies++;
    pthread_mutex_unlock(&b->lock);
    ttysim_send(b->port, junk, len);
    g_free(junk);
    return true;
}

void tty_model_reboot(struct tty_model_base *b, const char *reason)
{
    pthread_mutex_lock(&b->lock);
    if (b->dead) {
        pthread_mutex_unlock(&b->lock);
        return;
    }
    g_strlcpy(b->stats.last_reason, reason, sizeof(b->stats.last_reason));
    if (b->fault == TTY_FAULT_IGNORE_RESET || b->fault == TTY_FAULT_GARBAGE) {
        b->stats.resets_ignored++;
        pthread_mutex_unlock(&b->lock);
        return;
    }
    b->dead = true;
    b->stats.resets_requested++;
    b->stats.reboot_time_us = tty_model_now_us();
    pthread_mutex_unlock(&b->lock);
    if (b->hooks.request_reboot_to_bootloader)
        b->hooks.request_reboot_to_bootloader(b->hooks.ctx, reason);
    else
        ttysim_remove(b->port);
}

void tty_model_get_stats(struct tty_model_base *b, struct tty_model_stats *st)
{
    pthread_mutex_lock(&b->lock);
    *st = b->stats;
    pthread_mutex_unlock(&b->lock);
}
