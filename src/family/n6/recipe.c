/* family/n6/recipe.c — the N6 bootloader restore (seed 003), and its verify.  Pure: no I/O. */
#include "n6_family.h"

/* verify restore-bootloader: the ROM's phase protocol reads nothing back, but the openmv_dfu
 * bootloader the restore wrote reads its own partition (boards.ini restore.readback_alt): the
 * camera is caught in that bootloader and the image the layout writes there is compared. */
static void n6_recipe_verify(struct builder *B, int layout)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	if (!a->has_readback_alt) {
		plan_note(B, "The STM32 ROM's phase protocol reads nothing back and boards.ini names no "
		          "alt to read the bootloader from (restore.readback_alt).");
		return;
	}
	plan_note(B, "The restored bootloader is read back through itself (alt %d): the STM32 ROM's "
	          "phase protocol reads nothing back.", (int)a->readback_alt.value);
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
	struct step *s = plan_add_step(B, STEP_DFU_COMPARE, USB_BOOTLOADER);
	s->image = layout;
	s->alt = (int)a->readback_alt.value;
	int before = B->p->nsteps;
	plan_then_flash(B);
	if (B->p->nsteps == before)
		s->flags |= STEP_RESET; /* nothing follows: the bootloader leaves, as after a flash */
}

void n6_recipe_restore(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	const char *slots[] = {a->layout};
	int im = plan_add_image(B, a->layout, 0, -1, slots, 1, false);
	if (B->f && B->f->verify) {
		n6_recipe_verify(B, im);
		return;
	}
	plan_add_prompt(B, a->prompt);
	plan_note(B, "The bootloader is written in full: the STM32 ROM's rules for reading the "
	          "flash back in its phase protocol are not public, so nothing is compared first.");
	if (a->has_readback_alt)
		plan_note(B, "To read it back afterwards, run verify restore-bootloader with the same layout "
		          "once the camera starts without the BOOT jumper: the bootloader reads itself back.");
	struct step *s = plan_add_step(B, STEP_STM32PROG_LAYOUT, USB_ST_ROM);
	s->image = im;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
	plan_add_prompt(B, "n6_remove_jumper");
	plan_then_flash(B);
}
