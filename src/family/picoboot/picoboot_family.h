/* picoboot_family.h — the picoboot family: the Nano RP2040 Connect's BOOTSEL ROM over
 * PICOBOOT (seed 002 §10.7.8, picotool load -x).  Its image is a UF2 file (family RP2040,
 * every block checked: src/proto/uf2.h) or a plain .bin loaded at the start of flash
 * (0x10000000, as picotool loads one); every byte must land in [0x10000000, 0x10000000 +
 * flash.max_size).  The board enters BOOTSEL by the 1200-baud touch (exec_touch.h).
 */
#ifndef RESCUE_PICOBOOT_FAMILY_H
#define RESCUE_PICOBOOT_FAMILY_H

#include <stdint.h>

#include "family.h"
#include "plan_builder.h"
#include "runner.h"
#include "uf2.h"

family_recipe_fn picoboot_recipe_flash;                                /* recipe.c */
family_recipe_fn picoboot_recipe_erase;
int picoboot_check_fit(const struct plan *p, const struct plan_image *im,   /* images.c */
                       struct image_problems *out);
/* Load an RP2040 image (UF2 or plain .bin) and check it fits max_size bytes of flash
 * (0: no limit).  Free img with uf2_image_free(). */
int picoboot_load_image(const char *path, uint64_t max_size, struct uf2_image *img,
                        struct rs_error *err);
#include "step_exec.h" /* exec_picoboot_load, exec_picoboot_write: exec.c */

#endif
