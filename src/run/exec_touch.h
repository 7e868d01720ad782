/* exec_touch.h — entering an Arduino board's bootloader (SAM-BA, BOOTSEL) from its running
 * sketch or firmware by the 1200-baud touch: the STEP_ENTER_BOOTLOADER executor of the samba
 * and picoboot families.  A board already in its bootloader is left as it is; a board that
 * cannot be reset from software is left to the prompt that follows (a double tap, BOOTSEL).
 */
#ifndef RESCUE_EXEC_TOUCH_H
#define RESCUE_EXEC_TOUCH_H

#include "runner.h"

int exec_touch_enter(struct run_ctx *rc, const struct step *s, struct rs_error *err);

#endif
