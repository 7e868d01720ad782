/* family/alif/recipe.c — the AE3 bootloader restore over the Secure Enclave (seed 003).
 * Pure: no I/O. */
#include "alif_family.h"

/* The folder of the Alif system package, when the person named one (--image
 * system-package=DIR) or gave --dir; otherwise -1 and the step looks for an OpenMV IDE
 * installation when it runs (reference alif-isp-openmv-ide-n6.md §1.8, §2.3). */
static int system_package(struct builder *B)
{
	const char *path = plan_given_named(B, PLAN_SLOT_SYSTEM_PACKAGE);
	bool given = path != NULL;
	if (!path && B->f && B->f->dir)
		path = B->f->dir;
	return path ? plan_add_folder(B, PLAN_SLOT_SYSTEM_PACKAGE, path, given) : -1;
}

/* Every Secure Enclave step carries the baud rates it talks at (boards.ini restore.baud), so a
 * dry run shows them and the executor reads them from the step. */
static struct step *se_step(struct builder *B, enum step_kind k)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	struct step *s = plan_add_step(B, k, USB_SE_BRIDGE);
	s->value = a->baud[0];
	s->fast = a->baud[1];
	return s;
}

void alif_recipe_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nalts; i++)
		slots[i] = board_alt(b, a->alts[i])->file;
	int ims[BOARD_MAX_LIST] = {-1, -1}; /* no image until plan_add_image gives one */
	for (int i = 0; i < a->nalts; i++) {
		const struct board_alt *al = board_alt(b, a->alts[i]);
		ims[i] = plan_add_image(B, al->file, al->size.value, -1, slots, a->nalts, false);
	}
	plan_add_prompt(B, a->prompt);                               /* seed 003 step 1-2 */
	se_step(B, STEP_ISP_BANNER);            /* seed 003 step 2 */
	se_step(B, STEP_ISP_MAINTENANCE);       /* seed 003 step 3 */
	struct step *s = se_step(B, STEP_ISP_UPDATE_SP); /* seed 003 step 4 */
	s->flags = STEP_OPTIONAL;
	s->image = system_package(B);
	if (s->image < 0)
		plan_note_hint(B, PLAN_HINT_SYSTEM_PACKAGE, "The Secure Enclave's system package (Alif's SP-*.bin) "
		               "is not included: it is taken from an OpenMV IDE installation, or from a folder you name.");
	/* MRAM_READ (0x19) gives one 16-byte line a command (Alif Security Toolkit isp/isp_core.py
	 * isp_read_mram): enough to read back what was written, too slow to compare before */
	plan_note(B, "The bootloader and TOC are written into MRAM in full (no delta mode: the Secure "
	          "Enclave's ISP reads MRAM back only 16 bytes a command), then read back and compared.");
	s = se_step(B, STEP_ISP_WRITE_MRAM);    /* seed 003 step 5 */
	s->image = ims[0];
	s->image2 = a->nalts > 1 ? ims[1] : -1;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
	plan_add_prompt(B, "maintenance_off");                       /* seed 003 step 7 */
	plan_then_flash(B);                                          /* seed 003 step 6 */
}
