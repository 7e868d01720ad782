/* images.h — checks every input file of a plan before anything touches a device.
 *
 * A file must exist, be readable, regular and non-empty, and fit the partition or region it
 * is written to; a firmware.bin for an STM32 target must have its initial stack pointer in
 * that board's RAM and its reset vector inside the image, where the board links firmware
 * (a file built for another camera is refused); the combined openmv.dfu is refused for a
 * bootloader restore unless the person accepted that it also wipes the filesystem.
 * Each problem is one line a person can act on.
 */
#ifndef RESCUE_IMAGES_H
#define RESCUE_IMAGES_H

#include <stdbool.h>

#include "plan.h"

#define IMAGES_MAX_PROBLEMS 12

/* What a front end can advise beyond the line (the lines name no command-line flags: the
 * wizard shows them too). */
enum image_hint {
	IMAGE_HINT_NONE,
	IMAGE_HINT_GIVE_FILE,             /* a file the action needs was not given */
	IMAGE_HINT_ACCEPT_COMBINED,       /* a combined image may be accepted on purpose */
	IMAGE_HINT_RESTORE_BOOTLOADER,    /* the file is a bootloader image: restore it instead */
};

struct image_problems {
	char line[IMAGES_MAX_PROBLEMS][400];
	enum image_hint hint[IMAGES_MAX_PROBLEMS];
	int n;
};

/* Check every image the plan reads; fill each image's size.  Returns the number of problems
 * (0: all good).  accept_combined: the person accepted openmv.dfu for a bootloader restore. */
int images_check(struct plan *p, bool accept_combined, struct image_problems *out);

/* Check the vector table of an STM32 firmware image (first 8 bytes) against board b:
 * returns 0, or -1 with the reason in why. */
int images_check_vectors(const struct board *b, const unsigned char first8[8], uint64_t size,
                         char *why, size_t n);

/* v as exact digits with thousands separators ("1,703,936") in buf; returns buf. */
const char *images_bytes(uint64_t v, char *buf, size_t n);

#endif
