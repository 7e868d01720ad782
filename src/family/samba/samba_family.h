/* samba_family.h — the samba family: the Nano 33 BLE Sense's SAM-BA bootloader (seed 002
 * §10.7.8, bossac -e -w -v -R --offset=0x16000).  Its flash takes a plain firmware.bin no
 * larger than flash.max_size (a UF2 file is refused), written after the bootloader and
 * SoftDevice layout is checked (exec_nano_layout.h); the board enters its bootloader by the
 * 1200-baud touch (exec_touch.h).
 */
#ifndef RESCUE_SAMBA_FAMILY_H
#define RESCUE_SAMBA_FAMILY_H

#include "family.h"
#include "plan_builder.h"
#include "runner.h"

family_recipe_fn samba_recipe_flash;                                   /* recipe.c */
int samba_check_fit(const struct plan *p, const struct plan_image *im,      /* images.c */
                    struct image_problems *out);
#include "step_exec.h" /* exec_samba_flash: exec.c */

#endif
