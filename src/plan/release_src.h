/* release_src.h — --from PATH: where the board's images come from.
 *
 * PATH may be an OpenMV release zip, a folder of an unpacked release, a build/<TARGET>/bin
 * folder, or an OpenMV IDE installation (the word "ide" searches its usual install places).
 * The result is a folder in which the plan picks each image by its default name (as --dir).
 *
 * The release layouts (openmv/openmv tools/ci.sh, .github/workflows/firmware.yml): every
 * TARGET's build/bin is uploaded as a folder named TARGET; a stable release zips them all,
 * firmware_<tag>.zip with entries TARGET/<file> (plus CYW4343/ and WINC1500/ WiFi blobs);
 * the development release zips each board alone with junked paths, firmware_<TARGET>.zip
 * with its files at the root.  OpenMV IDE keeps share/qtcreator/firmware/<TARGET>/
 * (openmv/qt-creator share/qtcreator/firmware/).
 *
 * A zip is read with libzip and only this board's regular files are copied, by their base
 * name, into a private folder (mkdtemp, mode 0700): an entry's own path is never used as a
 * path, and a zip with a "..", absolute, symlink or oversized entry is refused whole.
 */
#ifndef RESCUE_RELEASE_SRC_H
#define RESCUE_RELEASE_SRC_H

#include <stddef.h>

#include "error.h"

#define RELEASE_MAX_ENTRY (64u << 20)   /* one image: the largest board flash is 32 MiB */
#define RELEASE_MAX_TOTAL (256u << 20)  /* all of one board's files together */
#define RELEASE_MAX_FILES 32

struct release_src {
	char dir[512];          /* the folder the images are picked from */
	char what[600];         /* for people: "firmware_v4.7.0.zip, folder OPENMV4" */
	char tmpdir[512];       /* the private folder a zip was copied into ("" for none) */
	char names[RELEASE_MAX_FILES][64];
	int nnames;             /* the files copied into tmpdir */
};

/* Resolve PATH for board TARGET.  Returns 0, or RS_E_INPUT / RS_E_NOT_FOUND with one line
 * (a zip without this board names the boards it has). */
int release_open(const char *path, const char *target, struct release_src *out, struct rs_error *err);

/* Remove the private folder and what was copied into it. */
void release_close(struct release_src *rs);

/* Copy board TARGET's files of the zip in buf[0..len) into the existing folder dir (used by
 * release_open and the fuzz target).  Fills names; what gets a short description. */
int release_zip_extract_buffer(const void *buf, size_t len, const char *target, const char *dir,
                               struct release_src *out, struct rs_error *err);

/* The OpenMV IDE installations in their usual places that hold share/qtcreator/firmware:
 * fills dirs (the firmware folders), returns how many. */
int release_ide_dirs(char dirs[][512], int max);

#endif
