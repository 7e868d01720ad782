/* family/nxp/recipe.c — the RT1062's recipes: blhost (seed 002 §10.7.7, seed 000) and the
 * SDP bootloader restore (seed 003).  Pure: no I/O. */
#include "nxp_family.h"

#include <stdio.h>
#include <strings.h>

static void erase_write(struct builder *B, const struct board_region *r, int im, int timeout)
{
	struct step *e = plan_add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
	e->address = r->address;
	e->image = im;
	if (r->erase == ERASE_REGION)
		e->length = r->size;
	else
		snprintf(e->text, sizeof e->text, "<%s_size>", r->name); /* seed 002: <firmware_size> */
	e->value.value = (uint64_t)timeout;
	snprintf(e->value.text, sizeof e->value.text, "%d", timeout);
	e->flags = STEP_DESTRUCTIVE;
	struct step *w = plan_add_step(B, STEP_BLHOST_WRITE, USB_FLASHLOADER);
	w->address = r->address;
	w->image = im;
	w->flags = STEP_DESTRUCTIVE;
}

void nxp_recipe_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nslots; i++)
		slots[i] = board_region(B->b, a->slots[i])->file;
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_FLASHLOADER);
	int wrote = 0;
	for (int i = 0; i < a->nslots; i++) {
		const struct board_region *r = board_region(B->b, a->slots[i]);
		/* seed 002: the firmware is the update; the ROMFS is reset only when asked */
		bool optional = strcasecmp(r->name, "firmware") != 0;
		int im = plan_add_image(B, r->file, r->size.value, -1, slots, a->nslots, optional);
		if (im < 0)
			continue;
		erase_write(B, r, im, (int)a->timeout_ms.value);
		wrote++;
	}
	if (wrote)
		plan_add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER);
	if (wrote) /* delta mode, family/nxp/blhost_delta.c */
		plan_note(B, "The firmware is first read back: only the 4 KiB sectors that differ are "
		          "erased and written.");
}

void nxp_recipe_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	const struct board_action *fl = &B->b->actions[ACTION_FLASH];
	plan_add_step(B, STEP_ENTER_BOOTLOADER, USB_FLASHLOADER);
	struct step *e = plan_add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
	e->address = a->address;
	e->length = a->length;
	e->value = fl->timeout_ms;
	e->flags = STEP_DESTRUCTIVE;
	plan_add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER); /* boot the firmware so it reformats */
}

/* seed 003 step 3: the FlexSPI configuration, then the FCB (erasing the FCB's sector first). */
static void configure_flash(struct builder *B, const struct board_region *fcb, int timeout)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	for (int k = 0; k < 2; k++) {
		struct step *s = plan_add_step(B, STEP_BLHOST_FILL, USB_FLASHLOADER);
		s->address = a->config_address;
		s->length = a->config_bytes;
		s->value = a->config_words[k];
		s = plan_add_step(B, STEP_BLHOST_CONFIGURE, USB_FLASHLOADER);
		s->address = a->config_address;
		s->value = a->config_id;
		if (k == 0) {
			s = plan_add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
			s->address = fcb->address;
			s->length = fcb->size;
			snprintf(s->value.text, sizeof s->value.text, "%d", timeout);
			s->value.value = (uint64_t)timeout;
			s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
		}
	}
}

void nxp_recipe_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const struct board_region *fcb = board_region(b, "fcb"), *sbl = board_region(b, "sbl"),
	                          *fw = board_region(b, "firmware");
	const char *slots[] = {a->loader_file, sbl->file, fw->file};
	int loader = plan_add_image(B, a->loader_file, 0, -1, slots, 3, false);
	int sblim = plan_add_image(B, sbl->file, sbl->size.value, -1, slots, 3, false);
	int fwim = plan_add_image(B, fw->file, fw->size.value, -1, slots, 3, false);
	int timeout = (int)b->actions[ACTION_FLASH].timeout_ms.value;

	plan_add_prompt(B, a->prompt); /* seed 003 step 1 */
	struct step *s = plan_add_step(B, STEP_SDP_WRITE_FILE, USB_SDP); /* seed 003 step 2 */
	s->address = a->loader_address;
	s->image = loader;
	s = plan_add_step(B, STEP_SDP_JUMP, USB_SDP);
	s->address = a->loader_address;
	s->image = loader; /* what the jump starts: the dry run and the executor name it */
	configure_flash(B, fcb, timeout);
	int before = B->p->nsteps;
	erase_write(B, sbl, sblim, timeout);
	erase_write(B, fw, fwim, timeout); /* seed 003 step 4 */
	for (int i = before; i < B->p->nsteps; i++)
		if (B->p->steps[i].image == sblim)
			B->p->steps[i].flags |= STEP_BOOTLOADER;
	s = plan_add_step(B, STEP_BLHOST_EFUSE, USB_FLASHLOADER);
	s->value = a->efuse_index;
	snprintf(s->text, sizeof s->text, "%s", a->efuse_data);
	s->flags = STEP_IRREVERSIBLE | STEP_BOOTLOADER;
	plan_add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER);
	plan_add_prompt(B, "remove_sbl_jumper"); /* seed 003 step 5 */
}
