/* family/arduino_dfuse/recipe.c — DfuSe by address on the Arduino boards (seed 002
 * §10.7.8, seed 000).  Pure: no I/O. */
#include "arduino_dfuse_family.h"

void arduino_dfuse_recipe_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[2 * BOARD_MAX_LIST];
	int n = 0;
	for (int i = 0; i < a->nslots; i++)
		slots[n++] = board_image(B->b, a->slots[i])->file;
	for (int i = 0; i < a->nextra; i++)
		slots[n++] = board_image(B->b, a->extra[i])->file;
	struct step *last = NULL;
	for (int i = 0; i < n; i++) {
		const char *slot = i < a->nslots ? a->slots[i] : a->extra[i - a->nslots];
		const struct board_image *bi = board_image(B->b, slot);
		bool extra = i >= a->nslots;
		int im;
		if (extra) /* written only when the user gives them (seed 002 §10.7.8) */
			im = plan_given_path(B, bi->file, slots, n) || (B->f && B->f->dir)
			     ? plan_add_image(B, bi->file, bi->size.value, bi->alt, slots, n, true) : -1;
		else
			im = plan_add_image(B, bi->file, bi->size.value, bi->alt, slots, n, a->nslots > 1);
		if (im < 0)
			continue;
		if (!last)
			plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU);
		last = plan_add_step(B, STEP_DFUSE_WRITE, USB_ARDUINO_DFU);
		last->alt = bi->alt;
		last->address = bi->address;
		last->image = im;
		last->flags = STEP_DESTRUCTIVE;
	}
	if (last)
		last->flags |= STEP_LEAVE; /* :leave only on the last write, so one DFU session serves all */
	if (last) /* delta mode, family/openmv_dfu/dfuse_delta.c */
		plan_note(B, "Each image is first read back: only the pages that differ are erased and "
		          "written.");
}

void arduino_dfuse_recipe_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = plan_add_zeros(B); /* seed 000 */
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU);
	for (int i = 0; i < a->nwrites; i++) {
		struct step *s = plan_add_step(B, STEP_DFUSE_WRITE, USB_ARDUINO_DFU);
		s->alt = a->writes[i].alt;
		s->address = a->writes[i].address;
		s->image = zeros;
		s->flags = STEP_DESTRUCTIVE | (i == a->nwrites - 1 ? STEP_RESET : 0); /* seed 000 */
	}
}
