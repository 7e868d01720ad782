/* boarddb_check.h — validation of one board as a whole, after every key has parsed:
 * required keys per method, references between keys, overlapping regions, alts used twice,
 * unknown prompts, writes into a protected bootloader region. */
#ifndef RESCUE_BOARDDB_CHECK_H
#define RESCUE_BOARDDB_CHECK_H

#include <stddef.h>

#include "boarddb.h"

/* Returns 0 when the board is consistent, else the boards.ini line to blame (the section
 * header when a key is missing) with the reason in why. */
int boarddb_check_board(const struct board *b, char *why, size_t n);

#endif
