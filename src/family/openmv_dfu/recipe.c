/* family/openmv_dfu/recipe.c — the recipes of every OpenMV DFU camera (seed 002 §10.7.5,
 * §10.7.6, seed 000, seed 001).  Pure: no I/O. */
#include "openmv_dfu_family.h"

#include <stdio.h>

void openmv_dfu_recipe_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nalts; i++)
		slots[i] = board_alt(B->b, a->alts[i])->file;
	int first = B->p->nsteps;
	struct step *last = NULL;
	for (int i = 0; i < a->nalts; i++) {
		const struct board_alt *al = board_alt(B->b, a->alts[i]);
		int im = plan_add_image(B, al->file, al->size.value, al->alt, slots, a->nalts, a->nalts > 1);
		if (im < 0) {
			plan_note(B, "%s was not given: alt %d (%s) is left as it is", al->file, al->alt, al->name);
			continue;
		}
		if (B->p->nsteps == first)
			plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
		last = plan_add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
		last->alt = al->alt;
		last->image = im;
		last->flags = STEP_DESTRUCTIVE;
	}
	if (last)
		last->flags |= STEP_RESET; /* seed 002: --reset only on the final transfer */
	if (last && B->b->nunits) /* delta mode, family/openmv_dfu/openmv_dfu_delta.c */
		plan_note(B, "Each image is first compared with what the camera holds: only the parts "
		          "that differ are written.");
}

void openmv_dfu_recipe_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = plan_add_zeros(B);
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
	struct step *s = plan_add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
	s->alt = a->alt;
	s->image = zeros;
	s->flags = STEP_RESET | STEP_DESTRUCTIVE;
}

void openmv_dfu_recipe_init_mram(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_INIT_MRAM];
	int key = plan_add_generated(B, board_alt(B->b, a->alt)->file, 4096); /* ref ide §3: 4096 bytes */
	struct step *k = plan_add_step(B, STEP_MAKE_KEY, USB_MODE_COUNT);
	k->image = key;
	snprintf(k->text, sizeof k->text, "%s", a->key_hex); /* boards.ini init_mram.key */
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
	struct step *s = plan_add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
	s->alt = a->alt;
	s->image = key;
	s->flags = STEP_DESTRUCTIVE;
}
