/* reset_running.h — asking a camera that runs its firmware to reboot into its bootloader.
 *
 * The running camera is found as a serial port with the board's firmware IDs (and the
 * legacy 1209:ABD1 of firmware 4.8.0 and older); Arduino boards running a sketch are found
 * by their sketch IDs.  The ID decides what may be sent: 1209:ABD1 gets debug protocol v1
 * only (firmware 4.4 .. 4.7 on TinyUSB dies on any other byte), the board's own ID the
 * padded v2 probe and then v2 or v1 (omv_reset.h).  Cameras with the openmv_dfu bootloader
 * get a plain reset and their bootloader is caught at power-up; the Arduino DfuSe and NXP
 * bootloaders are asked for; an Arduino sketch gets the 1200-baud touch (seed 002
 * §10.7.8).  Used by the executors that enter a bootloader.
 */
#ifndef RESCUE_RESET_RUNNING_H
#define RESCUE_RESET_RUNNING_H

#include "runner.h"

/* Look for the running camera once; if found, ask it to reboot into the bootloader the
 * step's mode names.  Returns 0 when the request was sent, RS_E_NOT_FOUND when no running
 * camera is connected (err untouched), or another error. */
int reset_running_camera(struct run_ctx *rc, enum usb_mode target, struct rs_error *err);

/* The 1200-baud touch of the running camera's port, as a last resort for firmware that
 * ignores the debug protocol.  Same returns. */
int reset_running_touch(struct run_ctx *rc, enum usb_mode target, struct rs_error *err);

#endif
