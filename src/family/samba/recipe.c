/* family/samba/recipe.c — the Nano 33 BLE Sense's flash (seed 002 §10.7.8).  Pure. */
#include "samba_family.h"

void samba_recipe_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const struct board_image *bi = board_image(B->b, "firmware");
	const char *slots[] = {bi->file};
	int im = plan_add_image(B, bi->file, a->max_size.value, -1, slots, 1, false);
	plan_enter_then_prompt(B, USB_SAMBA, a->prompt);
	struct step *s = plan_add_step(B, STEP_SAMBA_FLASH, USB_SAMBA);
	s->address = a->address;
	s->image = im;
	s->flags = STEP_DESTRUCTIVE;
	if (B->b->nunits) /* delta mode (SAM-BA: family/samba/exec.c, proto/samba.c) */
		plan_note(B, "The flash is first checked with the bootloader's CRC-16: only the 4 KiB "
		          "pages that differ from the image are written.");
}
