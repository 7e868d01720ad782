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

void samba_recipe_flash(struct builder *B);                                   /* recipe.c */
int samba_check_fit(const struct plan *p, const struct plan_image *im,      /* images.c */
                    struct image_problems *out);
int exec_samba_flash(struct run_ctx *rc, const struct step *s, struct rs_error *err); /* exec.c */

#endif
