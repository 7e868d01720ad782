/* exec_dfu.h — executors of the DFU family (openmv_dfu, ST ROM DfuSe, Arduino DfuSe). */
#ifndef RESCUE_EXEC_DFU_H
#define RESCUE_EXEC_DFU_H

#include "runner.h"

/* Find the bootloader: already there (pinned with a DFU request so it stays), or reset the
 * running camera into it (debug protocol v2, v1, 1200-baud touch), or ask for a replug and
 * catch it the moment it appears. */
int exec_enter_dfu(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* openmv_dfu: download an image to an alt, read it back, reset if the step says so. */
int exec_dfu_download(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* DfuSe: write an image at an address (erase exactly the pages touched), read it back,
 * then :leave or reset if the step says so. */
int exec_dfuse_write(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* DfuSe: write every element of a .dfu file (suffix VID:PID checked), then leave. */
int exec_dfuse_file(struct run_ctx *rc, const struct step *s, struct rs_error *err);

#endif
