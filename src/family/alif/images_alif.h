/* images_alif.h — input checks for the OpenMV AE3's Secure Enclave recovery: the
 * folder of the Alif system package, and the firmware_pad.toc image it writes (its format:
 * images_toc.h).  Called through the family table (family.h). */
#ifndef RESCUE_IMAGES_ALIF_H
#define RESCUE_IMAGES_ALIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "images.h"
#include "images_toc.h"
#include "plan.h"

/* Check the system-package folder: only when the person named it, it must be a folder
 * holding SP-*.bin and offset-*.bin.  0 or -1 with why. */
int images_check_system_package(const struct plan_image *im, char *why, size_t n);

/* The family's checks (family.h): the system-package folder, and a *.toc image. */
void alif_check_folder(const struct plan *p, const struct plan_image *im, struct image_problems *out);
void alif_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                     size_t got, struct image_problems *out);

#endif
