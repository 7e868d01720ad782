/* nxp_family.h — the nxp family: the OpenMV Cam RT1062's NXP boot chain.  Its flash and erase
 * speak the MCU bootloader (blhost: seed 002 §10.7.7, seed 000), its bootloader restore the
 * ROM's serial download (SDP) and then the flashloader it starts (seed 003), ending with the
 * boot eFuse.  Its executors: exec_nxp.h.
 */
#ifndef RESCUE_NXP_FAMILY_H
#define RESCUE_NXP_FAMILY_H

#include "exec_nxp.h"
#include "family.h"
#include "plan_builder.h"

family_recipe_fn nxp_recipe_flash;     /* recipe.c */
family_recipe_fn nxp_recipe_erase;
family_recipe_fn nxp_recipe_restore;
/* images.c: the flashloader's IVT, a firmware.bin's vectors */
family_check_file_fn nxp_check_file;

#endif
