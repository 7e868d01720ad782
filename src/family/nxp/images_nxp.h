/* images_nxp.h — format checks for the RT1062's input files (called from images.c). */
#ifndef RESCUE_IMAGES_NXP_H
#define RESCUE_IMAGES_NXP_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

/* Check one image of plan p whose first got bytes are head.  Returns 0, or -1 with the
 * reason (a sentence without the file name) in why. */
int images_check_nxp(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                     size_t got, char *why, size_t n);

#endif
