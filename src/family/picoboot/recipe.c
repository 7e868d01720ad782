/* family/picoboot/recipe.c — the Nano RP2040 Connect's flash (seed 002 §10.7.8) and
 * filesystem erase.  Pure. */
#include "picoboot_family.h"

void picoboot_recipe_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const struct board_image *bi = board_image(B->b, "firmware");
	const char *slots[] = {bi->file};
	int im = plan_add_image(B, bi->file, a->max_size.value, -1, slots, 1, false);
	plan_enter_then_prompt(B, USB_BOOTSEL, a->prompt); /* as for SAM-BA: touch first, then prompt */
	struct step *s = plan_add_step(B, STEP_PICOBOOT_LOAD, USB_BOOTSEL);
	s->image = im;
	s->flags = STEP_DESTRUCTIVE;
	s->length = B->b->actions[ACTION_ERASE_FS].flash_end; /* no range may reach past it */
	if (B->b->nunits) /* delta mode (PICOBOOT: family/picoboot/exec.c, proto/picoboot_load.c) */
		plan_note(B, "The flash is first read back: only the 4 KiB sectors that differ from "
		          "the image are written.");
}

void picoboot_recipe_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = plan_add_zeros(B); /* as seed 000 does for the other boards */
	plan_enter_then_prompt(B, USB_BOOTSEL, B->b->actions[ACTION_FLASH].prompt);
	struct step *s = plan_add_step(B, STEP_PICOBOOT_WRITE, USB_BOOTSEL);
	s->address = a->address;
	s->length = a->flash_end; /* no write may reach past it (boards.ini erase_fs.flash_end) */
	s->image = zeros;
	s->flags = STEP_DESTRUCTIVE;
}
