/*
 * What every running-firmware model shares: the hooks to the simulator host, fault
 * injection, and the "reboot into the bootloader" bookkeeping.
 *
 * A model owns one ttysim port (see ttysim.h) and runs on that port's thread.
 */
#ifndef MODEL_COMMON_H
#define MODEL_COMMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ttysim.h"

/* Ways a device can misbehave; a test picks one. */
enum tty_fault {
    TTY_FAULT_NONE = 0,
    TTY_FAULT_IGNORE_RESET,     /* recognises reset requests but stays in the firmware */
    TTY_FAULT_VANISH_MID_WRITE, /* falls off the bus as soon as the host's first bytes
                                   arrive: the port is removed (writes then fail with EIO),
                                   no reboot is requested, hooks.vanished runs */
    TTY_FAULT_GARBAGE,          /* answers every chunk the host writes with as many
                                   pseudo-random bytes, and ignores reset requests */
};

struct tty_model_hooks {
    /* The firmware jumps to its bootloader. reason: "v1", "v2" or "touch-1200". From now on
     * the model ignores the port. The host removes the tty (ttysim_remove(), or freeing the
     * model) and makes the camera re-enumerate as its bootloader; do that from another
     * thread or from here (ttysim_remove is allowed in callbacks). If NULL, the model
     * removes the port itself. Runs on the port thread. */
    void (*request_reboot_to_bootloader)(void *ctx, const char *reason);
    /* TTY_FAULT_VANISH_MID_WRITE struck: the port is already removed. May be NULL. */
    void (*vanished)(void *ctx);
    void *ctx;
};

/* Counters a test can read at any time. */
struct tty_model_stats {
    unsigned resets_requested;  /* request_reboot_to_bootloader calls (0 or 1) */
    unsigned resets_ignored;    /* reset requests swallowed by TTY_FAULT_IGNORE_RESET */
    unsigned garbage_replies;   /* chunks answered with garbage */
    bool vanished;
    char last_reason[16];       /* reason of the reboot or ignored reset, "" if none */
    uint64_t reboot_time_us;    /* CLOCK_MONOTONIC time of the reboot request, 0 if none */
};

/* Internal base embedded in each model (not for hosts). */
struct tty_model_base {
    struct ttysim *port;
    enum tty_fault fault;
    struct tty_model_hooks hooks;
    pthread_mutex_t lock;       /* guards dead, stats and the model's own state */
    bool dead;                  /* rebooted or vanished: ignore everything */
    struct tty_model_stats stats;
    uint32_t noise;             /* garbage generator state */
};

void tty_model_base_init(struct tty_model_base *b, enum tty_fault fault,
                         const struct tty_model_hooks *hooks);
void tty_model_base_destroy(struct tty_model_base *b);

/* Applies the data-path faults to a chunk from the host. Returns true when the fault
 * consumed the chunk (the model must not look at it). Call without the lock held. */
bool tty_model_data_fault(struct tty_model_base *b, size_t len);

/* The firmware asks to reboot into the bootloader (honours TTY_FAULT_IGNORE_RESET and
 * TTY_FAULT_GARBAGE). Call without the lock held, on the port thread. */
void tty_model_reboot(struct tty_model_base *b, const char *reason);

void tty_model_get_stats(struct tty_model_base *b, struct tty_model_stats *st);

uint64_t tty_model_now_us(void);

#endif
