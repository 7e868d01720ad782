/* files_find.h — where the wizard looks for the images a plan needs, by their default names:
 * a folder the person chose, the firmware build tree (build/<TARGET>/bin/), and the firmware
 * folder of an OpenMV IDE installation (share/qtcreator/firmware/<TARGET>/). */
#ifndef RESCUE_FILES_FIND_H
#define RESCUE_FILES_FIND_H

#include <stddef.h>

/* Look for file name slot of board target.  chosen_dir may be NULL or "".  On success writes
 * the path into path and a short "where" ("your folder", "build/OPENMV4/bin", "OpenMV IDE")
 * and returns 0; returns -1 when it is nowhere. */
int files_find(const char *slot, const char *target, const char *chosen_dir, char *path,
               size_t n, char *where, size_t wn);

/* Is path an existing directory? */
int files_is_dir(const char *path);

/* Expand a leading "~/" with $HOME into out. */
void files_expand_home(const char *in, char *out, size_t n);

#endif
