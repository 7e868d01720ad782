/* n6_family.h — the n6 family: the OpenMV Cam N6's bootloader restore through its boot ROM
 * and ST's OpenBootloader over the STM32 DFU phase protocol, as a FlashLayout.tsv lists it
 * (seed 003), then the firmware when given.  Its executor: exec_n6.h; its check: every row
 * and binary of the layout (flashlayout.h) and what the phase protocol can run.
 */
#ifndef RESCUE_N6_FAMILY_H
#define RESCUE_N6_FAMILY_H

#include "exec_n6.h"
#include "family.h"
#include "plan_builder.h"

family_recipe_fn n6_recipe_restore;   /* recipe.c */
/* images.c: a *.tsv layout */
family_check_file_fn n6_check_file;

#endif
