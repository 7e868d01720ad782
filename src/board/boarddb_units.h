/* boarddb_units.h — the units.MEM keys of boards.ini: how a bootloader erases and writes
 * each memory it serves, so a flash can leave alone what already holds the image (delta
 * mode) without ever writing into a unit that was not erased.
 *
 *   units.MEM = BASE, erased|direct, SIZE[*COUNT] ...
 *
 * erased: the bootloader erases a unit when a write reaches its first byte, so a unit is
 * written whole or not at all, and what the image does not cover reads 0xFF afterwards;
 * direct: written in place with no erase (MRAM).  The units follow each other from BASE;
 * the last SIZE without a COUNT repeats to the end of the memory. */
#ifndef RESCUE_BOARDDB_UNITS_H
#define RESCUE_BOARDDB_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boarddb.h"

/* Parse units.MEM = val (mem is the part after "units.").  0, or -1 with the reason in why. */
int boarddb_units_key(struct board *b, const char *mem, const char *val, char *why, size_t n);

/* The unit of memory mem that holds addr: 0 with *start and *size, or -1 when the board
 * does not say (no units.MEM, or addr below BASE or past the last counted unit). */
int board_unit_at(const struct board *b, const char *mem, uint64_t addr, uint64_t *start,
                  uint64_t *size, bool *erased);

#endif
