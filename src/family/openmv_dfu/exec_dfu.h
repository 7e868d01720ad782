/* exec_dfu.h — executors of the DFU family (openmv_dfu, ST ROM DfuSe, Arduino DfuSe).
 *
 * Its step executors are declared from the step table (step_exec.h):
 *   exec_dfu_download  openmv_dfu: download an image to an alt (delta mode: only the units that
 *                      differ), read it back, reset if the step says so;
 *   exec_dfuse_write   DfuSe: write an image at an address (erase exactly the pages touched,
 *                      those that differ), read it back, then :leave or reset if the step says so;
 *   exec_dfuse_file    DfuSe: write every element of a .dfu file (suffix VID:PID checked), then leave.
 * Under verify each compares by read-back instead and writes nothing. */
#ifndef RESCUE_EXEC_DFU_H
#define RESCUE_EXEC_DFU_H

#include "runner.h"
#include "step_exec.h"

/* Find the bootloader: already there (pinned with a DFU request so it stays), or reset the
 * running camera into it (debug protocol v2, v1, 1200-baud touch), or ask for a replug and
 * catch it the moment it appears.  The family's enter (struct family). */
int exec_enter_dfu(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* Read the step's alt back from its device and compare it with data (path names it in the
 * log): counts the run's images_equal or images_differ, writes nothing; then the USB reset
 * when the step has STEP_RESET.  For a family that compares what it wrote another way (the
 * N6 restore, through the bootloader it restored). */
int exec_dfu_compare_with(struct run_ctx *rc, const struct step *s, const char *path, const uint8_t *data,
                          size_t len, struct rs_error *err);

#endif
