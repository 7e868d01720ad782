/* images_dfu.h — checks of a .dfu file before anything runs: a valid DfuSe file (suffix CRC,
 * prefix, targets, elements), made for this board (the suffix's VID:PID), and — unless the
 * person accepted a combined image — only the bootloader region in it (seed 003: "the
 * combined image also erases the filesystem"). */
#ifndef RESCUE_IMAGES_DFU_H
#define RESCUE_IMAGES_DFU_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"

/* Returns 0, or -1 with one line in why.  region_start/region_size: where the elements
 * must lie unless accept_combined. */
int images_check_dfu(const struct board *b, const char *path, uint64_t region_start,
                     uint64_t region_size, bool accept_combined, char *why, size_t n);

#endif
