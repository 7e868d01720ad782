/* dfuse_delta.h — delta mode and verify for DfuSe writes by address (ST system ROM and
 * Arduino bootloaders): the host erases pages itself (DfuSe ERASE 0x41, one page of the
 * memory layout string), so every page the image touches is read back first and only the
 * pages that differ are erased and written.  A page counts as equal only when it reads as a
 * full erase and write would leave it: the image's bytes where the image lies, 0xFF in the
 * rest of the page. */
#ifndef RESCUE_DFUSE_DELTA_H
#define RESCUE_DFUSE_DELTA_H

#include <libusb.h>
#include <stdbool.h>

#include "dfuse.h"
#include "runner.h"

/* The claimed DfuSe interface, with the alt already selected and in dfuIDLE. */
struct dfuse_target_dev {
	libusb_device_handle *h;
	uint16_t intf, xfer;
	bool can_upload;
	bool rom;                  /* the ST system ROM (AN3156), not the closed Arduino bootloader */
};

/* Write data[0..len) at address: in full (--full, no read-back possible, or the Arduino
 * bootloader without the read-back after the write), else only the differing pages.
 * Counts rc->res->bytes_written and bytes_left_alone; st sums every dfuse_write. */
int dfuse_delta_write(struct run_ctx *rc, const struct dfuse_target_dev *t,
                      const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                      size_t len, const struct rs_progress *prog, struct dfuse_stats *st,
                      struct rs_error *err);

/* verify: read [address, address+len) back page by page and compare with data; never
 * erases or writes.  Logs "PATH: equal ..." or the first differing address and how many
 * pages differ, and counts rc->res->images_equal / images_differ. */
int dfuse_delta_compare(struct run_ctx *rc, const struct dfuse_target_dev *t,
                        const struct dfuse_layout *l, uint32_t address, const uint8_t *data,
                        size_t len, const char *path, struct rs_error *err);

#endif
