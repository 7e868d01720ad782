/* exec_image.h — an image's bytes for an executor: a generated buffer (erase.bin, key.bin)
 * or the file mapped read-only.  Pages already sent are dropped from memory as progress
 * moves on, so writing a 24 MiB ROMFS does not keep 24 MiB resident. */
#ifndef RESCUE_EXEC_IMAGE_H
#define RESCUE_EXEC_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "progress.h"
#include "runner.h"

struct exec_image {
	const uint8_t *data;
	size_t len;
	struct run_ctx *rc;
	void *map;          /* the mapping, NULL for generated images */
	size_t dropped;     /* bytes already released */
};

/* Open plan image index for reading.  The file is re-checked: it must still be there and be
 * the size the image checks saw (RS_E_INPUT otherwise). */
int exec_image_open(struct run_ctx *rc, int index, struct exec_image *im, struct rs_error *err);

/* A progress callback that reports through the runner and releases sent pages. */
struct rs_progress exec_image_progress(struct exec_image *im);

/* Release the pages before done (a pass over the image has used them). */
void exec_image_release(struct exec_image *im, uint64_t done);

/* Start a second pass over the image (the read-back): release from the beginning again. */
void exec_image_rewind(struct exec_image *im);

void exec_image_close(struct exec_image *im);

#endif
