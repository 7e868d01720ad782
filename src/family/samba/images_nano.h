/* images_nano.h — the image checks and loading of the Nano boards (SAM-BA and PICOBOOT
 * methods): called by images.c before anything runs, and by the executors in exec_nano.c.
 *
 * Nano 33 BLE Sense (SAM-BA): a plain firmware.bin no larger than flash.max_size; a UF2 file
 * is refused.  Nano RP2040 Connect (PICOBOOT): a UF2 file (family RP2040, every block
 * checked: src/proto/uf2.h) or a plain .bin loaded at the start of flash (0x10000000, as
 * picotool loads one); every byte must land in [0x10000000, 0x10000000 + flash.max_size).
 */
#ifndef RESCUE_IMAGES_NANO_H
#define RESCUE_IMAGES_NANO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "plan.h"
#include "uf2.h"

/* Largest file read into memory: twice the RP2040's 16 MiB address window, enough for any
 * UF2 of it (each 512-byte block carries 256 bytes). */
#define IMAGES_NANO_MAX_FILE (32u * 1024 * 1024)

/* Is this plan's action done by SAM-BA or PICOBOOT (so images_nano_check applies)? */
bool images_nano_applies(const struct plan *p);

/* Check image im of plan p.  Returns 0, or -1 with one line for a person in why. */
int images_nano_check(const struct plan *p, const struct plan_image *im, char *why, size_t n);

/* Read a whole file (at most limit bytes) into a new buffer; RS_E_INPUT with the reason. */
int images_read_file(const char *path, size_t limit, uint8_t **buf, size_t *len,
                     struct rs_error *err);

/* Load an RP2040 image (UF2 or plain .bin) and check it fits max_size bytes of flash
 * (0: no limit).  Free img with uf2_image_free(). */
int images_nano_load_rp2040(const char *path, uint64_t max_size, struct uf2_image *img,
                            struct rs_error *err);

#endif
