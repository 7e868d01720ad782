/* family/step_kinds.c — the table of every step kind's descriptor, expanded from
 * STEP_KIND_TABLE (step_kinds.h): its classic command and description (step.c) and its
 * executor (exec_basic.c, families.c or the family's exec.c). */
#include "family.h"
#include "plan.h"
#include "runner.h"

#define STEP_KIND_DECLARE_(kind, name, classic, describe, execute, flags) \
	void classic(const struct plan *p, const struct step *s, char *buf, size_t n); \
	void describe(const struct plan *p, const struct step *s, char *buf, size_t n); \
	int execute(struct run_ctx *rc, const struct step *s, struct rs_error *err);
STEP_KIND_TABLE(STEP_KIND_DECLARE_)
#undef STEP_KIND_DECLARE_

#define STEP_KIND_ENTRY_(kind, name, classic, describe, execute, flags) \
	[kind] = {name, classic, describe, execute, flags},
static const struct step_kind_info kinds[STEP_KIND_COUNT] = {STEP_KIND_TABLE(STEP_KIND_ENTRY_)};
#undef STEP_KIND_ENTRY_

const struct step_kind_info *step_kind_info(enum step_kind k)
{
	return (unsigned)k < STEP_KIND_COUNT ? &kinds[k] : NULL;
}

step_exec_fn exec_for_step(const struct step *s)
{
	const struct step_kind_info *k = step_kind_info(s->kind);
	if (!k)
		return NULL;
	if (s->kind == STEP_ENTER_BOOTLOADER) /* only where a family enters that bootloader */
		return (unsigned)s->mode < USB_MODE_COUNT && family_for_mode(s->mode) ? k->execute : NULL;
	return k->execute;
}
