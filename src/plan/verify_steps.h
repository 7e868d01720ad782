/* verify_steps.h — which steps `verify` may run: those that read back and compare (or only
 * reach the bootloader, or load a helper into RAM), never one that would write the device's
 * memory with no comparison in its place.  Knows no board. */
#ifndef RESCUE_VERIFY_STEPS_H
#define RESCUE_VERIFY_STEPS_H

#include "plan.h"

/* Why verify cannot run step s (one sentence, no final period), or NULL when it can. */
const char *verify_step_refusal(const struct step *s);

/* Does verify leave step s out (nothing to compare, and running it would write: an eFuse, the
 * option word that has the RT1062 flashloader program its FCB)? */
bool verify_step_skipped(const struct step *s);

#endif
