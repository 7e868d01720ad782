/* arduino_dfuse_family.h — the arduino_dfuse family: Arduino's DfuSe bootloader, written by
 * address (seed 002 §10.7.8, seed 000): the Portenta H7, Giga and Nicla Vision.  Its flash
 * writes the firmware and, when given, the Wi-Fi/Bluetooth blobs (:leave on the last write),
 * its erase zeros at the addresses boards.ini lists.  Its steps are DfuSe writes, carried out
 * by the DFU executors (exec_dfu.h); a firmware.bin's vectors are checked.
 */
#ifndef RESCUE_ARDUINO_DFUSE_FAMILY_H
#define RESCUE_ARDUINO_DFUSE_FAMILY_H

#include "family.h"
#include "plan_builder.h"

family_recipe_fn arduino_dfuse_recipe_flash;   /* recipe.c */
family_recipe_fn arduino_dfuse_recipe_erase;

#endif
