/* images_toc.h — Alif's application TOC (firmware_pad.toc), the image the AE3's Secure
 * Enclave looks for at the end of its MRAM partition: written by the openmv_dfu flash and by
 * the Alif restore, so its check belongs to neither family. */
#ifndef RESCUE_IMAGES_TOC_H
#define RESCUE_IMAGES_TOC_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

struct image_problems;

/* Does buf (a whole firmware_pad.toc) end with a valid application TOC (reference
 * alif-isp-openmv-ide-n6.md §1.10): "OEMTOC01" header of 32 bytes, N entries of 32 bytes,
 * then a 16-byte tail whose first word is the CRC-32 of header and entries?  0, or -1 with
 * the reason in why. */
int images_check_atoc(const uint8_t *buf, size_t len, char *why, size_t n);

/* Check a *.toc image (already known to exist and to fit): it must fill its partition
 * exactly (8192 bytes for the AE3's alt 4) and end with a valid TOC.  0 or -1 with why. */
int images_check_toc_file(const struct plan_image *im, char *why, size_t n);

/* When im's slot is a *.toc image: add a problem to out unless images_check_toc_file passes. */
void images_check_toc(const struct plan *p, const struct plan_image *im, struct image_problems *out);

#endif
