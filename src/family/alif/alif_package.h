/* alif_package.h — finding the Alif system package the Secure Enclave recovery writes.
 *
 * The package is Alif's and not shipped with openmv-rescue: a person names its folder
 * (--image system-package=DIR or --dir DIR), or it is taken from an OpenMV IDE
 * installation.  Files, as the SE tools name them (reference alif-isp-openmv-ide-n6.md §1.8):
 *   SP-<part>-rev-<rev>[-dev].bin       the SE firmware package, e.g. SP-AE302F80F55D5AE-rev-b4.bin
 *   offset-<tag>-rev-<rev>[-dev].bin    16 bytes; its last 4 say where the package starts
 *   <file>.sign                         2560-byte certificate chains, for an authenticated write
 *   version.json                        {"version_major": M, "version_minor": m, "version_patch": p}:
 *                                       the SES version the package brings (the IDE's file, §1.11)
 * They are looked for in the folder itself and in its "alif" subfolder (the tools' layout);
 * version.json also one folder up (the IDE keeps it beside that subfolder).
 */
#ifndef RESCUE_ALIF_PACKAGE_H
#define RESCUE_ALIF_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alif_isp.h"
#include "error.h"

struct alif_package {
	char dir[512];               /* the folder the files are in */
	char sp[768], offset[768];   /* SP-*.bin and offset-*.bin */
	char sp_sign[776], offset_sign[776]; /* their .sign files, "" when absent */
	bool have_version;
	struct alif_isp_version version;
	bool dev;                    /* the -dev variant was chosen */
};

/* Does dir (or dir/alif) hold at least one SP-*.bin and one offset-*.bin? */
bool alif_package_present(const char *dir);

/* Choose the package for this part ("AE302F80F55D5AE"; "" when unknown) and revision
 * ("B4"; "" when unknown) in dir or dir/alif; dev: the SE is a development part (blank
 * HBK0), which takes the -dev files.  When the exact files are missing but exactly one
 * candidate of the other kind exists, it is taken and note says so.  RS_E_NOT_FOUND with
 * the names looked for. */
int alif_package_find(const char *dir, const char *part, const char *rev, bool dev,
                      struct alif_package *out, char *note, size_t note_len, struct rs_error *err);

/* Folders where an OpenMV IDE installation may keep the package, most likely first
 * [I: installation layouts are not confirmed by the reference].  Returns how many were
 * written into dirs (existing folders only). */
int alif_package_ide_dirs(char dirs[][512], int max);

/* Read a whole regular file of at most max bytes, zero-padded to a multiple of pad (1: no
 * padding); *len is the padded length, *orig the file's.  Free *buf with free(). */
int alif_file_read(const char *path, size_t max, size_t pad, uint8_t **buf, size_t *len,
                   size_t *orig, struct rs_error *err);

#endif
