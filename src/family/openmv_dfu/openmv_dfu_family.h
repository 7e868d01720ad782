/* openmv_dfu_family.h — the openmv_dfu family: OpenMV's own DFU bootloader, one alt per
 * partition (seed 002 §10.7.5, §10.7.6, seed 000, seed 001).  Its flash writes each alt's
 * image (the last with --reset), its erase 4 KiB of zeros to the filesystem alt, its
 * init-mram the AE3's key file.  Its executors (exec_dfu.h) also carry the DfuSe steps of the
 * st_rom and arduino_dfuse families: one DFU device session for all three.
 */
#ifndef RESCUE_OPENMV_DFU_FAMILY_H
#define RESCUE_OPENMV_DFU_FAMILY_H

#include "exec_dfu.h"
#include "family.h"
#include "plan_builder.h"

void openmv_dfu_recipe_flash(struct builder *B);      /* recipe.c */
void openmv_dfu_recipe_erase(struct builder *B);
void openmv_dfu_recipe_init_mram(struct builder *B);
/* images.c: a firmware*.bin's vectors (STM32 cameras), a *.toc (the AE3) */
void openmv_dfu_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                           size_t got, struct image_problems *out);

#endif
