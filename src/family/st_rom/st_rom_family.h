/* st_rom_family.h — the st_rom family: the STM32 system ROM's DfuSe, for restoring the
 * bootloader of the STM32 cameras behind the BOOT–RST jumper (seed 003): a bootloader.bin at
 * the bootloader region, or a bootloader.dfu's elements, then the firmware when given.  Its
 * steps are DfuSe writes, carried out by the DFU executors (exec_dfu.h).
 */
#ifndef RESCUE_ST_ROM_FAMILY_H
#define RESCUE_ST_ROM_FAMILY_H

#include "family.h"
#include "plan_builder.h"

family_recipe_fn st_rom_recipe_restore;   /* recipe.c */

#endif
