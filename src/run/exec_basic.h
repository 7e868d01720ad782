/* exec_basic.h — executors that need no protocol: hardware prompts and generated images. */
#ifndef RESCUE_EXEC_BASIC_H
#define RESCUE_EXEC_BASIC_H

#include "runner.h"

/* Show a hardware prompt and wait until the person is done (or the device the next step
 * needs appears), or cancels. */
int exec_prompt(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* The 4 KiB zero image that erases a filesystem (seed 000). */
int exec_make_zeros(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* The AE3 MRAM key file: the board's 16-byte key, then zeros to 4096 bytes (seed 001,
 * reference alif-isp-openmv-ide-n6.md §3). */
int exec_make_key(struct run_ctx *rc, const struct step *s, struct rs_error *err);

#endif
