/* alif_family.h — the alif family: the OpenMV AE3's bootloader restore through the Alif
 * Secure Enclave's serial ISP (seed 003): banner, maintenance, the system package when it is
 * older, bootloader.bin and firmware_pad.toc into MRAM, then the firmware when given.  Its
 * executors: exec_alif.h; its checks: images_alif.h.
 */
#ifndef RESCUE_ALIF_FAMILY_H
#define RESCUE_ALIF_FAMILY_H

#include "exec_alif.h"
#include "family.h"
#include "images_alif.h"
#include "plan_builder.h"

family_recipe_fn alif_recipe_restore;   /* recipe.c */

#endif
