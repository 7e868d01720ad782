/* step_exec.h — every step kind's executor, declared from STEP_KIND_TABLE (step_kinds.h), so
 * that a family's header does not declare its executors again: the table line names each one
 * and says what it does; the family's exec.c defines it. */
#ifndef RESCUE_STEP_EXEC_H
#define RESCUE_STEP_EXEC_H

#include "plan.h"
#include "runner.h"

#define STEP_EXEC_DECLARE_(kind, name, classic, describe, execute, flags) \
	int execute(struct run_ctx *rc, const struct step *s, struct rs_error *err);
STEP_KIND_TABLE(STEP_EXEC_DECLARE_)
#undef STEP_EXEC_DECLARE_

#endif
