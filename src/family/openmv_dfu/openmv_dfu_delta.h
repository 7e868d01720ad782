/* openmv_dfu_delta — delta mode for the openmv_dfu download: read the partition back unit by
 * unit and send only the units that do not already hold the image (src/proto/block_delta.h
 * says how a unit is judged; boards.ini units.MEM says what a unit is). */
#ifndef RESCUE_OPENMV_DFU_DELTA_H
#define RESCUE_OPENMV_DFU_DELTA_H

#include <libusb.h>

#include "boarddb.h"
#include "exec_image.h"
#include "runner.h"

/* 0 with *write the blocks to send, or *write NULL: send everything (the reason is logged:
 * --full, no units known for the memory, a partition that cannot be read back).  A device
 * error while reading back is returned as it is.  The device is left in dfuIDLE. */
int exec_dfu_delta(struct run_ctx *rc, libusb_device_handle *h, uint16_t intf, uint16_t xfer,
                   bool can_upload, const struct board_alt *al, const struct exec_image *im,
                   uint8_t **write, struct rs_error *err);

/* verify: read the image's range of the alt back and compare, writing nothing; the verdict
 * ("equal", or the first differing address and how many units differ) is logged and counted
 * in rc->res (images_equal, images_differ). */
int exec_dfu_compare(struct run_ctx *rc, libusb_device_handle *h, uint16_t intf, uint16_t xfer,
                     bool can_upload, const struct board_alt *al, const struct exec_image *im,
                     const char *path, struct rs_error *err);

#endif
