/* blhost_delta.h — delta mode and verify for the RT1062's image erase and write steps.
 *
 * The host erases (flash-erase-region) and the flashloader only programs what it is sent,
 * so an image step may erase and write only the erase units (boards.ini units.flexspi) whose
 * content differs: the erase step reads them back (read-memory) and remembers which differ,
 * the write step that follows writes those.  Never for the steps whose purpose is not the
 * image being compared: the FCB erase, the SBL (STEP_BOOTLOADER), a whole-region erase
 * (the ROMFS region is erased to its end whatever the image's size), the eFuse. */
#ifndef RESCUE_BLHOST_DELTA_H
#define RESCUE_BLHOST_DELTA_H

#include "exec_nxp.h"

/* The image step's erase.  With delta mode: reads back, erases only the differing units and
 * keeps the plan in d->delta for the write step; with verify_only: erases nothing.  Returns
 * 1 when the caller must erase in full (the reason is logged), 0 done, or a negative RS_E_*. */
int blhost_delta_erase(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                       uint64_t len, int timeout, struct rs_error *err);

/* The image step's write of data[0..n): only the units its erase step erased, when it kept a
 * plan for this step, else all.  Counts rc->res->bytes_written and bytes_left_alone. */
int blhost_delta_write(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                       const uint8_t *data, size_t n, struct rs_error *err);

/* verify: read the image's place back and compare; writes nothing. */
int blhost_compare(struct run_ctx *rc, struct nxp_device *d, const struct step *s,
                   const uint8_t *data, size_t n, const char *name, struct rs_error *err);

/* Forget a kept plan. */
void blhost_delta_clear(struct blhost_delta *p);

#endif
