/*
 * Model of an Arduino board (Portenta H7, Giga, Nicla Vision) running its sketch or OpenMV
 * firmware, which enters its bootloader on the "1200-baud touch" (reference
 * dfu-dfuse-picoboot-samba.md §3.1): when the host sets the line coding to 1200 baud, a
 * task is queued that waits until DTR is low and at least 200 ms have passed since, then
 * resets into the bootloader. Data the host writes is ignored.
 *
 * Run-time IDs: VID 2341 with a PID from the IDE's touchToResetPids, "025b" and "805b"
 * (alif-isp-openmv-ide-n6.md §2.1); both are configuration.
 */
#ifndef MODEL_ARDUINO_H
#define MODEL_ARDUINO_H

#include "model_common.h"

#define ARDUINO_VID 0x2341
#define ARDUINO_PID_OPENMV 0x025b   /* touchToResetPids[0] */
#define ARDUINO_PID_SKETCH 0x805b   /* touchToResetPids[1] */
#define ARDUINO_TOUCH_DELAY_MS 200  /* §3.1: "at least 200 ms have passed" */

struct arduino_fw_config {
    /* Unset fields default to: vid 2341, pid 025b, manufacturer "Arduino",
     * product "Portenta H7", serial "000000000000"; cdc_acm. cb/ctx are taken over. */
    struct ttysim_config port;
    enum tty_fault fault;
    struct tty_model_hooks hooks;
};

struct arduino_fw_stats {
    struct tty_model_stats common;
    uint64_t armed_time_us;      /* when the 1200-baud line coding was seen, 0 if never */
};

struct arduino_fw_model;

struct arduino_fw_model *arduino_fw_add(UMockdevTestbed *tb, const struct arduino_fw_config *cfg);
struct ttysim *arduino_fw_port(struct arduino_fw_model *m);
void arduino_fw_get_stats(struct arduino_fw_model *m, struct arduino_fw_stats *st);
/* Removes the port if still there, frees it and the model. Not from a callback. */
void arduino_fw_free(struct arduino_fw_model *m);

#endif
