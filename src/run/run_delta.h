/* run_delta.h — whether an executor whose host erases in units of boards.ini units.flash
 * reads the memory back first (delta mode) or writes in full, and saying which in the log. */
#ifndef RUN_DELTA_H
#define RUN_DELTA_H

#include <stdbool.h>
#include <stdint.h>

#include "runner.h"

/* The words a family's log uses for its choice: its unit ("sector", "page"), what --full
 * does ("erasing and writing every sector the image touches") and how it compares ("reading
 * the flash back first, to erase and write only the 4 KiB sectors that differ"). */
struct run_delta_words {
	const char *unit;
	const char *full;
	const char *how;
};

/* Delta mode for an image at addr, unless --full was given or boards.ini gives no erased unit
 * of unit_size bytes for the flash there (units.flash): false then, with the reason logged;
 * true with w->how logged. */
bool run_delta_by_unit(struct run_ctx *rc, uint64_t addr, uint64_t unit_size,
                       const struct run_delta_words *w);

#endif
