/* identity_dfu.h — reading what a DFU device says about itself (alts, wTransferSize,
 * bcdDevice), and the check the DFU executors run once per device before their first write. */
#ifndef RESCUE_IDENTITY_DFU_H
#define RESCUE_IDENTITY_DFU_H

#include <libusb.h>

#include "dfu.h"
#include "identity.h"
#include "runner.h"

/* Read the alt names of DFU interface intf, the functional descriptor's wTransferSize and
 * the device's bcdDevice.  Reads descriptors only: the device's state does not change. */
int identity_dfu_read(libusb_device_handle *h, const struct libusb_config_descriptor *cfg, uint8_t intf,
                      const struct dfu_func_desc *fd, struct ident_dfu *out, struct rs_error *err);

/* Read and check the device just opened in mode against the board and the plan of rc
 * (openmv_dfu: identity_check_openmv_dfu; ST ROM and Arduino DfuSe: identity_check_dfuse).
 * A mismatch is RS_E_INPUT ("...; nothing was written"); what was found is logged. */
int identity_dfu_verify(struct run_ctx *rc, enum usb_mode mode, libusb_device_handle *h,
                        const struct libusb_config_descriptor *cfg, uint8_t intf,
                        const struct dfu_func_desc *fd, struct rs_error *err);

/* For the wizard's confirm screen: if the first DFU device plan p talks to is connected now,
 * read its identity (descriptors only) and check it.  found gets what it says ("4 alts
 * BOOTLOADER, ...; bootloader 1.0.1"), why the mismatch.  Returns 1 (it matches), -1 (it does
 * not), 0 (not connected or not a DFU step: it is checked when it appears). */
int identity_probe(const struct plan *p, char *found, size_t fn, char *why, size_t wn);

#endif
