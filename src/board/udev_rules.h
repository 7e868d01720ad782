/* udev_rules.h — the udev rules that let a person open every device of boards.ini without
 * root, generated from the board database (one source of truth for the USB IDs), and the
 * command that installs them.
 *
 * Two flavours: the desktop rules (TAG+="uaccess": the user of the active local session gets
 * an ACL on the node, systemd's 70-uaccess/71-seat/73-seat-late rules) and the headless rules
 * (MODE 0660 and a GROUP such as plugdev, for machines without a logind seat).  They are
 * separate files because a rule that sets GROUP on the same line as the uaccess tag mixes the
 * two models (newer udev warns about such lines). */
#ifndef RESCUE_UDEV_RULES_H
#define RESCUE_UDEV_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "boarddb.h"

/* File names of the two flavours. */
#define UDEV_RULES_FILE "60-openmv-rescue.rules"
#define UDEV_GROUP_RULES_FILE "61-openmv-rescue-group.rules"

/* Write the rules for every VID:PID of every mode of every board in db.  group NULL: the
 * uaccess rules; otherwise the headless rules for that group.  Returns the number of distinct
 * VID:PIDs written, or -1 if group is not a plain group name (or memory ran out). */
int udev_rules_write(FILE *out, const struct boarddb *db, const char *group);

/* The command that installs the rules, runnable as shown from wherever this program is
 * (build tree or installed): "sudo /abs/path/openmv-rescue udev-install". */
void udev_fix_command(char *buf, size_t n);

/* The device node of a USB device, as udev names it: /dev/bus/usb/BBB/DDD. */
void udev_usb_node(unsigned bus, unsigned address, char *buf, size_t n);

#endif
