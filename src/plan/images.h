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
#include <stddef.h>
#include <stdint.h>

#include "error.h"

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

/* Add one problem line (printf-style) with what a front end can add, when out has room:
 * what the family checks (family.h) report through. */
void images_problem(struct image_problems *out, enum image_hint hint, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A firmware*.bin for a board with a vector check (STM32): its first 8 bytes (head, got of
 * them) must be this board's stack pointer and reset vector; a problem otherwise. */
void images_check_firmware(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                           size_t got, struct image_problems *out);

/* Largest file read into memory whole: twice the RP2040's 16 MiB address window, enough for
 * any UF2 of it (each 512-byte block carries 256 bytes). */
#define IMAGES_READ_MAX (32u * 1024 * 1024)

/* Read a whole file (at most limit bytes) into a new buffer; RS_E_INPUT with the reason. */
int images_read_file(const char *path, size_t limit, uint8_t **buf, size_t *len,
                     struct rs_error *err);

/* v as exact digits with thousands separators ("1,703,936") in buf; returns buf. */
const char *images_bytes(uint64_t v, char *buf, size_t n);

#endif
