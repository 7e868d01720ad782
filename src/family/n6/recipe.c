/* family/n6/recipe.c — the N6 bootloader restore (seed 003).  Pure: no I/O. */
#include "n6_family.h"

void n6_recipe_restore(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	const char *slots[] = {a->layout};
	plan_add_prompt(B, a->prompt);
	int im = plan_add_image(B, a->layout, 0, -1, slots, 1, false);
	plan_note(B, "The bootloader is written in full: the STM32 ROM's rules for reading the "
	          "flash back in its phase protocol are not public, so nothing is compared first.");
	struct step *s = plan_add_step(B, STEP_STM32PROG_LAYOUT, USB_ST_ROM);
	s->image = im;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
	plan_add_prompt(B, "n6_remove_jumper");
	plan_then_flash(B);
}
