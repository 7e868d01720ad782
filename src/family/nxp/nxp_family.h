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

void nxp_recipe_flash(struct builder *B);     /* recipe.c */
void nxp_recipe_erase(struct builder *B);
void nxp_recipe_restore(struct builder *B);
/* images.c: the flashloader's IVT, a firmware.bin's vectors */
void nxp_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                    size_t got, struct image_problems *out);

#endif
