/* identity_n6.h — is the 0483:DF11 device really the OpenMV Cam N6's boot ROM, or the
 * OpenBootloader it loads?  Every STM32 ROM answers as 0483:DF11 (an H7's ST ROM too), so
 * before anything is sent the alts the device names are compared with boards.ini:
 * id.rom_alts (the ROM's alt labels and the number each carries), id.obl_alts (the phase
 * id of each OpenBootloader alt) and id.obl_transfer_size.  Pure functions: no I/O, no
 * printing; a mismatch fills why with one sentence naming what differs. */
#ifndef RESCUE_IDENTITY_N6_H
#define RESCUE_IDENTITY_N6_H

#include <stdbool.h>
#include <stddef.h>

#include "boarddb.h"
#include "stm32prog.h"

/* The boot ROM: every alt of id.rom_alts is there (by label) with its number, and no more
 * alts than those.  Alt order is not checked [I: the sources list the alts, not their
 * numbers].  0, or -1 with why. */
int identity_check_n6_rom(const struct board *b, const struct stm32prog_dev *d, char *why, size_t n);

/* OpenBootloader: as many alts as id.obl_alts, alt N carrying phase id obl_alts[N] where its
 * name gives one (a name without one is taken by its number, as stm32prog_find_alt does),
 * and wTransferSize id.obl_transfer_size.  0, or -1 with why. */
int identity_check_n6_obl(const struct board *b, const struct stm32prog_dev *d, char *why, size_t n);

/* One line for the log and `info`: "5 alts FSBL /0x34180400, RSSE_FW /0xF3, ...; transfer
 * size 1024". */
void identity_describe_n6(const struct stm32prog_dev *d, char *buf, size_t n);

/* What boards.ini expects, for `boards TARGET`: "N6 boot ROM alts FSBL /0x34180400, ...;
 * OpenBootloader phases 0x00, ...".  The number of characters written (0: nothing known). */
size_t identity_expected_n6(const struct board *b, char *buf, size_t n);

#endif
