/* progress.h — how a protocol module reports progress and learns it should stop.
 *
 * Every long operation in src/proto takes a const struct rs_progress * (may be NULL).
 * The module calls report() as bytes move and asks should_stop() only at safe points
 * (between blocks, never inside a block), returning RS_E_CANCELLED when told to stop.
 */
#ifndef RESCUE_PROGRESS_H
#define RESCUE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct rs_progress {
	void (*report)(void *ctx, uint64_t done, uint64_t total);
	bool (*should_stop)(void *ctx);
	void *ctx;
};

static inline void rs_progress_report(const struct rs_progress *p, uint64_t done, uint64_t total)
{
	if (p && p->report)
		p->report(p->ctx, done, total);
}

static inline bool rs_progress_should_stop(const struct rs_progress *p)
{
	return p && p->should_stop && p->should_stop(p->ctx);
}

#endif
