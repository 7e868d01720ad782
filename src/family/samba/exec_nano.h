/* exec_nano.h — executors of the Arduino Nano boards: the Nano 33 BLE Sense through its
 * SAM-BA bootloader (src/proto/samba.h) and the Nano RP2040 Connect through the RP2040
 * bootrom's PICOBOOT interface (src/proto/picoboot.h).  They translate board facts
 * (boards.ini: IDs per mode, flash.offset, flash.max_size, erase_fs.address) into protocol
 * calls; the images were checked by images_nano.c before the run started. */
#ifndef RESCUE_EXEC_NANO_H
#define RESCUE_EXEC_NANO_H

#include "runner.h"

/* STEP_ENTER_BOOTLOADER for USB_SAMBA and USB_BOOTSEL: when the board runs firmware (or a
 * sketch), the 1200-baud touch on its serial port resets it into the bootloader; then wait
 * for the bootloader to appear.  When no running board is found, or it does not come back,
 * nothing fails: the hardware prompt that follows in the plan asks the person. */
int exec_nano_enter_bootloader(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* STEP_SAMBA_FLASH: `bossac -e -w -v -R --offset=OFFSET firmware.bin` — erase, write and
 * verify every page at the step's offset, then reset into the new firmware. */
int exec_samba_flash(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* STEP_PICOBOOT_LOAD: `picotool load -x firmware.uf2` — write and verify, then reboot. */
int exec_picoboot_load(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* STEP_PICOBOOT_WRITE: `picotool load -o ADDRESS -t bin FILE` — write a raw image (the
 * generated 4 KiB of zeros that erases the filesystem) at the step's address and verify it;
 * no reboot, as the command has no -x. */
int exec_picoboot_write(struct run_ctx *rc, const struct step *s, struct rs_error *err);

#endif
