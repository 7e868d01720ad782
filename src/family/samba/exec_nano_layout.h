/* exec_nano_layout.h — before the Nano 33 BLE Sense takes OpenMV firmware at its flash
 * offset, check that the board has the flash layout the firmware needs (boards.ini
 * flash.layout_*: the SoftDevice's info word, the updated bootloader's vector table, no
 * vector table where a standard sketch goes), read through the SAM-BA bootloader's
 * checksums.  The stock bootloader answers the same version string and USB ID, so only
 * the flash tells the two apart. */
#ifndef RESCUE_EXEC_NANO_LAYOUT_H
#define RESCUE_EXEC_NANO_LAYOUT_H

#include "runner.h"
#include "samba.h"

/* 0 when the layout is there (or the board names none); RS_E_INPUT (exit 2) with one line
 * that says what is missing and how to install it, before anything was written. */
int exec_nano_check_layout(struct run_ctx *rc, struct samba *sb, struct rs_error *err);

#endif
