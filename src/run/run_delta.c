/* run_delta.c — delta mode or a full write, by boards.ini units.flash (run_delta.h). */
#include "run_delta.h"

#include "boarddb_units.h"

bool run_delta_by_unit(struct run_ctx *rc, uint64_t addr, uint64_t unit_size,
                       const struct run_delta_words *w)
{
	uint64_t us, usz;
	bool erased = false;
	if (rc->opts->full) {
		run_log(rc, RUN_LOG_INFO, "--full: %s", w->full);
		return false;
	}
	if (board_unit_at(rc->plan->board, "flash", addr, &us, &usz, &erased) || !erased || usz != unit_size) {
		run_log(rc, RUN_LOG_INFO, "writing in full: boards.ini gives no %llu KiB erased %s for the "
		        "flash at 0x%08llx (units.flash)", (unsigned long long)(unit_size / 1024), w->unit,
		        (unsigned long long)addr);
		return false;
	}
	run_log(rc, RUN_LOG_INFO, "%s", w->how);
	return true;
}
