/* family/st_rom/recipe.c — restore-bootloader through the ST system ROM (seed 003).  Pure. */
#include "st_rom_family.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

void st_rom_recipe_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const struct board_region *r = board_region(b, "bootloader");
	const struct board_alt *al = board_alt(b, 0);
	struct bnum addr = r ? r->address : al->start;
	uint64_t size = r ? r->size.value : al->size.value;
	const char *file = r ? r->file : al->file;
	/* bootloader.dfu or bootloader.bin (seed 003 step 4) */
	const char *slots[] = {file};
	const char *path = plan_given_path(B, file, slots, 1);
	if (!path)
		path = plan_given_file(B);
	size_t len = path ? strlen(path) : 0;
	bool dfu_file = len > 4 && !strcasecmp(path + len - 4, ".dfu");
	plan_add_prompt(B, a->prompt);
	int im = plan_add_image(B, dfu_file ? plan_base_name(path) : file, size, -1, slots, 1, false);
	if (path && im >= 0) {
		snprintf(B->p->images[im].path, sizeof B->p->images[im].path, "%s", path);
		B->p->images[im].given = true;
	}
	struct step *s = plan_add_step(B, dfu_file ? STEP_DFUSE_FILE : STEP_DFUSE_WRITE, USB_ST_ROM);
	s->alt = a->alt;
	s->address = addr;
	s->image = im;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE | (dfu_file ? STEP_LEAVE : 0);
	plan_add_prompt(B, "remove_jumper"); /* seed 003 step 5 */
	plan_then_flash(B);
}
