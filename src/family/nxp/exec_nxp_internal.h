/* exec_nxp_internal.h — helpers shared by family/nxp/exec.c and exec_blhost.c. */
#ifndef RESCUE_EXEC_NXP_INTERNAL_H
#define RESCUE_EXEC_NXP_INTERNAL_H

#include "exec_nxp.h"

/* The run's --timeout for devices if given, else default_ms. */
int nxp_wait_ms(const struct run_ctx *rc, int default_ms);

/* "K3.0.0" from a CurrentVersion word. */
void nxp_version_text(uint32_t version, char *buf, size_t n);

/* A progress callback that reports to the run's events and asks its should_stop. */
struct rs_progress nxp_progress(struct run_ctx *rc);

/* Read image index of the plan into a new buffer (free it); *name is its path. */
int nxp_image_load(struct run_ctx *rc, int index, uint8_t **buf, size_t *len, const char **name,
                   struct rs_error *err);

/* Keep err's message and add what the person should do now: "message; advice". */
int nxp_fail(int code, struct rs_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
