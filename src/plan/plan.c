/* plan.c — (board, action, files) -> the plan: the recipe of the family that carries out the
 * board's method for the action (family.h), the filesystem erase merged into a flash when
 * asked, and the checks every plan passes (no file left unused, no bootloader touched but by
 * restore-bootloader).  Pure: no I/O. */
#include "plan.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "family.h"
#include "plan_builder.h"

/* The recipe of board b for action a, or NULL when no family has one. */
static void (*recipe_for(const struct board *b, enum action a))(struct builder *B)
{
	const struct family *f = family_for_method(b->actions[a].method);
	return f ? f->recipe[a] : NULL;
}

/* Run the recipe of action a (if any) as its family. */
static void run_recipe(struct builder *B, enum action a)
{
	const struct family *f = family_for_method(B->b->actions[a].method);
	if (!f || !f->recipe[a])
		return;
	B->family = f;
	f->recipe[a](B);
}

/* ---- flash with the filesystem erased in the same run (OpenMV IDE's "Erase internal file
 * system" checkbox: seed 002 §10.7.9; the IDE runs its eraseCommands before its
 * programCommands, --reset only on the last transfer: reference alif-isp-openmv-ide-n6.md
 * §2.2) ----------------------------------------------------------------------------------- */

static int flash_erase_first(struct builder *B)
{
	const struct board_action *e = &B->b->actions[ACTION_ERASE_FS];
	if (e->method == METHOD_NONE)
		return rs_fail(B->err, RS_E_UNSUPPORTED, "%s cannot erase its internal filesystem%s%s", B->b->name,
		               e->why[0] ? ": " : "", e->why);
	if (!recipe_for(B->b, ACTION_ERASE_FS))
		return rs_fail(B->err, RS_E_UNSUPPORTED, "%s: erasing the filesystem together with a flash is not "
		               "possible; erase it on its own", B->b->name);
	run_recipe(B, ACTION_ERASE_FS);
	B->erase_end = B->p->nsteps;
	plan_note(B, "The internal filesystem is erased first: the camera reformats it at the next boot, so "
	          "copy your files back afterwards.");
	return 0;
}

static void drop_step(struct plan *p, int i)
{
	memmove(&p->steps[i], &p->steps[i + 1], sizeof p->steps[0] * (size_t)(p->nsteps - i - 1));
	p->nsteps--;
}

/* One session for both: the erase does not restart the camera (its reset or reboot goes),
 * and the flash does not enter the bootloader a second time. */
static void merge_erase_into_flash(struct builder *B)
{
	struct plan *p = B->p;
	int end = B->erase_end;
	if (end <= 0)
		return;
	for (int i = 0; i < end; i++)
		p->steps[i].flags &= ~(STEP_RESET | STEP_LEAVE);
	for (int i = end - 1; i >= 0; i--)
		if (step_kind_info(p->steps[i].kind)->flags & STEP_KIND_RESTARTS)
			drop_step(p, i), end--;
	for (int i = end; i < p->nsteps; i++) {
		if (p->steps[i].kind != STEP_ENTER_BOOTLOADER)
			continue;
		bool entered = false;
		for (int k = 0; k < end; k++)
			entered |= p->steps[k].kind == STEP_ENTER_BOOTLOADER && p->steps[k].mode == p->steps[i].mode;
		if (!entered)
			continue;
		drop_step(p, i);
		if (i < p->nsteps && p->steps[i].kind == STEP_PROMPT)
			drop_step(p, i); /* its "double tap" prompt was already shown */
		break;
	}
}

/* ---- the checks every plan passes --------------------------------------------------------- */

/* A file the recipe did not use: say so rather than silently ignore it. */
static int check_all_used(const struct builder *B, struct rs_error *err)
{
	const struct plan_files *files = B->f;
	const struct plan *out = B->p;
	const struct board *b = B->b;
	for (int i = 0; files && i < files->ngiven; i++) {
		if (B->used[i])
			continue;
		bool taken = false;
		for (int k = 0; k < out->nimages; k++)
			if (out->images[k].given && !strcmp(out->images[k].path, files->given[i].path))
				taken = true;
		if (!taken)
			return rs_fail(err, RS_E_INPUT,
			               "%s (--%s) is not an image of %s %s; run 'openmv-rescue boards %s' to see its images",
			               files->given[i].path, files->given[i].name, b->target, action_name(out->action),
			               b->target);
	}
	return 0;
}

/* Guard: nothing but restore-bootloader may touch a bootloader region. */
static int check_bootloader_untouched(const struct plan *out, struct rs_error *err)
{
	const struct board *b = out->board;
	for (int i = 0; i < out->nsteps; i++) {
		const struct step *s = &out->steps[i];
		const struct board_alt *al = s->alt >= 0 ? board_alt(b, s->alt) : NULL;
		unsigned kind = step_kind_info(s->kind)->flags;
		bool boot = (s->flags & STEP_BOOTLOADER) || ((kind & STEP_KIND_WRITES_ALT) && al && al->access == ALT_RO);
		if ((kind & STEP_KIND_WRITES_AT) && b->protect.end && s->address.value >= b->protect.start &&
		    s->address.value < b->protect.end)
			boot = true;
		if (boot && out->action != ACTION_RESTORE)
			return rs_fail(err, RS_E_INPUT, "internal: step %d of %s would touch the bootloader", i + 1,
			               action_name(out->action));
	}
	return 0;
}

/* ---- entry point ------------------------------------------------------------------------- */

int plan_build(const struct board *b, enum action a, const struct plan_files *files,
               struct plan *out, struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	out->board = b;
	out->action = a;
	const struct board_action *ba = &b->actions[a];
	if (ba->method == METHOD_NONE) {
		if (!ba->why[0]) /* not listed, and boards.ini gives no reason (ACTION.why before the boards) */
			return rs_fail(err, RS_E_UNSUPPORTED, "%s: boards.ini lists no way to %s it", b->name, action_name(a));
		return rs_fail(err, RS_E_UNSUPPORTED, "%s: %s", b->name, ba->why);
	}
	struct builder B = {.b = b, .f = files, .p = out, .err = err};
	bool erase_too = a == ACTION_FLASH && files && files->erase_fs;
	if (erase_too && flash_erase_first(&B))
		return -1;
	run_recipe(&B, a);
	if (ba->note[0]) /* boards.ini ACTION.note: what this board needs afterwards */
		plan_note(&B, "%s", ba->note);
	if (erase_too)
		merge_erase_into_flash(&B);
	if (B.overflow)
		return rs_fail(err, RS_E_INPUT, "the plan for %s %s needs more than %d steps",
		               b->target, action_name(a), PLAN_MAX_STEPS);
	if (out->nsteps == 0)
		return rs_fail(err, RS_E_INPUT, "none of the files given is an image of %s %s",
		               b->target, action_name(a));
	if (check_all_used(&B, err))
		return -1;
	return check_bootloader_untouched(out, err);
}

struct plan_image *plan_image(struct plan *p, const char *slot)
{
	for (int i = 0; i < p->nimages; i++)
		if (!strcasecmp(p->images[i].slot, slot))
			return &p->images[i];
	return NULL;
}
