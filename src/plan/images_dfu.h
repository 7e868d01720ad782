/* images_dfu.h — checks of a .dfu file before anything runs: a valid DfuSe file (suffix CRC,
 * prefix, targets, elements), made for this board (the suffix's VID:PID), and — unless the
 * person accepted a combined image — only the bootloader region in it (seed 003: "the
 * combined image also erases the filesystem"). */
#ifndef RESCUE_IMAGES_DFU_H
#define RESCUE_IMAGES_DFU_H

#include <stdbool.h>
#include <stddef.h>

#include "images.h"
#include "plan.h"

struct dfu_check {
	bool writes_dfu_file;   /* the step writes a .dfu's elements (DfuSe); otherwise the step
	                         * writes a raw image and a .dfu is always refused */
	uint64_t region_start, region_size; /* where the elements must lie ... */
	bool accept_combined;   /* ... unless the person accepted a combined image */
};

/* Returns 0, or -1 with one line in why (no command-line flags in it: the front end adds
 * its own advice from hint). */
int images_check_dfu(const struct board *b, const char *path, const struct dfu_check *c,
                     char *why, size_t n, enum image_hint *hint);

#endif
