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

family_recipe_fn openmv_dfu_recipe_flash;      /* recipe.c */
family_recipe_fn openmv_dfu_recipe_erase;
family_recipe_fn openmv_dfu_recipe_init_mram;
/* images.c: a firmware*.bin's vectors (STM32 cameras), a *.toc (the AE3) */
family_check_file_fn openmv_dfu_check_file;

#endif
