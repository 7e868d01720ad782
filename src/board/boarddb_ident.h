/* boarddb_ident.h — the id.* keys of boards.ini: what a device must say about itself
 * before anything is written to it (checked by identity.c). */
#ifndef RESCUE_BOARDDB_IDENT_H
#define RESCUE_BOARDDB_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "boarddb.h"

/* Parse id.NAME = val (name is the part after "id.").  0, or -1 with the reason in why. */
int boarddb_ident_key(struct board *b, const char *name, const char *val, char *why, size_t n);

/* After a section is read: the id.* keys must fit the board's methods (id.transfer_size and
 * id.bootloader_versions need openmv_dfu alts, id.samba_version a samba method, id.rom_versions
 * a picoboot method, id.rom_alts, id.obl_alts and id.obl_transfer_size the stm32prog method).
 * A key left out is not checked.  0, or -1 with why. */
int boarddb_ident_check(const struct board *b, char *why, size_t n);

/* Parse "1.0.2" into the bcdDevice form of the openmv_dfu bootloader; -1 when malformed (each part 0..15, major 0..255). */
int identity_version_parse(const char *text, uint16_t *bcd);

#endif
