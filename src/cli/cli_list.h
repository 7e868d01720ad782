/* cli_list.h — `openmv-rescue list` and `openmv-rescue info`. */
#ifndef RESCUE_CLI_LIST_H
#define RESCUE_CLI_LIST_H

#include <jansson.h>
#include <libusb.h>
#include <stdbool.h>

#include "boarddb.h"
#include "devlist.h"

/* list: one line per device, or a JSON array; --watch: arrivals and departures until
 * Ctrl-C (or timeout_s seconds, when not 0).  Returns the exit status. */
int cli_list(const struct boarddb *db, bool json, bool watching, int timeout_s);

/* info: everything readable from one device without changing it (serial NULL: the only one). */
int cli_info(const struct boarddb *db, const char *serial, bool json);

/* The NXP MCU bootloader's get-property values and identity, into o (cli_info_nxp.c). */
void cli_info_mboot(libusb_device_handle *h, const struct devinfo *d, json_t *o);

/* The AE3 Secure Enclave's stage, banner, revision and part, into o (cli_info_alif.c). */
void cli_info_alif_se(const struct devinfo *d, json_t *o);

/* A 0483:DF11 device speaking the phase protocol (the N6 boot ROM or OpenBootloader): which
 * it is, each alt's phase id, its identity against the stm32prog boards (cli_info_n6.c). */
void cli_info_stm32prog(libusb_device_handle *h, const struct boarddb *db, const struct devinfo *d, json_t *o);

/* The JSON object of one device (the "list" fields; README "Listing devices"). */
json_t *cli_devinfo_json(const struct devinfo *d);

#endif
