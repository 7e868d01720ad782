/* images_alif.h — input checks for the OpenMV AE3's Secure Enclave recovery: the
 * firmware_pad.toc image and the folder of the Alif system package.  Called from images.c. */
#ifndef RESCUE_IMAGES_ALIF_H
#define RESCUE_IMAGES_ALIF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* Does buf (a whole firmware_pad.toc) end with a valid application TOC (reference
 * alif-isp-openmv-ide-n6.md §1.10): "OEMTOC01" header of 32 bytes, N entries of 32 bytes,
 * then a 16-byte tail whose first word is the CRC-32 of header and entries?  0, or -1 with
 * the reason in why. */
int images_check_atoc(const uint8_t *buf, size_t len, char *why, size_t n);

/* Check a *.toc image (already known to exist and to fit): it must fill its partition
 * exactly (8192 bytes for the AE3's alt 4) and end with a valid TOC.  0 or -1 with why. */
int images_check_toc_file(const struct plan_image *im, char *why, size_t n);

/* Check the system-package folder: only when the person named it, it must be a folder
 * holding SP-*.bin and offset-*.bin.  0 or -1 with why. */
int images_check_system_package(const struct plan_image *im, char *why, size_t n);

#endif
