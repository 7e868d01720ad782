/* boarddb_keys.h — parsing one key of a boards.ini section into a struct board. */
#ifndef RESCUE_BOARDDB_KEYS_H
#define RESCUE_BOARDDB_KEYS_H

#include <stddef.h>

#include "boarddb.h"

/* Parse key (lower-case) = val from line into b.  Returns 0, or -1 with the reason in why
 * ("unknown key 'colour'", "'37C5-9204' is not a USB VID:PID ..."). */
int boarddb_parse_key(struct board *b, const char *key, const char *val, int line, char *why, size_t n);

#endif
