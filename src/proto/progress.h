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

/* Progress over several parts as one: each part's operation is given inner and reports its
 * own bytes; the span adds base (the parts before it, which the caller advances) and reports
 * to outer of total.  Stopping is outer's.  The span must stay where it was initialised. */
struct rs_progress_span {
	struct rs_progress outer;
	uint64_t base, total;
	struct rs_progress inner;
};

static inline void rs_progress_span_report_(void *ctx, uint64_t done, uint64_t total)
{
	struct rs_progress_span *sp = ctx;
	(void)total;
	rs_progress_report(&sp->outer, sp->base + done, sp->total);
}

static inline bool rs_progress_span_stop_(void *ctx)
{
	struct rs_progress_span *sp = ctx;
	return rs_progress_should_stop(&sp->outer);
}

/* outer may be NULL: then the span reports nowhere and never stops. */
static inline void rs_progress_span_init(struct rs_progress_span *sp, const struct rs_progress *outer,
                                         uint64_t total)
{
	sp->outer = outer ? *outer : (struct rs_progress){0};
	sp->base = 0;
	sp->total = total;
	sp->inner = (struct rs_progress){rs_progress_span_report_, rs_progress_span_stop_, sp};
}

#endif
